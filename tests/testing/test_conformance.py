"""Every FakePortal operation answers every status it can, and each answer conforms to the spec.

One scenario drives every implemented operation through its success and error answers (201/200,
401, 402, 404, 422, 426, 429, injected 500/503) and validates each JSON body the portals
sent with ``spec_check()`` (tests/test_fakeportal_spec.py: the spec patches and the responses
checked only for the error shape are documented there). tests/conftest.py runs the same check
on every FakePortal response of every other test; this scenario makes sure each status is
produced at least once. That the routing is the spec's operations is checked on the operations
table it is built from (tests/core/test_operations.py).
"""

from __future__ import annotations

from typing import Any

import aiohttp
from test_fakeportal_spec import spec_check
from test_fakeportal_support import (
    PDF,
    SIGNATURE,
    FakeClock,
    call,
    create_customer,
    create_invoice,
    form,
)

from mijnklantportaal_async.testing import FakePortal, RequestRecord


def agreement_form(identify: str = "0") -> aiohttp.MultipartWriter:
    fields = [
        ("name", "Service contract"),
        ("signerName", "John Doe"),
        ("signerSignatureData", SIGNATURE),
        ("signers[0][firstName]", "Dirk Jan"),
        ("signers[0][lastName]", "Bakker"),
        ("signers[0][email]", "dj.bakker@domain.com"),
        ("signers[0][shouldIdentify]", identify),
    ]
    return form(fields, [("documents[0]", "Contract version_2.pdf", PDF)])


def offer_form(customer_id: str, **overrides: str) -> aiohttp.MultipartWriter:
    fields = {
        "customerId": customer_id,
        "offerNumber": "2024-001",
        "issuedAt": "2024-04-29",
        "expiresAt": "2024-05-29",
        "amount": "12.95",
        "acceptedAt": "2024-05-14 21:00:00",
        **overrides,
    }
    return form(fields, [("pdf", "offer.pdf", PDF)])


def manual(customer_id: str, number_field: str, **extra: Any) -> dict[str, Any]:
    line = {"description": "Website template", "amountExclVat": "12.95", "vatRate": 21}
    return {
        "customerId": customer_id,
        number_field: "2025-001",
        "issuedAt": "2025-04-14",
        "lines": [line],
        **extra,
    }


async def drive_main_portal(portal: FakePortal, session: aiohttp.ClientSession) -> None:
    """Success, 401, 404, 422 and injected 5xx on every operation."""
    customer = await create_customer(session, portal)
    cid = customer["id"]
    await call(session, portal, "POST", "/customers", json={"primaryEmail": "x"})
    await call(session, portal, "GET", "/customers")
    await call(session, portal, "GET", "/customers", params={"page": "9"})
    await call(session, portal, "GET", f"/customers/{cid}")
    await call(session, portal, "GET", "/customers/cst_missing0000000")
    async with session.get(portal.url + "/customers") as unauthenticated:
        assert unauthenticated.status == 401

    _, invoice = await create_invoice(session, portal, cid, dueAt="2024-05-28")
    await create_invoice(session, portal, cid, paidAt="2024-05-11 12:59:00")
    await create_invoice(session, portal, cid, issuedAt="2024-04-31")
    await call(
        session, portal, "POST", "/customer-invoices/manual", json=manual(cid, "invoiceNumber")
    )
    await call(session, portal, "POST", "/customer-invoices/manual", json={"lines": []})
    await call(session, portal, "GET", "/customer-invoices")
    await call(session, portal, "GET", f"/customer-invoices/{invoice['id']}")
    await call(session, portal, "GET", "/customer-invoices/inv_missing0000000")

    _, offer, _ = await call(session, portal, "POST", "/customer-offers", data=offer_form(cid))
    await call(session, portal, "POST", "/customer-offers", data=offer_form(cid, amount="1.234"))
    manual_offer = manual(cid, "offerNumber", expiresAt="2025-04-30")
    await call(session, portal, "POST", "/customer-offers/manual", json=manual_offer)
    await call(session, portal, "POST", "/customer-offers/manual", json={})
    await call(session, portal, "GET", "/customer-offers")
    await call(session, portal, "GET", f"/customer-offers/{offer['id']}")
    await call(session, portal, "GET", "/customer-offers/off_missing0000000")

    _, agreement, _ = await call(session, portal, "POST", "/agreements", data=agreement_form("1"))
    await call(session, portal, "POST", "/agreements", data=form({"name": "x"}))
    await call(session, portal, "GET", "/agreements")
    await call(session, portal, "GET", f"/agreements/{agreement['id']}")
    await call(session, portal, "GET", "/agreements/agr_missing0000000")

    hook = {"url": "https://example.org/hooks", "type": "invoice-paid"}
    _, webhook, _ = await call(session, portal, "POST", "/webhooks", json=hook)
    await call(session, portal, "POST", "/webhooks", json={**hook, "type": "invoice-sent"})
    await call(session, portal, "GET", "/webhooks")
    await call(session, portal, "GET", f"/webhooks/{webhook['id']}")
    await call(session, portal, "GET", "/webhooks/wbh_missing0000000")
    await call(session, portal, "GET", "/files/fsf_missing0000000/download")  # 404
    portal.faults.script("create-customer-invoice", ["500_before", "503_before", "500_after_store"])
    for _ in range(3):
        await create_invoice(session, portal, cid)


async def drive_limits_portal(portal: FakePortal, session: aiohttp.ClientSession) -> None:
    """426 (licence), 402 (balance) and 429 (rate limit)."""
    customer = await create_customer(session, portal)
    cid = customer["id"]
    await create_invoice(session, portal, cid)
    await create_invoice(session, portal, cid)
    await call(
        session, portal, "POST", "/customer-invoices/manual", json=manual(cid, "invoiceNumber")
    )
    await call(session, portal, "POST", "/customer-offers", data=offer_form(cid))
    await call(session, portal, "POST", "/customer-offers", data=offer_form(cid))
    manual_offer = manual(cid, "offerNumber", expiresAt="2025-04-30")
    await call(session, portal, "POST", "/customer-offers/manual", json=manual_offer)
    await call(session, portal, "POST", "/agreements", data=agreement_form("1"))
    for _ in range(3):
        await call(session, portal, "GET", "/customers")


async def collect_records() -> list[RequestRecord]:
    records: list[RequestRecord] = []
    async with aiohttp.ClientSession() as session:
        async with FakePortal(clock=FakeClock()) as portal:
            await drive_main_portal(portal, session)
            records += portal.requests
        async with FakePortal(
            license_limit=1, balance=0, rate_limit=9, clock=FakeClock()
        ) as portal:
            await drive_limits_portal(portal, session)
            records += portal.requests
        async with FakePortal(agreements_enabled=False) as portal:
            await call(session, portal, "POST", "/agreements", data=agreement_form())
            records += portal.requests
    return records


async def test_every_response_body_conforms_to_the_spec() -> None:
    records = await collect_records()
    covered = {(r.operation_id, r.status) for r in records if r.status is not None}
    expected = {
        ("create-customer", 201), ("create-customer", 422), ("list-customers", 200),
        ("get-customer", 200), ("get-customer", 404), ("list-customers", 401),
        ("list-customers", 429),
        ("create-customer-invoice", 201), ("create-customer-invoice", 422),
        ("create-customer-invoice", 426), ("create-customer-invoice", 500),
        ("create-customer-invoice", 503),
        ("create-manual-customer-invoice", 201), ("create-manual-customer-invoice", 422),
        ("create-manual-customer-invoice", 426),
        ("list-customer-invoices", 200), ("get-customer-invoice", 200),
        ("get-customer-invoice", 404),
        ("create-customer-offer", 201), ("create-customer-offer", 422),
        ("create-customer-offer", 426),
        ("create-customer-offer-manual", 201), ("create-customer-offer-manual", 422),
        ("create-customer-offer-manual", 426),
        ("list-customer-offers", 200), ("get-customer-offer", 200), ("get-customer-offer", 404),
        ("create-agreement", 201), ("create-agreement", 402), ("create-agreement", 422),
        ("create-agreement", 426), ("list-agreements", 200), ("get-agreement", 200),
        ("get-agreement", 404), ("create-webhook", 201), ("create-webhook", 422),
        ("list-webhooks", 200), ("get-webhook", 200), ("get-webhook", 404),
        ("download-file", 404),
    }  # fmt: skip
    assert expected <= covered, sorted(expected - covered)
    check = spec_check()
    assert check.validate(records) == []
    # Cross-check of that fast check: openapi-core on every response of a declared status.
    declared = [
        record
        for record in records
        if record.status not in (None, 501)
        and record.route is not None
        and record.response_headers["Content-Type"] == "application/json"
        and check.declared(record) is not None
    ]
    assert len(declared) > 30
    assert [problem for record in declared for problem in check.openapi_problems(record)] == []
