"""FakePortal handlers for the Payment Links API: list-, create-, get-payment-link,
close-payment-link, list-payment-link-payment."""

from __future__ import annotations

from mijnklantportaal_async.testing.handlers._common import Handler

__all__ = ["HANDLERS"]

HANDLERS: dict[str, Handler] = {}
"""This module's handlers by operationId (``testing/routes.py`` joins them to the table)."""
