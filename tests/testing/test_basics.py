"""FakePortal basics on the wire: lifecycle, bearer auth, the request log, routing, IDs, time."""

from __future__ import annotations

import re

import aiohttp
import pytest
from test_fakeportal_support import (
    ATOM,
    PDF,
    FakeClock,
    call,
    create_customer,
    create_invoice,
    form,
)

from mijnklantportaal_async._core.operations import OPERATIONS
from mijnklantportaal_async.testing import ROUTES, FakePortal
from mijnklantportaal_async.testing.state import ID_PREFIXES, KINDS


async def test_serves_on_loopback_with_a_free_port_and_v1_base_url() -> None:
    async with FakePortal() as first, FakePortal() as second:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/v1", first.url)
        assert first.url != second.url
        assert first.api_key != second.api_key


async def test_url_before_start_is_an_error() -> None:
    with pytest.raises(RuntimeError, match="not started"):
        _ = FakePortal().url


async def test_given_api_key_is_the_one_accepted() -> None:
    async with FakePortal(api_key="my-test-key") as portal, aiohttp.ClientSession() as session:
        url = portal.url + "/customers"
        async with session.get(url, headers={"Authorization": "Bearer my-test-key"}) as ok:
            assert ok.status == 200


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong-key"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"Authorization": "Bearer "},
    ],
    ids=["missing", "wrong-key", "wrong-scheme", "empty-token"],
)
async def test_requests_without_the_right_bearer_key_get_401(headers: dict[str, str]) -> None:
    async with FakePortal() as portal, aiohttp.ClientSession() as session:
        async with session.post(portal.url + "/customers", json={}, headers=headers) as response:
            assert response.status == 401
            assert await response.json() == {"message": "Unauthenticated."}
        assert portal.customers == {}


async def test_an_added_key_is_accepted_too() -> None:
    async with FakePortal() as portal, aiohttp.ClientSession() as session:
        other = portal.add_api_key("second-key")
        async with session.get(
            portal.url + "/customers", headers={"Authorization": f"Bearer {other}"}
        ) as response:
            assert response.status == 200


async def test_request_log_keeps_headers_without_the_key_and_the_parsed_json() -> None:
    async with FakePortal() as portal, aiohttp.ClientSession() as session:
        customer = await create_customer(session, portal, city="Utrecht")
        record = portal.requests[-1]
        assert (record.method, record.path, record.operation_id) == (
            "POST",
            "/v1/customers",
            "create-customer",
        )
        assert record.route == "POST /customers"
        assert "authorization" not in {name.lower() for name in record.headers}
        assert portal.api_key not in repr(record)
        assert record.body["city"] == "Utrecht"
        assert (record.status, record.stored_id) == (201, customer["id"])
        assert record.response_body == customer


async def test_request_log_shows_multipart_fields_and_file_names_and_sizes() -> None:
    async with FakePortal() as portal, aiohttp.ClientSession() as session:
        customer = await create_customer(session, portal)
        status, _ = await create_invoice(session, portal, customer["id"])
        assert status == 201
        record = portal.requests[-1]
        assert ("invoiceNumber", "2024-001") in record.form
        [pdf] = record.files
        assert (pdf.field, pdf.filename, pdf.size) == ("pdf", "invoice.pdf", len(PDF))
        assert record.body["pdf"] is pdf


async def test_query_is_logged() -> None:
    async with FakePortal() as portal, aiohttp.ClientSession() as session:
        await call(session, portal, "GET", "/customers", params={"page": "2"})
        assert portal.requests[-1].query == {"page": "2"}


async def test_unknown_paths_answer_json_404_and_wrong_methods_405() -> None:
    async with FakePortal() as portal, aiohttp.ClientSession() as session:
        status, body, _ = await call(session, portal, "GET", "/no-such-thing")
        assert (status, body) == (
            404,
            {"message": "The route v1/no-such-thing could not be found."},
        )
        status, body, _ = await call(session, portal, "DELETE", "/customers")
        assert status == 405
        assert "DELETE method is not supported" in body["message"]


def test_every_documented_operation_has_a_handler_so_none_answers_501() -> None:
    assert [route.operation_id for route in ROUTES if route.handler is None] == []


def test_a_route_per_row_of_the_operations_table_and_handlers_for_the_client_s() -> None:
    """The routing is the operations table (checked against the spec in
    tests/core/test_operations.py); the portal serves every operation the client calls, and
    the manual invoice, which the client does not call yet."""
    assert [(r.operation_id, r.method, r.path, r.aliases) for r in ROUTES] == [
        (op.operation_id, op.method, op.path, op.aliases) for op in OPERATIONS
    ]
    implemented = {route.operation_id for route in ROUTES if route.handler is not None}
    called = {op.operation_id for op in OPERATIONS if op.response is not None}
    assert implemented == called | {"create-manual-customer-invoice"}


async def test_ids_carry_the_prefix_and_14_lowercase_alphanumerics() -> None:
    async with FakePortal() as portal, aiohttp.ClientSession() as session:
        customer = await create_customer(session, portal)
        _, invoice = await create_invoice(session, portal, customer["id"])
        assert re.fullmatch(r"cst_[a-z0-9]{14}", customer["id"])
        assert re.fullmatch(r"inv_[a-z0-9]{14}", invoice["id"])


async def test_objects_of_every_kind_are_readable_by_name_with_an_id_prefix() -> None:
    async with FakePortal() as portal, aiohttp.ClientSession() as session:
        customer = await create_customer(session, portal)
        _, invoice = await create_invoice(session, portal, customer["id"])
    for kind in KINDS:
        assert kind in ID_PREFIXES  # a stored kind needs its documented prefix
        assert dict(portal.objects(kind)) == portal.state.store.objects[kind]
    for kind in ("customers", "customer_invoices", "customer_offers", "agreements"):
        assert dict(portal.objects(kind)) == dict(getattr(portal, kind))  # the named shortcuts
    assert list(portal.objects("customer_invoices")) == [invoice["id"]]
    with pytest.raises(ValueError, match="unknown kind 'invoices'; one of: customers, "):
        portal.objects("invoices")


async def test_same_seed_gives_the_same_ids() -> None:
    ids = []
    for _ in range(2):
        async with FakePortal(seed=7) as portal, aiohttp.ClientSession() as session:
            ids.append((await create_customer(session, portal))["id"])
    assert ids[0] == ids[1]


async def test_timestamps_are_atom_in_europe_amsterdam_from_the_clock() -> None:
    clock = FakeClock()
    async with FakePortal(clock=clock) as portal, aiohttp.ClientSession() as session:
        summer = await create_customer(session, portal)
        clock.advance(200 * 24 * 3600)  # mid November: winter time
        winter = await create_customer(session, portal)
    assert summer["createdAt"] == "2024-04-28T21:00:00+02:00"
    assert winter["createdAt"] == "2024-11-14T20:00:00+01:00"
    assert ATOM.match(winter["createdAt"])


async def test_stored_objects_are_read_only_copies() -> None:
    async with FakePortal() as portal, aiohttp.ClientSession() as session:
        customer = await create_customer(session, portal)
        portal.customers[customer["id"]]["city"] = "changed"
        assert portal.customers[customer["id"]]["city"] == "Amsterdam"
        assert portal.customers.where(companyName="Test Company BV") == [customer]


@pytest.mark.parametrize(
    ("path", "body", "message"),
    [
        ("/customers", b"{not json", "The request body is not valid JSON: "),
        ("/customer-offers/manual", b'["a", "list"]', "The request body must be a JSON object."),
    ],
)
async def test_a_body_that_is_not_a_json_object_is_422_in_the_validation_shape(
    path: str, body: bytes, message: str
) -> None:
    async with FakePortal() as portal, aiohttp.ClientSession() as session:
        status, answer, _ = await call(
            session, portal, "POST", path, data=body, headers={"Content-Type": "application/json"}
        )
    assert status == 422
    assert set(answer) == {"message", "errors"}
    assert answer["message"].startswith(message)
    assert answer["errors"] == {"body": [answer["message"]]}


async def test_close_twice_is_harmless_and_state_stays_readable() -> None:
    portal = FakePortal()
    await portal.start()
    async with aiohttp.ClientSession() as session:
        await create_customer(session, portal)
    await portal.close()
    await portal.close()
    assert len(portal.customers) == 1


async def test_empty_file_inputs_count_as_absent_like_php() -> None:
    async with FakePortal() as portal, aiohttp.ClientSession() as session:
        customer = await create_customer(session, portal)
        data = form({"customerId": customer["id"]}, [("pdf", "", b"")])
        status, body, _ = await call(session, portal, "POST", "/customer-invoices", data=data)
        assert status == 422
        assert body["errors"]["pdf"] == ["The pdf field is required."]
