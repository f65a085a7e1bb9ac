"""``mkp.customer_offers.mark_accepted`` / ``mark_rejected``: one PATCH operation
(mark-customer-offer-accepted-or-rejected), through the public client against the FakePortal."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from model_examples import customer, manual

from mijnklantportaal_async import (
    UNSET,
    CustomerCreate,
    CustomerOffer,
    CustomerOfferUpdate,
    ManualCustomerOfferCreate,
    MijnKlantportaal,
    NotFoundError,
    RequestValidationError,
    UnprocessableEntityError,
)
from mijnklantportaal_async._core.wire import to_wire
from mijnklantportaal_async.testing import FakePortal

pytestmark = pytest.mark.fake_portal(rate_limit=None)

AGENT = "Mozilla/5.0 (X11; Linux x86_64)"


async def an_offer(mkp: MijnKlantportaal) -> CustomerOffer:
    """A new offer, neither accepted nor rejected."""
    created = await mkp.customers.create(CustomerCreate(**customer()))
    return await mkp.customer_offers.create_manual(
        ManualCustomerOfferCreate(**manual(customer_id=created.id))
    )


def local(text: str) -> datetime:
    return datetime.fromisoformat(text)


async def test_marking_accepted_changes_what_a_later_get_returns(
    fake_portal: FakePortal, mkp: MijnKlantportaal
) -> None:
    offer = await an_offer(mkp)

    accepted = await mkp.customer_offers.mark_accepted(
        offer.id,
        datetime(2024, 5, 4, 18, 51, 50, tzinfo=UTC),
        accepted_via_ip="123.45.67.89",
        accepted_via_user_agent=AGENT,
    )

    patch = fake_portal.requests[-1]
    assert (patch.method, patch.path) == ("PATCH", f"/v1/customer-offers/{offer.id}")
    assert patch.body == {
        "acceptedAt": "2024-05-04 20:51:50",
        "acceptedViaIp": "123.45.67.89",
        "acceptedViaUserAgent": AGENT,
    }
    assert accepted.accepted_at == local("2024-05-04T20:51:50+02:00")
    assert (accepted.accepted_via_ip, accepted.accepted_via_user_agent) == ("123.45.67.89", AGENT)
    assert accepted.rejected_at is None
    assert await mkp.customer_offers.get(offer.id) == accepted
    assert accepted.offer_number == offer.offer_number


async def test_marking_rejected_changes_what_a_later_get_returns(
    fake_portal: FakePortal, mkp: MijnKlantportaal
) -> None:
    offer = await an_offer(mkp)

    rejected = await mkp.customer_offers.mark_rejected(offer.id, "2024-05-04 20:51:50")

    assert fake_portal.requests[-1].body == {"rejectedAt": "2024-05-04 20:51:50"}
    assert rejected.rejected_at == local("2024-05-04T20:51:50+02:00")
    assert rejected.accepted_at is None
    assert (await mkp.customer_offers.get(offer.id)).rejected_at == rejected.rejected_at


async def test_the_same_decision_again_replaces_it(
    fake_portal: FakePortal, mkp: MijnKlantportaal
) -> None:
    offer = await an_offer(mkp)
    await mkp.customer_offers.mark_accepted(
        offer.id, "2024-05-04 20:51:50", accepted_via_ip="::FFFF:7B2D:4359"
    )
    assert fake_portal.requests[-1].body["acceptedViaIp"] == "::ffff:7b2d:4359"  # normalised

    again = await mkp.customer_offers.mark_accepted(offer.id, "2024-05-05 08:00:00")
    assert fake_portal.requests[-1].body == {"acceptedAt": "2024-05-05 08:00:00"}
    assert again.accepted_at == local("2024-05-05T08:00:00+02:00")
    assert again.accepted_via_ip is None  # the how belongs to the acceptance it replaced

    other = await an_offer(mkp)
    await mkp.customer_offers.mark_rejected(other.id, "2024-05-04 20:51:50")
    twice = await mkp.customer_offers.mark_rejected(other.id, "2024-05-06 12:00:00")
    assert twice.rejected_at == local("2024-05-06T12:00:00+02:00")


@pytest.mark.parametrize("first", ["accepted", "rejected"])
async def test_the_other_decision_on_a_decided_offer_is_refused(
    fake_portal: FakePortal, mkp: MijnKlantportaal, first: str
) -> None:
    offer = await an_offer(mkp)
    if first == "accepted":
        await mkp.customer_offers.mark_accepted(offer.id, "2024-05-04 20:51:50")
    else:
        await mkp.customer_offers.mark_rejected(offer.id, "2024-05-04 20:51:50")
    before = fake_portal.customer_offers[offer.id]

    offers = mkp.customer_offers
    mark: Callable[[str, str], Awaitable[CustomerOffer]] = (
        offers.mark_rejected if first == "accepted" else offers.mark_accepted
    )

    with pytest.raises(UnprocessableEntityError) as info:
        await mark(offer.id, "2024-05-05 09:00:00")

    field = "rejectedAt" if first == "accepted" else "acceptedAt"
    assert info.value.errors == {field: [f"The offer is already {first}."]}
    assert fake_portal.customer_offers[offer.id] == before


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda m: m.mark_accepted("off_abc12345def678", "2024-04-31 14:00:00"), "accepted_at"),
        (lambda m: m.mark_rejected("off_abc12345def678", None), "rejected_at"),
        (
            lambda m: m.mark_accepted(
                "off_abc12345def678", "2024-05-04 20:51:50", accepted_via_ip="123.456.7.8.9"
            ),
            "accepted_via_ip",  # the docs' own example address
        ),
        (
            lambda m: m.mark_accepted(
                "off_abc12345def678", "2024-05-04 20:51:50", accepted_via_user_agent=" "
            ),
            "accepted_via_user_agent",
        ),
        (
            lambda m: m.mark_accepted(
                "off_abc12345def678", "2024-05-04 20:51:50", accepted_via_ip=None
            ),
            "accepted_via_ip",
        ),
        (lambda m: m.mark_rejected("", "2024-05-04 20:51:50"), "offer_id"),
    ],
)
async def test_bad_input_is_refused_before_anything_is_sent(
    fake_portal: FakePortal, mkp: MijnKlantportaal, call: Any, field: str
) -> None:
    with pytest.raises(RequestValidationError) as info:
        await call(mkp.customer_offers)

    assert info.value.field == field
    assert fake_portal.requests == ()


async def test_an_unknown_offer_is_not_found(mkp: MijnKlantportaal) -> None:
    with pytest.raises(NotFoundError, match="No Customer Offer can be found"):
        await mkp.customer_offers.mark_rejected("off_unknown0000000", "2024-05-04 20:51:50")


# -- the request model ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "field", "reason"),
    [
        ({}, "data", "an update needs at least one field"),
        ({"accepted_at": UNSET}, "data", "an update needs at least one field"),
        ({"accepted_via_ip": "1.2.3.4"}, "accepted_via_ip", "only allowed together"),
        (
            {"rejected_at": "2024-05-04 20:51:50", "accepted_via_user_agent": AGENT},
            "accepted_via_user_agent",
            "only allowed together",
        ),
        (
            {"accepted_at": "2024-05-04 20:51:50", "rejected_at": "2024-05-04 20:51:50"},
            "rejected_at",
            "cannot be set together",
        ),
        ({"accepted_at": None}, "accepted_at", "cannot be cleared"),
        ({"rejected": "2024-05-04 20:51:50"}, "rejected", "is not a field"),
    ],
)
def test_the_update_model_holds_one_decision(
    kwargs: dict[str, Any], field: str, reason: str
) -> None:
    with pytest.raises(RequestValidationError) as info:
        CustomerOfferUpdate(**kwargs)
    assert info.value.field == field
    assert reason in info.value.reason


def test_the_update_model_sends_only_what_is_set_in_portal_local_time() -> None:
    rejected = CustomerOfferUpdate(rejected_at=datetime(2024, 12, 1, 11, 0, tzinfo=UTC))
    assert to_wire(rejected) == {"rejectedAt": "2024-12-01 12:00:00"}
    accepted = CustomerOfferUpdate(accepted_at="2024-05-04 20:51:50", accepted_via_ip="::1")
    assert to_wire(accepted) == {"acceptedAt": "2024-05-04 20:51:50", "acceptedViaIp": "::1"}
