"""``X-RateLimit-Limit`` / ``X-RateLimit-Remaining`` on every FakePortal response (api/NOTES.md
section 4: "Every response carries ..."), whatever the path it took through the pipeline.

Answers after the rate limit report the slot they took; answers that take none report the
window without counting: a 401 the full limit (no valid key, no budget spent), an unknown path
or method the key's remaining requests.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest
from test_fakeportal_support import (
    PDF,
    FakeClock,
    auth,
    call,
    create_customer,
    form,
    invoice_fields,
)

from mijnklantportaal_async.testing import FakePortal, FaultKind

LIMIT = 10


def rate_headers(headers: dict[str, str]) -> tuple[str, str]:
    return headers["X-RateLimit-Limit"], headers["X-RateLimit-Remaining"]


@pytest.fixture
async def portal() -> AsyncIterator[FakePortal]:
    async with FakePortal(rate_limit=LIMIT, clock=FakeClock()) as portal:
        yield portal


async def test_401_reports_the_full_limit_and_spends_nothing(portal: FakePortal) -> None:
    async with aiohttp.ClientSession() as session:
        await call(session, portal, "GET", "/customers")  # the real key: 9 left
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic x"}):
            async with session.post(portal.url + "/customers", headers=headers) as response:
                assert response.status == 401
                assert rate_headers(dict(response.headers)) == (str(LIMIT), str(LIMIT))
        _, _, headers = await call(session, portal, "GET", "/customers")
    assert rate_headers(headers) == (str(LIMIT), str(LIMIT - 2))


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [("GET", "/nowhere", 404), ("DELETE", "/customers", 405), ("PUT", "/agreements/agr_x", 405)],
)
async def test_unknown_routes_report_the_key_s_window_without_using_it(
    portal: FakePortal, method: str, path: str, status: int
) -> None:
    async with aiohttp.ClientSession() as session:
        await call(session, portal, "GET", "/customers")
        got, _, headers = await call(session, portal, method, path)
        assert got == status
        assert rate_headers(headers) == (str(LIMIT), str(LIMIT - 1))
        async with session.request(method, portal.url + path) as anonymous:
            assert anonymous.status == status
            assert rate_headers(dict(anonymous.headers)) == (str(LIMIT), str(LIMIT))
        _, _, headers = await call(session, portal, "GET", "/customers")
    assert rate_headers(headers) == (str(LIMIT), str(LIMIT - 2))


@pytest.mark.parametrize(
    ("kind", "status"),
    [
        (FaultKind.ERROR_500, 500),
        (FaultKind.ERROR_502, 502),
        (FaultKind.ERROR_503, 503),
        (FaultKind.ERROR_504, 504),
        (FaultKind.ERROR_500_AFTER_STORE, 500),
    ],
)
async def test_injected_faults_and_gateway_pages_report_the_slot_they_took(
    portal: FakePortal, kind: FaultKind, status: int
) -> None:
    async with aiohttp.ClientSession() as session:
        customer = await create_customer(session, portal)
        portal.faults.script("create-customer-invoice", [kind])
        data = form(invoice_fields(customer["id"]), [("pdf", "invoice.pdf", PDF)])
        url = portal.url + "/customer-invoices"
        async with session.post(url, data=data, headers=auth(portal)) as response:
            assert response.status == status
            assert rate_headers(dict(response.headers)) == (str(LIMIT), str(LIMIT - 2))
    assert rate_headers(portal.requests[-1].response_headers) == (str(LIMIT), str(LIMIT - 2))


async def test_every_answer_of_a_mixed_session_carries_both_headers(portal: FakePortal) -> None:
    async with aiohttp.ClientSession() as session:
        customer = await create_customer(session, portal)  # 201
        await call(session, portal, "POST", "/customers", json={})  # 422
        await call(session, portal, "GET", "/customers/cst_missing0000000")  # 404
        await call(session, portal, "POST", "/customer-invoices/manual", data=b"{")  # bad JSON
        await call(session, portal, "GET", "/files/fsf_missing0000000/download")  # 404
        await call(session, portal, "GET", f"/customers/{customer['id']}")  # 200
        portal.faults.script("list-customers", [FaultKind.ERROR_504])
        async with session.get(portal.url + "/customers", headers=auth(portal)) as response:
            assert response.status == 504  # an HTML page
        for _ in range(LIMIT):
            await call(session, portal, "GET", "/customers")  # ... then 429
    statuses = {record.status for record in portal.requests}
    assert {200, 201, 404, 422, 429, 504} <= statuses
    for record in portal.requests:
        assert "X-RateLimit-Limit" in record.response_headers, (record.status, record.path)
        assert "X-RateLimit-Remaining" in record.response_headers, (record.status, record.path)
