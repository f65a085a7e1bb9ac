"""Late arrivals, through a fault proxy of our own (``tests/late_proxy.py``, independent of the
FakePortal's fault injector) that holds creates past the client's timeout and its look-up and
delivers them later; also cuts answers after storing and requests before forwarding.

Per seed: with the grace period (30 fake seconds) and creates delivered within it, every item
is stored exactly once; creates delivered after it are created twice, and every such key is in
``BulkReport.duplicates`` (never a silent duplicate); without a grace period they are created
twice. ``figures()`` gives the numbers the docs quote: items tried, stored, duplicates, lost.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from typing import Any

import pytest
from late_proxy import FakeClock, Fate, LateProxy, fates_of

from mijnklantportaal_async import (
    CustomerCreate,
    CustomerInvoiceCreate,
    ItemStatus,
    RetryPolicy,
    Timeouts,
)
from mijnklantportaal_async.bulk import BulkReport, create_many
from mijnklantportaal_async.testing import FakePortal

N = 40
PDF = b"%PDF-1.4\n% late\n%%EOF\n"
SEEDS = [1, 2, 3]
WEIGHTS = {Fate.PASS: 0.55, Fate.LOST_ANSWER: 0.1, Fate.CUT: 0.1, Fate.LATE: 0.25}


async def run(
    seed: int, *, grace: float, late_delays: tuple[float, ...], concurrency: int
) -> tuple[BulkReport[Any], FakePortal, LateProxy, FakeClock]:
    clock = FakeClock()
    async with FakePortal(rate_limit=None) as portal:
        async with portal.client(rate_limit=None) as direct:
            owner = await direct.customers.create(
                CustomerCreate(
                    company_name="Late BV",
                    address="Kade 1",
                    zip_code="1011AA",
                    city="Amsterdam",
                    primary_email="late@example.com",
                )
            )
        proxy = LateProxy(portal.url, clock, seed=seed, weights=WEIGHTS, late_delays=late_delays)
        async with proxy:
            client = portal.client(
                base_url=proxy.url,
                rate_limit=None,
                timeouts=Timeouts(read=0.1),  # a held create ends the client's wait
                retry=RetryPolicy(backoff_base=0.001, backoff_cap=0.01),
            )
            async with client as mkp:
                items = [
                    CustomerInvoiceCreate(
                        customer_id=owner.id,
                        invoice_number=f"L-{n:03d}",
                        issued_at=dt.date(2024, 4, 29),
                        amount=Decimal("12.95"),
                        pdf=PDF,
                    )
                    for n in range(N)
                ]
                report = await create_many(
                    mkp.customer_invoices._kind(),
                    items,
                    concurrency=concurrency,
                    max_attempts=5,
                    retry_base=0.001,
                    retry_cap=0.01,
                    sleep=clock.sleep,
                    grace=grace,
                )
            await proxy.deliver_all()  # what was still held lands after the run
    return report, portal, proxy, clock


def figures(report: BulkReport[Any], portal: FakePortal) -> dict[str, int]:
    """Items tried, stored (distinct keys), duplicates (extra copies), lost (reported done
    but not stored, or neither stored nor reported failed), reported duplicate keys."""
    stored = Counter(inv["invoiceNumber"] for inv in portal.customer_invoices.values())
    done = {ItemStatus.CREATED, ItemStatus.ADOPTED, ItemStatus.EXISTS}
    lost = sum(
        1
        for r in report.results
        if not stored[r.key["invoice_number"]] and (r.status in done or not r.status.failure)
    )
    return {
        "tried": len(report.results),
        "stored": len(stored),
        "duplicates": sum(count - 1 for count in stored.values()),
        "lost": lost,
        "failed": report.failed,
        "reported duplicates": len(report.duplicates),
    }


@pytest.mark.parametrize("seed", SEEDS)
async def test_creates_delivered_within_the_grace_period_are_stored_exactly_once(
    seed: int,
) -> None:
    report, portal, proxy, clock = await run(
        seed, grace=30.0, late_delays=(1.0, 10.0, 29.0), concurrency=4
    )
    numbers = figures(report, portal)
    assert fates_of(proxy)["late"] >= 5  # the seed exercises the case
    assert numbers == {
        "tried": N,
        "stored": N,
        "duplicates": 0,
        "lost": 0,
        "failed": 0,
        "reported duplicates": 0,
    }
    assert proxy.delivered == fates_of(proxy)["late"]  # every held create did land
    assert report.ok
    assert report.verification is not None  # the run had ambiguous outcomes: verified
    assert 30.0 in clock.slept


@pytest.mark.parametrize("seed", SEEDS)
async def test_creates_delivered_after_the_grace_period_are_reported_as_duplicates(
    seed: int,
) -> None:
    # One worker, so the fake clock moves only by the run's own waits: each held create lands
    # 45 s after it was held, after its second look-up (at 30 s) and before the verification.
    report, portal, proxy, _ = await run(seed, grace=30.0, late_delays=(45.0,), concurrency=1)
    numbers = figures(report, portal)
    late = fates_of(proxy)["late"]
    assert late >= 5
    assert numbers["stored"] == N
    assert numbers["lost"] == 0
    assert numbers["duplicates"] > 0  # the trade-off: a grace period bounds, not removes
    stored = Counter(inv["invoiceNumber"] for inv in portal.customer_invoices.values())
    twice = {number for number, count in stored.items() if count > 1}
    assert {d.key["invoice_number"] for d in report.duplicates} == twice  # none silent
    assert all(len(d.ids) == stored[d.key["invoice_number"]] for d in report.duplicates)
    assert not report.ok


@pytest.mark.parametrize("seed", SEEDS)
async def test_without_a_grace_period_late_creates_are_created_twice(seed: int) -> None:
    report, portal, proxy, _ = await run(seed, grace=0.0, late_delays=(10.0,), concurrency=4)
    numbers = figures(report, portal)
    assert numbers["lost"] == 0
    # the held creates the look-up missed were sent again, and landed after the run
    assert 0 < numbers["duplicates"] <= proxy.delivered
    assert numbers["reported duplicates"] == 0  # landed after the verification: the trade-off
