"""FakePortal handlers for the Punch Cards API: list-, create-, get-, edit-punch-card,
list-bought-punch-cards, issue-new-punch-card, get-bought-punch-card,
stamp-issued-punch-card."""

from __future__ import annotations

from mijnklantportaal_async.testing.handlers._common import Handler

__all__ = ["HANDLERS"]

HANDLERS: dict[str, Handler] = {}
"""This module's handlers by operationId (``testing/routes.py`` joins them to the table)."""
