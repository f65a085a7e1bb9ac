"""Pacing: does a bulk run ride the portal's rate limit without 429s?

A FakePortal allows ``limit`` requests per ``period`` seconds (rolling) and adds ``latency``
seconds to every request; the client's limiter is set to the same window. One customer is
created, then ``invoices`` invoices (each with a small PDF) through
``mkp.customer_invoices.create_many``. Every request the client sends is timed through an
aiohttp trace on its session, and the portal's request log gives the statuses (429s).
"""

from __future__ import annotations

import time
from collections import Counter
from types import SimpleNamespace

import aiohttp
import attrs

from benchmarks._common import Row, customer, invoice
from mijnklantportaal_async import RateLimit
from mijnklantportaal_async.testing import FakePortal
from mijnklantportaal_async.testing.faults import FaultConfig

__all__ = ["PacingResult", "pacing_rows", "run_pacing"]


@attrs.frozen(kw_only=True)
class PacingResult:
    """What one pacing run measured (times in seconds, rates in requests per second)."""

    limit: int
    period: float
    latency: float
    concurrency: int
    invoices_created: int
    requests: int
    by_route: dict[str, int]
    status_429: int
    wall: float
    overall_rate: float
    sustained_rate: float
    max_in_window: int
    round_trip: float


def _max_in_window(starts: list[float], period: float) -> int:
    """The most request starts in any window ``(t - period, t]``."""
    best = 0
    first = 0
    for last, now in enumerate(starts):
        while starts[first] <= now - period:
            first += 1
        best = max(best, last - first + 1)
    return best


async def run_pacing(
    *,
    invoices: int = 500,
    limit: int = 50,
    period: int = 1,
    latency: float = 0.05,
    concurrency: int = 4,
) -> PacingResult:
    """Create one customer and ``invoices`` invoices against a rate-limited, slow portal."""
    starts: list[float] = []
    ends: list[float] = []
    round_trips: list[float] = []

    async def on_start(
        _s: aiohttp.ClientSession, ctx: SimpleNamespace, _p: aiohttp.TraceRequestStartParams
    ) -> None:
        ctx.started = time.perf_counter()
        starts.append(ctx.started)

    async def on_end(
        _s: aiohttp.ClientSession, ctx: SimpleNamespace, _p: aiohttp.TraceRequestEndParams
    ) -> None:
        ends.append(time.perf_counter())
        round_trips.append(ends[-1] - ctx.started)

    trace = aiohttp.TraceConfig()
    trace.on_request_start.append(on_start)
    trace.on_request_end.append(on_end)
    faults = FaultConfig(latency=latency)
    async with (
        FakePortal(rate_limit=limit, rate_period=float(period), faults=faults) as portal,
        aiohttp.ClientSession(trace_configs=[trace]) as session,
        portal.client(session=session, rate_limit=RateLimit(limit=limit, period=period)) as mkp,
    ):
        owner = await mkp.customers.create(customer(0))
        items = (invoice(owner.id, n) for n in range(1, invoices + 1))
        report = await mkp.customer_invoices.create_many(items, concurrency=concurrency)
        records = portal.requests
    starts.sort()
    gaps = [starts[i + limit] - starts[i] for i in range(len(starts) - limit)]
    sustained = limit / (sum(gaps) / len(gaps)) * period if gaps else float("nan")
    wall = max(ends) - min(starts)
    return PacingResult(
        limit=limit,
        period=float(period),
        latency=latency,
        concurrency=concurrency,
        invoices_created=report.created,
        requests=len(records),
        by_route=dict(Counter(record.route or record.path for record in records)),
        status_429=sum(1 for record in records if record.status == 429),
        wall=wall,
        overall_rate=len(records) / wall,
        sustained_rate=sustained,
        max_in_window=_max_in_window(starts, float(period)),
        round_trip=sum(round_trips) / len(round_trips),
    )


def pacing_rows(result: PacingResult) -> list[Row]:
    """The table rows of a pacing run."""
    per_second = result.limit / result.period
    routes = ", ".join(f"{route} {count}" for route, count in sorted(result.by_route.items()))
    name = "pacing"

    def of_limit(metric: str, rate: float) -> Row:
        return Row(name, metric, f"{rate:.1f}/s / {per_second:g}/s = {rate / per_second:.1%}")

    return [
        Row(
            name,
            "setup",
            f"limit {result.limit}/{result.period:g} s, latency {result.latency * 1000:g} ms, "
            f"concurrency {result.concurrency}",
        ),
        Row(name, "invoices created", f"{result.invoices_created}"),
        Row(name, "requests sent (all routes)", f"{result.requests} ({routes})"),
        Row(name, "429 responses from the portal", f"{result.status_429}"),
        Row(name, "wall time, first send to last answer", f"{result.wall:.2f} s"),
        of_limit("overall rate / limit (incl. first burst)", result.overall_rate),
        of_limit("sustained rate / limit", result.sustained_rate),
        Row(
            name,
            "ceiling: limit * period / (period + round trip)",
            f"{per_second * result.period / (result.period + result.round_trip):.1f}/s "
            f"(mean round trip {result.round_trip * 1000:.0f} ms)",
        ),
        Row(
            name,
            f"most sends in any {result.period:g} s window",
            f"{result.max_in_window} (limit {result.limit})",
        ),
    ]
