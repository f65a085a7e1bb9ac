"""The five seed operations, end to end, checked byte for byte on a loopback server."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

from recording_server import API_KEY, recording_server
from seed_examples import AGREEMENT, CUSTOMER, CUSTOMER_INVOICE, CUSTOMER_OFFER

from mijnklantportaal_async import (
    AgreementCreate,
    AgreementSignerCreate,
    CustomerCreate,
    CustomerInvoiceCreate,
    CustomerOfferCreate,
    ManualCustomerOfferCreate,
    MijnKlantportaal,
    OfferLine,
    Upload,
    signature_data_uri,
)

PDF = b"%PDF-1.4\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)
CEST = timezone(timedelta(hours=2))


def client(url: str) -> MijnKlantportaal:
    return MijnKlantportaal(api_key=API_KEY, base_url=url)


async def test_create_customer_sends_the_seed_json_body() -> None:
    async with (
        recording_server({("POST", "/v1/customers"): (201, CUSTOMER)}) as server,
        client(server.url) as mkp,
    ):
        customer = await mkp.customers.create(
            CustomerCreate(
                company_name="Test Company BV",
                address="Teststreet 123",
                zip_code="1234AB",
                city="Amsterdam",
                primary_email="john.doe@test.com",
                country_code="NL",
            )
        )
    (request,) = server.requests
    assert request.headers["Authorization"] == f"Bearer {API_KEY}"
    assert request.headers["Content-Type"].startswith("application/json")
    assert request.headers["Idempotency-Key"]
    assert request.json == {
        "companyName": "Test Company BV",
        "address": "Teststreet 123",
        "zipCode": "1234AB",
        "city": "Amsterdam",
        "primaryEmail": "john.doe@test.com",
        "countryCode": "NL",
    }
    assert customer.id == "cst_abc12345def678"
    assert customer.customer_groups == ("cug_123abc567",)
    assert customer.created_at == datetime(2024, 4, 28, 21, 0, tzinfo=CEST)


async def test_create_customer_omits_unset_optional_fields() -> None:
    async with (
        recording_server({("POST", "/v1/customers"): (201, CUSTOMER)}) as server,
        client(server.url) as mkp,
    ):
        await mkp.customers.create(
            CustomerCreate(
                company_name="Test Company BV",
                address="Teststreet 123",
                zip_code="1234AB",
                city="Amsterdam",
                primary_email="john.doe@test.com",
            )
        )
    assert "countryCode" not in server.requests[0].json
    assert None not in server.requests[0].json.values()


async def test_create_customer_invoice_streams_the_pdf_from_a_path(tmp_path: Path) -> None:
    pdf_path = tmp_path / "2024-001.pdf"
    pdf_path.write_bytes(PDF)
    async with (
        recording_server({("POST", "/v1/customer-invoices"): (201, CUSTOMER_INVOICE)}) as server,
        client(server.url) as mkp,
    ):
        invoice = await mkp.customer_invoices.create(
            CustomerInvoiceCreate(
                customer_id="cst_abc12345def678",
                invoice_number="2024-001",
                issued_at=date(2024, 4, 29),
                due_at=date(2024, 5, 28),
                paid_at=datetime(2024, 5, 11, 12, 59),
                amount=Decimal("12.95"),
                send_notification=True,
                pdf=pdf_path,
            )
        )
    (request,) = server.requests
    assert request.headers["Content-Type"].startswith("multipart/form-data; boundary=")
    assert "Transfer-Encoding" not in request.headers
    assert int(request.headers["Content-Length"]) > len(PDF)
    assert request.form() == {
        "customerId": "cst_abc12345def678",
        "invoiceNumber": "2024-001",
        "issuedAt": "2024-04-29",
        "dueAt": "2024-05-28",
        "paidAt": "2024-05-11 12:59:00",
        "amount": "12.95",
        "sendNotification": "1",
    }
    pdf = request.files()["pdf"]
    assert (pdf.filename, pdf.content_type, pdf.data) == ("2024-001.pdf", "application/pdf", PDF)
    assert invoice.amount == Decimal("12.95")
    assert invoice.issued_at == date(2024, 4, 29)
    assert invoice.paid_at == datetime(2024, 5, 28, 21, 0, tzinfo=CEST)


async def test_aware_paid_at_is_sent_in_portal_local_time() -> None:
    async with (
        recording_server({("POST", "/v1/customer-invoices"): (201, CUSTOMER_INVOICE)}) as server,
        client(server.url) as mkp,
    ):
        await mkp.customer_invoices.create(
            CustomerInvoiceCreate(
                customer_id="cst_abc12345def678",
                invoice_number="2024-001",
                issued_at=date(2024, 4, 29),
                paid_at=datetime(2024, 5, 11, 10, 59, tzinfo=UTC),
                amount="12.95",
                send_notification=False,
                pdf=PDF,
            )
        )
    form = server.requests[0].form()
    assert form["paidAt"] == "2024-05-11 12:59:00"
    assert form["sendNotification"] == "0"


async def test_pdf_from_an_async_source_is_sent_chunked() -> None:
    async def source() -> AsyncIterator[bytes]:
        for start in range(0, len(PDF), 1000):
            yield PDF[start : start + 1000]

    async with (
        recording_server({("POST", "/v1/customer-invoices"): (201, CUSTOMER_INVOICE)}) as server,
        client(server.url) as mkp,
    ):
        await mkp.customer_invoices.create(
            CustomerInvoiceCreate(
                customer_id="cst_abc12345def678",
                invoice_number="2024-001",
                issued_at=date(2024, 4, 29),
                amount=Decimal("12.95"),
                pdf=Upload(source(), filename="stream.pdf"),
            )
        )
    (request,) = server.requests
    assert request.headers.get("Transfer-Encoding") == "chunked"
    assert "Content-Length" not in request.headers
    assert request.files()["pdf"].data == PDF


async def test_create_customer_offer_sends_every_seed_field() -> None:
    async with (
        recording_server({("POST", "/v1/customer-offers"): (201, CUSTOMER_OFFER)}) as server,
        client(server.url) as mkp,
    ):
        offer = await mkp.customer_offers.create(
            CustomerOfferCreate(
                customer_id="cst_abc12345def678",
                offer_number="2024-001",
                issued_at=date(2024, 4, 29),
                expires_at=date(2024, 5, 29),
                amount=Decimal("12.95"),
                send_notification=True,
                accepted_at=datetime(2024, 5, 11, 12, 59),
                accepted_via_ip="123.45.67.89",
                accepted_via_user_agent="Mozilla/5.0 (X11; Linux x86_64)",
                pdf=Upload(PDF, filename="offerte 2024-001.pdf"),
            )
        )
    (request,) = server.requests
    assert request.form() == {
        "customerId": "cst_abc12345def678",
        "offerNumber": "2024-001",
        "issuedAt": "2024-04-29",
        "expiresAt": "2024-05-29",
        "amount": "12.95",
        "sendNotification": "1",
        "acceptedAt": "2024-05-11 12:59:00",
        "acceptedViaIp": "123.45.67.89",
        "acceptedViaUserAgent": "Mozilla/5.0 (X11; Linux x86_64)",
    }
    pdf = request.files()["pdf"]
    assert (pdf.filename, pdf.content_type, pdf.data) == (
        "offerte 2024-001.pdf",
        "application/pdf",
        PDF,
    )
    assert offer.expires_at == date(2024, 5, 29)
    assert offer.accepted_at == datetime(2024, 5, 14, 21, 0, tzinfo=CEST)


async def test_create_manual_customer_offer_sends_lines_as_json() -> None:
    async with (
        recording_server({("POST", "/v1/customer-offers/manual"): (201, CUSTOMER_OFFER)}) as server,
        client(server.url) as mkp,
    ):
        offer = await mkp.customer_offers.create_manual(
            ManualCustomerOfferCreate(
                customer_id="cst_abc12345def678",
                offer_number="2014-001",
                issued_at=date(2025, 4, 14),
                expires_at=date(2025, 4, 30),
                send_notification=False,
                lines=[
                    OfferLine(description="Website template", amount_excl_vat="12.95", vat_rate=21),
                    OfferLine(description="Advies", amount_excl_vat=Decimal("100"), vat_rate=0),
                ],
            )
        )
    assert server.requests[0].json == {
        "customerId": "cst_abc12345def678",
        "offerNumber": "2014-001",
        "issuedAt": "2025-04-14",
        "expiresAt": "2025-04-30",
        "sendNotification": False,
        "lines": [
            {"description": "Website template", "amountExclVat": "12.95", "vatRate": 21},
            {"description": "Advies", "amountExclVat": "100.00", "vatRate": 0},
        ],
    }
    assert offer.id == "off_abc12345def678"


async def test_create_agreement_uses_php_bracket_names(tmp_path: Path) -> None:
    contract = tmp_path / "Contract version_2.pdf"
    contract.write_bytes(PDF)
    terms = b"%PDF-1.7\nterms\n%%EOF\n"
    async with (
        recording_server({("POST", "/v1/agreements"): (201, AGREEMENT)}) as server,
        client(server.url) as mkp,
    ):
        agreement = await mkp.agreements.create(
            AgreementCreate(
                name="Service contract",
                signer_name="John Doe",
                signer_signature_data=signature_data_uri(PNG),
                signers=[
                    AgreementSignerCreate(
                        first_name="Dirk Jan",
                        last_name="Bakker",
                        email="dj.bakker@domain.com",
                        should_identify=True,
                    ),
                    AgreementSignerCreate(
                        first_name="Anna",
                        last_name="de Vries",
                        email="anna@domain.com",
                        should_identify=False,
                    ),
                ],
                documents=[contract, Upload(terms, filename="Terms.pdf")],
            )
        )
    (request,) = server.requests
    assert "Transfer-Encoding" not in request.headers
    assert request.form() == {
        "name": "Service contract",
        "signerName": "John Doe",
        "signerSignatureData": "data:image/png;base64," + base64.b64encode(PNG).decode(),
        "signers[0][firstName]": "Dirk Jan",
        "signers[0][lastName]": "Bakker",
        "signers[0][email]": "dj.bakker@domain.com",
        "signers[0][shouldIdentify]": "1",
        "signers[1][firstName]": "Anna",
        "signers[1][lastName]": "de Vries",
        "signers[1][email]": "anna@domain.com",
        "signers[1][shouldIdentify]": "0",
    }
    files = request.files()
    assert sorted(files) == ["documents[0]", "documents[1]"]
    assert (files["documents[0]"].filename, files["documents[0]"].data) == (
        "Contract version_2.pdf",
        PDF,
    )
    assert (files["documents[1]"].filename, files["documents[1]"].data) == ("Terms.pdf", terms)
    assert agreement.signers[0].id == "ags_abc12346def678"
    assert agreement.documents[0].file_size == 512


async def test_get_and_list_parse_the_paginated_envelope() -> None:
    second = dict(CUSTOMER, id="cst_second0000000", primaryEmail="second@test.com")
    async with recording_server({}) as server:
        base = server.url + "/customers"
        envelope = {
            "first_page_url": f"{base}?page=1",
            "path": base,
            "per_page": 1,
        }
        server.responses[("GET", "/v1/customers")] = (
            200,
            dict(
                envelope,
                current_page=1,
                data=[CUSTOMER],
                next_page_url=f"{base}?page=2,",
                prev_page_url=None,
                to=1,
                **{"from": 1},
            ),
        )
        server.responses[("GET", "/v1/customers?page=2")] = (
            200,
            dict(
                envelope,
                current_page=2,
                data=[second],
                next_page_url=None,
                prev_page_url=f"{base}?page=1",
                to=2,
                **{"from": 2},
            ),
        )
        server.responses[("GET", "/v1/customers/cst_abc12345def678")] = (200, CUSTOMER)
        async with client(server.url) as mkp:
            customer = await mkp.customers.get("cst_abc12345def678")
            listed = [c.id async for c in mkp.customers.list()]
    assert customer.primary_email == "john.doe@test.com"
    assert listed == ["cst_abc12345def678", "cst_second0000000"]
    assert [r.path for r in server.requests[1:]] == ["/v1/customers", "/v1/customers"]
    assert all("Idempotency-Key" not in r.headers for r in server.requests)
