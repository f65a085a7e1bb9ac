"""FakePortal Customer Groups API on the wire: the rules the client refuses to break before
sending (422 shapes, the ignored customer IDs the client cannot send), the 404s and the shape
of what it answers."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest
from test_fakeportal_support import FakeClock, call, create_customer

from mijnklantportaal_async.testing import FakePortal

MISSING = "No Customer Group can be found for the given ID"


async def create_group(
    session: aiohttp.ClientSession, portal: FakePortal, **body: Any
) -> dict[str, Any]:
    status, group, _ = await call(
        session, portal, "POST", "/customer-groups", json={"name": "Hosting"} | body
    )
    assert status == 201, group
    result: dict[str, Any] = group
    return result


async def test_a_created_group_is_shaped_like_the_spec_and_stored_as_answered() -> None:
    async with FakePortal(clock=FakeClock()) as portal, aiohttp.ClientSession() as session:
        group = await create_group(session, portal)
        assert group == {
            "id": group["id"],
            "name": "Hosting",
            "createdAt": "2024-04-28T21:00:00+02:00",
        }
        assert group["id"].startswith("cug_")
        assert portal.objects("customer_groups")[group["id"]] == group


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/customer-groups", {}),
        ("POST", "/customer-groups", {"name": "   "}),
        ("PATCH", "/customer-groups/{id}", {}),
    ],
)
async def test_name_is_required_on_create_and_edit(
    method: str, path: str, body: dict[str, Any]
) -> None:
    async with FakePortal() as portal, aiohttp.ClientSession() as session:
        group = await create_group(session, portal, name="Blijft")
        status, answer, _ = await call(
            session, portal, method, path.format(id=group["id"]), json=body
        )
        assert status == 422
        assert answer["errors"] == {"name": ["The name field is required."]}
        assert [g["name"] for g in portal.objects("customer_groups").values()] == ["Blijft"]


async def test_customers_must_be_an_array_but_any_item_it_does_not_know_is_ignored() -> None:
    async with FakePortal() as portal, aiohttp.ClientSession() as session:
        customer = await create_customer(session, portal)
        status, answer, _ = await call(
            session, portal, "POST", "/customer-groups", json={"name": "A", "customers": "x"}
        )
        assert (status, answer["errors"]) == (
            422,
            {"customers": ["The customers field must be an array."]},
        )
        group = await create_group(
            session, portal, customers=[7, None, {"id": customer["id"]}, "cst_nope", customer["id"]]
        )
        assert portal.customers[customer["id"]]["customerGroups"] == [group["id"]]


async def test_add_customers_needs_a_non_empty_list_and_answers_all_members() -> None:
    async with FakePortal() as portal, aiohttp.ClientSession() as session:
        first = await create_customer(session, portal)
        second = await create_customer(session, portal, primaryEmail="b@x.nl")
        group = await create_group(session, portal, customers=[first["id"]])
        path = f"/customer-groups/{group['id']}/customers"
        empties: list[dict[str, Any]] = [{}, {"customers": []}]
        for empty in empties:
            status, answer, _ = await call(session, portal, "POST", path, json=empty)
            assert (status, answer["errors"]) == (
                422,
                {"customers": ["The customers field is required."]},
            )
        status, answer, _ = await call(
            session, portal, "POST", path, json={"customers": [second["id"], 12, "cst_nope"]}
        )
        assert status == 200
        assert list(answer) == ["data"]  # a plain list: no pagination envelope
        assert [c["id"] for c in answer["data"]] == [first["id"], second["id"]]
        assert answer["data"][1] == portal.customers[second["id"]]
        assert answer["data"][1]["customerGroups"] == [group["id"]]


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("GET", "", None),
        ("PATCH", "", {"name": "X"}),
        ("POST", "/customers", {"customers": ["cst_x"]}),
    ],
)
async def test_an_unknown_group_is_the_documented_404(
    method: str, suffix: str, body: dict[str, Any] | None
) -> None:
    async with FakePortal() as portal, aiohttp.ClientSession() as session:
        status, answer, _ = await call(
            session, portal, method, f"/customer-groups/cug_x{suffix}", json=body
        )
    assert (status, answer) == (404, {"message": MISSING})
