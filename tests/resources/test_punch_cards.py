"""``mkp.punch_cards`` against the FakePortal: what each call changes and what a later read
shows (punch cards and the cards issued from them)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from model_examples import customer
from test_fakeportal_support import FakeClock

from mijnklantportaal_async import (
    CustomerCreate,
    ExpiryPeriod,
    IssuedPunchCardStatus,
    MijnKlantportaal,
    NotFoundError,
    PunchCardCreate,
    PunchCardUpdate,
    RequestValidationError,
    UnprocessableEntityError,
)
from mijnklantportaal_async.testing import FakePortal
from mijnklantportaal_async.testing.state import AMSTERDAM

pytestmark = pytest.mark.fake_portal(rate_limit=None)

UNKNOWN_CARD = "pcd_unknown0000000"
UNKNOWN_ISSUED = "pcb_unknown0000000"


def driving_lessons(**changes: Any) -> PunchCardCreate:
    fields: dict[str, Any] = {
        "name": "Driving lessons",
        "punches": 3,
        "punch_label": "lessons",
        "for_sale": True,
        "price": "229.95",
        "vat_rate": 21,
        "expiry_value": 3,
        "expire_period": ExpiryPeriod.YEARS,
    }
    return PunchCardCreate(**(fields | changes))


async def a_customer(mkp: MijnKlantportaal, **changes: Any) -> str:
    return (await mkp.customers.create(CustomerCreate(**customer(**changes)))).id


@pytest.fixture
async def clocked() -> AsyncIterator[tuple[FakePortal, MijnKlantportaal, FakeClock]]:
    """A portal on a fake clock (2024-04-28 21:00 in Amsterdam) and its client."""
    clock = FakeClock()
    async with (
        FakePortal(clock=clock, rate_limit=None) as portal,
        portal.client(rate_limit=None) as mkp,
    ):
        yield portal, mkp, clock


async def test_a_created_card_is_read_back_with_its_expiry_under_the_response_s_name(
    fake_portal: FakePortal, mkp: MijnKlantportaal
) -> None:
    created = await mkp.punch_cards.create(driving_lessons(description="Mon-Fri"))

    sent = fake_portal.requests[-1].body
    assert (sent["expiryValue"], sent["expirePeriod"]) == ("3", "years")
    stored = fake_portal.objects("punch_cards")[created.id]
    assert (stored["expiryValue"], stored["expiryPeriode"]) == (3, "years")
    assert created.id.startswith("pcd_")
    assert (created.expiry_value, created.expiry_period) == (3, ExpiryPeriod.YEARS)
    assert (created.price, created.vat_rate, created.for_sale) == (Decimal("229.95"), 21, True)
    assert await mkp.punch_cards.get(created.id) == created
    assert [card async for card in mkp.punch_cards.list()] == [created]


async def test_a_card_without_expiry_or_sale_has_none_and_its_issued_cards_never_expire(
    mkp: MijnKlantportaal,
) -> None:
    card = await mkp.punch_cards.create(
        PunchCardCreate(name="Coffee", punches=10, punch_label="coffees")
    )
    assert (card.expiry_value, card.expiry_period, card.description) == (None, None, None)
    assert (card.for_sale, card.price, card.vat_rate) == (False, None, None)

    issued = await mkp.punch_cards.issue(card.id, customer_id=await a_customer(mkp))

    assert issued.expires_at is None
    assert issued.status is IssuedPunchCardStatus.ACTIVE


async def test_an_update_of_the_sale_settings_shows_in_a_later_get(
    fake_portal: FakePortal, mkp: MijnKlantportaal
) -> None:
    card = await mkp.punch_cards.create(driving_lessons())

    off = await mkp.punch_cards.update(card.id, PunchCardUpdate(for_sale=False))

    assert fake_portal.requests[-1].body == {"forSale": False}
    assert (off.for_sale, off.price, off.vat_rate) == (False, None, None)
    assert await mkp.punch_cards.get(card.id) == off
    assert (off.name, off.punches, off.expiry_value) == (card.name, card.punches, 3)

    on = await mkp.punch_cards.update(
        card.id, PunchCardUpdate(for_sale=True, price=Decimal("199.5"), vat_rate=9)
    )
    assert fake_portal.requests[-1].body == {"forSale": True, "price": "199.50", "vatRate": 9}
    assert (await mkp.punch_cards.get(card.id)).price == on.price == Decimal("199.50")


async def test_an_issued_card_starts_full_and_expires_as_the_card_says(
    clocked: tuple[FakePortal, MijnKlantportaal, FakeClock],
) -> None:
    portal, mkp, _ = clocked
    card = await mkp.punch_cards.create(driving_lessons())
    customer_id = await a_customer(mkp)

    issued = await mkp.punch_cards.issue(card.id, customer_id=customer_id)

    assert portal.requests[-1].body == {"customerId": customer_id}
    assert issued.id.startswith("pcb_")
    assert (issued.punch_card_id, issued.customer_id) == (card.id, customer_id)
    assert (issued.punches_left, issued.status) == (3, IssuedPunchCardStatus.ACTIVE)
    assert issued.issued_at == portal.now()
    assert issued.expires_at == datetime(2027, 4, 28, 21, 0, tzinfo=AMSTERDAM)
    assert await mkp.punch_cards.get_issued(card.id, issued.id) == issued
    assert [item async for item in mkp.punch_cards.list_issued(card.id)] == [issued]


async def test_a_month_later_on_a_day_the_month_lacks_is_its_last_day() -> None:
    january_31 = datetime(2024, 1, 31, 12, 0, tzinfo=AMSTERDAM).timestamp()
    async with (
        FakePortal(clock=FakeClock(january_31), rate_limit=None) as portal,
        portal.client(rate_limit=None) as mkp,
    ):
        card = await mkp.punch_cards.create(
            driving_lessons(expiry_value="1", expire_period="months")
        )
        issued = await mkp.punch_cards.issue(card.id, customer_id=await a_customer(mkp))
    assert issued.expires_at == datetime(2024, 2, 29, 12, 0, tzinfo=AMSTERDAM)


async def test_stamps_count_down_to_fully_used_and_a_stamp_too_many_is_refused(
    fake_portal: FakePortal, mkp: MijnKlantportaal
) -> None:
    card = await mkp.punch_cards.create(driving_lessons())
    issued = await mkp.punch_cards.issue(card.id, customer_id=await a_customer(mkp))

    once = await mkp.punch_cards.stamp(card.id, issued.id, stamps=1)
    assert fake_portal.requests[-1].body == {"stamps": 1}
    assert (once.punches_left, once.status) == (2, IssuedPunchCardStatus.ACTIVE)
    assert (await mkp.punch_cards.get_issued(card.id, issued.id)).punches_left == 2

    with pytest.raises(UnprocessableEntityError) as info:
        await mkp.punch_cards.stamp(card.id, issued.id, stamps=3)
    assert info.value.errors == {"stamps": ["The stamps field must not be greater than 2."]}
    assert fake_portal.objects("issued_punch_cards")[issued.id]["punchesLeft"] == 2

    used = await mkp.punch_cards.stamp(card.id, issued.id, stamps=2)
    assert (used.punches_left, used.status) == (0, IssuedPunchCardStatus.FULLY_USED)
    with pytest.raises(UnprocessableEntityError):
        await mkp.punch_cards.stamp(card.id, issued.id, stamps=1)
    assert await mkp.punch_cards.get_issued(card.id, issued.id) == used


async def test_a_card_past_its_expiry_is_expired_and_takes_no_stamps(
    clocked: tuple[FakePortal, MijnKlantportaal, FakeClock],
) -> None:
    portal, mkp, clock = clocked
    card = await mkp.punch_cards.create(driving_lessons(expiry_value=2, expire_period="days"))
    issued = await mkp.punch_cards.issue(card.id, customer_id=await a_customer(mkp))
    assert issued.expires_at == portal.now() + timedelta(days=2)

    clock.advance(2 * 24 * 3600 - 1)
    assert (await mkp.punch_cards.get_issued(card.id, issued.id)).status == "active"
    clock.advance(1)
    expired = await mkp.punch_cards.get_issued(card.id, issued.id)
    assert (expired.status, expired.punches_left) == (IssuedPunchCardStatus.EXPIRED, 3)
    assert [item.status async for item in mkp.punch_cards.list_issued(card.id)] == ["expired"]

    with pytest.raises(UnprocessableEntityError, match="expired"):
        await mkp.punch_cards.stamp(card.id, issued.id, stamps=1)
    assert portal.objects("issued_punch_cards")[issued.id]["punchesLeft"] == 3


async def test_the_issued_cards_of_a_card_are_listed_over_pages_and_no_others(
    fake_portal: FakePortal, mkp: MijnKlantportaal
) -> None:
    card = await mkp.punch_cards.create(driving_lessons())
    other = await mkp.punch_cards.create(driving_lessons(name="Swimming lessons"))
    customer_id = await a_customer(mkp)
    await mkp.punch_cards.issue(other.id, customer_id=customer_id)
    ids = [(await mkp.punch_cards.issue(card.id, customer_id=customer_id)).id for _ in range(16)]
    before = len(fake_portal.requests)

    listed = [item.id async for item in mkp.punch_cards.list_issued(card.id)]

    assert listed == ids
    assert [r.query.get("page", "1") for r in fake_portal.requests[before:]] == ["1", "2"]


async def test_unknown_cards_and_issued_cards_are_not_found(mkp: MijnKlantportaal) -> None:
    card = await mkp.punch_cards.create(driving_lessons())
    other = await mkp.punch_cards.create(driving_lessons(name="Swimming lessons"))
    issued = await mkp.punch_cards.issue(card.id, customer_id=await a_customer(mkp))

    with pytest.raises(NotFoundError, match="No Punch Card can be found"):
        await mkp.punch_cards.get(UNKNOWN_CARD)
    with pytest.raises(NotFoundError):
        await mkp.punch_cards.update(UNKNOWN_CARD, PunchCardUpdate(for_sale=False))
    with pytest.raises(NotFoundError):
        [item async for item in mkp.punch_cards.list_issued(UNKNOWN_CARD)]
    with pytest.raises(NotFoundError):
        await mkp.punch_cards.issue(UNKNOWN_CARD, customer_id=issued.customer_id or "")
    with pytest.raises(NotFoundError, match="No Issued Punch Card can be found"):
        await mkp.punch_cards.get_issued(card.id, UNKNOWN_ISSUED)
    with pytest.raises(NotFoundError):  # an issued card is found only under its own card
        await mkp.punch_cards.get_issued(other.id, issued.id)
    with pytest.raises(NotFoundError):
        await mkp.punch_cards.stamp(other.id, issued.id, stamps=1)


async def test_an_unknown_customer_is_refused_and_nothing_is_issued(
    fake_portal: FakePortal, mkp: MijnKlantportaal
) -> None:
    card = await mkp.punch_cards.create(driving_lessons())

    with pytest.raises(UnprocessableEntityError) as info:
        await mkp.punch_cards.issue(card.id, customer_id="cst_unknown0000000")

    assert list(info.value.errors) == ["customerId"]
    assert len(fake_portal.objects("issued_punch_cards")) == 0


async def test_bad_input_is_refused_naming_the_field_before_anything_is_sent(
    fake_portal: FakePortal, mkp: MijnKlantportaal
) -> None:
    cases: list[tuple[str, Any]] = [
        ("stamps", mkp.punch_cards.stamp("pcd_1", "pcb_1", stamps=0)),
        ("stamps", mkp.punch_cards.stamp("pcd_1", "pcb_1", stamps="1")),  # type: ignore[arg-type]
        ("stamps", mkp.punch_cards.stamp("pcd_1", "pcb_1", stamps=True)),
        ("customer_id", mkp.punch_cards.issue("pcd_1", customer_id="  ")),
        ("issued_punch_card_id", mkp.punch_cards.get_issued("pcd_1", "")),
        ("punch_card_id", mkp.punch_cards.update(" ", PunchCardUpdate(for_sale=False))),
    ]
    for field, pending in cases:
        with pytest.raises(RequestValidationError) as info:
            await pending
        assert info.value.field == field
    assert fake_portal.requests == ()
