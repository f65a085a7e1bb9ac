"""The client-side pacer that rides the API's rate limit evenly, in one process or many.

The API allows 60 requests per 60 s per key, on a *rolling* basis (docs:
``/getting-started/rate-limiting``). :class:`RateLimiter` sends at most ``limit`` requests in
any ``period`` and spreads them evenly: while work waits, one send every
``(period + margin) / limit`` seconds, never the whole window at once followed by an idle
wait. After a quiet window a ``burst`` (a third of the limit) may go at once, so a few calls
do not wait; the sends after it are spread over the rest of that window, so no gap while work
waits exceeds ``(period + margin) / (limit - burst + 1)`` (1.5 intervals). A send holds its
slot from the send until ``period + margin`` later: the server counts a request when it
arrives, so the margin covers latency jitter between two sends ``limit`` apart; a send whose
answer came later than the fastest recent ones by more than the margin may have arrived that
much later, so its slot is held from then.

Corrections from the answers: ``X-RateLimit-Limit`` is adopted; ``X-RateLimit-Remaining``
lower than the sends this limiter knows explain counts the difference as sends of others made
now; a 429's ``Retry-After`` (or ``X-RateLimit-Reset``) holds every send until then.

The schedule lives in a store (:mod:`mijnklantportaal_async._core.rate_window`): this
process's memory (``memory://``, the default) or Redis (``redis://host:6379``, the ``[redis]``
extra), where every process on one key shares it. :class:`RateLimit` holds the settings for
the client constructor. See ``docs/rate-limits.md``.
"""

from __future__ import annotations

import asyncio
import contextvars
import itertools
import math
import secrets
import time
import urllib.parse
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from typing import NamedTuple

import attrs

from mijnklantportaal_async._core.log import logger
from mijnklantportaal_async._core.rate_window import (
    Correction,
    Grant,
    Late,
    MemoryWindow,
    Window,
    open_store,
    storage_id,
)
from mijnklantportaal_async._core.retry import parse_retry_after
from mijnklantportaal_async._core.settings import MAX_RETRY_WAIT

__all__ = ["RateLimit", "RateLimiter", "default_burst", "default_margin"]


def default_burst(limit: int) -> int:
    """Sends that may go at once after a quiet window: a third of ``limit``, at least 1."""
    return max(limit // 3, 1)


def default_margin(period: float) -> float:
    """The margin a send holds its slot past ``period``: ``period / 200`` (0.5 % of the rate),
    at least 10 ms and at most 250 ms. Seconds."""
    return min(max(period / 200, 0.01), 0.25)


def _check_limit(_: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{attribute.name}: must be a whole number of requests >= 1")


def _seconds(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return float(value)


def _check_period(_: object, attribute: attrs.Attribute[float], value: float) -> None:
    seconds = _seconds(value)
    if seconds is None or seconds <= 0:
        raise ValueError(f"{attribute.name}: must be a number of seconds > 0")


def _check_margin(_: object, attribute: attrs.Attribute[float | None], value: float | None) -> None:
    seconds = 0.0 if value is None else _seconds(value)
    if seconds is None or seconds < 0:
        raise ValueError(f"{attribute.name}: must be None or a number of seconds >= 0")


@attrs.frozen(kw_only=True)
class RateLimit:
    """Settings of the client's rate limiter (``MijnKlantportaal(rate_limit=...)``).

    Attributes:
        limit: requests allowed in any ``period`` (the API's documented 60).
        period: the rolling window in seconds (the API's 60), > 0.
        storage_uri: where the schedule lives: ``memory://`` (this process) or
            ``redis://host:6379/0`` (also ``rediss://``, ``unix://``) to share one key's
            limit between processes and hosts; needs ``pip install
            'mijnklantportaal-async[redis]'``.
        margin: seconds a send holds its slot past ``period`` (None: :func:`default_margin`,
            ``period / 200`` within 10 to 250 ms), >= 0. Larger is safer against latency
            jitter and slower: the rate is ``limit / (period + margin)``.
        burst: sends that may go at once after a quiet window, 1 to ``limit`` (None:
            :func:`default_burst`, a third of the limit). 1 spaces every send; a larger
            burst makes the sends after it wait longer: up to ``(period + margin) /
            (limit - burst + 1)`` apart until that window has passed.

    Raises:
        ValueError: ``limit`` < 1, ``period`` <= 0, ``margin`` < 0 (or not finite),
            ``burst`` not None or 1 to ``limit``.
    """

    limit: int = attrs.field(default=60, validator=_check_limit)
    period: float = attrs.field(default=60.0, validator=_check_period)
    storage_uri: str = "memory://"
    margin: float | None = attrs.field(default=None, validator=_check_margin)
    burst: int | None = attrs.field(default=None)

    @burst.validator
    def _check_burst(self, attribute: attrs.Attribute[int | None], value: int | None) -> None:
        if value is None:
            return
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= self.limit:
            raise ValueError(f"{attribute.name}: must be None or a whole number 1 to limit")


def _int_header(headers: Mapping[str, str], name: str) -> int | None:
    raw = headers.get(name)  # aiohttp's headers match any case already
    if raw is None and isinstance(headers, dict):
        lowered = name.lower()
        raw = next((v for k, v in headers.items() if k.lower() == lowered), None)
    if raw is None:
        return None
    try:
        value = int(str(raw).strip())
    except ValueError:
        return None
    return value if abs(value) < 10**15 else None  # 400 digits is no count or epoch second


class _Sent(NamedTuple):
    limiter: RateLimiter
    token: str  # the reservation's name in the store
    at: float  # the reserved send time, store clock
    local: float  # when acquire() returned, the limiter's clock
    late: float  # seconds acquire() returned after the reserved time


_SENT: contextvars.ContextVar[_Sent | None] = contextvars.ContextVar(
    "mijnklantportaal_rate_sent", default=None
)
"""The current task's last send, from ``acquire()`` to its ``observe()`` or ``settle()``."""


class RateLimiter:
    """At most ``limit`` sends in any ``period`` seconds, evenly spaced, shared by every request.

    ``await acquire()`` before each attempt and ``observe(status, headers)`` after its answer,
    in the same task (as ``HTTPCore`` does); ``settle()`` when the attempt ended without one.
    ``acquire()`` reserves the next send time in the store and sleeps until then: computed,
    never polled. Waiters of one process go first come, first served (an ``asyncio.Lock``),
    one reservation at a time, so a 429 that arrives while the head waits holds everyone.

    Args:
        limit: requests per window (the API's 60); replaced by the server's
            ``X-RateLimit-Limit`` when that differs.
        period: window length in seconds (the API's 60).
        storage_uri: ``memory://`` (default, this process) or ``redis://host:6379/0``
            (``rediss://``, ``unix://``; an ``async+`` prefix is accepted) to share one key's
            limit between processes.
        margin: seconds a send holds its slot past ``period``; None: :func:`default_margin`.
        burst: sends that may go at once after a quiet window; None: :func:`default_burst`
            (also for a limit the server sets later).
        key: identifies the API key whose limit this is. Pass a *fingerprint* of the key
            (e.g. a SHA-256 prefix), never the key itself; it is hashed once more before it
            reaches the store, so a raw key would not be stored either.
        clock: current time in epoch seconds (default ``time.time``). A custom clock (tests)
            is only allowed with ``memory://``; Redis keeps its own.
        sleep: awaitable sleep in seconds (default ``asyncio.sleep``).

    Raises:
        ValueError: a setting :class:`RateLimit` refuses; an unknown storage URI, or Redis
            without the ``redis`` package, named without its password; a custom ``clock``
            with Redis.

    ``acquire()`` raises :class:`~mijnklantportaal_async.errors.APIConnectionError`
    (``sent=False``) when the Redis store cannot be reached.
    """

    def __init__(
        self,
        limit: int = 60,
        period: float = 60.0,
        *,
        storage_uri: str = "memory://",
        margin: float | None = None,
        burst: int | None = None,
        key: str = "default",
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        settings = RateLimit(
            limit=limit, period=period, storage_uri=storage_uri, margin=margin, burst=burst
        )
        period = float(settings.period)
        margin = default_margin(period) if settings.margin is None else float(settings.margin)
        self._burst = settings.burst
        self._window = Window(settings.limit, period, margin, self._burst_for(settings.limit))
        self._store = open_store(storage_uri, storage_id(key), clock)
        # The in-process schedule can be reserved without awaiting (acquire's fast path)
        self._memory = self._store if isinstance(self._store, MemoryWindow) else None
        self._scheme = urllib.parse.urlsplit(storage_uri).scheme
        self._clock: Callable[[], float] = clock or time.time
        self._sleep = sleep
        self._lock = asyncio.Lock()
        self._blocked_until = -math.inf
        self._correction: Correction | None = None
        self._late: list[Late] = []
        self._round_trip: float | None = None
        self._round_trips: deque[float] = deque(maxlen=32)  # the fastest is the baseline
        prefix = secrets.token_hex(4)  # tells this limiter's reservations from others'
        self._tokens = (f"{prefix}:{n}" for n in itertools.count())

    def _burst_for(self, limit: int) -> int:
        return default_burst(limit) if self._burst is None else min(self._burst, limit)

    @property
    def limit(self) -> int:
        """Requests allowed per window now (the server's ``X-RateLimit-Limit`` once seen)."""
        return self._window.limit

    @property
    def period(self) -> float:
        """Window length in seconds."""
        return self._window.period

    @property
    def interval(self) -> float:
        """Seconds between two sends while work waits: ``(period + margin) / limit``."""
        return self._window.interval

    @property
    def burst(self) -> int:
        """Sends that may go at once after a quiet window."""
        return self._window.burst

    @property
    def round_trip(self) -> float | None:
        """Moving average of seconds from a send to its answer; None before the first."""
        return self._round_trip

    def in_flight_to_fill(self) -> int | None:
        """Requests in flight at once that keep every send slot used: ``round_trip /
        interval`` with a quarter for jitter, rounded up, plus one; None before an answer."""
        if self._round_trip is None:
            return None
        return math.ceil(self._round_trip / self._window.interval * 1.25) + 1

    async def remaining(self) -> int:
        """Sends the window still allows now (0 while a 429 block lasts). With even spacing
        the next send may still wait up to one :attr:`interval`."""
        if self._clock() < self._blocked_until:
            return 0
        return max(self._window.limit - await self._store.in_window(self._window), 0)

    async def acquire(self) -> None:
        """Wait for this request's send time (and any 429 block), then return.

        Cancelled while waiting, the reserved time goes unused: the next send may come up to
        one :attr:`interval` later than it could have.

        Raises:
            APIConnectionError: the Redis store failed (``sent=False``).
        """
        grant: Grant | None = None
        token = ""  # names a reservation in a shared store; the in-process one needs none
        if self._memory is not None and not self._lock.locked():
            # Nobody waits and the schedule is in this process: reserve without awaiting.
            reserved = self._clock()
            at = self._memory.reserve_now(self._window, reserved, *self._pending(reserved))
            if at <= reserved:  # sent now: no lateness to note
                _SENT.set(_Sent(self, token, at, reserved, 0.0))
                return
            grant = Grant(at, at - reserved)
        # With a grant already taken the lock is free: entering it does not suspend.
        async with self._lock:
            while True:
                if grant is None:
                    token, reserved = next(self._tokens), self._clock()
                    not_before, late, correction = self._pending(reserved)
                    grant = await self._store.reserve(
                        self._window,
                        token=token,
                        not_before=not_before,
                        late=late,
                        correction=correction,
                    )
                if grant.wait > 0:
                    await self._sleep(grant.wait)
                if self._clock() >= self._blocked_until:  # else a 429 came while it waited
                    break
                grant = None
        self._record_send(token, grant, reserved)

    def _pending(self, reserved: float) -> tuple[float, list[Late], Correction | None]:
        """What the next reservation must apply: the 429 block left (seconds from
        ``reserved``), the late sends and the correction noted since the last one."""
        late = self._late
        if late:
            self._late = []
        correction, self._correction = self._correction, None
        return max(self._blocked_until - reserved, 0.0), late, correction

    def _record_send(self, token: str, grant: Grant, reserved: float) -> None:
        """Remember this task's send until its answer (:meth:`observe`)."""
        now = self._clock()
        _SENT.set(_Sent(self, token, grant.at, now, max(now - reserved - grant.wait, 0.0)))

    def observe(self, status: int, headers: Mapping[str, str]) -> None:
        """Record the answer to this task's request; correct from its headers (any case).

        - ``X-RateLimit-Limit`` different from :attr:`limit`: adopted (logged sends stay).
        - ``X-RateLimit-Remaining`` lower than the logged sends the server may have counted
          explain (another client uses the key): the difference is logged as sends made now,
          at the next :meth:`acquire`, so the client holds back instead of causing 429s.
          Only for an answer that came within a period of its send.
        - ``status`` 429 with ``Retry-After`` (seconds or HTTP-date; else ``X-RateLimit-Reset``,
          epoch seconds): no send before then, in every process sharing the store.
        """
        now = self._clock()
        sent = _SENT.get()
        if sent is not None and sent.limiter is self:
            _SENT.set(None)
            self._answered(sent, now - sent.local)
        else:
            sent = None
        server_limit = _int_header(headers, "X-RateLimit-Limit")
        if server_limit is not None and server_limit >= 1 and server_limit != self.limit:
            logger.debug("rate limit: adopting the server's limit of %d", server_limit)
            burst = self._burst_for(server_limit)
            self._window = attrs.evolve(self._window, limit=server_limit, burst=burst)
        remaining = _int_header(headers, "X-RateLimit-Remaining")
        if status != 429 and remaining is not None and sent is not None:
            elapsed = now - sent.local
            if elapsed < self._window.period:
                used = self.limit - max(remaining, 0)
                self._correction = Correction(sent.at, sent.at + elapsed, used)
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

    def _answered(self, sent: _Sent, elapsed: float) -> None:
        """Keep the round trip; log the send later if it was slower than the fastest of late
        by more than the margin (the server may have counted it that much later)."""
        average = self._round_trip
        self._round_trip = elapsed if average is None else average + (elapsed - average) / 5
        self._round_trips.append(elapsed)
        late = sent.late + elapsed - self._window.margin
        if late <= 0:  # within the margin even against a round trip of zero
            return
        slower = late - min(self._round_trips)
        if slower > 0:
            self._late.append(Late(sent.token, sent.at, sent.at + slower))

    def settle(self) -> None:
        """Record that this task's request ended without an answer (a reset, a timeout): its
        slot stays held from its send, as every slot is; only the pending answer is dropped."""
        sent = _SENT.get()
        if sent is not None and sent.limiter is self:
            _SENT.set(None)

    async def aclose(self) -> None:
        """Close the store's connection (Redis); the limiter may be used again afterwards."""
        await self._store.aclose()

    def __repr__(self) -> str:
        return (
            f"RateLimiter(limit={self.limit}, period={self.period:g}, "
            f"margin={self._window.margin:g}, burst={self.burst}, storage={self._scheme}://)"
        )
