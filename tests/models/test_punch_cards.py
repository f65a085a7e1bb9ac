"""Punch card models: the request rules checked when built, what reaches the wire, and the
responses read from the API's names (``expiryPeriode``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from model_examples import refused

from mijnklantportaal_async import (
    UNSET,
    ExpiryPeriod,
    IssuedPunchCard,
    IssuedPunchCardCreate,
    IssuedPunchCardStatus,
    PunchCard,
    PunchCardCreate,
    PunchCardStamp,
    PunchCardUpdate,
)
from mijnklantportaal_async._core.wire import from_wire, to_wire


def card(**changes: Any) -> dict[str, Any]:
    return {"name": "Driving lessons", "punches": 20, "punch_label": "lessons"} | changes


def test_a_minimal_card_sends_only_the_required_fields() -> None:
    assert to_wire(PunchCardCreate(**card(name="  Driving lessons "))) == {
        "name": "Driving lessons",
        "punches": 20,
        "punchLabel": "lessons",
    }


@pytest.mark.parametrize("value", [3, "3", " 3 "])
def test_the_expiry_value_is_sent_as_its_digits_next_to_expire_period(value: Any) -> None:
    built = PunchCardCreate(**card(expiry_value=value, expire_period="months"))
    wire = to_wire(built)
    assert (wire["expiryValue"], wire["expirePeriod"]) == ("3", "months")
    assert built.expire_period is ExpiryPeriod.MONTHS


@pytest.mark.parametrize(
    ("changes", "field", "reason"),
    [
        ({"punches": 0}, "punches", "must be at least 1, not 0"),
        ({"punches": 2.0}, "punches", "must be a whole number (an int), not float 2.0"),
        ({"punches": True}, "punches", "must be a whole number (an int), not bool True"),
        ({"punch_label": " "}, "punch_label", "must not be empty"),
        ({"expiry_value": "3.5", "expire_period": "days"}, "expiry_value", "must be a whole"),
        ({"expiry_value": -1, "expire_period": "days"}, "expiry_value", "must be at least 1"),
        ({"expiry_value": 3, "expire_period": "weeks"}, "expire_period", "must be one of"),
        ({"expiry_value": 3}, "expire_period", "is required with expiry_value"),
        ({"expire_period": "years"}, "expiry_value", "is required with expire_period"),
        ({"for_sale": True, "vat_rate": 21}, "price", "is required when for_sale is True"),
        ({"for_sale": True, "price": "1.00"}, "vat_rate", "is required when for_sale is True"),
        ({"price": "1.00", "vat_rate": 21}, "price", "is only taken with for_sale=True"),
        ({"for_sale": False, "vat_rate": 9}, "vat_rate", "is only taken with for_sale=True"),
        ({"for_sale": True, "price": "-1", "vat_rate": 21}, "price", "must not be negative"),
        ({"for_sale": True, "price": 1.5, "vat_rate": 21}, "price", "must not be a float"),
        ({"for_sale": True, "price": "1", "vat_rate": 6}, "vat_rate", "must be 0, 9 or 21"),
        ({"for_sale": "yes"}, "for_sale", "must be True or False"),
        ({"expirePeriod": "years"}, "expirePeriod", "is not a field of PunchCardCreate"),
    ],
)
def test_a_bad_card_is_refused_naming_the_field(
    changes: dict[str, Any], field: str, reason: str
) -> None:
    error = refused(PunchCardCreate, **card(**changes))
    assert error.field == field
    assert error.reason.startswith(reason)


def test_an_update_needs_for_sale_and_a_price_and_rate_only_when_for_sale() -> None:
    assert to_wire(PunchCardUpdate(for_sale=False)) == {"forSale": False}
    update = PunchCardUpdate(for_sale=True, price=Decimal("5"), vat_rate=0)
    assert to_wire(update) == {"forSale": True, "price": "5.00", "vatRate": 0}
    assert refused(PunchCardUpdate).field == "data"
    assert refused(PunchCardUpdate, price="5.00", vat_rate=21).field == "for_sale"
    assert refused(PunchCardUpdate, for_sale=UNSET, price="5.00").field == "for_sale"
    assert refused(PunchCardUpdate, for_sale=True, price="5.00").field == "vat_rate"
    assert refused(PunchCardUpdate, for_sale=False, price="5.00").field == "price"
    assert "cannot be cleared" in refused(PunchCardUpdate, for_sale=None).reason


def test_issue_and_stamp_bodies() -> None:
    assert to_wire(IssuedPunchCardCreate(customer_id=" cst_1 ")) == {"customerId": "cst_1"}
    assert to_wire(PunchCardStamp(stamps=2)) == {"stamps": 2}
    assert refused(PunchCardStamp, stamps=0).reason == "must be at least 1, not 0"
    assert refused(IssuedPunchCardCreate).field == "customer_id"


def test_a_card_is_read_from_the_api_s_names_unknown_fields_ignored() -> None:
    read = from_wire(
        PunchCard,
        {
            "id": "pcd_abc12345def678",
            "price": "229.95",
            "vatRate": 21,
            "expiryValue": 3,
            "expiryPeriode": "years",
            "createdAt": "2025-11-19T21:00:00+02:00",
            "somethingNew": True,
        },
    )
    assert (read.price, read.expiry_value, read.expiry_period) == (
        Decimal("229.95"),
        3,
        ExpiryPeriod.YEARS,
    )
    never = from_wire(PunchCard, {"id": "pcd_1", "expiryValue": None, "expiryPeriode": None})
    assert (never.expiry_value, never.expiry_period) == (None, None)


def test_an_issued_card_that_never_expires_reads_expires_at_none() -> None:
    read = from_wire(
        IssuedPunchCard,
        {"id": "pcb_1", "punchesLeft": 0, "status": "fully_used", "expiresAt": None},
    )
    assert (read.status, read.expires_at, read.punches_left) == (
        IssuedPunchCardStatus.FULLY_USED,
        None,
        0,
    )
    with pytest.raises(ValueError, match="IssuedPunchCard"):
        from_wire(IssuedPunchCard, {"id": "pcb_1", "status": "lost"})
