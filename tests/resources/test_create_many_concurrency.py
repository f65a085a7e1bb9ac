"""``create_many`` without a ``concurrency``: the client's limiter says how many creates in
flight fill its rate limit at the round trip it sees, and the run grows to that (capped);
an explicit ``concurrency`` still wins. Over loopback, with the FakePortal's latency."""

from __future__ import annotations

from types import SimpleNamespace

import aiohttp

from mijnklantportaal_async import CustomerCreate, RateLimit
from mijnklantportaal_async.testing import FakePortal
from mijnklantportaal_async.testing.faults import FaultConfig


def customer(n: int) -> CustomerCreate:
    return CustomerCreate(
        company_name=f"Fill {n} BV",
        address="Kade 1",
        zip_code="1011AA",
        city="Amsterdam",
        primary_email=f"fill{n}@fill.example",
    )


async def most_in_flight(concurrency: int | None) -> int:
    """The most requests in flight at once while 48 customers are created at 600/s with 50 ms
    of latency (about 30 in flight fill that rate)."""
    in_flight = [0, 0]  # now, most

    async def on_start(
        _s: aiohttp.ClientSession, _c: SimpleNamespace, _p: aiohttp.TraceRequestStartParams
    ) -> None:
        in_flight[0] += 1
        in_flight[1] = max(in_flight)

    async def on_end(_s: aiohttp.ClientSession, _c: SimpleNamespace, _p: object) -> None:
        in_flight[0] -= 1

    trace = aiohttp.TraceConfig()
    trace.on_request_start.append(on_start)
    trace.on_request_end.append(on_end)
    trace.on_request_exception.append(on_end)
    limit = RateLimit(limit=600, period=1)
    async with (
        FakePortal(rate_limit=600, rate_period=1.0, faults=FaultConfig(latency=0.05)) as portal,
        aiohttp.ClientSession(trace_configs=[trace]) as session,
        portal.client(session=session, rate_limit=limit) as mkp,
    ):
        items = (customer(n) for n in range(48))
        report = await mkp.customers.create_many(items, concurrency=concurrency)
    assert report.created == 48
    return in_flight[1]


async def test_the_default_concurrency_grows_until_the_rate_limit_is_filled() -> None:
    assert await most_in_flight(None) >= 12  # from 4 at the start, towards 32


async def test_an_explicit_concurrency_is_kept() -> None:
    assert await most_in_flight(4) == 4
