"""A client that stops sending its body is normal: one DEBUG line, no ERROR, no traceback.

Before, every aborted upload (a failing source, a cancelled task) logged ERROR with a
ConnectionResetError traceback, as if the FakePortal had a bug. A real bug in a handler still
logs ERROR with its traceback and answers 500.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import date
from decimal import Decimal

import aiohttp
import pytest
from test_fakeportal_support import call

from mijnklantportaal_async import CustomerInvoiceCreate, RequestValidationError, Upload
from mijnklantportaal_async.testing import FakePortal
from mijnklantportaal_async.testing.forms import ParsedBody
from mijnklantportaal_async.testing.handlers._common import Call

LOGGER = "mijnklantportaal_async.testing"


async def failing_pdf() -> AsyncIterator[bytes]:
    yield b"%PDF-1.4\n" + b"x" * 256 * 1024
    raise OSError("the bookkeeping export went away")


async def test_a_client_that_aborts_its_body_is_logged_at_debug_without_a_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger=LOGGER)
    invoice = CustomerInvoiceCreate(
        customer_id="cst_abc12345def678",
        invoice_number="2024-001",
        issued_at=date(2024, 4, 29),
        amount=Decimal("12.95"),
        pdf=Upload(failing_pdf(), filename="2024-001.pdf"),
    )
    async with FakePortal(rate_limit=None) as portal, portal.client(rate_limit=None) as mkp:
        with pytest.raises(RequestValidationError, match="the bookkeeping export went away"):
            await mkp.customer_invoices.create(invoice)
    # the portal is closed: its handlers have finished

    portal_logs = [r for r in caplog.records if r.name == LOGGER]
    assert [r.levelno for r in portal_logs] == [logging.DEBUG]
    (line,) = portal_logs
    assert line.exc_info is None
    assert "\n" not in line.getMessage()
    assert "client disconnected during the create-customer-invoice request" in line.getMessage()
    assert portal.requests[-1].status is None  # no answer was sent
    assert len(portal.customer_invoices) == 0


async def test_a_connection_error_inside_a_handler_is_still_a_server_bug(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken_body(self: Call) -> ParsedBody:
        raise ConnectionRefusedError("the fake database is down")

    monkeypatch.setattr(Call, "body", broken_body)
    async with FakePortal(rate_limit=None) as portal, aiohttp.ClientSession() as session:
        status, body, _ = await call(session, portal, "POST", "/customers", json={})

    assert (status, body) == (500, {"message": "Server Error"})
    errors = [r for r in caplog.records if r.name == LOGGER and r.levelno == logging.ERROR]
    assert [r.getMessage() for r in errors] == ["FakePortal handler create-customer failed"]
    assert errors[0].exc_info is not None
