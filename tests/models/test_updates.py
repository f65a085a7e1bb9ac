"""Update models (``<Thing>Update``): only what the caller set is sent.

A field left out holds ``UNSET`` and is not sent; an update with nothing set is refused
before anything is sent; values are checked as in the create models. What reaches the wire
for UNSET, None and a value is in ``tests/core/test_wire.py``.
"""

from __future__ import annotations

import copy
import pickle
from typing import Any

import attrs
import pytest
from hypothesis import given
from model_examples import customer, refused
from model_strategies import PROPERTY, customer_update_kwargs

import mijnklantportaal_async
from mijnklantportaal_async import UNSET, CustomerCreate, CustomerUpdate, Unset
from mijnklantportaal_async._core.wire import to_wire, wire_name
from mijnklantportaal_async.models import UNSET as MODELS_UNSET

FIELDS = ["company_name", "address", "zip_code", "city", "primary_email", "country_code"]


def test_unset_is_one_falsy_value_distinct_from_none() -> None:
    assert UNSET is MODELS_UNSET is Unset.UNSET
    assert UNSET is not None
    assert not UNSET
    assert repr(UNSET) == "UNSET"
    assert isinstance(UNSET, Unset)
    assert "UNSET" in mijnklantportaal_async.__all__


@pytest.mark.parametrize(
    "clone",
    [copy.copy, copy.deepcopy, lambda value: pickle.loads(pickle.dumps(value))],  # noqa: S301
    ids=["copy", "deepcopy", "pickle"],
)
def test_unset_survives_copy_and_pickle_as_itself(clone: Any) -> None:
    assert clone(UNSET) is UNSET
    update = clone(CustomerUpdate(city="Utrecht"))
    assert (update.city, update.address) == ("Utrecht", UNSET)
    assert update.address is UNSET
    assert repr(update.address) == "UNSET"


def test_fields_left_out_are_unset_and_the_set_ones_are_validated() -> None:
    update = CustomerUpdate(city="  Utrecht ", primary_email="a@b.nl")
    assert (update.city, update.primary_email) == ("Utrecht", "a@b.nl")
    assert [name for name in FIELDS if getattr(update, name) is UNSET] == [
        "company_name",
        "address",
        "zip_code",
        "country_code",
    ]


def test_customer_update_has_the_fields_of_customer_create() -> None:
    create_fields = [a.name for a in attrs.fields(CustomerCreate)]
    assert [a.name for a in attrs.fields(CustomerUpdate)] == create_fields == FIELDS


@pytest.mark.parametrize("kwargs", [{}, {"city": UNSET}, dict.fromkeys(FIELDS, UNSET)])
def test_an_update_with_nothing_set_is_refused_naming_data(kwargs: dict[str, Any]) -> None:
    error = refused(CustomerUpdate, **kwargs)
    assert error.field == "data"
    assert error.reason.startswith("an update needs at least one field")
    assert "city" in error.reason


@pytest.mark.parametrize(
    ("name", "value", "hint"),
    [
        ("company_name", "   ", "must not be empty"),
        ("city", 1234, "must be a string, not int"),
        ("primary_email", "john.doe", "is not an e-mail address"),
        ("country_code", "nl", "upper case: 'NL'"),
        ("country_code", "UK", "use 'GB'"),
        ("zip_code", None, "cannot be cleared"),
        ("primary_email", None, "cannot be cleared"),
    ],
)
def test_a_bad_value_is_refused_naming_the_field(name: str, value: Any, hint: str) -> None:
    error = refused(CustomerUpdate, **{name: value})
    assert error.field == name
    assert hint in error.reason


def test_an_unknown_keyword_is_refused_by_name() -> None:
    error = refused(CustomerUpdate, cty="Utrecht")
    assert (error.field, error.reason) == ("cty", "is not a field of CustomerUpdate")


def test_the_same_values_are_valid_in_create_and_update() -> None:
    values = customer(country_code="BE", city=" Gent ")
    created, updated = CustomerCreate(**values), CustomerUpdate(**values)
    assert attrs.asdict(created) == attrs.asdict(updated)


def test_update_models_are_frozen() -> None:
    update = CustomerUpdate(city="Utrecht")
    with pytest.raises(AttributeError):
        update.city = "Gent"  # type: ignore[misc]


@PROPERTY
@given(customer_update_kwargs)
def test_exactly_the_fields_set_are_on_the_wire(kwargs: dict[str, Any]) -> None:
    update = CustomerUpdate(**kwargs)
    wire = to_wire(update)
    assert set(wire) == {wire_name(name) for name in kwargs}
    assert wire == {wire_name(name): getattr(update, name) for name in kwargs}
