"""What the per-operation examples (tests/operation_examples.py) cannot show on the wire: a PDF
streamed from a path or an async source, a date-time sent in the portal's local time, optional
fields left out, and a list that follows ``next_page_url`` through the client. Each checked on a
loopback server that parses the request as a real one would."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from model_examples import customer, invoice
from recording_server import API_KEY, recording_server
from seed_examples import CUSTOMER, CUSTOMER_INVOICE

from mijnklantportaal_async import (
    CustomerCreate,
    CustomerInvoiceCreate,
    MijnKlantportaal,
    Upload,
)

PDF = b"%PDF-1.4\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"


def client(url: str) -> MijnKlantportaal:
    return MijnKlantportaal(api_key=API_KEY, base_url=url, rate_limit=None)


async def test_unset_optional_fields_are_left_out_not_sent_as_null() -> None:
    async with (
        recording_server({("POST", "/v1/customers"): (201, CUSTOMER)}) as server,
        client(server.url) as mkp,
    ):
        await mkp.customers.create(CustomerCreate(**customer()))
    assert "countryCode" not in server.requests[0].json
    assert None not in server.requests[0].json.values()


async def test_a_pdf_from_a_path_is_streamed_with_a_content_length(tmp_path: Path) -> None:
    pdf_path = tmp_path / "2024-001.pdf"
    pdf_path.write_bytes(PDF)
    async with (
        recording_server({("POST", "/v1/customer-invoices"): (201, CUSTOMER_INVOICE)}) as server,
        client(server.url) as mkp,
    ):
        await mkp.customer_invoices.create(CustomerInvoiceCreate(**invoice(pdf=pdf_path)))
    (request,) = server.requests
    assert "Transfer-Encoding" not in request.headers
    assert int(request.headers["Content-Length"]) > len(PDF)
    pdf = request.files()["pdf"]
    assert (pdf.filename, pdf.content_type, pdf.data) == ("2024-001.pdf", "application/pdf", PDF)


async def test_an_aware_paid_at_is_sent_in_portal_local_time() -> None:
    async with (
        recording_server({("POST", "/v1/customer-invoices"): (201, CUSTOMER_INVOICE)}) as server,
        client(server.url) as mkp,
    ):
        await mkp.customer_invoices.create(
            CustomerInvoiceCreate(
                **invoice(
                    issued_at=date(2024, 4, 29),
                    paid_at=datetime(2024, 5, 11, 10, 59, tzinfo=UTC),
                    amount="12.95",
                    send_notification=False,
                )
            )
        )
    form = server.requests[0].form()
    assert form["paidAt"] == "2024-05-11 12:59:00"
    assert form["sendNotification"] == "0"


async def test_a_pdf_from_an_async_source_is_sent_chunked() -> None:
    async def source() -> AsyncIterator[bytes]:
        for start in range(0, len(PDF), 1000):
            yield PDF[start : start + 1000]

    async with (
        recording_server({("POST", "/v1/customer-invoices"): (201, CUSTOMER_INVOICE)}) as server,
        client(server.url) as mkp,
    ):
        await mkp.customer_invoices.create(
            CustomerInvoiceCreate(
                **invoice(amount=Decimal("12.95"), pdf=Upload(source(), filename="stream.pdf"))
            )
        )
    (request,) = server.requests
    assert request.headers.get("Transfer-Encoding") == "chunked"
    assert "Content-Length" not in request.headers
    assert request.files()["pdf"].data == PDF


async def test_a_list_follows_next_page_url_also_with_the_docs_stray_comma() -> None:
    second = dict(CUSTOMER, id="cst_second0000000", primaryEmail="second@test.com")
    async with recording_server({}) as server:
        base = server.url + "/customers"
        envelope = {"first_page_url": f"{base}?page=1", "path": base, "per_page": 1}
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
        async with client(server.url) as mkp:
            listed = [c.id async for c in mkp.customers.list()]
    assert listed == ["cst_abc12345def678", "cst_second0000000"]
    assert [(r.path, r.query) for r in server.requests] == [
        ("/v1/customers", {}),
        ("/v1/customers", {"page": "2"}),
    ]
    assert all("Idempotency-Key" not in r.headers for r in server.requests)
