"""The subscription and package request models: checked when built, the field named, and
their wire form (money as strings, dates, portal-time date-times, the interval's text)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from model_examples import refused

from mijnklantportaal_async import (
    UNSET,
    CustomerSubscription,
    CustomerSubscriptionCreate,
    CustomerSubscriptionPackage,
    CustomerSubscriptionPackageCreate,
    CustomerSubscriptionPackageSignUp,
    CustomerSubscriptionPackageUpdate,
    CustomerSubscriptionUpdate,
    SubscriptionInterval,
    SubscriptionStatus,
)
from mijnklantportaal_async._core.wire import from_wire, to_wire


def subscription(**changes: Any) -> dict[str, Any]:
    return {
        "customer_id": "cst_abc12345def678",
        "description": "Contribution costs",
        "start_date": "2024-05-04",
        "interval": "1 year",
        "amount": "12.95",
        "vat_rate": 21,
    } | changes


def package(**changes: Any) -> dict[str, Any]:
    return {"name": "Phone subscription", "interval": "1 month", "amount": 10, "vat_rate": 9} | (
        changes
    )


def test_the_intervals_and_statuses_are_the_documented_strings() -> None:
    assert [str(member) for member in SubscriptionInterval] == [
        "14 days",
        "1 month",
        "2 months",
        "6 months",
        "1 year",
    ]
    assert list(SubscriptionStatus) == ["planned", "in_progress", "terminated", "ended"]


def test_a_subscription_takes_the_interval_as_member_or_string_and_sends_its_text() -> None:
    by_string = CustomerSubscriptionCreate(**subscription(interval="6 months"))
    by_member = CustomerSubscriptionCreate(**subscription(interval=SubscriptionInterval.SIX_MONTHS))
    assert by_string == by_member
    assert by_string.interval is SubscriptionInterval.SIX_MONTHS
    assert to_wire(by_string) == {
        "customerId": "cst_abc12345def678",
        "description": "Contribution costs",
        "startDate": "2024-05-04",
        "interval": "6 months",
        "amount": "12.95",
        "vatRate": 21,
    }


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("interval", "monthly", "must be one of '14 days', '1 month'"),
        ("interval", "1 Month", "must be one of"),
        ("interval", 30, "must be a SubscriptionInterval or its string, not int"),
        ("amount", 12.95, "must not be a float"),
        ("amount", "-1.00", "must not be negative"),
        ("amount", "1.999", "more than 2 decimals"),
        ("vat_rate", 20, "must be 0, 9 or 21"),
        ("start_date", "2024-04-31", "is not a real date"),
        ("start_date", datetime(2024, 5, 4, 12, 0), "must be a date, not a datetime"),
        ("description", "  ", "must not be empty"),
        ("customer_id", None, "is required"),
        ("create_payment", "yes", "must be True or False"),
        ("payment_integration_mandate_id", "", "must not be empty"),
    ],
)
def test_a_bad_subscription_field_is_refused_naming_it(field: str, value: Any, reason: str) -> None:
    error = refused(CustomerSubscriptionCreate, **subscription(**{field: value}))
    assert error.field == field
    assert reason in error.reason


def test_a_subscription_needs_its_required_fields() -> None:
    fields = subscription()
    del fields["start_date"]
    assert refused(CustomerSubscriptionCreate, **fields).field == "start_date"


def test_a_subscription_update_sends_only_what_was_set_with_termination_in_portal_time() -> None:
    utc_evening = datetime(2024, 7, 4, 20, 1, tzinfo=UTC)
    update = CustomerSubscriptionUpdate(amount=Decimal("14.9"), terminated_at=utc_evening)
    assert update.description is UNSET
    assert to_wire(update) == {"amount": "14.90", "terminatedAt": "2024-07-04 22:01:00"}
    naive = CustomerSubscriptionUpdate(terminated_at="2024-12-31 23:59:59")
    assert to_wire(naive) == {"terminatedAt": "2024-12-31 23:59:59"}


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("terminated_at", None, "cannot be cleared"),
        ("terminated_at", "2024-07-04", "'YYYY-mm-dd HH:MM:SS' format"),
        ("terminated_at", "2024-03-31 02:30:00", "does not exist in portal time"),
        ("interval", "weekly", "must be one of"),
        ("amount", "-5", "must not be negative"),
        ("vat_rate", None, "cannot be cleared"),
        ("description", None, "cannot be cleared"),
    ],
)
def test_a_bad_subscription_change_is_refused_naming_the_field(
    field: str, value: Any, reason: str
) -> None:
    error = refused(CustomerSubscriptionUpdate, **{field: value})
    assert (error.field, reason in error.reason) == (field, True)


def test_an_empty_update_is_refused() -> None:
    for update in (CustomerSubscriptionUpdate, CustomerSubscriptionPackageUpdate):
        error = refused(update)
        assert error.field == "data"
        assert "at least one field" in error.reason
    assert refused(CustomerSubscriptionUpdate, status="ended").field == "status"


def test_a_package_and_its_change_are_checked_like_a_subscription() -> None:
    created = CustomerSubscriptionPackageCreate(**package(available_for_sale=False))
    assert to_wire(created) == {
        "name": "Phone subscription",
        "interval": "1 month",
        "amount": "10.00",
        "vatRate": 9,
        "availableForSale": False,
    }
    assert refused(CustomerSubscriptionPackageCreate, **package(vat_rate=6)).field == "vat_rate"
    assert refused(CustomerSubscriptionPackageCreate, **package(interval="")).field == "interval"
    assert refused(CustomerSubscriptionPackageCreate, **package(name=None)).field == "name"
    change = CustomerSubscriptionPackageUpdate(available_for_sale=False, interval="1 year")
    assert to_wire(change) == {"interval": "1 year", "availableForSale": False}
    assert refused(CustomerSubscriptionPackageUpdate, available_for_sale=1).field == (
        "available_for_sale"
    )
    assert refused(CustomerSubscriptionPackageUpdate, description=None).field == "description"


def test_a_sign_up_needs_a_customer_and_a_start_date() -> None:
    sign_up = CustomerSubscriptionPackageSignUp(
        customer_id=" cst_abc12345def678 ", start_date=date(2024, 5, 4), invoice_text=None
    )
    assert to_wire(sign_up) == {"customerId": "cst_abc12345def678", "startDate": "2024-05-04"}
    assert refused(CustomerSubscriptionPackageSignUp, customer_id="cst_x").field == "start_date"
    bad = refused(CustomerSubscriptionPackageSignUp, customer_id="cst_x", start_date="4-5-2024")
    assert bad.field == "start_date"
    assert (
        refused(
            CustomerSubscriptionPackageSignUp,
            customer_id="cst_x",
            start_date="2024-05-04",
            mandate_id="",
        ).field
        == "mandate_id"
    )


def test_the_answers_are_read_tolerantly() -> None:
    read = from_wire(
        CustomerSubscription,
        {
            "id": "sub__abc12345def678",
            "startsAt": "2024-04-29",
            "renewsAt": "2025-04-29",
            "interval": "1 year",
            "amount": "12.95",
            "status": "terminated",
            "terminatedAt": "2024-07-04T22:01:00+02:00",
            "options": [],  # PHP's empty object
            "somethingNew": 1,
        },
    )
    assert read.id == "sub__abc12345def678"
    assert (read.starts_at, read.renews_at) == (date(2024, 4, 29), date(2025, 4, 29))
    assert (read.interval, read.status) == (SubscriptionInterval.ONE_YEAR, "terminated")
    assert read.terminated_at == datetime(2024, 7, 4, 22, 1, tzinfo=timezone(timedelta(hours=2)))
    assert read.options is not None
    assert read.options.create_payment is None
    assert read.description is None
    assert from_wire(CustomerSubscriptionPackage, {"id": "spg_x"}).available_for_sale is None
    with pytest.raises(ValueError, match="CustomerSubscription"):
        from_wire(CustomerSubscription, {"id": "sub_x", "interval": "3 weeks"})
