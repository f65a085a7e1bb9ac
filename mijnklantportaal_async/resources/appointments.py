"""`mkp.appointments`: the Appointments API."""

from __future__ import annotations

from mijnklantportaal_async.resources._base import Resource


class Appointments(Resource):
    """The Appointments API; reached as ``mkp.appointments``.

    Operations: list-appointments, schedule-appointment, get-appointment, change-appointment-status.
    """

    area = "appointments"
