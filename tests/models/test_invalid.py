"""Generated bad values raise ``RequestValidationError`` naming the field, and nothing else,
through the client's own create calls: no request is ever sent (aioresponses records every
request that is attempted). Most are refused when the request model is built; a file that is
gone, or a one-shot upload already used, when the call is made."""

from __future__ import annotations

import asyncio
import ipaddress
import re
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from aioresponses import aioresponses
from hypothesis import given
from hypothesis import strategies as st
from model_strategies import (
    PROPERTY,
    agreement_kwargs,
    customer_kwargs,
    invoice_kwargs,
    line_kwargs,
    manual_kwargs,
    offer_kwargs,
    signer_kwargs,
)

from mijnklantportaal_async import MijnKlantportaal
from mijnklantportaal_async.errors import RequestValidationError
from mijnklantportaal_async.models import (
    AgreementCreate,
    AgreementSignerCreate,
    CustomerCreate,
    CustomerInvoiceCreate,
    CustomerOfferCreate,
    ManualCustomerOfferCreate,
    OfferLine,
)
from mijnklantportaal_async.models._validators import COUNTRY_CODES
from mijnklantportaal_async.uploads import Upload

KEY = "test-key-never-sent"
Call = Callable[[MijnKlantportaal], Awaitable[Any]]


def outcome(call: Call) -> tuple[BaseException | None, int]:
    """Run ``call`` on a client whose every request attempt aioresponses records: the
    exception it raised (None if none) and how many requests were attempted."""

    async def run() -> tuple[BaseException | None, int]:
        with aioresponses() as mocked:
            async with MijnKlantportaal(api_key=KEY, rate_limit=None) as mkp:
                try:
                    await call(mkp)
                except Exception as exc:
                    error: BaseException | None = exc
                else:
                    error = None
            return error, sum(len(sent) for sent in mocked.requests.values())

    return asyncio.run(run())


def _not_a_decimal(text: str) -> bool:
    return not re.fullmatch(r"[+-]?[0-9]+(\.[0-9]+)?", text.strip(), re.ASCII)


def _not_a_date(text: str) -> bool:
    try:
        date.fromisoformat(text.strip())
    except ValueError:
        return True
    return not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text.strip())


def _not_a_date_time(text: str) -> bool:
    try:
        datetime.strptime(text.strip(), "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return True
    return not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8}", text.strip())


def _not_an_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text.strip())
    except ValueError:
        return True
    return False


wrong_types = st.one_of(st.integers(), st.floats(), st.binary(max_size=4), st.lists(st.none()))
bad_texts = st.one_of(st.sampled_from(["", " ", "\t\n"]), st.integers(), st.booleans(), st.none())
bad_money = st.one_of(
    st.floats(),  # any float, NaN and infinities included
    st.decimals(-(10**6), 10**6, places=3).filter(lambda d: d != d.quantize(Decimal("0.01"))),
    st.text(max_size=8).filter(_not_a_decimal),
    st.sampled_from(["NaN", "-Infinity", "12,95", "1.001", "12_95", "1e3", "\u0661\u0662"]),
    st.booleans(),
    st.none(),
)
bad_dates = st.one_of(
    st.text(max_size=12).filter(_not_a_date),
    st.tuples(st.integers(2000, 2099), st.sampled_from([2, 4, 6, 9, 11]), st.just(31)).map(
        lambda ymd: f"{ymd[0]}-{ymd[1]:02d}-{ymd[2]}"
    ),
    st.datetimes(),
    st.integers(),
    st.none(),
)
bad_flags = st.one_of(st.integers(), st.text(max_size=5), st.none(), st.floats())
bad_rates = st.one_of(
    st.integers().filter(lambda n: n not in (0, 9, 21)), st.text(max_size=3), st.booleans(),
    st.floats(), st.none(),
)  # fmt: skip
bad_pdfs = st.one_of(
    st.binary(max_size=16).filter(lambda b: not b.startswith(b"%PDF-")),
    st.text(min_size=1, max_size=10).map(lambda name: f"/nonexistent-mkp-dir/{name}.pdf"),
    st.integers(),
    st.none(),
)
no_at = st.text(max_size=10).filter(lambda text: "@" not in text)
not_a_country = st.text(max_size=3).filter(lambda text: text.strip() not in COUNTRY_CODES)
not_a_date_time = st.text(max_size=19).filter(_not_a_date_time)
not_an_ip = st.text(max_size=10).filter(_not_an_ip)


def given_(value: object) -> bool:
    return value is not None


INVALID: list[tuple[Callable[..., Any], st.SearchStrategy[dict[str, Any]], str, Any]] = [
    (CustomerCreate, customer_kwargs, "company_name", bad_texts | wrong_types),
    (CustomerCreate, customer_kwargs, "primary_email", no_at | wrong_types),
    (CustomerCreate, customer_kwargs, "country_code", not_a_country | wrong_types),
    (CustomerInvoiceCreate, invoice_kwargs, "amount", bad_money),
    (CustomerInvoiceCreate, invoice_kwargs, "issued_at", bad_dates),
    (CustomerInvoiceCreate, invoice_kwargs, "due_at", bad_dates.filter(given_)),
    (CustomerInvoiceCreate, invoice_kwargs, "send_notification", bad_flags.filter(given_)),
    (CustomerInvoiceCreate, invoice_kwargs, "pdf", bad_pdfs),
    (CustomerInvoiceCreate, invoice_kwargs, "paid_at", not_a_date_time | wrong_types),
    (CustomerOfferCreate, offer_kwargs, "amount", bad_money | st.just("-0.01")),
    (CustomerOfferCreate, offer_kwargs, "expires_at", bad_dates | st.just("1999-12-31")),
    (CustomerOfferCreate, offer_kwargs, "accepted_via_ip", not_an_ip | wrong_types),
    (OfferLine, line_kwargs, "vat_rate", bad_rates),
    (OfferLine, line_kwargs, "amount_excl_vat", bad_money),
    (ManualCustomerOfferCreate, manual_kwargs, "lines", st.lists(st.integers(), max_size=2)),
    (AgreementSignerCreate, signer_kwargs, "should_identify", bad_flags),
    (AgreementCreate, agreement_kwargs, "signer_signature_data", st.text() | wrong_types),
    (AgreementCreate, agreement_kwargs, "signers", st.lists(st.just(None), min_size=6)),
    (AgreementCreate, agreement_kwargs, "documents", st.lists(st.just(b"x"), min_size=6)),
]


def create_call(cls: Callable[..., Any], values: dict[str, Any], data: st.DataObject) -> Call:
    """The client call that sends a ``cls`` built from ``values``; a nested model is put in a
    valid parent. The model is built when the call runs, so its error is the call's."""
    if cls is CustomerCreate:
        return lambda mkp: mkp.customers.create(CustomerCreate(**values))
    if cls is CustomerInvoiceCreate:
        return lambda mkp: mkp.customer_invoices.create(CustomerInvoiceCreate(**values))
    if cls is CustomerOfferCreate:
        return lambda mkp: mkp.customer_offers.create(CustomerOfferCreate(**values))
    if cls is ManualCustomerOfferCreate:
        return lambda mkp: mkp.customer_offers.create_manual(ManualCustomerOfferCreate(**values))
    if cls is OfferLine:
        parent = data.draw(manual_kwargs)
        return lambda mkp: mkp.customer_offers.create_manual(
            ManualCustomerOfferCreate(**parent | {"lines": [OfferLine(**values)]})
        )
    if cls is AgreementSignerCreate:
        parent = data.draw(agreement_kwargs)
        return lambda mkp: mkp.agreements.create(
            AgreementCreate(**parent | {"signers": [AgreementSignerCreate(**values)]})
        )
    assert cls is AgreementCreate
    return lambda mkp: mkp.agreements.create(AgreementCreate(**values))


@PROPERTY
@given(st.data(), st.sampled_from(INVALID))
def test_bad_values_raise_request_validation_error_and_send_nothing(
    data: st.DataObject, case: tuple[Callable[..., Any], Any, str, Any]
) -> None:
    cls, valid, name, bad = case
    values = data.draw(valid) | {name: data.draw(bad)}
    if name == "accepted_via_ip" and data.draw(st.booleans()):
        values["accepted_at"] = datetime(2024, 5, 11, 12, 59)
    error, requests = outcome(create_call(cls, values, data))
    assert isinstance(error, RequestValidationError), repr(error)
    assert error.field.startswith(name)
    assert requests == 0


async def _stream() -> AsyncIterator[bytes]:
    yield b"%PDF-1.4 streamed"


def used_stream() -> Upload:
    upload = Upload(_stream(), filename="stream.pdf")

    async def drain() -> None:
        async for _chunk in upload.chunks():
            pass

    asyncio.run(drain())
    return upload


@PROPERTY
@given(
    st.data(),
    st.sampled_from(["customer_invoices", "customer_offers", "agreements"]),
    st.sampled_from(["deleted", "used stream"]),
)
def test_uploads_unusable_when_the_call_is_made_raise_and_send_nothing(
    data: st.DataObject, area: str, problem: str
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "gone.pdf")
        path.write_bytes(b"%PDF-1.4 soon deleted")
        bad = Upload(path) if problem == "deleted" else used_stream()
        if area == "agreements":
            values = data.draw(agreement_kwargs)
            index = data.draw(st.integers(0, len(values["documents"]) - 1))
            values["documents"][index] = bad
            request: Any = AgreementCreate(**values)
            field, call = f"documents[{index}]", lambda mkp: mkp.agreements.create(request)
        elif area == "customer_invoices":
            request = CustomerInvoiceCreate(**data.draw(invoice_kwargs) | {"pdf": bad})
            field, call = "pdf", lambda mkp: mkp.customer_invoices.create(request)
        else:
            request = CustomerOfferCreate(**data.draw(offer_kwargs) | {"pdf": bad})
            field, call = "pdf", lambda mkp: mkp.customer_offers.create(request)
        path.unlink()  # after the model checked it: gone when the call is made
        error, requests = outcome(call)
    assert isinstance(error, RequestValidationError), repr(error)
    assert error.field == field
    assert requests == 0
