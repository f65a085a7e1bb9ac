"""The FakePortal's Punch Cards API on the wire: the rules the client cannot reach, because it
refuses such input before sending (missing fields, wrong types, price without sale)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from test_fakeportal_support import call, create_customer

from mijnklantportaal_async.testing import FakePortal

CARD = {"name": "Driving lessons", "punches": 20, "punchLabel": "lessons"}


@pytest.fixture
async def wire() -> AsyncIterator[tuple[aiohttp.ClientSession, FakePortal]]:
    async with FakePortal(rate_limit=None) as portal, aiohttp.ClientSession() as session:
        yield session, portal


async def create(
    wire: tuple[aiohttp.ClientSession, FakePortal], **fields: Any
) -> tuple[int, dict[str, Any]]:
    status, body, _ = await call(*wire, "POST", "/punch-cards", json={**CARD, **fields})
    return status, body


async def test_create_needs_name_punches_and_label(
    wire: tuple[aiohttp.ClientSession, FakePortal],
) -> None:
    status, body, _ = await call(*wire, "POST", "/punch-cards", json={})
    assert status == 422
    assert body["errors"] == {
        "name": ["The name field is required."],
        "punches": ["The punches field is required."],
        "punchLabel": ["The punch label field is required."],
    }


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"punches": 0}, {"punches": ["The punches field must be at least 1."]}),
        ({"punches": "many"}, {"punches": ["The punches field must be an integer."]}),
        ({"punches": 2.5}, {"punches": ["The punches field must be an integer."]}),
        (
            {"forSale": True},
            {
                "price": ["The price field is required when for sale is true."],
                "vatRate": ["The vat rate field is required when for sale is true."],
            },
        ),
        (
            {"forSale": True, "price": "-1.00", "vatRate": 21},
            {"price": ["The price field must be at least 0."]},
        ),
        (
            {"expiryValue": 3},
            {"expirePeriod": ["The expire period field is required when expiry value is present."]},
        ),
        (
            {"expirePeriod": "weeks", "expiryValue": "3"},
            {"expirePeriod": ["The selected expire period is invalid."]},
        ),
        (
            {"expirePeriod": "days", "expiryValue": "0"},
            {"expiryValue": ["The expiry value field must be at least 1."]},
        ),
    ],
)
async def test_create_checks_each_rule(
    wire: tuple[aiohttp.ClientSession, FakePortal],
    fields: dict[str, Any],
    errors: dict[str, list[str]],
) -> None:
    status, body = await create(wire, **fields)
    assert (status, body["errors"]) == (422, errors)
    assert len(wire[1].objects("punch_cards")) == 0


@pytest.mark.parametrize("value", [3, "3"])
async def test_the_expiry_value_is_taken_as_a_number_or_its_digits_and_answered_as_a_number(
    wire: tuple[aiohttp.ClientSession, FakePortal], value: Any
) -> None:
    status, body = await create(wire, expiryValue=value, expirePeriod="years")
    assert status == 201
    assert (body["expiryValue"], body["expiryPeriode"]) == (3, "years")
    assert "expirePeriod" not in body


async def test_a_card_not_for_sale_drops_a_price_and_one_that_never_expires_has_no_value(
    wire: tuple[aiohttp.ClientSession, FakePortal],
) -> None:
    status, body = await create(wire, forSale=False, price="10.00", vatRate=21)
    assert status == 201
    assert (body["forSale"], body["price"], body["vatRate"]) == (False, None, None)
    assert "expiryValue" not in body
    assert body["expiryPeriode"] is None


async def test_edit_needs_for_sale_and_its_price_and_rate(
    wire: tuple[aiohttp.ClientSession, FakePortal],
) -> None:
    _, card = await create(wire, forSale=True, price="229.95", vatRate=21)
    path = f"/punch-cards/{card['id']}"
    status, body, _ = await call(*wire, "PATCH", path, json={"price": "1.00", "vatRate": 9})
    assert (status, list(body["errors"])) == (422, ["forSale"])
    status, body, _ = await call(*wire, "PATCH", path, json={"forSale": True, "vatRate": 9})
    assert (status, list(body["errors"])) == (422, ["price"])
    assert wire[1].objects("punch_cards")[card["id"]]["price"] == "229.95"
    status, body, _ = await call(*wire, "PATCH", path, json={"forSale": "0"})
    assert (status, body["forSale"], body["price"]) == (200, False, None)


async def test_issue_needs_a_customer_and_stamp_a_whole_number(
    wire: tuple[aiohttp.ClientSession, FakePortal],
) -> None:
    _, card = await create(wire)
    issued_path = f"/punch-cards/{card['id']}/issued"
    status, body, _ = await call(*wire, "POST", issued_path, json={})
    assert (status, body["errors"]) == (422, {"customerId": ["The customer id field is required."]})

    customer = await create_customer(*wire)
    status, issued, _ = await call(*wire, "POST", issued_path, json={"customerId": customer["id"]})
    assert (status, issued["punchesLeft"], issued["status"]) == (201, 20, "active")
    stamp_path = f"{issued_path}/{issued['id']}/stamp"
    for stamps, message in [
        (None, "The stamps field is required."),
        ("two", "The stamps field must be an integer."),
        (0, "The stamps field must be at least 1."),
        (21, "The stamps field must not be greater than 20."),
    ]:
        status, body, _ = await call(*wire, "POST", stamp_path, json={"stamps": stamps})
        assert (status, body["errors"]) == (422, {"stamps": [message]})
    status, body, _ = await call(*wire, "POST", stamp_path, json={"stamps": "20"})
    assert (status, body["punchesLeft"], body["status"]) == (200, 0, "fully_used")
