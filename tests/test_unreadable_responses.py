"""A 2xx answer whose body is not the expected object: a read raises
APIResponseValidationError (status, body, headers), a write AmbiguousWriteError with its natural
key (the object was probably created), which the bulk engine resolves by adopting it."""

from __future__ import annotations

import pickle
from collections.abc import AsyncIterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from loopback import serving
from seed_examples import CUSTOMER_INVOICE

from mijnklantportaal_async import (
    AmbiguousWriteError,
    APIResponseValidationError,
    CustomerInvoiceCreate,
    ItemStatus,
    MijnKlantportaal,
    MijnKlantportaalError,
)

KEY = "live-key-5e0b7a91c4d2"
HTML = "<!DOCTYPE html><html><body>" + "Gateway says hello. " * 400 + KEY + "</body></html>"


class Portal:
    """Stores posted invoices; answers creates and gets with ``answer`` (a body that is not
    an invoice) and lists with the stored invoices, as the API does."""

    def __init__(self, answer: web.Response | None = None) -> None:
        self.answer = answer
        self.stored: list[dict[str, Any]] = []
        app = web.Application()
        app.router.add_post("/v1/customer-invoices", self._create)
        app.router.add_get("/v1/customer-invoices", self._list)
        app.router.add_get("/v1/customer-invoices/{id}", self._get)
        self.server = TestServer(app, host="127.0.0.1")

    def reply(self, status: int) -> web.Response:
        assert self.answer is not None
        content_type = self.answer.headers.get("Content-Type", self.answer.content_type)
        return web.Response(
            status=status,
            body=self.answer.body,
            headers={"X-Request-Id": "req-1", "Content-Type": content_type},
        )

    async def _create(self, request: web.Request) -> web.Response:
        form = await request.post()
        number = str(form["invoiceNumber"])
        self.stored.append(
            CUSTOMER_INVOICE | {"id": f"inv_{len(self.stored) + 1}", "invoiceNumber": number}
        )
        return self.reply(201)

    async def _list(self, request: web.Request) -> web.Response:
        page = {"current_page": 1, "data": self.stored, "next_page_url": None, "per_page": 15}
        return web.json_response(page)

    async def _get(self, request: web.Request) -> web.Response:
        return self.reply(200)


@pytest.fixture
async def portal_of() -> AsyncIterator[Any]:
    async with serving(Portal) as start:
        yield start


def client(portal: Portal) -> MijnKlantportaal:
    return MijnKlantportaal(
        api_key=KEY, base_url=str(portal.server.make_url("/v1")), rate_limit=None
    )


def invoice(number: str = "2024-001") -> CustomerInvoiceCreate:
    return CustomerInvoiceCreate(
        customer_id="cst_abc12345def678",
        invoice_number=number,
        issued_at=date(2024, 4, 29),
        amount=Decimal("12.95"),
        pdf=b"%PDF-1.4 tiny",
    )


HTML_PAGE = web.Response(text=HTML, content_type="text/html")
NO_ID = web.json_response({"invoiceNumber": "2024-001", "amount": "12.95"})


async def test_a_read_answered_with_html_raises_api_response_validation_error(
    portal_of: Any,
) -> None:
    portal = await portal_of(HTML_PAGE)
    async with client(portal) as mkp:
        with pytest.raises(APIResponseValidationError) as info:
            await mkp.customer_invoices.get("inv_1")
    error = info.value
    assert isinstance(error, MijnKlantportaalError)
    assert (error.status, error.method, error.path) == (200, "GET", "/customer-invoices/inv_1")
    assert error.headers["x-request-id"] == "req-1"
    assert isinstance(error.body, str)
    assert error.body.startswith("<!DOCTYPE html>")
    assert len(error.body) <= 2003  # cut: a multi-megabyte page is not kept whole
    assert "CustomerInvoice" in str(error)
    assert KEY not in repr(error.body) + str(error) + repr(dict(error.headers))
    copy = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own object
    assert (type(copy), copy.status, copy.body) == (APIResponseValidationError, 200, error.body)


async def test_a_list_item_that_is_not_an_invoice_raises_api_response_validation_error(
    portal_of: Any,
) -> None:
    portal = await portal_of()
    portal.stored.append({"invoiceNumber": "2024-001"})  # no id
    async with client(portal) as mkp:
        with pytest.raises(APIResponseValidationError, match="a list item is not a") as info:
            [invoice async for invoice in mkp.customer_invoices.list()]
    assert info.value.status == 200
    assert info.value.path == "/customer-invoices"


@pytest.mark.parametrize("answer", [HTML_PAGE, NO_ID], ids=["html", "json-without-id"])
async def test_a_create_answered_201_with_an_unreadable_body_is_ambiguous(
    portal_of: Any, answer: web.Response
) -> None:
    portal = await portal_of(answer)
    async with client(portal) as mkp:
        with pytest.raises(AmbiguousWriteError) as info:
            await mkp.customer_invoices.create(invoice())
    error = info.value
    assert error.natural_key == {"invoice_number": "2024-001"}
    assert "could not be read" in str(error)
    assert isinstance(error.cause, APIResponseValidationError)
    assert error.cause.status == 201
    assert error.__cause__ is error.cause
    assert len(portal.stored) == 1  # sent once, never blindly again


async def test_bulk_adopts_an_invoice_whose_create_answer_could_not_be_read(
    portal_of: Any,
) -> None:
    portal = await portal_of(HTML_PAGE)
    async with client(portal) as mkp:
        report = await mkp.customer_invoices.create_many([invoice("A-1"), invoice("A-2")])
    assert [r.status for r in report.results] == [ItemStatus.ADOPTED, ItemStatus.ADOPTED]
    assert [r.object.invoice_number for r in report.results if r.object] == ["A-1", "A-2"]
    assert len(portal.stored) == 2  # each created exactly once


def raw(body: bytes, content_type: str = "application/json") -> web.Response:
    return web.Response(body=body, headers={"Content-Type": content_type})


GOOD = b'{"id": "inv_1", "invoiceNumber": "2024-001", "amount": "12.95"}'
# Answers a server (or a proxy, or a bug) may give that are not the object asked for.
HOSTILE = {
    "latin-1 bytes said to be utf-8": raw(
        '{"id": "inv_1", "x": "\xe9\xff"}'.encode("latin-1"),
        "application/json; charset=utf-8",
    ),
    "utf-16 said, utf-8 invalid": raw(b"\xff\xfe\x00\xd8", "application/json; charset=utf-16"),
    "a charset that is no text codec": raw(b"\xff\xfe", "text/plain; charset=rot13"),
    "json nested 100,000 deep": raw(b"[" * 100_000 + b"]" * 100_000),
    "json nested 100 deep in a field": raw(
        b'{"id": "inv_1", "links": ' + b"[" * 100 + b"]" * 100 + b"}"
    ),
    "invalid json": raw(b'{"id": "inv_1", '),
    "null id": raw(b'{"id": null, "invoiceNumber": "2024-001"}'),
    "numeric id": raw(b'{"id": 17, "invoiceNumber": "2024-001"}'),
    "empty id": raw(b'{"id": "", "invoiceNumber": "2024-001"}'),
    "an offer's id": raw(b'{"id": "off_1", "invoiceNumber": "2024-001"}'),
    "NaN amount": raw(b'{"id": "inv_1", "amount": NaN}'),
    "Infinity amount": raw(b'{"id": "inv_1", "amount": Infinity}'),
    "amount too large for a float": raw(b'{"id": "inv_1", "amount": 1e400}'),
    "NaN amount as a string": raw(b'{"id": "inv_1", "amount": "NaN"}'),
    "-Infinity amount as a string": raw(b'{"id": "inv_1", "amount": "-Infinity"}'),
    "created at year 1, +14:00": raw(b'{"id": "inv_1", "createdAt": "0001-01-01T00:00:00+14:00"}'),
}


@pytest.mark.parametrize("answer", list(HOSTILE.values()), ids=list(HOSTILE))
async def test_a_read_of_a_hostile_answer_raises_api_response_validation_error(
    portal_of: Any, answer: web.Response
) -> None:
    portal = await portal_of(answer)
    async with client(portal) as mkp:
        with pytest.raises(APIResponseValidationError) as info:
            await mkp.customer_invoices.get("inv_1")
    assert info.value.status == 200
    assert len(repr(info.value.body)) < 10_000  # never a megabyte of brackets in an error


@pytest.mark.parametrize("answer", list(HOSTILE.values()), ids=list(HOSTILE))
async def test_a_create_answered_with_a_hostile_body_is_ambiguous_and_adopted_in_bulk(
    portal_of: Any, answer: web.Response
) -> None:
    portal = await portal_of(answer)
    async with client(portal) as mkp:
        with pytest.raises(AmbiguousWriteError) as info:
            await mkp.customer_invoices.create(invoice("B-0"))
        assert isinstance(info.value.cause, APIResponseValidationError)
        report = await mkp.customer_invoices.create_many([invoice("B-1"), invoice("B-2")])
    assert [r.status for r in report.results] == [ItemStatus.ADOPTED, ItemStatus.ADOPTED]
    numbers = [inv["invoiceNumber"] for inv in portal.stored]
    # each stored once: never reported lost, resent (B-1 and B-2 go at once, in either order)
    assert sorted(numbers) == ["B-0", "B-1", "B-2"]


async def test_a_good_answer_in_a_declared_legacy_charset_is_read(portal_of: Any) -> None:
    body = '{"id": "inv_1", "invoiceNumber": "Café"}'.encode("latin-1")
    portal = await portal_of(raw(body, "application/json; charset=iso-8859-1"))
    async with client(portal) as mkp:
        got = await mkp.customer_invoices.get("inv_1")
    assert got.invoice_number == "Café"


async def test_a_utf8_answer_with_an_unknown_charset_is_read_as_utf8(portal_of: Any) -> None:
    portal = await portal_of(raw(GOOD, "application/json; charset=x-made-up"))
    async with client(portal) as mkp:
        got = await mkp.customer_invoices.get("inv_1")
    assert got.amount == Decimal("12.95")
