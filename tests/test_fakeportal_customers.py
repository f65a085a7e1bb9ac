"""FakePortal Customers API on the wire: create rules (422 shapes), get, and list pagination."""

from __future__ import annotations

import aiohttp
import pytest
from test_fakeportal_support import CUSTOMER, FakeClock, call, create_customer

from mijnklantportaal_async.testing import FakePortal


async def test_create_customer_answers_201_shaped_like_the_seed() -> None:
    async with FakePortal(clock=FakeClock()) as portal, aiohttp.ClientSession() as session:
        status, body, headers = await call(session, portal, "POST", "/customers", json=CUSTOMER)
    assert status == 201
    assert headers["Content-Type"].startswith("application/json")
    assert body == {
        "id": body["id"],
        "companyName": "Test Company BV",
        "address": "Teststreet 123",
        "zipCode": "1234AB",
        "city": "Amsterdam",
        "countryCode": "NL",
        "primaryEmail": "john.doe@test.com",
        "phone": None,
        "integration": None,
        "integrationId": None,
        "customerGroups": [],
        "createdAt": "2024-04-28T21:00:00+02:00",
    }
    assert list(body) == list(portal.customers[body["id"]])


async def test_country_code_falls_back_to_nl_and_is_upper_cased() -> None:
    async with FakePortal() as portal, aiohttp.ClientSession() as session:
        without = {key: value for key, value in CUSTOMER.items() if key != "countryCode"}
        status, body, _ = await call(session, portal, "POST", "/customers", json=without)
        assert (status, body["countryCode"]) == (201, "NL")
        belgian = await create_customer(session, portal, countryCode="be")
        assert belgian["countryCode"] == "BE"


async def test_missing_required_fields_are_each_named_with_wire_names() -> None:
    async with FakePortal() as portal, aiohttp.ClientSession() as session:
        status, body, _ = await call(session, portal, "POST", "/customers", json={"city": "  "})
    assert status == 422
    assert body["errors"] == {
        "companyName": ["The company name field is required."],
        "address": ["The address field is required."],
        "zipCode": ["The zip code field is required."],
        "city": ["The city field is required."],
        "primaryEmail": ["The primary email field is required."],
    }
    assert body["message"] == "The company name field is required. (and 4 more errors)"
    assert portal.customers == {}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("primaryEmail", "not-an-email", "The primary email field must be a valid email address."),
        ("primaryEmail", "two@@at.nl", "The primary email field must be a valid email address."),
        ("countryCode", "NLD", "The country code field must be 2 characters."),
        ("countryCode", "XX", "The selected country code is invalid."),
        ("companyName", 12, "The company name field must be a string."),
    ],
)
async def test_bad_values_get_422_for_that_field(field: str, value: object, message: str) -> None:
    async with FakePortal() as portal, aiohttp.ClientSession() as session:
        status, body, _ = await call(
            session, portal, "POST", "/customers", json={**CUSTOMER, field: value}
        )
    assert status == 422
    assert body == {"message": message, "errors": {field: [message]}}


async def test_get_customer_returns_it_and_unknown_ids_404() -> None:
    async with FakePortal() as portal, aiohttp.ClientSession() as session:
        customer = await create_customer(session, portal)
        status, body, _ = await call(session, portal, "GET", f"/customers/{customer['id']}")
        assert (status, body) == (200, customer)
        status, body, _ = await call(session, portal, "GET", "/customers/cst_doesnotexist00")
        assert (status, body) == (404, {"message": "No Customer can be found for the given ID"})


async def test_list_paginates_40_customers_in_3_pages_of_15_with_absolute_urls() -> None:
    async with FakePortal() as portal, aiohttp.ClientSession() as session:
        created = [
            (await create_customer(session, portal, companyName=f"Company {n}"))["id"]
            for n in range(40)
        ]
        base = f"{portal.url}/customers"
        pages = []
        url: str | None = base
        while url is not None:
            async with session.get(url, headers={"Authorization": f"Bearer {portal.api_key}"}) as r:
                assert r.status == 200
                page = await r.json()
            pages.append(page)
            url = page["next_page_url"]
    assert [len(page["data"]) for page in pages] == [15, 15, 10]
    assert [item["id"] for page in pages for item in page["data"]] == created
    first, second, last = pages
    assert first == {
        "current_page": 1,
        "data": first["data"],
        "first_page_url": f"{base}?page=1",
        "from": 1,
        "next_page_url": f"{base}?page=2",
        "path": base,
        "per_page": 15,
        "prev_page_url": None,
        "to": 15,
    }
    assert (second["from"], second["to"], second["prev_page_url"]) == (16, 30, f"{base}?page=1")
    assert (last["current_page"], last["from"], last["to"]) == (3, 31, 40)
    assert last["next_page_url"] is None


async def test_a_page_past_the_end_is_empty_with_null_from_and_to() -> None:
    async with FakePortal() as portal, aiohttp.ClientSession() as session:
        await create_customer(session, portal)
        status, body, _ = await call(session, portal, "GET", "/customers", params={"page": "5"})
        assert status == 200
        assert (body["data"], body["from"], body["to"], body["next_page_url"]) == (
            [],
            None,
            None,
            None,
        )
        assert body["prev_page_url"] == f"{portal.url}/customers?page=4"


async def test_an_invalid_page_number_means_page_1() -> None:
    async with FakePortal() as portal, aiohttp.ClientSession() as session:
        await create_customer(session, portal)
        _, body, _ = await call(session, portal, "GET", "/customers", params={"page": "abc"})
        assert (body["current_page"], len(body["data"])) == (1, 1)


async def test_edit_customer_needs_one_field_and_checks_each_like_create() -> None:
    async with FakePortal() as portal, aiohttp.ClientSession() as session:
        stored = await create_customer(session, portal)
        path = f"/customers/{stored['id']}"
        status, body, _ = await call(session, portal, "PATCH", path, json={})
        assert status == 422
        assert list(body["errors"]) == ["companyName"]
        status, body, _ = await call(session, portal, "PATCH", path, json={"primaryEmail": "x"})
        assert (status, list(body["errors"])) == (422, ["primaryEmail"])
        status, body, _ = await call(session, portal, "PATCH", path, json={"zipCode": "9999ZZ"})
        assert (status, body["zipCode"], body["city"]) == (200, "9999ZZ", stored["city"])
        status, _, _ = await call(session, portal, "PATCH", "/customers/cst_x", json={"city": "A"})
        assert status == 404
