"""The FakePortal's mark-customer-invoice-paid and get-customer-invoice-pdf on the wire: the rules
the client never lets a request reach (it refuses such input before sending), the link's shape,
and the PDF the portal makes when it has no bytes to serve."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import datetime, timedelta

import aiohttp
import pytest
from test_fakeportal_support import (
    ATOM,
    PDF,
    FakeClock,
    auth,
    call,
    create_customer,
    create_invoice,
)

from mijnklantportaal_async.testing import FakePortal
from mijnklantportaal_async.testing.handlers._downloads import stand_in_pdf


@pytest.fixture
async def portal() -> AsyncIterator[FakePortal]:
    async with FakePortal(rate_limit=None, clock=FakeClock()) as portal:
        yield portal


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def an_invoice(session: aiohttp.ClientSession, portal: FakePortal) -> str:
    customer = await create_customer(session, portal)
    status, invoice = await create_invoice(session, portal, customer["id"])
    assert status == 201, invoice
    invoice_id: str = invoice["id"]
    return invoice_id


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "The paid at field is required."),
        ({"paidAt": ""}, "The paid at field is required."),
        ({"paidAt": "2024-04-31 14:00:00"}, "The paid at field must match the format Y-m-d H:i:s."),
        ({"paidAt": "2024-05-11T14:00:00+02:00"}, "must match the format Y-m-d H:i:s."),
        ({"paidAt": 1715428800}, "The paid at field must be a string."),
    ],
)
async def test_mark_paid_needs_a_local_date_time(
    portal: FakePortal, session: aiohttp.ClientSession, body: dict[str, object], message: str
) -> None:
    invoice_id = await an_invoice(session, portal)

    status, answer, _ = await call(
        session, portal, "PATCH", f"/customer-invoices/{invoice_id}", json=body
    )

    assert status == 422
    [(field, [text])] = answer["errors"].items()
    assert field == "paidAt"
    assert message in text
    assert portal.customer_invoices[invoice_id]["paidAt"] is None


async def test_mark_paid_of_an_unknown_invoice_is_the_documented_404(
    portal: FakePortal, session: aiohttp.ClientSession
) -> None:
    status, answer, _ = await call(
        session,
        portal,
        "PATCH",
        "/customer-invoices/inv_unknown0000000",
        json={"paidAt": "2024-05-11 14:00:00"},
    )

    assert (status, answer["message"]) == (404, "No Customer Invoice can be found for the given ID")


async def test_the_pdf_answer_is_a_link_valid_five_minutes_that_refuses_the_api_key(
    portal: FakePortal, session: aiohttp.ClientSession
) -> None:
    invoice_id = await an_invoice(session, portal)

    status, answer, _ = await call(session, portal, "GET", f"/customer-invoices/{invoice_id}/pdf")

    assert status == 200
    assert set(answer) == {"link", "expiresAt"}
    assert ATOM.match(answer["expiresAt"])
    assert datetime.fromisoformat(answer["expiresAt"]) == portal.now() + timedelta(minutes=5)
    assert answer["link"].startswith(portal.url.removesuffix("/v1") + "/storage/")
    async with session.get(answer["link"], headers=auth(portal)) as refused:
        assert refused.status == 400  # a pre-signed link takes no second credential
    async with session.get(answer["link"]) as fetched:
        assert fetched.status == 200
        assert fetched.headers["Content-Type"] == "application/pdf"
        assert 'filename="invoice.pdf"' in fetched.headers["Content-Disposition"]
        assert await fetched.read() == PDF


async def test_the_pdf_of_an_unknown_invoice_is_the_documented_404(
    portal: FakePortal, session: aiohttp.ClientSession
) -> None:
    status, answer, _ = await call(session, portal, "GET", "/customer-invoices/inv_x/pdf")

    assert (status, answer["message"]) == (404, "No Customer Invoice can be found for the given ID")
    assert portal.storage.objects == {}


def test_the_stand_in_pdf_is_a_well_formed_pdf() -> None:
    data = stand_in_pdf("Invoice 2024-(001)", ["Amount EUR 12.95", "naïve \\ café"])

    assert data.startswith(b"%PDF-1.4\n")
    assert data.endswith(b"%%EOF\n")
    # every cross-reference entry points at its object, and startxref at the table
    start = int(re.findall(rb"startxref\n(\d+)\n", data)[-1])
    assert data[start:].startswith(b"xref\n0 6\n")
    offsets = [int(entry) for entry in re.findall(rb"(\d{10}) 00000 n \n", data)]
    assert len(offsets) == 5
    for number, offset in enumerate(offsets, start=1):
        assert data[offset:].startswith(b"%d 0 obj\n" % number)
    length = int(re.findall(rb"/Length (\d+)", data)[0])
    stream = data.split(b"stream\n", 1)[1].split(b"\nendstream", 1)[0]
    assert len(stream) == length
    assert b"(Invoice 2024-\\(001\\)) Tj" in stream  # parentheses escaped in PDF strings
    assert "naïve \\\\ café".encode("latin-1") in stream
