"""Property tests: every valid model survives the wire converter, every bad value is refused.

- Valid request models -> ``to_wire`` -> each wire value, read back, equals the model's value.
- Response models -> ``to_wire`` -> ``from_wire`` gives the same model.
- Generated bad values raise ``RequestValidationError`` naming the field, and nothing else.
"""

from __future__ import annotations

import base64
import ipaddress
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from mijnklantportaal_async._wire import from_wire, to_wire, wire_name
from mijnklantportaal_async.errors import RequestValidationError
from mijnklantportaal_async.models import (
    Agreement,
    AgreementCreate,
    AgreementDocument,
    AgreementSigner,
    AgreementSignerCreate,
    Customer,
    CustomerCreate,
    CustomerInvoice,
    CustomerInvoiceCreate,
    CustomerInvoiceLinks,
    CustomerOffer,
    CustomerOfferCreate,
    CustomerOfferLinks,
    Link,
    ManualCustomerOfferCreate,
    OfferLine,
)
from mijnklantportaal_async.models._validators import COUNTRY_CODES
from mijnklantportaal_async.uploads import Upload

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)
SIGNATURE = "data:image/png;base64," + base64.b64encode(PNG).decode()
PROPERTY = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# -- valid values ---------------------------------------------------------------------------

texts = st.text(min_size=1, max_size=30).filter(lambda s: s.strip() != "")
emails = st.from_regex(r"[a-z0-9._%+-]{1,12}@[a-z0-9-]{1,12}(\.[a-z]{2,6}){1,2}", fullmatch=True)
amounts = st.decimals(
    min_value=-(10**12), max_value=10**12, places=2, allow_nan=False, allow_infinity=False
)
money_inputs = st.one_of(amounts, amounts.map(str), st.integers(-(10**9), 10**9))
non_negative_money = st.one_of(amounts.map(abs), amounts.map(abs).map(str), st.integers(0, 10**9))
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))
day_inputs = st.one_of(days, days.map(date.isoformat))
zones = st.sampled_from([UTC, AMSTERDAM, timezone(timedelta(hours=-5))])
earliest, latest = datetime(2000, 1, 1), datetime(2099, 12, 31)
moments = st.one_of(
    st.datetimes(min_value=earliest, max_value=latest),
    st.datetimes(min_value=earliest, max_value=latest, timezones=zones),
)
moment_inputs = st.one_of(moments, moments.map(lambda d: d.strftime("%Y-%m-%d %H:%M:%S")))
pdfs = st.binary(max_size=64).map(lambda tail: b"%PDF-1.4\n" + tail)
pdf_inputs = st.one_of(pdfs, pdfs.map(lambda data: Upload(data, filename="x.pdf")))
optional_flags = st.none() | st.booleans()


def kwargs(
    required: dict[str, st.SearchStrategy[Any]],
    optional: dict[str, st.SearchStrategy[Any]] | None = None,
) -> st.SearchStrategy[dict[str, Any]]:
    """Keyword arguments for a model: the required ones, and some of the optional ones."""
    return st.fixed_dictionaries(required, optional=optional or {})


customer_kwargs = kwargs(
    {"company_name": texts, "address": texts, "zip_code": texts, "city": texts,
     "primary_email": emails},
    optional={"country_code": st.sampled_from(sorted(COUNTRY_CODES))},
)  # fmt: skip
invoice_kwargs = kwargs(
    {"customer_id": texts, "invoice_number": texts, "issued_at": day_inputs,
     "amount": money_inputs, "pdf": pdf_inputs},
    optional={"paid_at": moment_inputs, "send_notification": optional_flags,
              "due_at": st.just("2100-01-01")},
)  # fmt: skip
offer_kwargs = kwargs(
    {"customer_id": texts, "offer_number": texts, "issued_at": day_inputs,
     "expires_at": st.just(date(2100, 1, 1)), "amount": non_negative_money, "pdf": pdf_inputs},
    optional={"send_notification": optional_flags, "rejected_at": moment_inputs},
)  # fmt: skip
accepted_kwargs = kwargs(
    {"accepted_at": moment_inputs},
    optional={"accepted_via_ip": st.ip_addresses().map(str), "accepted_via_user_agent": texts},
)
line_kwargs = kwargs(
    {"description": texts, "amount_excl_vat": money_inputs, "vat_rate": st.sampled_from([0, 9, 21])}
)
manual_kwargs = kwargs(
    {"customer_id": texts, "offer_number": texts, "issued_at": day_inputs,
     "expires_at": st.just("2100-12-31"),
     "lines": st.lists(line_kwargs.map(lambda kw: OfferLine(**kw)), min_size=1, max_size=4)},
    optional={"send_notification": optional_flags},
)  # fmt: skip
signer_kwargs = kwargs(
    {"first_name": texts, "last_name": texts, "email": emails, "should_identify": st.booleans()}
)
agreement_kwargs = kwargs(
    {"name": texts, "signer_name": texts, "signer_signature_data": st.just(SIGNATURE),
     "signers": st.lists(signer_kwargs.map(lambda kw: AgreementSignerCreate(**kw)),
                         min_size=1, max_size=5),
     "documents": st.lists(st.binary(min_size=1, max_size=64), min_size=1, max_size=5)},
)  # fmt: skip


def offer(kwargs: dict[str, Any], accepted: dict[str, Any] | None) -> CustomerOfferCreate:
    if accepted:  # accepted or rejected, not both
        kwargs = {k: v for k, v in kwargs.items() if k != "rejected_at"} | accepted
    return CustomerOfferCreate(**kwargs)


valid_requests = st.one_of(
    customer_kwargs.map(lambda kw: CustomerCreate(**kw)),
    invoice_kwargs.map(lambda kw: CustomerInvoiceCreate(**kw)),
    st.tuples(offer_kwargs, st.none() | accepted_kwargs).map(lambda pair: offer(*pair)),
    manual_kwargs.map(lambda kw: ManualCustomerOfferCreate(**kw)),
    agreement_kwargs.map(lambda kw: AgreementCreate(**kw)),
)


def repeated_hour(value: datetime) -> bool:
    """True for the second 02:00-03:00 of an October night in Amsterdam: portal local time
    (the request format has no offset) cannot tell it from the first."""
    return value.astimezone(UTC).astimezone(AMSTERDAM).fold == 1


def assert_wire_holds(model: Any, wire: dict[str, Any]) -> None:
    """Read every wire value back and compare it with the model's field."""
    expected_keys = set()
    for field in attrs.fields(type(model)):
        value, key = getattr(model, field.name), wire_name(field.name)
        if value is None:
            continue
        expected_keys.add(key)
        sent = wire[key]
        if isinstance(value, Decimal):
            assert re.fullmatch(r"-?[0-9]+\.[0-9]{2}", sent)
            assert Decimal(sent) == value
        elif isinstance(value, datetime):
            local = datetime.strptime(sent, "%Y-%m-%d %H:%M:%S")
            if value.tzinfo is None:
                assert local == value.replace(microsecond=0)
            else:
                assume(not repeated_hour(value))
                back = local.replace(tzinfo=AMSTERDAM)
                assert back == value.replace(microsecond=0)
        elif isinstance(value, date):
            assert date.fromisoformat(sent) == value
        elif isinstance(value, tuple):
            assert isinstance(sent, list)
            for item, sent_item in zip(value, sent, strict=True):
                if isinstance(item, Upload):
                    assert sent_item is item
                else:
                    assert_wire_holds(item, sent_item)
        elif isinstance(value, Upload):
            assert sent is value
        else:
            assert type(sent) is type(value)
            assert sent == value
    assert set(wire) == expected_keys


@PROPERTY
@given(valid_requests)
def test_every_valid_request_model_round_trips_through_the_wire(model: Any) -> None:
    assert_wire_holds(model, to_wire(model))


# -- response models -----------------------------------------------------------------------

maybe_texts = st.none() | st.text(max_size=20)
stamps = st.datetimes(
    min_value=datetime(2000, 1, 1),
    max_value=datetime(2099, 12, 31),
    timezones=st.sampled_from([UTC, AMSTERDAM, timezone(timedelta(hours=2))]),
).map(lambda d: d.replace(microsecond=0))
maybe_stamps = st.none() | stamps
links = st.builds(Link, href=maybe_texts, type=maybe_texts)
responses = st.one_of(
    st.builds(Customer, id=texts, company_name=maybe_texts, primary_email=maybe_texts,
              phone=maybe_texts, customer_groups=st.lists(texts).map(tuple),
              created_at=maybe_stamps),
    st.builds(CustomerInvoice, id=texts, invoice_number=maybe_texts, issued_at=st.none() | days,
              due_at=st.none() | days, amount=st.none() | amounts, paid_at=maybe_stamps,
              links=st.none() | st.builds(CustomerInvoiceLinks, customer=st.none() | links,
                                          online_payment_link=st.none() | links)),
    st.builds(CustomerOffer, id=texts, expires_at=st.none() | days, amount=st.none() | amounts,
              accepted_at=maybe_stamps, accepted_via_ip=maybe_texts, rejected_at=maybe_stamps,
              links=st.none() | st.builds(CustomerOfferLinks, customer=st.none() | links)),
    st.builds(Agreement, id=texts, name=maybe_texts, created_at=maybe_stamps,
              signers=st.lists(st.builds(AgreementSigner, id=texts, email=maybe_texts,
                                         should_identify=optional_flags, signed_at=maybe_stamps),
                               max_size=3).map(tuple),
              documents=st.lists(st.builds(AgreementDocument, id=texts,
                                           file_size=st.none() | st.integers(0, 10**7)),
                                 max_size=3).map(tuple)),
)  # fmt: skip


def _instants(value: Any) -> list[datetime]:
    if isinstance(value, datetime):
        return [value]
    if isinstance(value, tuple):
        return [found for item in value for found in _instants(item)]
    if attrs.has(type(value)):
        return _instants(attrs.astuple(value, recurse=False))
    return []


@PROPERTY
@given(responses)
def test_every_response_model_round_trips_through_the_converter(model: Any) -> None:
    for instant in _instants(model):
        assume(not repeated_hour(instant))
    assert from_wire(type(model), to_wire(model)) == model


# -- invalid values ------------------------------------------------------------------------


def _not_a_decimal(text: str) -> bool:
    try:
        Decimal(text)
    except InvalidOperation:
        return True
    return False


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
    st.sampled_from(["NaN", "-Infinity", "12,95", "1.001"]),
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


@PROPERTY
@given(st.data(), st.sampled_from(INVALID))
def test_bad_values_raise_request_validation_error_and_nothing_else(
    data: st.DataObject, case: tuple[Callable[..., Any], Any, str, Any]
) -> None:
    cls, valid, name, bad = case
    values = data.draw(valid) | {name: data.draw(bad)}
    if name == "accepted_via_ip" and data.draw(st.booleans()):
        values["accepted_at"] = datetime(2024, 5, 11, 12, 59)
    with pytest.raises(RequestValidationError) as info:
        cls(**values)
    assert info.value.field.startswith(name)
