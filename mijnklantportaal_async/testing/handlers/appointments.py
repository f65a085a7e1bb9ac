"""FakePortal handlers for the Appointments API: list-appointments, schedule-appointment,
get-appointment, change-appointment-status.

Docs: /api-reference/appointments-api/*. Date-times in requests are ``Y-m-d H:i`` in portal time
(the docs' examples add ``:00`` seconds, so seconds are accepted too); answers are ATOM. What the
docs leave open and this portal decides: an appointment scheduled through the API is
``scheduled``; with a ``customerId`` and no attendee, the attendee is the customer's company
name and primary e-mail; ``endsAt`` must be after ``startsAt``; any appointment may be set to
``scheduled`` or ``canceled`` (``pending`` is not settable); the list holds every appointment
starting in ``[start_at, start_at + days)``, by start.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from mijnklantportaal_async.testing.handlers._common import Call, Handler, Reply, stored
from mijnklantportaal_async.testing.state import AMSTERDAM, atom
from mijnklantportaal_async.testing.validation import Validator, humanize
from mijnklantportaal_async.testing.webhooks import deliver

__all__ = [
    "HANDLERS",
    "change_appointment_status",
    "get_appointment",
    "list_appointments",
    "schedule_appointment",
]

_MINUTE = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(?::\d{2})?$")
_SETTABLE = ("scheduled", "canceled")
DEFAULT_DAYS = 7
"""Days listed when the query has no ``days`` (documented)."""


def _minute(value: str) -> datetime | None:
    """``Y-m-d H:i`` (or with seconds) as an aware portal-time datetime; None if malformed."""
    if not _MINUTE.match(value):
        return None
    layout = "%Y-%m-%d %H:%M:%S" if value.count(":") == 2 else "%Y-%m-%d %H:%M"
    try:
        return datetime.strptime(value, layout).replace(tzinfo=AMSTERDAM)
    except ValueError:
        return None


def _check_minute(check: Validator, field: str, *, required: bool = False) -> datetime | None:
    value = check.string(field, required=required)
    if value is None:
        return None
    parsed = _minute(value)
    if parsed is None:
        label = humanize(field).replace("_", " ")  # Laravel's "start at" for start_at too
        check.fail(field, f"The {label} field must match the format Y-m-d H:i.")
    return parsed


async def list_appointments(call: Call) -> Reply:
    """GET /appointments (list-appointments): ``{"data": [...]}``, not paginated. Query
    ``start_at`` (``Y-m-d H:i``, default now) and ``days`` (an integer >= 1, default 7); 422 for
    a malformed one."""
    state = call.state
    check = Validator(dict(call.query))
    start = _check_minute(check, "start_at")
    raw_days = check.string("days")
    days = DEFAULT_DAYS
    if raw_days is not None:
        if not raw_days.isdigit():
            check.fail("days", "The :attribute field must be an integer.")
        elif int(raw_days) < 1:
            check.fail("days", "The :attribute field must be at least 1.")
        else:
            days = int(raw_days)
    check.check()
    begin = start if start is not None else state.now()
    end = begin + timedelta(days=days)
    found = [
        appointment
        for appointment in state.store.all("appointments")
        if begin <= datetime.fromisoformat(appointment["startsAt"]) < end
    ]
    found.sort(key=lambda appointment: datetime.fromisoformat(appointment["startsAt"]))
    return Reply(200, {"data": found})


async def schedule_appointment(call: Call) -> Reply:
    """POST /appointments (schedule-appointment), JSON: ``name``, ``startsAt`` and ``endsAt``
    required; ``customerId`` optional (a stored customer); ``attendeeName`` and
    ``attendeeEmail`` required without a ``customerId``. 201 + Appointment; 422."""
    body = await call.body()
    state = call.state
    check = Validator(body.data)
    name = check.string("name", required=True)
    starts_at = _check_minute(check, "startsAt", required=True)
    ends_at = _check_minute(check, "endsAt", required=True)
    if starts_at is not None and ends_at is not None and ends_at <= starts_at:
        check.fail("endsAt", "The :attribute field must be a date after starts at.")
    customer_id = check.string("customerId")
    customer = None
    if customer_id is not None:
        customer = state.store.get("customers", customer_id)
        if customer is None:
            check.fail("customerId", "The selected :attribute is invalid.")
    without = "The :attribute field is required when customer id is not present."
    attendee_name = check.string("attendeeName")
    attendee_email = check.email("attendeeEmail")
    if customer_id is None:
        for field, value in (("attendeeName", attendee_name), ("attendeeEmail", attendee_email)):
            if value is None and not check.failed(field):
                check.fail(field, without)
    check.check()
    assert name is not None
    assert starts_at is not None
    assert ends_at is not None
    if customer is not None:
        attendee_name = attendee_name or customer["companyName"]
        attendee_email = attendee_email or customer["primaryEmail"]
    appointment: dict[str, Any] = {
        "id": state.store.new_id("appointments"),
        "customerId": customer_id,
        "attendeeName": attendee_name,
        "attendeeEmail": attendee_email,
        "startsAt": atom(starts_at),
        "endsAt": atom(ends_at),
        "status": "scheduled",
        "onlineMeetingLink": None,
        "createdAt": atom(state.now()),
    }
    state.store.add("appointments", appointment)
    deliver(state, "appointment-created", appointment)
    return Reply(201, appointment, stored_id=appointment["id"])


async def get_appointment(call: Call) -> Reply:
    """GET /appointments/{appointmentId} (get-appointment): the Appointment, or 404."""
    appointment = stored(call, "appointments", "appointmentId", "Appointment")
    return Reply(200, appointment)


async def change_appointment_status(call: Call) -> Reply:
    """PATCH /appointments/{appointmentId} (change-appointment-status), JSON ``status``:
    ``scheduled`` or ``canceled``. 200 + the changed Appointment; 404; 422."""
    appointment = stored(call, "appointments", "appointmentId", "Appointment")
    body = await call.body()
    check = Validator(body.data)
    status = check.string("status", required=True)
    if status is not None and status not in _SETTABLE:
        check.fail("status", "The selected :attribute is invalid.")
    check.check()
    appointment["status"] = status
    if status == "canceled":
        deliver(call.state, "appointment-canceled", appointment)
    return Reply(200, appointment)


HANDLERS: dict[str, Handler] = {
    "list-appointments": list_appointments,
    "schedule-appointment": schedule_appointment,
    "get-appointment": get_appointment,
    "change-appointment-status": change_appointment_status,
}
"""This module's handlers by operationId (``testing/routes.py`` joins them to the table)."""
