"""The FakePortal's Invoices API (MijnKlantportaal's own bills) on the wire (plain aiohttp):
``portal.add_mijnklantportaal_invoice`` stores a bill as the API sends it, with its amounts as
JSON numbers and ``issuedAt`` with milliseconds and Z; its refusals of bad lines."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import aiohttp
import pytest
from test_fakeportal_support import FakeClock, auth, call

from mijnklantportaal_async.testing import FakePortal


async def test_a_bill_goes_over_the_wire_with_number_amounts_and_a_z_timestamp() -> None:
    async with FakePortal(clock=FakeClock()) as portal, aiohttp.ClientSession() as session:
        stored = portal.add_mijnklantportaal_invoice(issued_at=date(2025, 4, 12))
        url = f"{portal.url}/invoices/{stored['id']}"
        async with session.get(url, headers=auth(portal)) as response:
            text = await response.text()
            assert response.status == 200

    # the docs' example, byte for byte in what matters: numbers, not strings
    assert '"subtotalAmount": 12.95, "vatAmount": 2.72, "totalAmount": 15.67' in text
    assert (
        '"amountExclVat": 12.95, "vatRate": 21, "vatAmount": 2.72, "amountInclVat": 15.67' in text
    )
    assert '"issuedAt": "2025-04-12T00:00:00.000Z"' in text
    assert stored["id"].startswith("fac_")
    assert stored["lines"][0]["id"].startswith("fcl_")
    assert stored["invoiceNumber"] == "MKP-2025.0001"
    assert stored["isPaid"] is False
    assert portal.objects("mijnklantportaal_invoices")[stored["id"]] == stored


async def test_the_list_is_paginated_and_an_unknown_id_is_404() -> None:
    async with FakePortal(clock=FakeClock()) as portal, aiohttp.ClientSession() as session:
        stored = [portal.add_mijnklantportaal_invoice()["id"] for _ in range(3)]
        status, page, _ = await call(session, portal, "GET", "/invoices")
        missing, error, _ = await call(session, portal, "GET", "/invoices/fac_nope")

    assert status == 200
    assert [invoice["id"] for invoice in page["data"]] == stored
    assert page["next_page_url"] is None
    assert (missing, error) == (404, {"message": "No Invoice can be found for the given ID"})


@pytest.mark.parametrize(
    ("issued_at", "wire"),
    [
        (None, "2024-04-28T00:00:00.000Z"),  # the portal's today (FakeClock: 28 April 21:00)
        (date(2025, 1, 31), "2025-01-31T00:00:00.000Z"),
        (datetime(2025, 4, 12, 9, 30, 15, 250999, tzinfo=UTC), "2025-04-12T09:30:15.250Z"),
        (
            datetime(2025, 4, 12, 1, 0, tzinfo=timezone(timedelta(hours=2))),
            "2025-04-11T23:00:00.000Z",
        ),
        (datetime(2025, 4, 12, 12, 0), "2025-04-12T10:00:00.000Z"),  # naive: portal time
    ],
)
async def test_issued_at_is_written_in_utc_with_milliseconds(
    issued_at: date | datetime | None, wire: str
) -> None:
    async with FakePortal(clock=FakeClock()) as portal:
        assert portal.add_mijnklantportaal_invoice(issued_at=issued_at)["issuedAt"] == wire


async def test_each_bill_is_numbered_in_turn_unless_given() -> None:
    async with FakePortal(clock=FakeClock()) as portal:
        numbers = [
            portal.add_mijnklantportaal_invoice()["invoiceNumber"],
            portal.add_mijnklantportaal_invoice(invoice_number="MKP-X")["invoiceNumber"],
            portal.add_mijnklantportaal_invoice(issued_at=date(2025, 1, 1))["invoiceNumber"],
        ]
    assert numbers == ["MKP-2024.0001", "MKP-X", "MKP-2025.0003"]


async def test_line_vat_is_rounded_half_up_per_line_and_totalled() -> None:
    async with FakePortal(clock=FakeClock()) as portal:
        stored = portal.add_mijnklantportaal_invoice(
            [
                {"description": "A", "amountExclVat": "0.50", "vatRate": 9},  # 0.045 -> 0.05
                {"description": "B", "amountExclVat": "0.50", "vatRate": 9},
                {"description": "C", "amountExclVat": "100", "vatRate": 21, "quantity": 4},
            ]
        )
    assert [line["vatAmount"] for line in stored["lines"]] == [0.05, 0.05, 21.0]
    assert [line["quantity"] for line in stored["lines"]] == [1, 1, 4]
    assert (stored["subtotalAmount"], stored["vatAmount"], stored["totalAmount"]) == (
        101.0,
        21.1,
        122.1,
    )
    assert Decimal(str(stored["totalAmount"])) == Decimal("122.10")


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([], "at least one line"),
        ([{"amountExclVat": "1.00"}], r"lines\[0\].description"),
        ([{"description": "A", "amountExclVat": 12.95}], r"lines\[0\].amountExclVat"),
        ([{"description": "A", "amountExclVat": "12,95"}], "not a decimal amount"),
        ([{"description": "A", "amountExclVat": "1.955"}], "at most 2 decimals"),
        ([{"description": "A", "amountExclVat": "1", "vatRate": 7}], r"lines\[0\].vatRate"),
        (
            [
                {"description": "A", "amountExclVat": "1"},
                {"description": "B", "amountExclVat": "1", "quantity": 0},
            ],
            r"lines\[1\].quantity",
        ),
    ],
)
async def test_bad_lines_are_refused_naming_them_and_nothing_is_stored(
    lines: list[dict[str, Any]], message: str
) -> None:
    async with FakePortal(clock=FakeClock()) as portal:
        with pytest.raises(ValueError, match=message):
            portal.add_mijnklantportaal_invoice(lines)
        assert len(portal.objects("mijnklantportaal_invoices")) == 0
