"""The FakePortal's Payment Links API on the wire (plain aiohttp, not the client): the rules
the client never lets a request reach (it refuses such input before sending), and
:func:`record_payment`, the tests' way to pay a link."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from test_fakeportal_support import FakeClock, call

from mijnklantportaal_async.testing import FakePortal
from mijnklantportaal_async.testing.handlers.payment_links import record_payment

LINK = {"description": "Contribution costs", "amount": "12.95"}


@pytest.fixture
async def wire() -> AsyncIterator[tuple[FakePortal, aiohttp.ClientSession]]:
    portal = FakePortal(clock=FakeClock(), rate_limit=None)
    async with portal, aiohttp.ClientSession() as session:
        yield portal, session


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (
            {},
            {
                "description": ["The description field is required."],
                "amount": ["The amount field is required."],
            },
        ),
        (LINK | {"amount": 12.95}, {"amount": ["The amount field must be a string."]}),
        (LINK | {"amount": "0.00"}, {"amount": ["The amount field must be greater than 0."]}),
        (LINK | {"amount": "-1"}, {"amount": ["The amount field must be greater than 0."]}),
        (
            LINK | {"amount": "12.955"},
            {"amount": ["The amount field must have 0-2 decimal places."]},
        ),
        (
            LINK | {"description": "x" * 256},
            {"description": ["The description field must not be greater than 255 characters."]},
        ),
        (
            LINK | {"expiresAt": "2024-05-04 12:00:00"},
            {"expiresAt": ["The expires at field must match the format Y-m-d."]},
        ),
        (
            LINK | {"expiresAt": "2024-04-27"},  # the portal's clock says 2024-04-28
            {"expiresAt": ["The expires at field must be a date after or equal to today."]},
        ),
        (LINK | {"reusable": "maybe"}, {"reusable": ["The reusable field must be true or false."]}),
    ],
)
async def test_create_answers_422_naming_each_bad_field_and_stores_nothing(
    wire: tuple[FakePortal, aiohttp.ClientSession], body: dict[str, Any], errors: dict[str, Any]
) -> None:
    portal, session = wire
    status, answer, _ = await call(session, portal, "POST", "/payment-links", json=body)
    assert status == 422
    assert answer["errors"] == errors
    assert len(portal.objects("payment_links")) == 0


async def test_create_stores_the_link_as_the_api_answers_it(
    wire: tuple[FakePortal, aiohttp.ClientSession],
) -> None:
    portal, session = wire
    body = LINK | {"amount": "7", "reusable": "1", "expiresAt": "2024-10-27"}
    status, answer, _ = await call(session, portal, "POST", "/payment-links", json=body)
    assert status == 201
    assert answer == {
        "id": answer["id"],
        "description": "Contribution costs",
        "currency": "EUR",
        "amount": "7.00",
        "reusable": True,
        # the end of the day in portal time: winter time again on the 27th of October
        "expiresAt": "2024-10-27T23:59:59+01:00",
        "status": "open",
        "checkoutUrl": f"{portal.url.removesuffix('/v1')}/payment-link/{answer['id']}",
        "createdAt": "2024-04-28T21:00:00+02:00",
    }
    assert portal.objects("payment_links")[answer["id"]] == answer


async def test_payments_of_a_link_are_paginated_and_only_its_own(
    wire: tuple[FakePortal, aiohttp.ClientSession],
) -> None:
    portal, session = wire
    _, mine, _ = await call(
        session, portal, "POST", "/payment-links", json=LINK | {"reusable": True}
    )
    _, other, _ = await call(session, portal, "POST", "/payment-links", json=LINK)
    paid = [record_payment(portal.state, mine["id"], payers_name=f"Payer {n}") for n in range(16)]
    record_payment(portal.state, other["id"])

    path = f"/payment-links/{mine['id']}/payments"
    status, first, _ = await call(session, portal, "GET", path)
    _, second, _ = await call(session, portal, "GET", path, params={"page": "2"})

    assert status == 200
    assert [p["id"] for p in first["data"] + second["data"]] == [p["id"] for p in paid]
    assert first["next_page_url"] == f"{portal.url}{path}?page=2"
    assert second["next_page_url"] is None
    assert first["data"][0] == paid[0]
    assert paid[0]["paymentLinkId"] == mine["id"]


async def test_record_payment_refuses_an_unknown_link(
    wire: tuple[FakePortal, aiohttp.ClientSession],
) -> None:
    portal, _ = wire
    with pytest.raises(KeyError, match="plk_unknown"):
        record_payment(portal.state, "plk_unknown")


async def test_a_failed_payment_leaves_a_single_use_link_open(
    wire: tuple[FakePortal, aiohttp.ClientSession],
) -> None:
    portal, session = wire
    _, link, _ = await call(session, portal, "POST", "/payment-links", json=LINK)
    record_payment(portal.state, link["id"], status="failed")
    _, again, _ = await call(session, portal, "GET", f"/payment-links/{link['id']}")
    assert again["status"] == "open"
    assert again["checkoutUrl"] is not None
