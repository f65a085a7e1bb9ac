"""FakePortal handlers for the Invoices API (the portal owner's own bills from
MijnKlantportaal): list-mijnklantportaal-invoices, get-mijnklantportaal-invoice."""

from __future__ import annotations

from mijnklantportaal_async.testing.handlers._common import Handler

__all__ = ["HANDLERS"]

HANDLERS: dict[str, Handler] = {}
"""This module's handlers by operationId (``testing/routes.py`` joins them to the table)."""
