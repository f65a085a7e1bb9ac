"""The rate limiter on a real ``redis-server``: one schedule shared by every limiter (and
process) of a key. Real time on short windows, with bounds that hold on a loaded machine;
the multi-process runs send through the public client against a FakePortal."""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from redis_server import redis_server

from mijnklantportaal_async import RateLimiter
from mijnklantportaal_async.errors import APIConnectionError
from mijnklantportaal_async.testing import FakePortal
from mijnklantportaal_async.testing.faults import FaultConfig

WORKER = Path(__file__).with_name("redis_worker.py")


@pytest.fixture(scope="module")
def redis_uri() -> Iterator[str]:
    with redis_server() as uri:
        yield uri


_keys = itertools.count()


def limiter(uri: str, limit: int, period: float = 1.0, **kw: object) -> RateLimiter:
    return RateLimiter(limit, period, storage_uri=uri, key=kw.pop("key", f"k{next(_keys)}"), **kw)  # type: ignore[arg-type]


async def test_a_burst_then_evenly_spaced_sends_on_redis(redis_uri: str) -> None:
    pacer = limiter(redis_uri, 12, period=0.5, margin=0.0)  # burst 4, spread 1/18 s, then 1/24 s
    started = time.monotonic()
    times = []
    for _ in range(16):
        await pacer.acquire()
        times.append(time.monotonic() - started)
    await pacer.aclose()
    assert times[3] < 0.04  # the burst did not wait
    assert times[12] >= 0.5 - 0.002  # the 13th waits for the first slot to free
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert min(gaps[3:]) >= 1 / 48  # spaced, never bunched (wake-up jitter aside)
    assert max(gaps[3:]) < 3 / 24  # and no idle gap (1/18 s by design)


async def test_two_limiters_on_one_key_share_one_schedule(redis_uri: str) -> None:
    first = limiter(redis_uri, 4, key="shared", burst=1, margin=0.0)
    second = limiter(redis_uri, 4, key="shared", burst=1, margin=0.0)
    started = time.monotonic()
    await first.acquire()
    await second.acquire()  # one interval (0.25 s) after the first's send, not at once
    assert time.monotonic() - started >= 0.25 - 0.005
    assert await first.remaining() == 2
    await first.aclose()
    await second.aclose()


async def test_a_429_seen_by_one_limiter_holds_the_other(redis_uri: str) -> None:
    first = limiter(redis_uri, 100, key="blocked")
    second = limiter(redis_uri, 100, key="blocked")
    await first.acquire()
    first.observe(429, {"Retry-After": "0.4"})
    started = time.monotonic()

    async def second_after_the_first_reserved() -> float:
        await asyncio.sleep(0.05)  # the first's reservation (carrying the block) is made
        await second.acquire()
        return time.monotonic() - started

    _, waited = await asyncio.gather(first.acquire(), second_after_the_first_reserved())
    assert waited >= 0.35
    await first.aclose()
    await second.aclose()


async def test_sends_of_others_seen_in_remaining_count_for_every_limiter(redis_uri: str) -> None:
    first = limiter(redis_uri, 10, period=60.0, key="others", burst=10)
    second = limiter(redis_uri, 10, period=60.0, key="others", burst=10)
    await first.acquire()
    first.observe(200, {"X-RateLimit-Remaining": "5"})  # 4 requests of a third client
    await first.acquire()
    assert await second.remaining() == 10 - 2 - 4
    await first.aclose()
    await second.aclose()


async def test_an_unreachable_redis_is_a_connection_error_without_the_password() -> None:
    pacer = RateLimiter(storage_uri="redis://:hunter2@127.0.0.1:1/0")
    with pytest.raises(APIConnectionError, match=r"redis://127\.0\.0\.1:1/0") as info:
        await pacer.acquire()
    assert info.value.sent is False
    assert "hunter2" not in str(info.value)


LIMIT, PERIOD = 10, 0.5  # 20 per second, three windows a run
MARGIN = 0.04  # the default 10 ms is less than a starved 2-core machine may delay a send


async def run_workers(redis_uri: str, processes: int, items: int) -> tuple[list[float], int, int]:
    """``processes`` workers create ``items`` customers each through one key at LIMIT per
    PERIOD, started together; returns (every send time, customers created, the portal's
    429s)."""
    faults = FaultConfig(latency=0.02)
    async with FakePortal(rate_limit=LIMIT, rate_period=PERIOD, faults=faults) as portal:
        workers = [
            await asyncio.create_subprocess_exec(
                sys.executable,
                str(WORKER),
                portal.url,
                portal.api_key,
                redis_uri,
                str(LIMIT),
                str(PERIOD),
                str(MARGIN),
                str(items),
                str(n),
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                env={**os.environ, "PYTHONPATH": str(WORKER.parents[1])},
            )
            for n in range(processes)
        ]
        try:
            for worker in workers:
                assert worker.stdout is not None
                assert await asyncio.wait_for(worker.stdout.readline(), 30) == b"ready\n"
            for worker in workers:
                assert worker.stdin is not None
                worker.stdin.write(b"go\n")
                await worker.stdin.drain()
            outputs = [await asyncio.wait_for(w.communicate(), 30) for w in workers]
        finally:
            for worker in workers:
                if worker.returncode is None:
                    worker.kill()
                    await worker.wait()
        assert [w.returncode for w in workers] == [0] * processes
        results = [json.loads(out.splitlines()[-1]) for out, _ in outputs]
        too_many = sum(1 for record in portal.requests if record.status == 429)
    sends = sorted(itertools.chain.from_iterable(r["sends"] for r in results))
    return sends, sum(r["created"] for r in results), too_many


@pytest.mark.parametrize("processes", [2, 4])
async def test_processes_sharing_one_key_through_redis_ride_the_limit_together(
    redis_uri: str, processes: int
) -> None:
    sends, created, too_many = await run_workers(redis_uri, processes, 32 // processes)
    assert created == 32
    assert too_many == 0
    steady = sends[LIMIT:]  # after the first window (its burst reuses no slot)
    reuse = [b - a for a, b in zip(steady, steady[LIMIT:], strict=False)]
    sustained = PERIOD / (sum(reuse) / len(reuse))
    # 0.926 by design (0.5 s held 0.54 s) and gaps of one interval; the bounds leave room for
    # a loaded 2-core machine, and still fail for processes that do not share (429s) or that
    # share badly (half the rate, or waits of several intervals)
    assert sustained >= 0.8
    assert max(b - a for a, b in itertools.pairwise(steady)) < 5 * PERIOD / LIMIT
