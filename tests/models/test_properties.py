"""Property tests: every valid model survives the wire converter.

- Valid request models -> ``to_wire`` -> each wire value, read back, equals the model's value.
- Response models -> ``to_wire`` -> ``from_wire`` gives the same model.

Bad values are in ``test_invalid.py``.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import attrs
from hypothesis import assume, given
from hypothesis import strategies as st
from model_strategies import (
    AMSTERDAM,
    PROPERTY,
    amounts,
    days,
    optional_flags,
    texts,
    valid_requests,
)

from mijnklantportaal_async._core.wire import from_wire, to_wire, wire_name
from mijnklantportaal_async.models import (
    Agreement,
    AgreementDocument,
    AgreementSigner,
    Customer,
    CustomerInvoice,
    CustomerInvoiceLinks,
    CustomerOffer,
    CustomerOfferLinks,
    Link,
)
from mijnklantportaal_async.uploads import Upload


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


def ids(prefix: str) -> st.SearchStrategy[str]:
    """IDs as the API gives them: the kind's documented prefix, then any text."""
    return texts.map(lambda rest: prefix + rest)


links = st.builds(Link, href=maybe_texts, type=maybe_texts)
responses = st.one_of(
    st.builds(Customer, id=ids("cst_"), company_name=maybe_texts, primary_email=maybe_texts,
              phone=maybe_texts, customer_groups=st.lists(texts).map(tuple),
              created_at=maybe_stamps),
    st.builds(CustomerInvoice, id=ids("inv_"), invoice_number=maybe_texts,
              issued_at=st.none() | days, due_at=st.none() | days, amount=st.none() | amounts,
              paid_at=maybe_stamps,
              links=st.none() | st.builds(CustomerInvoiceLinks, customer=st.none() | links,
                                          online_payment_link=st.none() | links)),
    st.builds(CustomerOffer, id=ids("off_"), expires_at=st.none() | days,
              amount=st.none() | amounts,
              accepted_at=maybe_stamps, accepted_via_ip=maybe_texts, rejected_at=maybe_stamps,
              links=st.none() | st.builds(CustomerOfferLinks, customer=st.none() | links)),
    st.builds(Agreement, id=ids("agr_"), name=maybe_texts, created_at=maybe_stamps,
              signers=st.lists(st.builds(AgreementSigner, id=ids("ags_"), email=maybe_texts,
                                         should_identify=optional_flags, signed_at=maybe_stamps),
                               max_size=3).map(tuple),
              documents=st.lists(st.builds(AgreementDocument, id=ids("agd_"),
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
