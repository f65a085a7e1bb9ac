"""Shared helpers of the FakePortal tests (no tests here): a fake clock, wire-level requests.

The server tests talk to the portal with a plain ``aiohttp.ClientSession`` so they depend only
on the wire, not on the client library.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable
from typing import Any

import aiohttp

from mijnklantportaal_async.testing import FakePortal

PDF = b"%PDF-1.4\n% FakePortal test document\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)
SIGNATURE = "data:image/png;base64," + base64.b64encode(PNG).decode()

# 2024-04-28T21:00:00+02:00, the seed's customer createdAt.
SEED_TIME = 1714330800.0

ATOM = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$")

CUSTOMER = {
    "companyName": "Test Company BV",
    "address": "Teststreet 123",
    "zipCode": "1234AB",
    "city": "Amsterdam",
    "primaryEmail": "john.doe@test.com",
    "countryCode": "NL",
}


class FakeClock:
    """A clock for ``FakePortal(clock=...)``: unix seconds that only move on ``advance``."""

    def __init__(self, start: float = SEED_TIME) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class FakeSleep:
    """A ``sleep`` for the portal that records the delays and returns at once."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


def auth(portal: FakePortal) -> dict[str, str]:
    """The Authorization header for ``portal``."""
    return {"Authorization": f"Bearer {portal.api_key}"}


def form(
    fields: dict[str, str] | Iterable[tuple[str, str]],
    files: Iterable[tuple[str, str, bytes]] = (),
) -> aiohttp.MultipartWriter:
    """A multipart body: text ``fields`` and ``files`` as (field name, file name, bytes).

    Built part by part (not with ``FormData``, which sends fields alone url-encoded before
    aiohttp 3.11) with the bracket names unquoted, as PHP clients send them."""
    data = aiohttp.MultipartWriter("form-data")
    for name, value in fields.items() if isinstance(fields, dict) else fields:
        data.append(value).set_content_disposition("form-data", quote_fields=False, name=name)
    for name, filename, content in files:
        part = data.append(content, {"Content-Type": "application/pdf"})
        part.set_content_disposition("form-data", quote_fields=False, name=name, filename=filename)
    return data


async def call(
    session: aiohttp.ClientSession,
    portal: FakePortal,
    method: str,
    path: str,
    **kwargs: Any,
) -> tuple[int, Any, dict[str, str]]:
    """Send one authenticated request; return (status, decoded JSON body, headers)."""
    headers = {**auth(portal), **kwargs.pop("headers", {})}
    async with session.request(method, portal.url + path, headers=headers, **kwargs) as response:
        body = await response.json(content_type=None)
        return response.status, body, dict(response.headers)


async def create_customer(
    session: aiohttp.ClientSession, portal: FakePortal, **fields: str
) -> dict[str, Any]:
    """POST /customers with the seed customer (``fields`` override); asserts 201."""
    status, body, _ = await call(session, portal, "POST", "/customers", json={**CUSTOMER, **fields})
    assert status == 201, body
    result: dict[str, Any] = body
    return result


def invoice_fields(customer_id: str, **overrides: str) -> dict[str, str]:
    """Valid create-customer-invoice text fields (overrides win; value "" drops a field)."""
    fields = {
        "customerId": customer_id,
        "invoiceNumber": "2024-001",
        "issuedAt": "2024-04-29",
        "amount": "12.95",
        **overrides,
    }
    return {name: value for name, value in fields.items() if value != ""}


async def create_invoice(
    session: aiohttp.ClientSession, portal: FakePortal, customer_id: str, **overrides: str
) -> tuple[int, Any]:
    """POST /customer-invoices (multipart, with a PDF); returns (status, body)."""
    data = form(invoice_fields(customer_id, **overrides), [("pdf", "invoice.pdf", PDF)])
    status, body, _ = await call(session, portal, "POST", "/customer-invoices", data=data)
    return status, body
