"""The client-side rolling-window rate limiter that rides the API's limit.

The API allows 60 requests per 60 s per key, on a *rolling* basis (docs:
``/getting-started/rate-limiting``). :class:`RateLimiter` keeps that window on the client with
the ``limits`` library's moving-window strategy (a request holds its slot until ``period``
seconds after its answer, not until a fixed clock boundary), corrects it from the
``X-RateLimit-Limit`` / ``X-RateLimit-Remaining`` headers and holds every request after a 429
until ``Retry-After``.
Its storage is a ``limits`` storage URI: ``memory://`` (this process, the default) or any async
storage ``limits`` knows (``redis://host:6379``...) so several processes can share one key.
:class:`RateLimit` holds the settings for the client constructor.
"""

from __future__ import annotations

import asyncio
import bisect
import time
import urllib.parse
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import attrs
from limits.aio.strategies import MovingWindowRateLimiter
from limits.util import WindowStats

from mijnklantportaal_async._core.log import logger
from mijnklantportaal_async._core.rate_window import (
    MemoryWindowStorage,
    WindowItem,
    open_storage,
    storage_id,
)
from mijnklantportaal_async._core.retry import parse_retry_after
from mijnklantportaal_async._core.settings import MAX_RETRY_WAIT

__all__ = ["WAKE_MARGIN", "MemoryWindowStorage", "RateLimit", "RateLimiter"]

WAKE_MARGIN = 0.001
"""Seconds a waiting ``acquire()`` sleeps past the instant a slot frees. Every ``limits``
storage counts a hit made at ``t`` up to and including ``t + period``; waking 1 ms later keeps
float rounding of epoch seconds from waking a hair early and spinning on the boundary."""

_NAMESPACE = "mijnklantportaal"


def _check_limit(_: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{attribute.name}: must be a whole number of requests >= 1")


def _check_period(_: object, attribute: attrs.Attribute[float], value: float) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 1:
        raise ValueError(f"{attribute.name}: must be >= 1 second")
    if not float(value).is_integer():
        raise ValueError(f"{attribute.name}: must be a whole number of seconds (limits' windows)")


@attrs.frozen(kw_only=True)
class RateLimit:
    """Settings of the client's rate limiter (``MijnKlantportaal(rate_limit=...)``).

    Attributes:
        limit: requests allowed per window (the API's documented 60).
        period: window length in seconds, a whole number (the API's 60).
        storage_uri: where the window's hits are kept: ``memory://`` (this process) or a
            ``limits`` async storage URI such as ``redis://localhost:6379`` to share the window
            of one key between processes.

    Raises:
        ValueError: ``limit`` < 1, or ``period`` not a whole number of seconds >= 1.
    """

    limit: int = attrs.field(default=60, validator=_check_limit)
    period: float = attrs.field(default=60.0, validator=_check_period)
    storage_uri: str = "memory://"


def _int_header(headers: Mapping[str, str], name: str) -> int | None:
    raw = headers.get(name)
    if raw is None:
        lowered = name.lower()
        raw = next((v for k, v in headers.items() if k.lower() == lowered), None)
    if raw is None:
        return None
    try:
        value = int(str(raw).strip())
    except ValueError:
        return None
    return value if abs(value) < 10**15 else None  # 400 digits is no count or epoch second


@attrs.frozen
class _ServerView:
    remaining: int  # what the server said remained
    since: float  # when the answered request was granted (clock seconds)


def _current_task() -> asyncio.Task[Any] | None:
    try:
        return asyncio.current_task()
    except RuntimeError:  # no running loop
        return None


class RateLimiter:
    """A rolling window of ``limit`` requests per ``period`` seconds, shared by every request.

    ``await acquire()`` before each attempt and ``observe(status, headers)`` after its answer,
    in the same task (as ``HTTPCore`` does). A request holds its slot from ``acquire()`` until
    ``period`` seconds after its answer: the server counted it somewhere in between, so only
    then is the slot surely free there too, whatever the latency jitter (at 60 per 60 s and
    200 ms round trips this costs 0.3 % of the rate and saves the 429s). An attempt that ended
    without an answer (a reset, a timeout) is reported with :meth:`settle` and counts as
    answered then; one nobody reported counts as answered when its task acquires again or
    ends, and one unanswered for a whole period as answered then, so no stuck task holds a
    slot for ever. Requests of others on the key (in
    a shared storage, or seen through ``X-RateLimit-Remaining``) count for ``period`` seconds.

    Waits are computed, never polled: until the earliest slot frees (plus :data:`WAKE_MARGIN`),
    or until an answer if only requests in flight hold slots. An ``asyncio.Lock`` serves
    waiters first come, first served, so workers never wake together to race for a slot.

    Args:
        limit: requests per window (the API's 60); replaced by the server's
            ``X-RateLimit-Limit`` when that differs.
        period: window length in seconds, a whole number >= 1 (the API's 60).
        storage_uri: ``memory://`` (default, this process) or a ``limits`` async storage URI
            (``redis://host:6379``; ``async+`` is added when missing) to share one key's window
            between processes.
        key: identifies the API key whose window this is. Pass a *fingerprint* of the key
            (e.g. a SHA-256 prefix), never the key itself; it is hashed once more before it
            reaches the storage, so a raw key would not be stored either.
        clock: current time in epoch seconds (default ``time.time``, what every ``limits``
            storage reads). A custom clock (tests) is only allowed with ``memory://``.
        sleep: awaitable sleep in seconds (default ``asyncio.sleep``).

    Raises:
        ValueError: ``limit`` < 1; ``period`` not a whole number of seconds >= 1; an unknown or
            unusable storage URI (unknown scheme, driver not installed), named without its
            password; a custom ``clock`` with a storage other than memory.
    """

    def __init__(
        self,
        limit: int = 60,
        period: float = 60.0,
        *,
        storage_uri: str = "memory://",
        key: str = "default",
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        settings = RateLimit(limit=limit, period=period, storage_uri=storage_uri)
        self._period = int(settings.period)
        self._storage = open_storage(storage_uri, clock)
        self._scheme = urllib.parse.urlsplit(storage_uri).scheme
        self._strategy = MovingWindowRateLimiter(self._storage)
        self._item = WindowItem(settings.limit, self._period, namespace=_NAMESPACE)
        self._id = storage_id(key)
        self._clock: Callable[[], float] = clock or time.time
        self._sleep = sleep
        self._lock = asyncio.Lock()
        self._changed = asyncio.Event()  # set by every answer: a waiter re-evaluates
        self._blocked_until = float("-inf")
        self._granted: deque[float] = deque()  # own hits' grant times (as in the storage)
        self._answered: list[float] = []  # own hits' answer times, ascending
        self._inflight: dict[object, float] = {}  # task (or token) -> grant time
        self._pending: _ServerView | None = None

    @property
    def limit(self) -> int:
        """Requests allowed per window now (the server's ``X-RateLimit-Limit`` once seen)."""
        return self._item.amount

    @property
    def period(self) -> int:
        """Window length in seconds."""
        return self._period

    async def remaining(self) -> int:
        """Requests that could start right now without waiting (0 while a 429 block lasts)."""
        if self._clock() < self._blocked_until:
            return 0
        _, foreign, own = await self._census(None)
        return max(self._item.amount - foreign - own, 0)

    async def acquire(self) -> None:
        """Wait for a 429's ``Retry-After`` block to end and for a free slot, then take it.

        Cancellation while waiting takes no slot.
        """
        task = _current_task()
        if task is not None and task in self._inflight:
            self._answer(task, self._clock())  # its last attempt raised instead of answering
        async with self._lock:
            while True:
                self._changed.clear()
                now = self._clock()
                if now < self._blocked_until:
                    await self._sleep(self._blocked_until - now)
                    continue
                await self._reconcile()
                stats, foreign, own = await self._census(None)
                if foreign + own < self._item.amount:
                    granted = self._clock()
                    if await self._strategy.hit(self._item, self._id):
                        self._grant(task, granted)
                        return
                    # refused at a boundary or by another process: wait for its oldest hit
                    stats = await self._strategy.get_window_stats(self._item, self._id)
                    wake = stats.reset_time
                else:
                    wake = self._next_free(stats.reset_time if foreign else None)
                await self._wait(wake)

    def observe(self, status: int, headers: Mapping[str, str]) -> None:
        """Record the answer to this task's request; correct from its headers (any case).

        - ``X-RateLimit-Limit`` different from :attr:`limit`: adopted (hits stay counted).
        - ``X-RateLimit-Remaining`` lower than this limiter's own requests explain (another
          process uses the key): the difference is counted as hits made now, at the next
          :meth:`acquire`, so the client holds back instead of causing 429s.
        - ``status`` 429 with ``Retry-After`` (seconds or HTTP-date; else ``X-RateLimit-Reset``,
          epoch seconds): every :meth:`acquire` waits until then.
        """
        now = self._clock()
        since = self._answer(_current_task(), now)
        server_limit = _int_header(headers, "X-RateLimit-Limit")
        if server_limit is not None and server_limit >= 1 and server_limit != self._item.amount:
            logger.debug("rate limit: adopting the server's limit of %d", server_limit)
            self._item = WindowItem(server_limit, self._period, namespace=_NAMESPACE)
        remaining = _int_header(headers, "X-RateLimit-Remaining")
        if remaining is not None:
            self._pending = _ServerView(remaining=max(remaining, 0), since=since)
        if status == 429:
            retry_after = parse_retry_after(headers, now=now)
            until = None if retry_after is None else now + retry_after
            if until is None:
                reset = _int_header(headers, "X-RateLimit-Reset")
                until = None if reset is None else float(reset)
            if until is not None:  # a server asking for more than MAX_RETRY_WAIT is not obeyed
                until = min(until, now + MAX_RETRY_WAIT)
            if until is not None and until > self._blocked_until:
                logger.debug("rate limit: 429, holding requests for %.3f s", until - now)
                self._blocked_until = until
        self._changed.set()

    def settle(self) -> None:
        """Record that this task's request ended without an answer (a connection reset, a
        timeout, a body that could not be sent): its slot frees ``period`` seconds from now.

        Without it the slot would be held until the task's next :meth:`acquire` or its end;
        a bulk worker that goes on to scan a list before it sends again would keep the slot
        all that time. Does nothing when this task holds no slot.
        """
        task = _current_task()
        if task is not None and task in self._inflight:
            self._settle(task, self._clock())
            self._changed.set()

    def _grant(self, task: asyncio.Task[Any] | None, at: float) -> None:
        self._granted.append(at)
        if task is None:
            self._inflight[object()] = at
            return
        self._inflight[task] = at
        task.add_done_callback(self._task_done)

    def _task_done(self, task: asyncio.Task[Any]) -> None:
        if task in self._inflight:  # it ended without an answer (it raised)
            self._answer(task, self._clock())
            self._changed.set()

    def _answer(self, task: asyncio.Task[Any] | None, now: float) -> float:
        """Move the task's request (else the oldest one acquired outside any task) to
        answered; return its grant time (``now`` if there is none)."""
        untracked = (k for k in self._inflight if not isinstance(k, asyncio.Task))
        key = task if task is not None and task in self._inflight else next(untracked, None)
        return now if key is None else self._settle(key, now)

    def _settle(self, key: object, answered: float) -> float:
        granted = self._inflight.pop(key)
        if isinstance(key, asyncio.Task):
            key.remove_done_callback(self._task_done)
        bisect.insort(self._answered, answered)
        return granted

    async def _census(self, since: float | None) -> tuple[WindowStats, int, int]:
        """(storage stats, hits of others in the window, own requests holding a slot). With
        ``since``: own requests the server may have counted when it answered one granted at
        ``since`` (in flight, or answered at ``since - period`` or later)."""
        stats = await self._strategy.get_window_stats(self._item, self._id)
        now = self._clock()
        start = now - self._period
        for key, granted in list(self._inflight.items()):
            if granted < start:  # unanswered for a period (a task that swallowed an error?):
                self._settle(key, granted + self._period)  # taken as answered then
        keep = [start, *self._inflight.values()]  # answers that any question below may need
        keep += [
            t for t in (since, self._pending.since if self._pending else None) if t is not None
        ]
        del self._answered[: bisect.bisect_left(self._answered, min(keep) - self._period)]
        while self._granted and self._granted[0] < start:
            self._granted.popleft()
        used = self._item.amount - stats.remaining
        foreign = max(used - len(self._granted), 0)
        cutoff = start if since is None else since - self._period
        own = len(self._inflight) + len(self._answered) - bisect.bisect_left(self._answered, cutoff)
        return stats, foreign, own

    def _next_free(self, storage_reset: float | None) -> float:
        """When the next slot frees: a period after the oldest answer still holding one, two
        after the oldest grant still in flight, or when the storage's oldest hit leaves."""
        start = self._clock() - self._period
        candidates = [t + 2 * self._period for t in self._inflight.values()][:1]
        active = bisect.bisect_left(self._answered, start)
        if active < len(self._answered):
            candidates.append(self._answered[active] + self._period)
        if storage_reset is not None:
            candidates.append(storage_reset)
        return min(candidates)

    async def _wait(self, wake: float) -> None:
        """Sleep until ``wake`` (+ margin); with requests in flight, an answer ends it early."""
        delay = max(wake - self._clock(), 0.0) + WAKE_MARGIN
        if not self._inflight:
            await self._sleep(delay)
            return
        sleeper = asyncio.ensure_future(self._sleep(delay))
        answered = asyncio.ensure_future(self._changed.wait())
        try:
            await asyncio.wait({sleeper, answered}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            sleeper.cancel()
            answered.cancel()

    async def _reconcile(self) -> None:
        """Count as hits what the server's last ``X-RateLimit-Remaining`` says we cannot see."""
        view = self._pending
        if view is None:
            return
        stats, foreign, own_possible = await self._census(view.since)
        self._pending = None
        unseen = (self._item.amount - view.remaining) - own_possible - foreign
        unseen = min(unseen, stats.remaining)
        if unseen > 0:
            logger.debug("rate limit: counting %d requests made by others on this key", unseen)
            await self._strategy.hit(self._item, self._id, cost=unseen)

    def __repr__(self) -> str:
        return f"RateLimiter(limit={self.limit}, period={self._period}, storage={self._scheme}://)"
