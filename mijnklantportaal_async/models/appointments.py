"""Appointments API models: requests (``<Thing>Create`` / ``<Thing>Update``) and responses.

Operations: list-appointments, schedule-appointment, get-appointment, change-appointment-status.
"""

from __future__ import annotations

__all__ = []
