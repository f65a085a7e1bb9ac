"""The fault soak: 300 invoices through ``create_many`` against a FakePortal that injects about
10 % faults of every kind it has, on creates and on the list calls the look-ups make.

Whatever goes wrong, each invoice ends up stored exactly once and reported ``created`` or
``adopted``; the "processed, response lost" faults (reset, stall or 500 after storing) must
have been resolved by adopting what the portal stored, never by sending it again.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest

from mijnklantportaal_async import CustomerCreate, CustomerInvoiceCreate
from mijnklantportaal_async._core.http import RetryPolicy, Timeouts
from mijnklantportaal_async.bulk import ItemStatus, create_many
from mijnklantportaal_async.testing import FakePortal, FaultConfig
from mijnklantportaal_async.testing.faults import AFTER_STORE, FaultKind

N = 300
FAULT_RATE = 0.10
PDF = b"%PDF-1.4\n% soak\n%%EOF\n"
FAULTS = [kind for kind in FaultKind if kind is not FaultKind.LATENCY]


@pytest.mark.parametrize("seed", [1, 2])
async def test_300_invoices_under_ten_percent_faults_are_each_stored_exactly_once(
    seed: int,
) -> None:
    # stall_after_store withholds the response until the portal closes: the client's short
    # read timeout is what ends the wait, so the stall costs 0.2 s, not a real stall.
    async with FakePortal(
        rate_limit=None, faults=FaultConfig(seed=seed, retry_after=0), seed=seed
    ) as portal:
        client = portal.client(
            rate_limit=None,
            timeouts=Timeouts(read=0.2),
            retry=RetryPolicy(backoff_base=0.001, backoff_cap=0.01),
        )
        async with client as mkp:
            customer = await mkp.customers.create(
                CustomerCreate(
                    company_name="Soak BV",
                    address="Kade 1",
                    zip_code="1011AA",
                    city="Amsterdam",
                    primary_email="soak@example.com",
                )
            )
            # every kind at least once for sure, on creates and on list pages; then ~10 %
            # drawn from the seeded generator on every route
            portal.faults.script("create-customer-invoice", [k for f in FAULTS for k in (f, None)])
            portal.faults.script("list-customer-invoices", [k for f in FAULTS for k in (f, None)])
            for kind in FAULTS:
                portal.faults.set_rate(kind, FAULT_RATE / len(FAULTS))
            items = (
                CustomerInvoiceCreate(
                    customer_id=customer.id,
                    invoice_number=f"SOAK-{n:04d}",
                    issued_at=dt.date(2024, 4, 29),
                    amount=Decimal("12.95"),
                    pdf=PDF,
                )
                for n in range(N)
            )
            # max_attempts=5 rather than 3: at this fault rate one item in ~2,500 meets three
            # ambiguous faults in a row and fails by design; this test is about duplicates.
            report = await create_many(
                mkp.customer_invoices._kind(),
                items,
                concurrency=8,
                max_attempts=5,
                retry_base=0.001,
                retry_cap=0.01,
                grace=0.0,  # late arrivals: tests/bulk/test_late_arrivals.py
            )

    numbers = Counter(inv["invoiceNumber"] for inv in portal.customer_invoices.values())
    assert sum(numbers.values()) == N
    assert sorted(numbers) == [f"SOAK-{n:04d}" for n in range(N)]  # none twice, none missing
    assert [(r.status, r.error) for r in report.failures] == []
    assert {r.status for r in report.results} <= {ItemStatus.CREATED, ItemStatus.ADOPTED}
    assert [r.index for r in report.results] == list(range(N))
    for result in report.results:  # the ID reported is the one stored under that number
        assert result.id is not None
        assert portal.customer_invoices[result.id]["invoiceNumber"] == result.key["invoice_number"]

    assert portal.faults.pending("create-customer-invoice") == []
    assert portal.faults.pending("list-customer-invoices") == []  # look-ups met faults too
    injected = Counter(record.kind for record in portal.faults.records)
    assert sum(injected.values()) >= FAULT_RATE * N, injected
    lost_after_store = {
        r.stored_id for r in portal.faults.records if r.kind in AFTER_STORE and r.stored
    }
    adopted = {r.id for r in report.results if r.status is ItemStatus.ADOPTED}
    assert len(lost_after_store) >= len(AFTER_STORE)  # stored, response lost ...
    # ... and each of those adopted, not sent again. (A response slower than the 0.2 s read
    # timeout on a loaded machine is adopted too, so this is a subset, not an equality.)
    assert lost_after_store <= adopted
