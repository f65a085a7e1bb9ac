"""Hypothesis strategies for the request models: valid keyword arguments for each one, and
the valid request models built from them (shared by the property tests)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from model_examples import SIGNATURE

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

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
PROPERTY = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

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


def exists_in_amsterdam(moment: datetime) -> bool:
    """False for a naive time the clocks skip when summer time starts (the models refuse it)."""
    there = moment.replace(tzinfo=AMSTERDAM)
    return there.astimezone(UTC).astimezone(AMSTERDAM).replace(tzinfo=None) == moment


moments = st.one_of(
    st.datetimes(min_value=earliest, max_value=latest).filter(exists_in_amsterdam),
    st.datetimes(min_value=earliest, max_value=latest, timezones=zones, allow_imaginary=False),
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


country_codes = st.sampled_from(sorted(COUNTRY_CODES))
customer_kwargs = kwargs(
    {"company_name": texts, "address": texts, "zip_code": texts, "city": texts,
     "primary_email": emails},
    optional={"country_code": country_codes},
)  # fmt: skip
customer_update_kwargs = kwargs(
    {},
    optional={"company_name": texts, "address": texts, "zip_code": texts, "city": texts,
              "primary_email": emails, "country_code": country_codes},
).filter(bool)  # fmt: skip
"""Any non-empty subset of CustomerUpdate's fields, each with a valid value."""
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
