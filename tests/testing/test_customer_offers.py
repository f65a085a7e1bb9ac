"""The FakePortal's mark-customer-offer-accepted-or-rejected on the wire: the rules the client
never lets a request reach (it refuses such input before sending)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from test_fakeportal_support import FakeClock, call, create_customer

from mijnklantportaal_async.testing import FakePortal

WHEN = "2024-05-04 20:51:50"


@pytest.fixture
async def portal() -> AsyncIterator[FakePortal]:
    async with FakePortal(rate_limit=None, clock=FakeClock()) as portal:
        yield portal


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def an_offer(session: aiohttp.ClientSession, portal: FakePortal) -> str:
    customer = await create_customer(session, portal)
    body = {
        "customerId": customer["id"],
        "offerNumber": "2025-001",
        "issuedAt": "2025-04-14",
        "expiresAt": "2025-04-30",
        "lines": [{"description": "Advies", "amountExclVat": "100.00", "vatRate": 21}],
    }
    status, offer, _ = await call(session, portal, "POST", "/customer-offers/manual", json=body)
    assert status == 201, offer
    offer_id: str = offer["id"]
    return offer_id


async def patch(
    session: aiohttp.ClientSession, portal: FakePortal, offer_id: str, body: dict[str, Any]
) -> tuple[int, Any]:
    status, answer, _ = await call(
        session, portal, "PATCH", f"/customer-offers/{offer_id}", json=body
    )
    return status, answer


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (
            {},
            {"acceptedAt": ["The accepted at field is required when rejected at is not present."]},
        ),
        (
            {"acceptedViaIp": "1.2.3.4"},  # ignored without acceptedAt, so nothing is given
            {"acceptedAt": ["The accepted at field is required when rejected at is not present."]},
        ),
        (
            {"acceptedAt": WHEN, "rejectedAt": WHEN},
            {"rejectedAt": ["The rejected at field is prohibited when accepted at is present."]},
        ),
        (
            {"rejectedAt": "2024-04-31 14:00:00"},
            {"rejectedAt": ["The rejected at field must match the format Y-m-d H:i:s."]},
        ),
        (
            {"acceptedAt": WHEN, "acceptedViaUserAgent": "x" * 1025},
            {
                "acceptedViaUserAgent": [
                    "The accepted via user agent field must not be greater than 1024 characters."
                ]
            },
        ),
    ],
)
async def test_a_bad_mark_is_422_naming_the_field_and_changes_nothing(
    portal: FakePortal,
    session: aiohttp.ClientSession,
    body: dict[str, Any],
    errors: dict[str, list[str]],
) -> None:
    offer_id = await an_offer(session, portal)
    before = portal.customer_offers[offer_id]

    status, answer = await patch(session, portal, offer_id, body)

    assert (status, answer["errors"]) == (422, errors)
    assert portal.customer_offers[offer_id] == before


async def test_accepted_via_fields_are_ignored_on_a_rejection(
    portal: FakePortal, session: aiohttp.ClientSession
) -> None:
    offer_id = await an_offer(session, portal)

    status, offer = await patch(
        session,
        portal,
        offer_id,
        {"rejectedAt": WHEN, "acceptedViaIp": "1.2.3.4", "acceptedViaUserAgent": "curl"},
    )

    assert status == 200
    assert offer["rejectedAt"] == "2024-05-04T20:51:50+02:00"
    assert (offer["acceptedAt"], offer["acceptedViaIp"], offer["acceptedViaUserAgent"]) == (
        None,
        None,
        None,
    )


async def test_marking_an_unknown_offer_is_the_documented_404(
    portal: FakePortal, session: aiohttp.ClientSession
) -> None:
    status, answer = await patch(session, portal, "off_unknown0000000", {"rejectedAt": WHEN})

    assert (status, answer["message"]) == (404, "No Customer Offer can be found for the given ID")
