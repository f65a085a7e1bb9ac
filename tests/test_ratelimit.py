"""The client-side pacer on memory://: evenly spaced sends, the rolling window's hard limit,
slots held from the send, corrections from the server's headers, settings and storage URIs.
Virtual time; the FakePortal's own rolling window (``testing/limits.py``) plays the server."""

from __future__ import annotations

import asyncio
import heapq
import itertools
import random
import subprocess
import sys
from collections.abc import Coroutine
from typing import Any

import pytest

from mijnklantportaal_async import RateLimit, RateLimiter
from mijnklantportaal_async._core.rate_window import MemoryWindow
from mijnklantportaal_async.ratelimit import default_margin
from mijnklantportaal_async.testing.limits import RollingWindow

START = 1_700_000_000.0


class VirtualTime:
    """A fake clock with a scheduler: ``sleep(d)`` parks the caller until :meth:`run` moves
    time to now + d, which it does only once every task is blocked."""

    def __init__(self, turns: int = 200) -> None:
        self.turns = turns  # loop turns per step: enough for every ready task to block again
        self.now = START
        self.sleeps: list[float] = []  # sleeps that ran to their end
        self._timers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._seq = itertools.count()

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._timers, (self.now + seconds, next(self._seq), future))
        await future
        self.sleeps.append(seconds)

    async def run(self, *aws: Coroutine[Any, Any, Any]) -> list[Any]:
        tasks = [asyncio.ensure_future(a) for a in aws]
        while True:
            for _ in range(self.turns):  # no threads or I/O: a fixed number is deterministic
                await asyncio.sleep(0)
            if all(t.done() for t in tasks):
                return [t.result() for t in tasks]
            if not self._timers:
                raise AssertionError("deadlock: tasks wait but no sleep is pending")
            when, _, future = heapq.heappop(self._timers)
            if not future.done():  # a cancelled sleeper moves no time
                self.now = max(self.now, when)
                future.set_result(None)


def make(
    vt: VirtualTime, limit: int = 3, period: float = 10.0, margin: float = 0.5, burst: int = 1
) -> RateLimiter:
    """By default 3 per 10 s held 10.5 s, no burst: one send every 3.5 s."""
    return RateLimiter(limit, period, margin=margin, burst=burst, clock=vt.clock, sleep=vt.sleep)


async def grant_time(vt: VirtualTime, limiter: RateLimiter) -> float:
    await limiter.acquire()
    return vt.now


async def acquire_times(vt: VirtualTime, limiter: RateLimiter, n: int) -> list[float]:
    """Acquire n sends one after another in one task; times relative to START."""

    async def go() -> list[float]:
        return [await grant_time(vt, limiter) - START for _ in range(n)]

    result: list[float] = (await vt.run(go()))[0]
    return result


def approx(*times: float) -> list[Any]:
    return [pytest.approx(t, abs=1e-6) for t in times]


async def test_sends_are_spaced_evenly_not_burst_and_the_first_goes_at_once() -> None:
    vt = VirtualTime()
    limiter = make(vt)
    assert limiter.interval == pytest.approx(3.5)
    assert await acquire_times(vt, limiter, 5) == approx(0.0, 3.5, 7.0, 10.5, 14.0)
    assert vt.sleeps == approx(3.5, 3.5, 3.5, 3.5)


async def test_after_a_quiet_window_a_burst_goes_at_once_then_spreads_then_evens_out() -> None:
    vt = VirtualTime()
    limiter = make(vt, limit=6, period=10.0, margin=0.5, burst=3)  # hold 10.5
    spread, interval = 10.5 / 4, 10.5 / 6
    times = await acquire_times(vt, limiter, 10)
    assert times[:3] == [0.0] * 3  # the burst: a few calls after quiet do not wait
    assert times[3:7] == approx(spread, 2 * spread, 3 * spread, 4 * spread)  # the window's rest
    assert times[6] == pytest.approx(10.5)  # the first slot frees just as it is needed
    assert [b - a for a, b in itertools.pairwise(times[6:])] == approx(*[interval] * 3)


async def test_the_default_burst_is_a_third_of_the_limit() -> None:
    vt = VirtualTime()
    limiter = RateLimiter(60, 60, clock=vt.clock, sleep=vt.sleep)
    assert limiter.burst == 20
    assert await acquire_times(vt, limiter, 20) == [0.0] * 20
    assert vt.sleeps == []
    assert await acquire_times(vt, limiter, 1) == approx(60.25 / 41)


async def test_after_a_quiet_interval_a_send_goes_at_once() -> None:
    vt = VirtualTime()
    limiter = make(vt)
    await acquire_times(vt, limiter, 1)
    vt.now += 3.5  # one interval of quiet: the next slot is due
    assert await acquire_times(vt, limiter, 1) == approx(3.5)
    vt.now += 100.0
    assert await acquire_times(vt, limiter, 2) == approx(103.5, 107.0)


async def test_concurrent_acquirers_go_in_order_evenly_and_never_exceed_the_window() -> None:
    vt = VirtualTime()
    limit, period = 3, 10.0
    limiter = make(vt, limit, period)
    granted: list[tuple[int, float]] = []

    async def worker(i: int) -> None:
        await limiter.acquire()
        granted.append((i, vt.now - START))

    await vt.run(*(worker(i) for i in range(10)))

    assert [i for i, _ in granted] == list(range(10))
    assert [t for _, t in granted] == approx(*(3.5 * i for i in range(10)))
    times = [t for _, t in granted]
    for start in times:  # every window that starts at a send (the worst case) holds <= limit
        assert sum(1 for t in times if start <= t < start + period) <= limit


async def test_a_cancelled_waiter_does_not_block_the_next_for_more_than_an_interval() -> None:
    vt = VirtualTime()
    limiter = make(vt)
    await acquire_times(vt, limiter, 1)
    waiter = asyncio.ensure_future(limiter.acquire())
    await vt.run(asyncio.sleep(0))  # the waiter now sleeps until 3.5
    waiter.cancel()
    assert await acquire_times(vt, limiter, 2) == approx(7.0, 10.5)  # its slot went unused
    assert waiter.cancelled()


async def test_a_send_without_an_answer_holds_its_slot_from_the_send() -> None:
    vt = VirtualTime()
    limiter = make(vt, limit=1, period=10.0)

    async def reset_after(seconds: float) -> None:
        await limiter.acquire()
        await vt.sleep(seconds)  # the connection was reset: no answer
        limiter.settle()

    await vt.run(reset_after(3.0))
    assert await limiter.remaining() == 0
    assert await acquire_times(vt, limiter, 1) == approx(10.5)  # not 13.5: held from the send


async def test_a_send_whose_answer_was_slow_holds_its_slot_from_when_it_may_have_arrived() -> None:
    vt = VirtualTime()
    limiter = make(vt, limit=2, period=10.0, margin=0.5)  # one send every 5.25 s

    async def call(rtt: float) -> None:
        await limiter.acquire()
        await vt.sleep(rtt)
        limiter.observe(200, {})

    await vt.run(call(0.1))  # at 0: the fastest round trip so far
    await vt.run(call(4.1))  # at 5.25, 4 s slower: the server may have counted it at 9.25
    # it is logged 3.5 s later (the margin covers 0.5 s): at 8.75, so the sends a window
    # after it wait for it, and the next is spaced from it
    assert await acquire_times(vt, limiter, 2) == approx(14.0, 19.25)


async def test_a_lower_server_limit_is_adopted_and_sends_already_made_still_count() -> None:
    vt = VirtualTime()
    limiter = make(vt, limit=60, period=60.0, margin=0.0)  # one send a second
    await acquire_times(vt, limiter, 5)  # at 0..4
    limiter.observe(200, {"x-ratelimit-limit": "5"})
    assert limiter.limit == 5
    assert limiter.interval == pytest.approx(12.0)
    # the window holds 5 already: the next send waits for the first to leave it at 60
    assert await acquire_times(vt, limiter, 2) == approx(60.0, 72.0)


async def test_429_with_retry_after_holds_every_acquire_until_then() -> None:
    vt = VirtualTime()
    limiter = make(vt)
    await acquire_times(vt, limiter, 1)
    limiter.observe(429, {"retry-after": "7"})
    assert await limiter.remaining() == 0
    assert await vt.run(grant_time(vt, limiter), grant_time(vt, limiter)) == approx(
        START + 7.0, START + 10.5
    )


async def test_a_429_that_comes_while_a_send_waits_holds_that_send_too() -> None:
    vt = VirtualTime()
    limiter = make(vt)
    await acquire_times(vt, limiter, 1)
    waiter = grant_time(vt, limiter)  # reserved for 3.5

    async def answer_429_at_1() -> None:
        await vt.sleep(1.0)
        limiter.observe(429, {"Retry-After": "5"})

    # woken at 3.5 inside the block (until 6), it reserves again: the next interval, 7.0
    assert (await vt.run(waiter, answer_429_at_1()))[0] == pytest.approx(START + 7.0)


async def test_429_without_retry_after_waits_for_x_ratelimit_reset() -> None:
    vt = VirtualTime()
    limiter = make(vt)
    limiter.observe(429, {"X-RateLimit-Reset": str(int(START) + 30)})
    assert await acquire_times(vt, limiter, 1) == approx(30.0)


async def test_a_retry_after_on_a_non_429_status_blocks_nothing() -> None:
    vt = VirtualTime()
    limiter = make(vt)
    limiter.observe(503, {"Retry-After": "30"})  # retries are the request path's business
    assert await acquire_times(vt, limiter, 1) == approx(0.0)


async def answered(vt: VirtualTime, limiter: RateLimiter, rtt: float, remaining: int) -> None:
    """One request as HTTPCore makes it: acquire, the round trip, observe the answer."""
    await limiter.acquire()
    await vt.sleep(rtt)
    limiter.observe(200, {"X-RateLimit-Remaining": str(remaining)})


async def test_remaining_lower_than_own_sends_explain_counts_others_and_holds_back() -> None:
    vt = VirtualTime()
    limiter = make(vt, limit=10, period=60.0, margin=0.0)  # one send every 6 s
    await vt.run(answered(vt, limiter, 1.0, remaining=3))  # sent at 0: the server counts 7
    # 6 sends by others are logged at the next acquire (at 1); with ours the window holds 7.
    # The 3 slots left are spread so that the window fills just as our send at 0 leaves it:
    # no 429, and no idle gap after the wait the others caused
    assert await acquire_times(vt, limiter, 5) == approx(42.0, 48.0, 54.0, 60.0, 66.0)


async def test_remaining_explained_by_own_sends_holds_nothing_back() -> None:
    vt = VirtualTime()
    limiter = make(vt, limit=10, period=60.0, margin=0.0)
    await vt.run(*(answered(vt, limiter, 0.5, remaining=9 - i) for i in range(3)))
    assert await acquire_times(vt, limiter, 2) == approx(18.0, 24.0)


async def test_the_same_others_are_not_counted_twice() -> None:
    vt = VirtualTime()
    limiter = make(vt, limit=10, period=60.0, margin=0.0)
    await vt.run(answered(vt, limiter, 1.0, remaining=5))  # 4 by others, logged at 1
    await vt.run(answered(vt, limiter, 1.0, remaining=4))  # ours at 30: nobody new
    assert await acquire_times(vt, limiter, 1) == approx(36.0)
    assert await limiter.remaining() == 3  # 3 of ours and 4 of others in the window


async def ride(
    limit: int, period: float, *, workers: int, sends: int, rtt: tuple[float, float], seed: int
) -> tuple[float, int, float]:
    """``workers`` tasks send ``sends`` requests through a limiter to a server that counts each
    on arrival (RollingWindow, the FakePortal's) with a random one-way delay in ``rtt``;
    returns (sustained rate / limit, 429s, longest gap between sends / interval). Sustained:
    ``period / mean(t[i + limit] - t[i])`` over the arrivals after the first window (the
    burst there reuses no slot; its gaps are the workers' start, not the limiter's)."""
    vt = VirtualTime(turns=12)
    rng = random.Random(seed)
    limiter = RateLimiter(limit, period, clock=vt.clock, sleep=vt.sleep)
    server = RollingWindow(limit, period, clock=vt.clock)
    arrivals: list[float] = []
    statuses: list[int] = []
    left = [sends]

    async def worker() -> None:
        while left[0] > 0:
            left[0] -= 1
            await limiter.acquire()
            await vt.sleep(rng.uniform(*rtt) / 2)
            decision = server.hit("key")
            arrivals.append(vt.now)
            await vt.sleep(rng.uniform(*rtt) / 2)
            statuses.append(200 if decision.allowed else 429)
            limiter.observe(statuses[-1], decision.headers())

    await vt.run(*(worker() for _ in range(workers)))
    gaps = [arrivals[i + limit] - arrivals[i] for i in range(limit, len(arrivals) - limit)]
    sustained = period / (sum(gaps) / len(gaps))
    longest = max(b - a for a, b in itertools.pairwise(arrivals[limit:]))
    return sustained, statuses.count(429), longest / limiter.interval


@pytest.mark.parametrize(
    ("limit", "period", "workers", "rtt", "goal"),
    [
        (300, 5.0, 32, (0.045, 0.055), 0.99),  # the goals, each with 0 x 429
        (50, 1.0, 8, (0.045, 0.055), 0.985),
        (60, 60.0, 4, (0.15, 0.25), 0.995),  # the real API's window
        (600, 10.0, 16, (0.19, 0.21), 0.99),
    ],
)
async def test_riding_the_limit_with_latency_jitter_no_429_and_no_idle_gap(
    limit: int, period: float, workers: int, rtt: tuple[float, float], goal: float
) -> None:
    sustained, too_many, longest_gap = await ride(
        limit, period, workers=workers, sends=3 * limit, rtt=rtt, seed=limit
    )
    assert too_many == 0
    assert goal <= sustained <= 1.0
    assert longest_gap < 2.0  # twice period / limit is the goal; jitter is the rest


def test_the_default_margin_is_half_a_percent_of_the_period_within_10_and_250_ms() -> None:
    assert default_margin(1.0) == 0.01
    assert default_margin(5.0) == pytest.approx(0.025)
    assert default_margin(60.0) == 0.25
    assert RateLimiter(60, 60).interval == pytest.approx(60.25 / 60)
    assert RateLimiter(60, 60, margin=0).interval == 1.0


async def test_in_flight_to_fill_follows_the_round_trip() -> None:
    vt = VirtualTime()
    limiter = make(vt, limit=60, period=10.0, margin=0.0)  # a send every 1/6 s
    assert limiter.in_flight_to_fill() is None
    await vt.run(answered(vt, limiter, 0.2, remaining=59))
    assert limiter.round_trip == pytest.approx(0.2)
    assert limiter.in_flight_to_fill() == 3  # 0.2 s * 6/s = 1.2, a quarter more: 2, plus one


@pytest.mark.parametrize("uri", ["memory://", "async+memory://"])
async def test_the_memory_storage_uri_works_on_the_real_clock(uri: str) -> None:
    async def no_sleep(seconds: float) -> None:
        raise AssertionError(f"slept {seconds}")

    limiter = RateLimiter(3, 60, storage_uri=uri, sleep=no_sleep)
    await limiter.acquire()
    assert await limiter.remaining() == 2


def test_an_unknown_storage_uri_is_a_clear_value_error_without_the_password() -> None:
    with pytest.raises(ValueError, match=r"storage_uri: 'bogus://db:1' cannot be used") as info:
        RateLimiter(storage_uri="bogus://user:s3cret@db:1")
    assert "s3cret" not in str(info.value)


def test_a_uri_that_is_not_a_uri_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="storage_uri"):
        RateLimiter(storage_uri="localhost")


def test_a_custom_clock_with_redis_is_refused() -> None:
    with pytest.raises(ValueError, match="clock"):
        RateLimiter(storage_uri="redis://localhost:6379", clock=lambda: 0.0)


def test_redis_without_the_redis_package_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "redis", None)
    monkeypatch.setitem(sys.modules, "redis.asyncio", None)
    with pytest.raises(ValueError, match=r"mijnklantportaal-async\[redis\]") as info:
        RateLimiter(storage_uri="redis://:pw0rd@localhost:6379")
    assert "pw0rd" not in str(info.value)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"period": 0}, "period"),
        ({"period": -1.0}, "period"),
        ({"period": float("nan")}, "period"),
        ({"margin": -0.1}, "margin"),
        ({"margin": float("inf")}, "margin"),
        ({"burst": 0}, "burst"),
        ({"limit": 5, "burst": 6}, "burst"),
    ],
)
def test_bad_settings_are_refused(kwargs: dict[str, Any], field: str) -> None:
    with pytest.raises(ValueError, match=field):
        RateLimit(**kwargs)
    with pytest.raises(ValueError, match=field):
        RateLimiter(**kwargs)


async def test_the_key_never_reaches_the_store_or_the_repr() -> None:
    limiter = RateLimiter(key="sk_live_do_not_show")
    await limiter.acquire()
    assert "sk_live" not in repr(limiter)
    assert "sk_live" not in repr(vars(limiter))
    assert isinstance(limiter._store, MemoryWindow)


def test_importing_the_package_loads_no_storage_driver() -> None:
    probe = (
        "import sys, mijnklantportaal_async; print(sorted({'redis', 'limits'} & set(sys.modules)))"
    )
    command = [sys.executable, "-c", probe]
    out = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
    assert out.stdout.strip() == "[]"  # redis is imported only for a redis:// storage URI
