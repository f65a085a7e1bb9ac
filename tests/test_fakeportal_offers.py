"""FakePortal Customer Offers API on the wire: multipart and manual creates, rules, licence."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest
from test_fakeportal_support import PDF, FakeClock, call, create_customer, form

from mijnklantportaal_async.testing import FakePortal


def offer_fields(customer_id: str, **overrides: str) -> dict[str, str]:
    fields = {
        "customerId": customer_id,
        "offerNumber": "2024-001",
        "issuedAt": "2024-04-29",
        "expiresAt": "2024-05-29",
        "amount": "12.95",
        **overrides,
    }
    return {name: value for name, value in fields.items() if value != ""}


async def create_offer(
    session: aiohttp.ClientSession, portal: FakePortal, customer_id: str, **overrides: str
) -> tuple[int, Any]:
    data = form(offer_fields(customer_id, **overrides), [("pdf", "offer.pdf", PDF)])
    status, body, _ = await call(session, portal, "POST", "/customer-offers", data=data)
    return status, body


def manual_offer(customer_id: str, **overrides: Any) -> dict[str, Any]:
    return {
        "customerId": customer_id,
        "offerNumber": "2025-001",
        "issuedAt": "2025-04-14",
        "expiresAt": "2025-04-30",
        "sendNotification": True,
        "lines": [{"description": "Website template", "amountExclVat": "12.95", "vatRate": 21}],
        **overrides,
    }


async def test_create_offer_answers_201_like_the_seed() -> None:
    async with FakePortal(clock=FakeClock()) as portal, aiohttp.ClientSession() as session:
        customer = await create_customer(session, portal)
        status, offer = await create_offer(
            session,
            portal,
            customer["id"],
            acceptedAt="2024-05-14 21:00:00",
            acceptedViaIp="123.456.7.8.9",
            acceptedViaUserAgent="Mozilla/5.0 (X11; Linux x86_64)",
        )
    assert status == 201
    assert offer == {
        "id": offer["id"],
        "customerId": customer["id"],
        "offerNumber": "2024-001",
        "issuedAt": "2024-04-29",
        "expiresAt": "2024-05-29",
        "currency": "EUR",
        "amount": "12.95",
        "acceptedAt": "2024-05-14T21:00:00+02:00",
        "acceptedViaIp": "123.456.7.8.9",
        "acceptedViaUserAgent": "Mozilla/5.0 (X11; Linux x86_64)",
        "acceptanceSignature": None,
        "rejectedAt": None,
        "createdAt": "2024-04-28T21:00:00+02:00",
        "links": {
            "customer": {
                "href": f"{portal.url}/customers/{customer['id']}",
                "type": "application/json",
            }
        },
    }
    assert offer["id"].startswith("off_")
    assert portal.files[offer["id"]].filename == "offer.pdf"


async def test_acceptance_details_are_dropped_without_accepted_at() -> None:
    async with FakePortal() as portal, aiohttp.ClientSession() as session:
        customer = await create_customer(session, portal)
        status, offer = await create_offer(
            session,
            portal,
            customer["id"],
            acceptedViaIp="10.0.0.1",
            rejectedAt="2024-05-11 12:59:00",
        )
    assert status == 201
    assert (offer["acceptedAt"], offer["acceptedViaIp"]) == (None, None)
    assert offer["rejectedAt"] == "2024-05-11T12:59:00+02:00"


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        (
            {"expiresAt": "2024-04-28"},
            {"expiresAt": ["The expires at field must be a date after or equal to issued at."]},
        ),
        (
            {"issuedAt": "2024-04-31", "expiresAt": "2024-04-31"},
            {
                "issuedAt": ["The issued at field must match the format Y-m-d."],
                "expiresAt": ["The expires at field must match the format Y-m-d."],
            },
        ),
        ({"expiresAt": ""}, {"expiresAt": ["The expires at field is required."]}),
        (
            {"acceptedAt": "2024-05-11T12:59:00"},
            {"acceptedAt": ["The accepted at field must match the format Y-m-d H:i:s."]},
        ),
        ({"amount": "1.999"}, {"amount": ["The amount field must have 0-2 decimal places."]}),
    ],
)
async def test_offer_rules_get_422_per_wire_field(
    overrides: dict[str, str], errors: dict[str, list[str]]
) -> None:
    async with FakePortal() as portal, aiohttp.ClientSession() as session:
        customer = await create_customer(session, portal)
        status, body = await create_offer(session, portal, customer["id"], **overrides)
    assert (status, body["errors"]) == (422, errors)
    assert portal.customer_offers == {}


async def test_an_offer_expiring_on_its_issue_day_is_fine() -> None:
    async with FakePortal() as portal, aiohttp.ClientSession() as session:
        customer = await create_customer(session, portal)
        status, _ = await create_offer(session, portal, customer["id"], expiresAt="2024-04-29")
    assert status == 201


async def test_manual_offer_totals_lines_and_notifies_the_customer() -> None:
    async with FakePortal() as portal, aiohttp.ClientSession() as session:
        customer = await create_customer(session, portal)
        status, offer, _ = await call(
            session, portal, "POST", "/customer-offers/manual", json=manual_offer(customer["id"])
        )
    assert status == 201
    assert offer["amount"] == "15.67"  # 12.95 + 21% (2.72)
    assert [n.object_id for n in portal.notifications] == [offer["id"]]


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        ({"lines": []}, {"lines": ["The lines field is required."]}),
        (
            {"lines": [{"description": "x", "amountExclVat": "1", "vatRate": "6"}]},
            {"lines.0.vatRate": ["The selected lines.0.vat rate is invalid."]},
        ),
        (
            {"sendNotification": "maybe"},
            {"sendNotification": ["The send notification field must be true or false."]},
        ),
        (
            {"customerId": "cst_unknown0000000"},
            {"customerId": ["The selected customer id is invalid."]},
        ),
    ],
)
async def test_manual_offer_rules(overrides: dict[str, Any], errors: dict[str, list[str]]) -> None:
    async with FakePortal() as portal, aiohttp.ClientSession() as session:
        customer = await create_customer(session, portal)
        payload = manual_offer(customer["id"], **overrides)
        status, body, _ = await call(
            session, portal, "POST", "/customer-offers/manual", json=payload
        )
    assert (status, body["errors"]) == (422, errors)


async def test_offers_have_their_own_licence_limit() -> None:
    async with (
        FakePortal(license_limits={"offers": 1}) as portal,
        aiohttp.ClientSession() as session,
    ):
        customer = await create_customer(session, portal)
        assert (await create_offer(session, portal, customer["id"]))[0] == 201
        status, body, _ = await call(
            session, portal, "POST", "/customer-offers/manual", json=manual_offer(customer["id"])
        )
        assert (status, body) == (
            426,
            {"message": "The amount of offers this month reached the license's limit."},
        )
        assert len(portal.customer_offers) == 1


async def test_list_and_get_offers() -> None:
    async with FakePortal() as portal, aiohttp.ClientSession() as session:
        customer = await create_customer(session, portal)
        _, offer = await create_offer(session, portal, customer["id"])
        status, page, _ = await call(session, portal, "GET", "/customer-offers")
        assert (status, page["data"]) == (200, [offer])
        status, body, _ = await call(session, portal, "GET", f"/customer-offers/{offer['id']}")
        assert (status, body) == (200, offer)
        status, body, _ = await call(session, portal, "GET", "/customer-offers/off_nope")
        assert (status, body) == (
            404,
            {"message": "No Customer Offer can be found for the given ID"},
        )
