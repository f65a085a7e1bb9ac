"""The client-side rolling-window limiter: computed waits, FIFO waiters, slots held until a
period after the answer, corrections from the server's headers, storage URIs. Virtual time."""

from __future__ import annotations

import asyncio
import heapq
import itertools
import random
import types
from collections.abc import Coroutine
from typing import Any

import limits.aio.storage.memory
import pytest

from mijnklantportaal_async.ratelimit import (
    WAKE_MARGIN,
    MemoryWindowStorage,
    RateLimit,
    RateLimiter,
)

START = 1_700_000_000.0
M = WAKE_MARGIN


class VirtualTime:
    """A fake clock with a scheduler: ``sleep(d)`` parks the caller until :meth:`run` moves
    time to now + d, which it does only once every task is blocked."""

    def __init__(self) -> None:
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
            for _ in range(200):  # no threads or I/O: a fixed number of turns is deterministic
                await asyncio.sleep(0)
            if all(t.done() for t in tasks):
                return [t.result() for t in tasks]
            if not self._timers:
                raise AssertionError("deadlock: tasks wait but no sleep is pending")
            when, _, future = heapq.heappop(self._timers)
            if not future.done():  # a cancelled sleeper moves no time
                self.now = max(self.now, when)
                future.set_result(None)


def make(vt: VirtualTime, limit: int = 60, period: float = 60.0) -> RateLimiter:
    return RateLimiter(limit, period, clock=vt.clock, sleep=vt.sleep)


async def flight(vt: VirtualTime, limiter: RateLimiter, rtt: float, **headers: str) -> None:
    """One request as HTTPCore makes it: acquire, the round trip, observe the answer."""
    await limiter.acquire()
    await vt.sleep(rtt)
    limiter.observe(200, {k.replace("_", "-"): v for k, v in headers.items()})


async def grant_time(vt: VirtualTime, limiter: RateLimiter) -> float:
    await limiter.acquire()
    return vt.now


async def acquire_times(vt: VirtualTime, limiter: RateLimiter, n: int) -> list[float]:
    """Acquire n slots one after another in one task (answered at once, as it were)."""

    async def go() -> list[float]:
        return [await grant_time(vt, limiter) for _ in range(n)]

    result: list[float] = (await vt.run(go()))[0]
    return result


def approx(*times: float) -> list[Any]:
    return [pytest.approx(START + t, abs=1e-6) for t in times]


async def test_sixty_pass_at_once_and_the_61st_waits_exactly_until_the_first_leaves() -> None:
    vt = VirtualTime()
    limiter = make(vt)
    assert await acquire_times(vt, limiter, 1) == [START]
    vt.now += 10.0
    assert await acquire_times(vt, limiter, 59) == [START + 10.0] * 59
    assert vt.sleeps == []
    assert await acquire_times(vt, limiter, 1) == approx(60.0 + M)
    assert vt.sleeps == [pytest.approx(50.0 + M, abs=1e-9)]


async def test_the_window_rolls_each_hit_frees_its_own_slot() -> None:
    vt = VirtualTime()
    limiter = make(vt, 3, 10)
    for _ in range(3):
        await acquire_times(vt, limiter, 1)
        vt.now += 2.0  # hits at 0, 2 and 4
    vt.now = START + 5.0
    # a fixed window would free all three at 10; a rolling one frees them at 10, 12, 14
    assert await acquire_times(vt, limiter, 3) == approx(10.0 + M, 12.0 + M, 14.0 + M)


async def test_concurrent_acquirers_go_in_order_and_never_exceed_the_limit() -> None:
    vt = VirtualTime()
    limit, period = 3, 10.0
    limiter = make(vt, limit, period)
    granted: list[tuple[int, float]] = []

    async def worker(i: int) -> None:
        await limiter.acquire()
        granted.append((i, vt.now))

    await vt.run(*(worker(i) for i in range(10)))

    assert [i for i, _ in granted] == list(range(10))
    times = [t for _, t in granted]
    for start in times:  # every window that starts at a hit (the worst case) holds <= limit
        assert sum(1 for t in times if start <= t <= start + period) <= limit
    for i in range(len(times) - limit):  # ... and no slot is left idle
        assert times[i + limit] - times[i] == pytest.approx(period + M, abs=1e-6)
    # only the head of the queue sleeps (once per refill of the window): no thundering herd
    assert vt.sleeps == [pytest.approx(period + M, abs=1e-6)] * 3


async def test_a_cancelled_waiter_takes_no_slot_and_does_not_block_the_next() -> None:
    vt = VirtualTime()
    limiter = make(vt, 1, 10)
    await acquire_times(vt, limiter, 1)
    waiter = asyncio.ensure_future(limiter.acquire())
    await vt.run(asyncio.sleep(0))  # the waiter is now asleep until START + 10
    waiter.cancel()
    assert await acquire_times(vt, limiter, 2) == approx(10.0 + M, 20.0 + 2 * M)
    assert waiter.cancelled()


async def test_a_slot_frees_one_period_after_the_answer_not_after_the_grant() -> None:
    vt = VirtualTime()
    limiter = make(vt, 1, 10)
    await vt.run(flight(vt, limiter, 2.0))  # granted at 0; the server counted it by 2
    assert await acquire_times(vt, limiter, 1) == approx(12.0 + M)


async def test_an_attempt_that_raised_frees_its_slot_one_period_after_it_ended() -> None:
    vt = VirtualTime()
    limiter = make(vt, 1, 10)

    async def failing() -> None:
        await limiter.acquire()
        await vt.sleep(3.0)
        raise ConnectionResetError  # no answer, so no observe()

    with pytest.raises(ConnectionResetError):
        await vt.run(failing())
    assert await acquire_times(vt, limiter, 1) == approx(13.0 + M)


async def test_a_settled_attempt_frees_its_slot_a_period_after_it_ended() -> None:
    vt = VirtualTime()
    limiter = make(vt, 1, 10)

    async def bulk_worker() -> None:
        await limiter.acquire()
        await vt.sleep(3.0)  # the connection was reset after 3 s: no answer
        limiter.settle()
        await vt.sleep(100.0)  # then a long look-up scan before it sends again

    results = await vt.run(bulk_worker(), grant_time(vt, limiter))
    assert results[1] == pytest.approx(START + 13.0 + M, abs=1e-6)  # not 20 (2 periods), not 103


async def test_a_retry_in_the_same_task_frees_the_failed_attempts_slot_a_period_later() -> None:
    vt = VirtualTime()
    limiter = make(vt, 1, 10)

    async def retrying() -> float:
        await limiter.acquire()
        await vt.sleep(1.0)  # the attempt failed (no observe); the same task tries again
        return await grant_time(vt, limiter)

    assert await vt.run(retrying()) == approx(11.0 + M)


async def test_when_every_slot_is_in_flight_a_waiter_waits_for_the_answers() -> None:
    vt = VirtualTime()
    limiter = make(vt, 2, 10)
    waiter = grant_time(vt, limiter)
    results = await vt.run(flight(vt, limiter, 3.0), flight(vt, limiter, 5.0), waiter)
    assert results[2] == pytest.approx(START + 13.0 + M, abs=1e-6)  # answered at 3, free at 13


async def test_a_request_unanswered_for_a_whole_period_cannot_block_the_window_for_ever() -> None:
    vt = VirtualTime()
    limiter = make(vt, 1, 10)
    waiter = grant_time(vt, limiter)
    results = await vt.run(flight(vt, limiter, 1000.0), waiter)
    assert results[1] == pytest.approx(START + 20.0 + M, abs=1e-6)  # taken as answered at 10


async def test_429_with_retry_after_holds_every_acquire_until_then() -> None:
    vt = VirtualTime()
    limiter = make(vt)
    await acquire_times(vt, limiter, 1)
    limiter.observe(429, {"retry-after": "7"})
    assert await limiter.remaining() == 0
    assert await vt.run(grant_time(vt, limiter), grant_time(vt, limiter)) == [START + 7.0] * 2


async def test_429_without_retry_after_waits_for_x_ratelimit_reset() -> None:
    vt = VirtualTime()
    limiter = make(vt)
    limiter.observe(429, {"X-RateLimit-Reset": str(int(START) + 30)})
    assert await acquire_times(vt, limiter, 1) == [START + 30.0]


async def test_a_retry_after_on_a_non_429_status_blocks_nothing() -> None:
    vt = VirtualTime()
    limiter = make(vt)
    limiter.observe(503, {"Retry-After": "30"})  # retries are the request path's business
    assert await acquire_times(vt, limiter, 1) == [START]


async def test_remaining_lower_than_expected_holds_back() -> None:
    vt = VirtualTime()
    limiter = make(vt, 10, 60)
    await acquire_times(vt, limiter, 2)
    vt.now += 5.0
    limiter.observe(200, {"X-RateLimit-Remaining": "3"})  # someone else made 5 requests
    granted = await acquire_times(vt, limiter, 6)
    assert granted[:3] == [START + 5.0] * 3  # the 3 the server still allows, at once
    # then the window is full: our 2 leave at 60, the 5 others (counted at 5) at 65
    assert granted[3:] == approx(60.0 + M, 60.0 + M, 65.0 + M)


async def test_remaining_explained_by_own_requests_holds_nothing_back() -> None:
    vt = VirtualTime()
    limiter = make(vt, 10, 60)
    # three in flight together; each answer counts the requests the server has seen so far
    await vt.run(
        *(flight(vt, limiter, 1.0 + i, X_RateLimit_Remaining=str(9 - i)) for i in range(3))
    )
    assert await acquire_times(vt, limiter, 7) == [START + 3.0] * 7


async def test_own_requests_the_server_counted_before_they_left_our_window_are_not_others() -> None:
    vt = VirtualTime()
    limiter = make(vt, 2, 10)
    await vt.run(flight(vt, limiter, 0.1))  # answered at 0.1
    vt.now = START + 9.9
    # the server counts this one at 10.0, when our first still fills its window: "0 left".
    # The answer comes at 12, after our first left our window: nobody else is involved.
    await vt.run(flight(vt, limiter, 2.1, X_RateLimit_Remaining="0"))
    assert await acquire_times(vt, limiter, 1) == approx(12.0)


async def test_riding_the_limit_through_latency_jitter_causes_no_429_and_no_idle_wait() -> None:
    vt = VirtualTime()
    limit, period = 5, 10
    rng = random.Random(4)
    limiter = make(vt, limit, period)
    server_hits: list[float] = []  # when the server counted each request
    statuses: list[int] = []
    calls: list[tuple[float, float, float]] = []  # (asked, granted, answered)

    async def call() -> None:
        asked = vt.now
        granted = await grant_time(vt, limiter)
        await vt.sleep(rng.uniform(0.01, 0.3))  # on its way; the server counts on arrival
        in_window = [t for t in server_hits if t > vt.now - period]
        ok = len(in_window) < limit
        if ok:
            server_hits.append(vt.now)
        headers = {"X-RateLimit-Limit": str(limit)}
        headers["X-RateLimit-Remaining"] = str(limit - len(in_window) - ok)
        await vt.sleep(rng.uniform(0.01, 0.3))
        statuses.append(200 if ok else 429)
        calls.append((asked, granted, vt.now))
        limiter.observe(200 if ok else 429, headers)

    async def worker() -> None:
        for _ in range(15):
            await call()

    await vt.run(*(worker() for _ in range(3)))

    assert statuses == [200] * 45
    frees = [answered + period + M for _, _, answered in calls]
    for asked, granted, _ in calls:  # no wait, or a wait that ends just as a slot frees
        assert granted == asked or any(abs(granted - f) < 1e-6 for f in frees)
    assert sum(g > a for a, g, _ in calls) >= 30  # the limit was the ceiling


async def test_a_different_server_limit_is_adopted_and_counted_hits_are_kept() -> None:
    vt = VirtualTime()
    limiter = make(vt, 60, 60)
    await acquire_times(vt, limiter, 5)
    limiter.observe(200, {"x-ratelimit-limit": "5", "x-ratelimit-remaining": "0"})
    assert limiter.limit == 5
    assert await acquire_times(vt, limiter, 1) == approx(60.0 + M)

    vt.now += 1.0
    limiter.observe(200, {"X-RateLimit-Limit": "10"})
    assert limiter.limit == 10
    assert await limiter.remaining() == 9  # the hit at START + 60 still counts
    granted = await acquire_times(vt, limiter, 10)
    assert granted == approx(*[61.0 + M] * 9, 120.0 + 2 * M)


@pytest.mark.parametrize("uri", ["memory://", "async+memory://"])
async def test_the_memory_storage_uri_works_on_the_real_clock(uri: str) -> None:
    async def no_sleep(seconds: float) -> None:
        raise AssertionError(f"slept {seconds}")

    limiter = RateLimiter(3, 60, storage_uri=uri, sleep=no_sleep)
    for _ in range(3):
        await limiter.acquire()
    assert await limiter.remaining() == 0


def test_an_unknown_storage_uri_is_a_clear_value_error_without_the_password() -> None:
    with pytest.raises(ValueError, match=r"storage_uri: 'bogus://db:1' cannot be used") as info:
        RateLimiter(storage_uri="bogus://user:s3cret@db:1")
    assert "s3cret" not in str(info.value)
    assert info.value.__suppress_context__  # the library's message (with the URI) is dropped


def test_a_uri_that_is_not_a_uri_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="storage_uri"):
        RateLimiter(storage_uri="localhost")


def test_a_custom_clock_with_a_shared_storage_is_refused() -> None:
    with pytest.raises(ValueError, match="clock"):
        RateLimiter(storage_uri="redis://localhost:6379", clock=lambda: 0.0)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"limit": 0}, "limit"), ({"period": 0.5}, "period"), ({"period": 1.5}, "period")],
)
def test_bad_settings_are_refused(kwargs: dict[str, Any], field: str) -> None:
    with pytest.raises(ValueError, match=field):
        RateLimit(**kwargs)
    with pytest.raises(ValueError, match=field):
        RateLimiter(**kwargs)


async def test_the_key_never_reaches_the_storage_or_the_repr() -> None:
    limiter = RateLimiter(key="sk_live_do_not_show")
    await limiter.acquire()
    assert "sk_live" not in repr(limiter)
    storage = limiter._storage
    assert isinstance(storage, MemoryWindowStorage)
    assert not any("sk_live" in k for k in storage._events)


async def test_memory_storage_matches_limits_own_memory_storage(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    vt = VirtualTime()
    # limits' MemoryStorage reads time.time() from its module: point that at the fake clock.
    monkeypatch.setattr(limits.aio.storage.memory, "time", types.SimpleNamespace(time=vt.clock))
    theirs = limits.aio.storage.memory.MemoryStorage()
    ours = MemoryWindowStorage(vt.clock)
    # Window reads avoid the instant a hit is exactly `expiry` old: there limits' MemoryStorage
    # no longer counts it in get_moving_window though acquire_entry still does (ours and its
    # redis scripts count it in both).
    ops: list[tuple[float, int]] = [  # (time, amount to acquire; 0 = read the window)
        (0.0, 1), (1.0, 1), (2.0, 1), (5.0, 1), (5.0, 0), (10.0, 1), (10.2, 0), (10.5, 1),
        (11.0, 2), (11.5, 0), (13.0, 2), (14.0, 0), (30.0, 4), (30.0, 3), (30.5, 0),
    ]  # fmt: skip

    async def replay(storage: MemoryWindowStorage | limits.aio.storage.MemoryStorage) -> list[Any]:
        out: list[Any] = []
        for at, amount in ops:
            vt.now = START + at
            if amount:
                out.append(await storage.acquire_entry("k", 3, 10, amount=amount))
            else:
                out.append(await storage.get_moving_window("k", 3, 10))
        return out

    assert await replay(ours) == await replay(theirs)
