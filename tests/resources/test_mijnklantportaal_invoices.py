"""``mkp.invoices``: the portal owner's own bills FROM MijnKlantportaal (``fac_...``), read
through the public client: from the FakePortal (which the test fills, as the API cannot create
them), and from raw answers, for the amounts the API sends as JSON numbers."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from aioresponses import aioresponses
from hypothesis import given
from hypothesis import strategies as st
from model_strategies import PROPERTY

from mijnklantportaal_async import (
    MijnKlantportaal,
    MijnKlantportaalInvoice,
    MijnKlantportaalInvoiceLine,
    NotFoundError,
    RequestValidationError,
)
from mijnklantportaal_async._core.wire import from_wire
from mijnklantportaal_async.testing import FakePortal

pytestmark = pytest.mark.fake_portal(rate_limit=None)

BASE_URL = "https://api.mijnklantportaal.nl/v1"


async def test_a_bill_in_the_portal_is_listed_and_read_with_exact_amounts(
    fake_portal: FakePortal, mkp: MijnKlantportaal
) -> None:
    stored = fake_portal.add_mijnklantportaal_invoice(
        [
            {"description": "Pro subscription", "amountExclVat": "12.95"},
            {"description": "Extra users", "amountExclVat": Decimal("10.50"), "vatRate": 9},
            {"description": "SMS bundle", "amountExclVat": 3, "vatRate": 0, "quantity": 100},
        ],
        invoice_number="MKP-2025.0010",
        issued_at=datetime(2025, 4, 12, tzinfo=UTC),
        is_paid=True,
    )

    [listed] = [invoice async for invoice in mkp.invoices.list()]
    got = await mkp.invoices.get(stored["id"])

    assert listed == got
    assert isinstance(got, MijnKlantportaalInvoice)
    assert got.id.startswith("fac_")
    assert got.invoice_number == "MKP-2025.0010"
    assert got.currency == "EUR"
    assert got.subtotal_amount == Decimal("26.45")
    assert got.vat_amount == Decimal("3.67")  # 2.72 + 0.95 (0.945 rounded half up) + 0.00
    assert got.total_amount == Decimal("30.12")
    assert got.issued_at == datetime(2025, 4, 12, tzinfo=UTC)
    assert got.issued_at.utcoffset() is not None
    assert got.is_paid is True
    first, second, third = got.lines
    assert isinstance(first, MijnKlantportaalInvoiceLine)
    assert first.id.startswith("fcl_")
    assert (first.description, first.quantity, first.currency) == ("Pro subscription", 1, "EUR")
    assert (first.amount_excl_vat, first.vat_rate) == (Decimal("12.95"), 21)
    assert (first.vat_amount, first.amount_incl_vat) == (Decimal("2.72"), Decimal("15.67"))
    assert (second.vat_amount, second.amount_incl_vat) == (Decimal("0.95"), Decimal("11.45"))
    assert (third.quantity, third.vat_rate, third.amount_incl_vat) == (100, 0, Decimal("3"))


async def test_bills_are_listed_in_order_over_pages(
    fake_portal: FakePortal, mkp: MijnKlantportaal
) -> None:
    stored = [fake_portal.add_mijnklantportaal_invoice()["id"] for _ in range(16)]

    listed = [invoice.id async for invoice in mkp.invoices.list()]

    assert listed == stored
    assert [r.query for r in fake_portal.requests] == [{}, {"page": "2"}]


async def test_an_unknown_bill_is_not_found_and_a_customer_invoice_is_not_one(
    fake_portal: FakePortal, mkp: MijnKlantportaal
) -> None:
    with pytest.raises(NotFoundError) as info:
        await mkp.invoices.get("fac_unknown0000000")
    assert info.value.body == {"message": "No Invoice can be found for the given ID"}
    with pytest.raises(NotFoundError):
        await mkp.invoices.get("inv_abc12345def678")
    assert [invoice async for invoice in mkp.invoices.list()] == []


async def test_an_empty_id_is_refused_before_sending(
    fake_portal: FakePortal, mkp: MijnKlantportaal
) -> None:
    with pytest.raises(RequestValidationError) as info:
        await mkp.invoices.get("")
    assert info.value.field == "invoice_id"
    assert fake_portal.requests == ()


# -- amounts as JSON numbers, issuedAt with milliseconds and Z ---------------------------------


def invoice_json(**amounts: str) -> str:
    """An Invoices API answer as text, with the amounts written as given (JSON numbers)."""
    fields = "".join(f', "{name}": {text}' for name, text in amounts.items())
    return '{"id": "fac_abc12345def678", "issuedAt": "2025-04-12T00:00:00.000Z"' + fields + "}"


async def test_the_client_reads_json_number_amounts_exactly(mocked: aioresponses) -> None:
    text = invoice_json(subtotalAmount="0.1", vatAmount="1234567.89", totalAmount="1234567.99")
    url = f"{BASE_URL}/invoices/fac_abc12345def678"
    mocked.get(url, body=text, content_type="application/json")

    async with MijnKlantportaal(api_key="mkp_test_key", base_url=BASE_URL) as mkp:
        got = await mkp.invoices.get("fac_abc12345def678")

    assert got.subtotal_amount == Decimal("0.1")
    assert got.vat_amount == Decimal("1234567.89")
    assert got.total_amount == Decimal("1234567.99")
    assert str(got.total_amount) == "1234567.99"  # no binary float residue (1234567.98999...)
    assert got.issued_at == datetime(2025, 4, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("12.95", "12.95"),
        ("15.67", "15.67"),
        ("0.07", "0.07"),
        ("100", "100"),  # an integer number
        ("100.0", "100.0"),
        ("-12.95", "-12.95"),  # a credit
        ("9999999999999.99", "9999999999999.99"),  # 15 significant digits: still exact
        ('"12.95"', "12.95"),  # a string, as the docs type it
    ],
)
def test_each_way_the_api_may_write_an_amount_reads_as_its_decimal(written: str, read: str) -> None:
    invoice = from_wire(MijnKlantportaalInvoice, json.loads(invoice_json(totalAmount=written)))
    assert invoice.total_amount == Decimal(read)
    assert str(invoice.total_amount) == read


@PROPERTY
@given(cents=st.integers(min_value=-(10**15) + 1, max_value=10**15 - 1))
def test_every_amount_in_cents_below_10_to_the_13_reads_exactly(cents: int) -> None:
    text = f"{'-' if cents < 0 else ''}{abs(cents) // 100}.{abs(cents) % 100:02d}"
    invoice = from_wire(MijnKlantportaalInvoice, json.loads(invoice_json(vatAmount=text)))
    assert invoice.vat_amount == Decimal(text)


def test_issued_at_with_milliseconds_and_z_is_an_aware_utc_datetime() -> None:
    body = json.loads(invoice_json())
    body["issuedAt"] = "2025-04-11T22:30:15.250Z"
    invoice = from_wire(MijnKlantportaalInvoice, body)
    assert invoice.issued_at == datetime(2025, 4, 11, 22, 30, 15, 250000, tzinfo=UTC)
    assert invoice.issued_at is not None
    assert invoice.issued_at.utcoffset() is not None
