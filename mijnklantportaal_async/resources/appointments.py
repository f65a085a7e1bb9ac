"""`mkp.appointments`: the Appointments API (list a range, schedule, get, change the status)."""

from __future__ import annotations

from datetime import datetime

from mijnklantportaal_async._core import operations as ops
from mijnklantportaal_async.models import (
    Appointment,
    AppointmentCreate,
    AppointmentQuery,
    AppointmentStatus,
    AppointmentStatusChange,
)
from mijnklantportaal_async.resources._base import Resource
from mijnklantportaal_async.resources._raw import RawResponses, raw


class Appointments(Resource):
    """The Appointments API; reached as ``mkp.appointments``.

    Operations: list-appointments, schedule-appointment, get-appointment, change-appointment-status.
    Date-times go out to the minute (``YYYY-mm-dd HH:MM``, portal time Europe/Amsterdam) and
    come back as aware datetimes.
    """

    area = "appointments"

    async def list(
        self, start_at: datetime | str | None = None, days: int | None = None
    ) -> tuple[Appointment, ...]:
        """The appointments from ``start_at`` for ``days`` days, in one answer (this list is
        not paginated); the order is the server's.

        ``start_at``: a whole-minute ``datetime`` (aware, or naive in portal time) or
        ``"YYYY-mm-dd HH:MM"``; left out, the API starts at now. ``days``: an int >= 1; left
        out, the API takes 7. For example
        ``await mkp.appointments.list(start_at=datetime(2025, 3, 5, 9, 0), days=14)``.

        Operation ``list-appointments``: ``GET /appointments?start_at=...&days=...``.
        Docs: ``/api-reference/appointments-api/list-appointments``.

        Raises:
            RequestValidationError: ``start_at`` or ``days`` is invalid (``.field`` names it;
                nothing is sent).
            APIResponseValidationError: the answer is not a ``{"data": [...]}`` list.
        """
        return await self._data_list(
            "list", ops.LIST_APPOINTMENTS, data=AppointmentQuery(start_at=start_at, days=days)
        )

    async def schedule(self, data: AppointmentCreate) -> Appointment:
        """Schedule an appointment; returns the stored :class:`Appointment` (ID ``apt_...``).

        With a ``customer_id`` the appointment is the customer's; without one,
        ``attendee_name`` and ``attendee_email`` say who attends (the model requires them).

        Operation ``schedule-appointment``: ``POST /appointments`` (JSON).
        Docs: ``/api-reference/appointments-api/schedule-appointment``.

        Raises:
            UnprocessableEntityError: the API rejected a field (``.errors`` names it), e.g. an
                unknown ``customerId``.
            AmbiguousWriteError: sent, outcome unknown. No natural key identifies an
                appointment, so it is never sent again on its own: list the range to see
                whether it exists before scheduling it again.
            TypeError: ``data`` is not an AppointmentCreate (nothing is sent).
        """
        return await self._call("schedule", ops.SCHEDULE_APPOINTMENT, data=data)

    async def get(self, appointment_id: str) -> Appointment:
        """Get one appointment by ID (``apt_...``).

        Operation ``get-appointment``: ``GET /appointments/{appointmentId}``.
        Docs: ``/api-reference/appointments-api/get-appointment``.

        Raises:
            NotFoundError: no appointment with that ID.
            RequestValidationError: ``appointment_id`` is empty (nothing is sent).
        """
        return await self._call("get", ops.GET_APPOINTMENT, appointment_id)

    async def change_status(
        self, appointment_id: str, status: AppointmentStatus | str
    ) -> Appointment:
        """Confirm (``AppointmentStatus.SCHEDULED``) or cancel (``CANCELED``) an appointment;
        returns it as stored after the change. ``"scheduled"`` / ``"canceled"`` do too;
        ``pending`` cannot be set.

        Operation ``change-appointment-status``: ``PATCH /appointments/{appointmentId}``
        (JSON ``{"status": ...}``). Docs:
        ``/api-reference/appointments-api/change-appointment-status``.

        Raises:
            NotFoundError: no appointment with that ID.
            UnprocessableEntityError: the API refused the change.
            AmbiguousWriteError: sent, outcome unknown; ``get`` the appointment to see its
                status (setting the same status again is harmless).
            RequestValidationError: ``status`` is not ``scheduled`` or ``canceled``, or
                ``appointment_id`` is empty (``.field`` names it; nothing is sent).
        """
        return await self._call(
            "change_status",
            ops.CHANGE_APPOINTMENT_STATUS,
            appointment_id,
            data=AppointmentStatusChange(status=status),
        )

    @property
    def with_raw_response(self) -> AppointmentsWithRawResponse:
        """This area's methods again, each answering a :class:`RawResponse`: the HTTP
        ``status``, ``headers`` and ``rate_limit``, and ``parse()`` for what it returns."""
        return AppointmentsWithRawResponse(self)


class AppointmentsWithRawResponse(RawResponses[Appointments]):
    """``with_raw_response`` of :class:`Appointments`: each method answers a
    :class:`RawResponse` whose ``parse()`` gives what the method returns (``_raw.py``)."""

    list = raw(Appointments.list)
    schedule = raw(Appointments.schedule)
    get = raw(Appointments.get)
    change_status = raw(Appointments.change_status)
