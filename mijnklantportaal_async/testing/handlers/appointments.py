"""FakePortal handlers for the Appointments API: list-appointments, schedule-appointment,
get-appointment, change-appointment-status."""

from __future__ import annotations

from mijnklantportaal_async.testing.handlers._common import Handler

__all__ = ["HANDLERS"]

HANDLERS: dict[str, Handler] = {}
"""This module's handlers by operationId (``testing/routes.py`` joins them to the table)."""
