"""FakePortal fault injection: each kind shows the stored state and the record of the fault."""

from __future__ import annotations

import asyncio
import contextlib

import aiohttp
import pytest
from test_fakeportal_support import (
    CUSTOMER,
    PDF,
    FakeSleep,
    auth,
    call,
    create_customer,
    create_invoice,
    form,
    invoice_fields,
)

from mijnklantportaal_async.testing import FakePortal, FaultConfig, FaultKind, FaultRecord

ROUTE = "POST /customer-invoices"


async def post_invoice(
    session: aiohttp.ClientSession, portal: FakePortal, customer_id: str
) -> aiohttp.ClientResponse:
    data = form(invoice_fields(customer_id), [("pdf", "invoice.pdf", PDF)])
    url = portal.url + "/customer-invoices"
    async with session.post(url, data=data, headers=auth(portal)) as response:
        await response.read()
        return response


@pytest.mark.parametrize(
    ("kind", "status", "content_type"),
    [
        ("500_before", 500, "application/json"),
        ("502_before", 502, "text/html"),
        ("503_before", 503, "application/json"),
        ("504_before", 504, "text/html"),
    ],
)
async def test_errors_before_processing_store_nothing(
    kind: str, status: int, content_type: str
) -> None:
    async with FakePortal() as portal, aiohttp.ClientSession() as session:
        customer = await create_customer(session, portal)
        portal.faults.script(ROUTE, [kind])
        response = await post_invoice(session, portal, customer["id"])
        assert (response.status, response.content_type) == (status, content_type)
        assert portal.customer_invoices == {}
        [record] = portal.faults.records
        assert record == FaultRecord(
            kind=FaultKind(kind),
            method="POST",
            path="/v1/customer-invoices",
            operation_id="create-customer-invoice",
            request_index=1,
            stored=False,
            stored_id=None,
        )
        assert portal.requests[1].fault is FaultKind(kind)
        assert portal.requests[1].files == ()  # never read, never processed


async def test_503_carries_retry_after() -> None:
    async with (
        FakePortal(faults=FaultConfig(retry_after=7)) as portal,
        aiohttp.ClientSession() as session,
    ):
        portal.faults.script("list-customers", ["503_before"])
        status, body, headers = await call(session, portal, "GET", "/customers")
    assert (status, body, headers["Retry-After"]) == (503, {"message": "Service Unavailable"}, "7")


async def test_reset_before_processing_cuts_the_connection_and_stores_nothing() -> None:
    async with FakePortal() as portal, aiohttp.ClientSession() as session:
        customer = await create_customer(session, portal)
        portal.faults.script(ROUTE, ["reset_before"])
        with pytest.raises(aiohttp.ClientConnectionError):
            await post_invoice(session, portal, customer["id"])
        assert portal.customer_invoices == {}
        [record] = portal.faults.records
        assert (record.kind, record.stored, record.stored_id) == (
            FaultKind.RESET_BEFORE,
            False,
            None,
        )
        assert portal.requests[-1].status is None


async def test_reset_after_store_loses_the_response_but_keeps_the_invoice() -> None:
    async with FakePortal() as portal, aiohttp.ClientSession() as session:
        customer = await create_customer(session, portal)
        portal.faults.script(ROUTE, ["reset_after_store"])
        with pytest.raises(aiohttp.ClientConnectionError):
            await post_invoice(session, portal, customer["id"])
        [invoice_id] = portal.customer_invoices
        [record] = portal.faults.records
        assert (record.kind, record.stored, record.stored_id) == (
            FaultKind.RESET_AFTER_STORE,
            True,
            invoice_id,
        )
        logged = portal.requests[record.request_index]
        assert (logged.status, logged.stored_id) == (None, invoice_id)


async def test_stall_after_store_outlasts_the_client_timeout_and_close_releases_it() -> None:
    portal = FakePortal()
    await portal.start()
    try:
        async with aiohttp.ClientSession() as session:
            customer = await create_customer(session, portal)
            portal.faults.script(ROUTE, ["stall_after_store"])
            data = form(invoice_fields(customer["id"]), [("pdf", "invoice.pdf", PDF)])
            with pytest.raises(asyncio.TimeoutError):
                await session.post(
                    portal.url + "/customer-invoices",
                    data=data,
                    headers=auth(portal),
                    timeout=aiohttp.ClientTimeout(sock_read=0.3),
                )
        [invoice_id] = portal.customer_invoices
        [record] = portal.faults.records
        assert (record.kind, record.stored_id) == (FaultKind.STALL_AFTER_STORE, invoice_id)
    finally:
        await asyncio.wait_for(portal.close(), timeout=10)
    assert portal.requests[-1].status is None


async def test_a_timed_stall_sends_the_response_after_the_injected_sleep() -> None:
    sleep = FakeSleep()
    config = FaultConfig(stall_seconds=2.5)
    async with (
        FakePortal(faults=config, sleep=sleep) as portal,
        aiohttp.ClientSession() as session,
    ):
        customer = await create_customer(session, portal)
        portal.faults.script(ROUTE, ["stall_after_store"])
        status, body = await create_invoice(session, portal, customer["id"])
        assert (status, sleep.delays) == (201, [2.5])
        assert body["id"] in portal.customer_invoices


async def test_500_after_store_answers_500_but_keeps_the_invoice() -> None:
    async with FakePortal() as portal, aiohttp.ClientSession() as session:
        customer = await create_customer(session, portal)
        portal.faults.script(ROUTE, ["500_after_store"])
        status, body = await create_invoice(session, portal, customer["id"])
        assert (status, body) == (500, {"message": "Server Error"})
        [invoice_id] = portal.customer_invoices
        assert portal.faults.records[0].stored_id == invoice_id


async def test_latency_goes_through_the_injected_sleep_and_is_recorded() -> None:
    sleep = FakeSleep()
    async with (
        FakePortal(faults=FaultConfig(latency=0.75), sleep=sleep) as portal,
        aiohttp.ClientSession() as session,
    ):
        await create_customer(session, portal)
        assert sleep.delays == [0.75]
        [record] = portal.faults.records
        assert (record.kind, record.delay) == (FaultKind.LATENCY, 0.75)
        assert portal.requests[0].latency == 0.75
        [stored] = portal.customers
        assert (record.stored, record.stored_id) == (True, stored)


@pytest.mark.parametrize(
    ("kind", "stored"), [("500_before", False), ("reset_after_store", True), (None, False)]
)
async def test_a_latency_record_says_whether_the_delayed_request_stored(
    kind: str | None, stored: bool
) -> None:
    async with (
        FakePortal(faults=FaultConfig(latency=0.5), sleep=FakeSleep()) as portal,
        aiohttp.ClientSession() as session,
    ):
        portal.faults.script("create-customer", [kind])
        body = {} if kind is None else CUSTOMER  # None: a 422, nothing stored
        with contextlib.suppress(aiohttp.ClientError):
            await call(session, portal, "POST", "/customers", json=body)
    latency, *fault = portal.faults.records
    assert (latency.kind, latency.stored) == (FaultKind.LATENCY, stored)
    assert latency.stored_id == (next(iter(portal.customers)) if stored else None)
    assert [record.kind for record in fault] == ([FaultKind(kind)] if kind else [])


async def test_a_script_plans_the_next_matching_requests_in_order() -> None:
    async with FakePortal() as portal, aiohttp.ClientSession() as session:
        customer = await create_customer(session, portal)
        portal.faults.script(ROUTE, ["500_after_store", None, "500_before", "503_before"])
        statuses = [(await create_invoice(session, portal, customer["id"]))[0] for _ in range(3)]
        assert statuses == [500, 201, 500]
        assert portal.faults.pending(ROUTE) == [FaultKind.ERROR_503]
        # Other routes are untouched by the script.
        assert (await call(session, portal, "GET", "/customer-invoices"))[0] == 200
        assert [r.kind for r in portal.faults.records] == [
            FaultKind.ERROR_500_AFTER_STORE,
            FaultKind.ERROR_500,
        ]
        assert len(portal.customer_invoices) == 2


async def statuses_with_rate(seed: int) -> list[int]:
    config = FaultConfig(seed=seed, rates={"503_before": 0.5})
    async with FakePortal(faults=config) as portal, aiohttp.ClientSession() as session:
        return [(await call(session, portal, "GET", "/customers"))[0] for _ in range(20)]


async def test_rates_are_deterministic_for_a_seed() -> None:
    first = await statuses_with_rate(1)
    assert first == await statuses_with_rate(1)
    assert set(first) == {200, 503}
    assert first != await statuses_with_rate(2)


async def test_rates_apply_to_the_named_route_only_and_clear_removes_them() -> None:
    async with FakePortal() as portal, aiohttp.ClientSession() as session:
        portal.faults.set_rate("500_before", 1.0, route="create-customer")
        assert (await call(session, portal, "GET", "/customers"))[0] == 200
        assert (await call(session, portal, "POST", "/customers", json={}))[0] == 500
        portal.faults.clear()
        assert (await call(session, portal, "POST", "/customers", json={}))[0] == 422
        assert len(portal.faults.records) == 1


def test_typos_in_routes_and_kinds_are_errors() -> None:
    portal = FakePortal()
    with pytest.raises(ValueError, match="unknown route"):
        portal.faults.script("POST /customer-invoice", ["reset_before"])
    with pytest.raises(ValueError, match="unknown fault kind"):
        portal.faults.script(ROUTE, ["reset"])
    with pytest.raises(ValueError, match="probability"):
        portal.faults.set_rate("500_before", 1.5)
    with pytest.raises(ValueError, match="set_latency"):
        portal.faults.script(ROUTE, ["latency"])


@pytest.mark.parametrize(
    "name",
    [
        "create-customer-offer-manual",  # the seed page's operationId (the client's)
        "create-manual-customer-offer",  # openapi.yaml's guess, kept as an alias
        "POST /customer-offers/manual",
    ],
)
async def test_the_manual_offer_route_answers_to_the_seed_s_and_the_spec_s_name(
    name: str,
) -> None:
    async with FakePortal() as portal, aiohttp.ClientSession() as session:
        portal.faults.script(name, ["500_before"])
        status, _, _ = await call(session, portal, "POST", "/customer-offers/manual", json={})
    assert status == 500
    assert portal.faults.pending(name) == []
    [record] = portal.faults.records
    assert record.operation_id == "create-customer-offer-manual"
    assert portal.requests[-1].operation_id == "create-customer-offer-manual"
