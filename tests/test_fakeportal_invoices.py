"""FakePortal Customer Invoices API on the wire: multipart and manual creates, rules, licence."""

from __future__ import annotations

import hashlib

import aiohttp
import pytest
from test_fakeportal_support import (
    PDF,
    FakeClock,
    call,
    create_customer,
    create_invoice,
    form,
    invoice_fields,
)

from mijnklantportaal_async.testing import FakePortal, Notification


async def test_create_invoice_answers_201_like_the_seed_with_links_to_the_portal() -> None:
    async with FakePortal(clock=FakeClock()) as portal, aiohttp.ClientSession() as session:
        customer = await create_customer(session, portal)
        status, invoice = await create_invoice(
            session, portal, customer["id"], dueAt="2024-05-28", paidAt="2024-05-28 21:00:00"
        )
        assert status == 201
        assert invoice == {
            "id": invoice["id"],
            "customerId": customer["id"],
            "invoiceNumber": "2024-001",
            "issuedAt": "2024-04-29",
            "dueAt": "2024-05-28",
            "currency": "EUR",
            "amount": "12.95",
            "paidAt": "2024-05-28T21:00:00+02:00",
            "createdAt": "2024-04-28T21:00:00+02:00",
            "links": {
                "customer": {
                    "href": f"{portal.url}/customers/{customer['id']}",
                    "type": "application/json",
                },
                "onlinePaymentLink": invoice["links"]["onlinePaymentLink"],
            },
        }
        payment = invoice["links"]["onlinePaymentLink"]
        assert payment["type"] == "text/html"
        assert payment["href"].startswith(f"{portal.url.removesuffix('/v1')}/public-invoice/")
        async with session.get(payment["href"]) as page:
            assert page.status == 200
            assert "2024-001" in await page.text()
        assert portal.customer_invoices[invoice["id"]] == invoice


async def test_the_pdf_is_kept_as_name_size_and_sha256_and_bytes_only_on_request() -> None:
    for keep in (False, True):
        async with FakePortal(keep_files=keep) as portal, aiohttp.ClientSession() as session:
            customer = await create_customer(session, portal)
            _, invoice = await create_invoice(session, portal, customer["id"])
            stored = portal.files[invoice["id"]]
            assert (stored.filename, stored.size) == ("invoice.pdf", len(PDF))
            assert stored.sha256 == hashlib.sha256(PDF).hexdigest()
            assert stored.head == PDF
            assert stored.data == (PDF if keep else None)


async def test_unpaid_invoice_has_null_paid_at_and_due_at_and_empty_strings_count_as_absent() -> (
    None
):
    async with FakePortal() as portal, aiohttp.ClientSession() as session:
        customer = await create_customer(session, portal)
        data = form(
            {**invoice_fields(customer["id"]), "paidAt": "", "dueAt": ""},
            [("pdf", "a.pdf", PDF)],
        )
        status, invoice, _ = await call(session, portal, "POST", "/customer-invoices", data=data)
        assert status == 201
        assert (invoice["paidAt"], invoice["dueAt"]) == (None, None)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("issuedAt", "2024-04-31", "The issued at field must match the format Y-m-d."),
        ("issuedAt", "29-04-2024", "The issued at field must match the format Y-m-d."),
        ("dueAt", "2024-02-30", "The due at field must match the format Y-m-d."),
        ("paidAt", "2024-05-11", "The paid at field must match the format Y-m-d H:i:s."),
        ("paidAt", "2024-04-31 14:00:00", "The paid at field must match the format Y-m-d H:i:s."),
        ("amount", "12.955", "The amount field must have 0-2 decimal places."),
        ("amount", "12,95", "The amount field must be a number."),
        ("amount", "", "The amount field is required."),
        ("invoiceNumber", "", "The invoice number field is required."),
        ("sendNotification", "yes", "The send notification field must be true or false."),
        ("customerId", "cst_unknown0000000", "The selected customer id is invalid."),
    ],
)
async def test_each_documented_rule_gets_a_422_naming_the_wire_field(
    field: str, value: str, message: str
) -> None:
    async with FakePortal() as portal, aiohttp.ClientSession() as session:
        customer = await create_customer(session, portal)
        status, body = await create_invoice(session, portal, customer["id"], **{field: value})
    assert status == 422
    assert body == {"message": message, "errors": {field: [message]}}
    assert portal.customer_invoices == {}
    assert portal.files == {}


@pytest.mark.parametrize("value", ["1", "0", "true", "false"])
async def test_send_notification_accepts_1_0_true_false(value: str) -> None:
    async with FakePortal() as portal, aiohttp.ClientSession() as session:
        customer = await create_customer(session, portal)
        status, invoice = await create_invoice(
            session, portal, customer["id"], sendNotification=value
        )
        assert status == 201
        sent = value in ("1", "true")
        expected = [Notification("invoice", invoice["id"], "john.doe@test.com")] if sent else []
        assert list(portal.notifications) == expected


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([], "The pdf field is required."),
        (
            [("pdf", "invoice.pdf", b"<html>not a pdf</html>")],
            "The pdf field must be a file of type: pdf.",
        ),
        ([("pdf", "empty.pdf", b"")], "The pdf field must be a file of type: pdf."),
    ],
)
async def test_the_pdf_is_required_and_sniffed(
    files: list[tuple[str, str, bytes]], message: str
) -> None:
    async with FakePortal() as portal, aiohttp.ClientSession() as session:
        customer = await create_customer(session, portal)
        data = form(invoice_fields(customer["id"]), files)
        status, body, _ = await call(session, portal, "POST", "/customer-invoices", data=data)
    assert (status, body["errors"]) == (422, {"pdf": [message]})


async def test_a_pdf_sent_as_a_text_field_is_not_a_file() -> None:
    async with FakePortal() as portal, aiohttp.ClientSession() as session:
        customer = await create_customer(session, portal)
        data = form({**invoice_fields(customer["id"]), "pdf": "%PDF-1.4 inline"})
        status, body, _ = await call(session, portal, "POST", "/customer-invoices", data=data)
    assert (status, body["errors"]) == (422, {"pdf": ["The pdf field must be a file."]})


async def test_manual_invoice_totals_lines_including_vat() -> None:
    async with FakePortal() as portal, aiohttp.ClientSession() as session:
        customer = await create_customer(session, portal)
        payload = {
            "customerId": customer["id"],
            "invoiceNumber": "2025-001",
            "issuedAt": "2025-04-14",
            "lines": [
                {"description": "Website template", "amountExclVat": "12.95", "vatRate": 21},
                {"description": "Book", "amountExclVat": "10", "vatRate": 9},
                {"description": "Export", "amountExclVat": "5.00", "vatRate": 0},
            ],
        }
        status, invoice, _ = await call(
            session, portal, "POST", "/customer-invoices/manual", json=payload
        )
    assert status == 201
    # 12.95 + 2.72 (21%, half up) + 10.00 + 0.90 + 5.00
    assert invoice["amount"] == "31.57"
    assert invoice["invoiceNumber"] == "2025-001"
    assert invoice["id"] not in portal.files


@pytest.mark.parametrize(
    ("lines", "errors"),
    [
        ([], {"lines": ["The lines field is required."]}),
        ("not a list", {"lines": ["The lines field must be an array."]}),
        (
            [{"description": "x", "amountExclVat": "1.00", "vatRate": 20}],
            {"lines.0.vatRate": ["The selected lines.0.vat rate is invalid."]},
        ),
        (
            [{"amountExclVat": 1.5, "vatRate": 21}],
            {
                "lines.0.description": ["The lines.0.description field is required."],
                "lines.0.amountExclVat": ["The lines.0.amount excl vat field must be a string."],
            },
        ),
    ],
)
async def test_manual_invoice_lines_are_validated(
    lines: object, errors: dict[str, list[str]]
) -> None:
    async with FakePortal() as portal, aiohttp.ClientSession() as session:
        customer = await create_customer(session, portal)
        payload = {
            "customerId": customer["id"],
            "invoiceNumber": "1",
            "issuedAt": "2025-04-14",
            "lines": lines,
        }
        status, body, _ = await call(
            session, portal, "POST", "/customer-invoices/manual", json=payload
        )
    assert (status, body["errors"]) == (422, errors)


async def test_licence_limit_answers_426_and_stores_nothing_more_until_next_month() -> None:
    clock = FakeClock()  # 2024-04-28
    async with (
        FakePortal(clock=clock, license_limit=2) as portal,
        aiohttp.ClientSession() as session,
    ):
        customer = await create_customer(session, portal)
        assert (await create_invoice(session, portal, customer["id"]))[0] == 201
        assert (await create_invoice(session, portal, customer["id"]))[0] == 201
        status, body = await create_invoice(session, portal, customer["id"])
        assert (status, body) == (
            426,
            {"message": "The amount of invoices this month reached the license's limit."},
        )
        assert len(portal.customer_invoices) == 2
        clock.advance(4 * 24 * 3600)  # 2024-05-02: a new licence month
        assert (await create_invoice(session, portal, customer["id"]))[0] == 201


async def test_get_invoice_and_404_for_unknown_ids() -> None:
    async with FakePortal() as portal, aiohttp.ClientSession() as session:
        customer = await create_customer(session, portal)
        _, invoice = await create_invoice(session, portal, customer["id"])
        status, body, _ = await call(session, portal, "GET", f"/customer-invoices/{invoice['id']}")
        assert (status, body) == (200, invoice)
        status, body, _ = await call(session, portal, "GET", "/customer-invoices/inv_nope")
        assert (status, body) == (
            404,
            {"message": "No Customer Invoice can be found for the given ID"},
        )
