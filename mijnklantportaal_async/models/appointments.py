"""Appointments API models: ``AppointmentQuery`` (list-appointments' query),
``AppointmentCreate`` and ``AppointmentStatusChange`` (requests), ``Appointment`` (response) and
``AppointmentStatus``.

Operations: list-appointments, schedule-appointment, get-appointment, change-appointment-status.
The API writes these date-times ``Y-m-d H:i`` (to the minute): the request models take whole
minutes only and send them as ``"YYYY-mm-dd HH:MM"`` in portal time (Europe/Amsterdam).
"""

from __future__ import annotations

import enum
import re
from datetime import datetime

import attrs

from mijnklantportaal_async._core.wire import PORTAL_TIMEZONE, TO_THE_MINUTE, object_id
from mijnklantportaal_async.errors import RequestValidationError
from mijnklantportaal_async.models._validators import (
    DateTimeInput,
    Invalid,
    email,
    moment,
    name_errors,
    request_model,
    text,
    type_name,
)

__all__ = [
    "Appointment",
    "AppointmentCreate",
    "AppointmentQuery",
    "AppointmentStatus",
    "AppointmentStatusChange",
]


class AppointmentStatus(enum.StrEnum):
    """An appointment's status. ``PENDING`` waits for confirmation (booked by a customer);
    ``change-appointment-status`` sets ``SCHEDULED`` (confirmed) or ``CANCELED``."""

    PENDING = "pending"
    SCHEDULED = "scheduled"
    CANCELED = "canceled"


_SETTABLE = (AppointmentStatus.SCHEDULED, AppointmentStatus.CANCELED)
_MINUTE_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}(:[0-9]{2})?", re.ASCII)


def whole_minute(value: DateTimeInput) -> datetime:
    """A date-time to the minute, as the API's ``Y-m-d H:i`` takes it: a ``datetime``
    (aware, or naive in portal time, Europe/Amsterdam) whose seconds and microseconds are 0,
    or a ``"YYYY-mm-dd HH:MM"`` string (``":00"`` seconds allowed). Other seconds are refused
    rather than cut off; a local time the clocks skip (summer time) is refused as
    :func:`~._validators.moment` does."""
    if value is None:
        raise Invalid("is required")
    if isinstance(value, str):
        written = value.strip()
        if not _MINUTE_TEXT.fullmatch(written):
            raise Invalid(f"must be a date-time in 'YYYY-mm-dd HH:MM' format, not {value!r}")
        value = written if len(written) > 16 else written + ":00"
    elif not isinstance(value, datetime):
        raise Invalid(
            f"must be a datetime.datetime or a 'YYYY-mm-dd HH:MM' string, not {type_name(value)}"
        )
    parsed = moment(value)
    if parsed.second or parsed.microsecond:
        raise Invalid(
            f"must be a whole minute (the API takes 'Y-m-d H:i'), not {parsed.time().isoformat()}; "
            "use .replace(second=0, microsecond=0)"
        )
    return parsed


def positive_days(value: int) -> int:
    """A number of days: an int of at least 1 (not a bool)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise Invalid(f"must be an int (days), not {type_name(value)}")
    if value < 1:
        raise Invalid(f"must be at least 1 (days), not {value}")
    return value


def settable_status(value: AppointmentStatus | str) -> AppointmentStatus:
    """``AppointmentStatus.SCHEDULED`` or ``CANCELED`` (or ``"scheduled"`` / ``"canceled"``)."""
    if value is None:
        raise Invalid("is required")
    if not isinstance(value, str):
        raise Invalid(
            f"must be an AppointmentStatus or its value ('scheduled' or 'canceled'), "
            f"not {type_name(value)}"
        )
    try:
        status = AppointmentStatus(value.strip())
    except ValueError:
        raise Invalid(f"must be 'scheduled' or 'canceled', not {value!r}") from None
    if status not in _SETTABLE:
        raise Invalid(
            "cannot be set to 'pending': an appointment is confirmed ('scheduled') or 'canceled'"
        )
    return status


def _portal_time(value: datetime) -> datetime:
    """``value`` as a naive portal-local time, so aware and naive values compare."""
    if value.tzinfo is not None and value.utcoffset() is not None:
        return value.astimezone(PORTAL_TIMEZONE).replace(tzinfo=None)
    return value


@request_model
@attrs.frozen(kw_only=True, field_transformer=name_errors)
class AppointmentQuery:
    """The range of ``list-appointments`` (``GET /appointments``, query ``start_at`` and
    ``days``); ``mkp.appointments.list(start_at=..., days=...)`` builds it.

    Fields:
        start_at: optional whole-minute date-time (see :func:`whole_minute`), sent
            ``YYYY-mm-dd HH:MM``; left out, the API starts at now.
        days: optional int >= 1, the days after ``start_at``; left out, the API takes 7.

    Raises:
        RequestValidationError: a value is invalid (``.field`` names it).
    """

    start_at: datetime | None = attrs.field(
        default=None, converter=attrs.converters.optional(whole_minute), metadata=TO_THE_MINUTE
    )
    days: int | None = attrs.field(default=None, converter=attrs.converters.optional(positive_days))


@request_model
@attrs.frozen(kw_only=True, field_transformer=name_errors)
class AppointmentCreate:
    """A new appointment, for ``schedule-appointment`` (``POST /appointments``, JSON).

    Docs: ``/api-reference/appointments-api/schedule-appointment``.

    Fields:
        name: the name shown in the calendar (a non-empty string).
        starts_at, ends_at: whole-minute date-times (a ``datetime``, aware or naive in portal
            time, or ``"YYYY-mm-dd HH:MM"``), sent ``YYYY-mm-dd HH:MM`` in portal time;
            ``ends_at`` must be after ``starts_at``.
        customer_id: optional ID of an existing customer (``cst_...``).
        attendee_name, attendee_email: who attends (a name; an e-mail address). Required when
            no ``customer_id`` is given; with one, optional (the API documents no default:
            the FakePortal uses the customer's company name and primary e-mail).

    No natural key identifies an appointment, so a create whose answer was lost raises
    ``AmbiguousWriteError`` and is never sent again on its own.

    Raises:
        RequestValidationError: a field is missing or invalid (``.field`` names it), e.g.
            ``attendee_email`` "is required when no customer_id is given".
    """

    name: str = attrs.field(converter=text)
    starts_at: datetime = attrs.field(converter=whole_minute, metadata=TO_THE_MINUTE)
    ends_at: datetime = attrs.field(converter=whole_minute, metadata=TO_THE_MINUTE)
    customer_id: str | None = attrs.field(default=None, converter=attrs.converters.optional(text))
    attendee_name: str | None = attrs.field(default=None, converter=attrs.converters.optional(text))
    attendee_email: str | None = attrs.field(
        default=None, converter=attrs.converters.optional(email)
    )

    def __attrs_post_init__(self) -> None:
        if _portal_time(self.ends_at) <= _portal_time(self.starts_at):
            raise RequestValidationError(
                "ends_at",
                f"{self.ends_at:%Y-%m-%d %H:%M} is not after starts_at "
                f"{self.starts_at:%Y-%m-%d %H:%M}",
            )
        if self.customer_id is None:
            for field in ("attendee_name", "attendee_email"):
                if getattr(self, field) is None:
                    raise RequestValidationError(field, "is required when no customer_id is given")


@request_model
@attrs.frozen(kw_only=True, field_transformer=name_errors)
class AppointmentStatusChange:
    """The body of ``change-appointment-status`` (``PATCH /appointments/{appointmentId}``,
    JSON): ``status``, ``AppointmentStatus.SCHEDULED`` (confirm) or ``CANCELED`` (or their
    values). ``mkp.appointments.change_status(appointment_id, status)`` builds it.

    Raises:
        RequestValidationError: ``status`` is missing, not one of those two, or ``pending``.
    """

    status: AppointmentStatus = attrs.field(converter=settable_status)


@attrs.frozen(kw_only=True)
class Appointment:
    """An appointment as the API returns it (ID ``apt_...``).

    ``starts_at``, ``ends_at`` and ``created_at`` are aware datetimes. ``customer_id`` is None
    when no customer is involved; ``online_meeting_link`` is a meeting URL from a connected
    calendar integration, when there is one. Every field but ``id`` may be missing (None).
    """

    id: str = object_id("apt_")
    customer_id: str | None = None
    attendee_name: str | None = None
    attendee_email: str | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    status: AppointmentStatus | None = None
    online_meeting_link: str | None = None
    created_at: datetime | None = None
