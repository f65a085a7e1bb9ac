"""``mkp.customer_subscription_packages`` against the FakePortal: create, change, and signing a
customer up, which makes a customer subscription from the package."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from model_examples import customer
from test_fakeportal_support import SEED_TIME, FakeClock

from mijnklantportaal_async import (
    CustomerCreate,
    CustomerSubscriptionCreate,
    CustomerSubscriptionPackage,
    CustomerSubscriptionPackageCreate,
    CustomerSubscriptionPackageSignUp,
    CustomerSubscriptionPackageUpdate,
    MijnKlantportaal,
    NotFoundError,
    RequestValidationError,
    SubscriptionInterval,
    SubscriptionStatus,
    UnprocessableEntityError,
)
from mijnklantportaal_async.testing import FakePortal


@pytest.fixture
def fake_portal_options() -> dict[str, Any]:
    return {"rate_limit": None, "clock": FakeClock(SEED_TIME)}  # 2024-04-28 21:00, Amsterdam


def phone(**changes: Any) -> CustomerSubscriptionPackageCreate:
    fields: dict[str, Any] = {
        "name": "Phone subscription",
        "interval": SubscriptionInterval.ONE_MONTH,
        "amount": "12.95",
        "vat_rate": 21,
    }
    return CustomerSubscriptionPackageCreate(**(fields | changes))


async def test_a_created_package_is_stored_as_sent_and_listed(mkp: MijnKlantportaal) -> None:
    created = await mkp.customer_subscription_packages.create(
        phone(description="1GB per month, 300min per month", available_for_sale=True)
    )

    assert created == CustomerSubscriptionPackage(
        id=created.id,
        name="Phone subscription",
        description="1GB per month, 300min per month",
        interval=SubscriptionInterval.ONE_MONTH,
        currency="EUR",
        amount=Decimal("12.95"),
        vat_rate=21,
        available_for_sale=True,
    )
    assert created.id.startswith("spg_")
    assert await mkp.customer_subscription_packages.get(created.id) == created
    assert [p async for p in mkp.customer_subscription_packages.list()] == [created]


async def test_what_a_create_leaves_out_is_missing_or_false(mkp: MijnKlantportaal) -> None:
    created = await mkp.customer_subscription_packages.create(phone())

    assert (created.description, created.available_for_sale) == (None, False)


async def test_a_change_shows_in_a_later_get_and_keeps_what_was_not_sent(
    fake_portal: FakePortal, mkp: MijnKlantportaal
) -> None:
    created = await mkp.customer_subscription_packages.create(phone(available_for_sale=True))

    changed = await mkp.customer_subscription_packages.update(
        created.id,
        CustomerSubscriptionPackageUpdate(description="Unlimited", available_for_sale=False),
    )

    assert fake_portal.requests[-1].body == {"description": "Unlimited", "availableForSale": False}
    assert (changed.description, changed.available_for_sale) == ("Unlimited", False)
    assert (changed.name, changed.amount) == (created.name, created.amount)
    assert await mkp.customer_subscription_packages.get(created.id) == changed


async def test_a_sign_up_makes_a_subscription_from_the_package(
    fake_portal: FakePortal, mkp: MijnKlantportaal
) -> None:
    customer_id = (await mkp.customers.create(CustomerCreate(**customer()))).id
    package = await mkp.customer_subscription_packages.create(phone(vat_rate=9))

    subscription = await mkp.customer_subscription_packages.sign_up(
        package.id,
        CustomerSubscriptionPackageSignUp(
            customer_id=customer_id,
            start_date=date(2024, 4, 1),
            mandate_id="mdt_abc12345def678",
            invoice_text="Phone, monthly",
        ),
    )

    assert fake_portal.requests[-1].body == {
        "customerId": customer_id,
        "startDate": "2024-04-01",
        "mandateId": "mdt_abc12345def678",
        "invoiceText": "Phone, monthly",
    }
    assert subscription.id.startswith("sub_")
    assert (subscription.customer_id, subscription.description) == (customer_id, package.name)
    assert (subscription.interval, subscription.amount, subscription.vat_rate) == (
        package.interval,
        package.amount,
        9,
    )
    assert (subscription.starts_at, subscription.renews_at) == (date(2024, 4, 1), date(2024, 5, 1))
    assert subscription.status is SubscriptionStatus.IN_PROGRESS
    assert subscription.options is not None
    assert subscription.options.payment_integration_mandate_id == "mdt_abc12345def678"
    assert subscription.options.invoice_description == "Phone, monthly"
    assert [s async for s in mkp.customer_subscriptions.list()] == [subscription]
    assert await mkp.customer_subscriptions.get(subscription.id) == subscription


async def test_changing_a_package_leaves_its_subscriptions_as_they_are(
    mkp: MijnKlantportaal,
) -> None:
    customer_id = (await mkp.customers.create(CustomerCreate(**customer()))).id
    package = await mkp.customer_subscription_packages.create(phone())
    signed = await mkp.customer_subscription_packages.sign_up(
        package.id,
        CustomerSubscriptionPackageSignUp(customer_id=customer_id, start_date="2024-06-01"),
    )

    await mkp.customer_subscription_packages.update(
        package.id, CustomerSubscriptionPackageUpdate(amount="15.00")
    )

    assert (await mkp.customer_subscriptions.get(signed.id)).amount == Decimal("12.95")


async def test_a_sign_up_for_an_unknown_package_or_customer_is_refused(
    fake_portal: FakePortal, mkp: MijnKlantportaal
) -> None:
    customer_id = (await mkp.customers.create(CustomerCreate(**customer()))).id
    package = await mkp.customer_subscription_packages.create(phone())

    with pytest.raises(NotFoundError, match="No Customer Subscription Package can be found"):
        await mkp.customer_subscription_packages.sign_up(
            "spg_unknown0000000",
            CustomerSubscriptionPackageSignUp(customer_id=customer_id, start_date="2024-06-01"),
        )
    with pytest.raises(UnprocessableEntityError) as info:
        await mkp.customer_subscription_packages.sign_up(
            package.id,
            CustomerSubscriptionPackageSignUp(
                customer_id="cst_unknown0000000", start_date="2024-06-01"
            ),
        )
    assert list(info.value.errors) == ["customerId"]
    assert len(fake_portal.objects("customer_subscriptions")) == 0


async def test_an_unknown_package_is_not_found(mkp: MijnKlantportaal) -> None:
    with pytest.raises(NotFoundError):
        await mkp.customer_subscription_packages.get("spg_unknown0000000")
    with pytest.raises(NotFoundError):
        await mkp.customer_subscription_packages.update(
            "spg_unknown0000000", CustomerSubscriptionPackageUpdate(name="New")
        )


async def test_bad_input_is_refused_before_anything_is_sent(
    fake_portal: FakePortal, mkp: MijnKlantportaal
) -> None:
    sign_up = CustomerSubscriptionPackageSignUp(customer_id="cst_x", start_date="2024-06-01")
    with pytest.raises(RequestValidationError) as info:
        await mkp.customer_subscription_packages.sign_up("", sign_up)
    assert info.value.field == "package_id"
    wrong = CustomerSubscriptionCreate(
        customer_id="cst_x",
        description="x",
        start_date="2024-06-01",
        interval="1 year",
        amount=1,
        vat_rate=0,
    )
    with pytest.raises(TypeError, match=r"use mkp\.customer_subscriptions\.create\(\) for it"):
        await mkp.customer_subscription_packages.create(wrong)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"sign_up\(package_id, \.\.\.\) for it"):
        await mkp.customer_subscriptions.create(sign_up)  # type: ignore[arg-type]
    assert fake_portal.requests == ()
