"""``mkp.customer_subscriptions`` against the FakePortal: what a create stores, a change a later
get shows, terminating, and the status and renewal date as the portal's clock moves."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from model_examples import customer
from test_fakeportal_support import SEED_TIME, FakeClock

from mijnklantportaal_async import (
    CustomerCreate,
    CustomerSubscriptionCreate,
    CustomerSubscriptionUpdate,
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
    return {"rate_limit": None, "clock": FakeClock(SEED_TIME)}


async def new_customer(mkp: MijnKlantportaal) -> str:
    return (await mkp.customers.create(CustomerCreate(**customer()))).id


def subscription(customer_id: str, **changes: Any) -> CustomerSubscriptionCreate:
    fields: dict[str, Any] = {
        "customer_id": customer_id,
        "description": "Website maintenance contract",
        "start_date": date(2024, 5, 4),
        "interval": SubscriptionInterval.ONE_YEAR,
        "amount": Decimal("12.95"),
        "vat_rate": 21,
    }
    return CustomerSubscriptionCreate(**(fields | changes))


async def test_a_created_subscription_is_stored_as_sent_and_listed(
    fake_portal: FakePortal, mkp: MijnKlantportaal
) -> None:
    customer_id = await new_customer(mkp)

    created = await mkp.customer_subscriptions.create(
        subscription(customer_id, create_payment=True, payment_integration_mandate_id="mdt_1a")
    )

    assert created.id.startswith("sub_")
    assert (created.customer_id, created.starts_at) == (customer_id, date(2024, 5, 4))
    assert (created.amount, created.vat_rate, created.currency) == (Decimal("12.95"), 21, "EUR")
    assert created.interval is SubscriptionInterval.ONE_YEAR
    assert created.status is SubscriptionStatus.PLANNED  # it starts after the portal's today
    assert created.renews_at == date(2025, 5, 4)
    assert created.terminated_at is None
    assert created.options is not None
    assert (created.options.create_payment, created.options.create_invoice) == (True, False)
    assert created.options.payment_integration_mandate_id == "mdt_1a"
    assert await mkp.customer_subscriptions.get(created.id) == created
    assert [s.id async for s in mkp.customer_subscriptions.list()] == [created.id]
    assert fake_portal.requests[-3].body == {
        "customerId": customer_id,
        "description": "Website maintenance contract",
        "startDate": "2024-05-04",
        "interval": "1 year",
        "amount": "12.95",
        "vatRate": 21,
        "createPayment": True,
        "paymentIntegrationMandateId": "mdt_1a",
    }


async def test_a_running_subscription_renews_after_today_month_ends_clamped(
    mkp: MijnKlantportaal,
) -> None:
    customer_id = await new_customer(mkp)

    monthly = await mkp.customer_subscriptions.create(
        subscription(customer_id, start_date="2024-01-31", interval="1 month")
    )

    # 31 Jan, 29 Feb, 31 Mar have passed on 28 April; 30 April is the next renewal
    assert monthly.status is SubscriptionStatus.IN_PROGRESS
    assert monthly.renews_at == date(2024, 4, 30)


async def test_a_change_shows_in_a_later_get_and_keeps_what_was_not_sent(
    fake_portal: FakePortal, mkp: MijnKlantportaal
) -> None:
    customer_id = await new_customer(mkp)
    created = await mkp.customer_subscriptions.create(subscription(customer_id))

    changed = await mkp.customer_subscriptions.update(
        created.id, CustomerSubscriptionUpdate(amount="14.95", interval="6 months")
    )

    assert fake_portal.requests[-1].body == {"amount": "14.95", "interval": "6 months"}
    assert (changed.amount, changed.interval) == (Decimal("14.95"), "6 months")
    assert changed.renews_at == date(2024, 11, 4)
    assert changed.description == created.description
    assert await mkp.customer_subscriptions.get(created.id) == changed


async def test_terminating_sets_the_moment_and_the_status_follows_the_clock(
    fake_portal: FakePortal, mkp: MijnKlantportaal
) -> None:
    customer_id = await new_customer(mkp)
    created = await mkp.customer_subscriptions.create(
        subscription(customer_id, start_date="2024-01-01", interval="14 days")
    )
    assert created.renews_at == date(2024, 5, 6)

    terminated = await mkp.customer_subscriptions.update(
        created.id,
        CustomerSubscriptionUpdate(terminated_at=datetime(2024, 4, 30, 12, 0)),  # portal time
    )

    assert fake_portal.requests[-1].body == {"terminatedAt": "2024-04-30 12:00:00"}
    assert terminated.terminated_at == datetime(
        2024, 4, 30, 12, 0, tzinfo=timezone(timedelta(hours=2))
    )
    assert terminated.status is SubscriptionStatus.TERMINATED  # ends later
    assert terminated.renews_at == date(2024, 5, 6)
    clock = fake_portal.state.clock
    assert isinstance(clock, FakeClock)
    clock.advance(3 * 24 * 3600)  # 1 May
    ended = await mkp.customer_subscriptions.get(created.id)
    assert ended.status is SubscriptionStatus.ENDED
    assert ended.renews_at == date(2024, 5, 6)  # counted from the end, not from today


async def test_a_change_refused_by_the_portal_changes_nothing(
    fake_portal: FakePortal, mkp: MijnKlantportaal
) -> None:
    customer_id = await new_customer(mkp)
    created = await mkp.customer_subscriptions.create(subscription(customer_id))

    with pytest.raises(UnprocessableEntityError) as info:
        await mkp.customer_subscriptions.update(
            created.id, CustomerSubscriptionUpdate(description="x" * 256, amount="1.00")
        )

    assert list(info.value.errors) == ["description"]
    assert await mkp.customer_subscriptions.get(created.id) == created


async def test_an_unknown_customer_is_refused_and_nothing_is_stored(
    fake_portal: FakePortal, mkp: MijnKlantportaal
) -> None:
    with pytest.raises(UnprocessableEntityError) as info:
        await mkp.customer_subscriptions.create(subscription("cst_unknown0000000"))

    assert info.value.errors == {"customerId": ["The selected customer id is invalid."]}
    assert len(fake_portal.objects("customer_subscriptions")) == 0


async def test_an_unknown_subscription_is_not_found(mkp: MijnKlantportaal) -> None:
    with pytest.raises(NotFoundError, match="No Customer Subscription can be found"):
        await mkp.customer_subscriptions.get("sub_unknown0000000")
    with pytest.raises(NotFoundError):
        await mkp.customer_subscriptions.update(
            "sub_unknown0000000", CustomerSubscriptionUpdate(description="New")
        )


async def test_bad_input_is_refused_before_anything_is_sent(
    fake_portal: FakePortal, mkp: MijnKlantportaal
) -> None:
    with pytest.raises(RequestValidationError) as info:
        await mkp.customer_subscriptions.update(" ", CustomerSubscriptionUpdate(description="x"))
    assert info.value.field == "subscription_id"
    with pytest.raises(RequestValidationError) as info:
        subscription("cst_abc12345def678", interval="1 week")
    assert info.value.field == "interval"
    with pytest.raises(TypeError, match="takes a CustomerSubscriptionUpdate"):
        await mkp.customer_subscriptions.update("sub_x", {"description": "x"})  # type: ignore[arg-type]
    assert fake_portal.requests == ()
