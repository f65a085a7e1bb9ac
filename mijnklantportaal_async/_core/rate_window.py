"""Where the rate limiter's schedule lives: this process's memory, or Redis for many processes.

The schedule of one key is the log of its sends of the last two holds (a hold is the period
plus a margin) and the end of a 429's block. :meth:`WindowStore.reserve` takes the next send
time atomically, by three rules over the log (a :class:`Window` holds their numbers):

- *window*: never the ``limit + 1``-th send in any ``hold``;
- *burst*: while fewer than ``burst`` sends fall in the hold before it, a send goes at once
  (a few calls after a quiet spell do not wait); otherwise one ``interval`` (``hold /
  limit``) after the last;
- *spread*: the ``j``-th newest send, ``j >= burst``, is at least ``(j - burst + 1)``
  ``spread`` (``hold / (limit - burst + 1)``) before it, so the sends after a burst are
  spread over the rest of its window and the window never fills before its oldest slot
  frees: no idle gap longer than ``spread`` while work waits, and the steady state is one
  send every ``interval``.

A send is logged when it is reserved, and moved later when its answer shows the server may
have counted it later (a slow upload, a congested event loop: see :class:`Late`), so a slot is
held from when the server counted the request, not from when the client meant to send it. It
also applies what an answer's ``X-RateLimit-Remaining`` said (sends of others the log does not
explain are logged as made now) and a ``Retry-After`` block (shared by every user of the
store). :class:`MemoryWindow` does it in this process on an injectable clock;
:class:`~mijnklantportaal_async._core.redis_window.RedisWindow` (imported only when a
``redis://`` URI is used) does the same in one Lua script on Redis's clock. :func:`open_store`
turns a storage URI into one. See ``docs/rate-limits.md``.
"""

from __future__ import annotations

import bisect
import hashlib
import math
import time
import urllib.parse
from collections.abc import Callable, Sequence
from typing import NamedTuple, Protocol

import attrs

__all__ = [
    "Correction",
    "Grant",
    "Late",
    "MemoryWindow",
    "Window",
    "WindowStore",
    "open_store",
    "redacted",
    "storage_id",
]

_MEMORY_SCHEMES = frozenset({"memory", "async+memory"})
_REDIS_SCHEMES = frozenset({"redis", "rediss", "unix"})


@attrs.frozen
class Window:
    """``limit`` sends in any ``period`` seconds, each holding its slot ``margin`` longer;
    ``burst`` of them may go at once after a quiet window."""

    limit: int
    period: float
    margin: float
    burst: int
    hold: float = attrs.field(init=False)
    """Seconds a send holds its slot, from the send: ``period + margin``."""
    interval: float = attrs.field(init=False)
    """Seconds between evenly spaced sends: ``hold / limit``."""
    spread: float = attrs.field(init=False)
    """Seconds between the sends that follow a burst, within its window:
    ``hold / (limit - burst + 1)``, so the window never fills before its first slot frees."""

    def __attrs_post_init__(self) -> None:  # computed once: read on every reservation
        hold = self.period + self.margin
        object.__setattr__(self, "hold", hold)
        object.__setattr__(self, "interval", hold / self.limit)
        object.__setattr__(self, "spread", hold / (self.limit - self.burst + 1))


@attrs.frozen
class Correction:
    """What one answer said: the server counted ``used`` requests of the key in its window
    when it counted ours, sent at ``sent_at`` and answered at ``answered_at`` (store clock)."""

    sent_at: float
    answered_at: float
    used: int


@attrs.frozen
class Late:
    """A send its answer showed to be late: reserved as ``token`` at ``at``, to be logged at
    ``to`` instead (store clock): when the server may have counted it, less the margin that
    covers that much lateness already."""

    token: str
    at: float
    to: float


class Grant(NamedTuple):
    """A reserved send: at ``at`` (store clock), ``wait`` seconds after the reservation."""

    at: float
    wait: float


class WindowStore(Protocol):
    """One key's schedule (see the module docstring)."""

    async def reserve(
        self,
        window: Window,
        *,
        token: str,
        not_before: float = 0.0,
        late: Sequence[Late] = (),
        correction: Correction | None = None,
    ) -> Grant:
        """Take the next send time by the module's rules, and not before ``not_before``
        seconds from now (a 429's block, kept for every user of the store); log it as
        ``token`` (unique per reservation). First the ``late`` sends are moved (see
        :class:`Late`), then ``correction``: the server's count minus the logged sends it may
        have seen is logged as sends of others made now."""
        ...

    async def in_window(self, window: Window) -> int:
        """Sends logged in the last ``window.hold`` seconds (up to now)."""
        ...

    async def aclose(self) -> None:
        """Release connections (nothing for memory)."""
        ...


class MemoryWindow:
    """The schedule in this process, on ``clock`` (seconds; tests pass a fake one)."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._blocked_until = -math.inf
        self._sends: list[float] = []  # ascending; reserved send times and others' sends

    async def reserve(
        self,
        window: Window,
        *,
        token: str,
        not_before: float = 0.0,
        late: Sequence[Late] = (),
        correction: Correction | None = None,
    ) -> Grant:
        now = self._clock()
        at = self.reserve_now(window, now, not_before, late, correction)
        return Grant(at, at - now)

    def reserve_now(
        self,
        window: Window,
        now: float,
        not_before: float = 0.0,
        late: Sequence[Late] = (),
        correction: Correction | None = None,
    ) -> float:
        """:meth:`reserve` without awaiting, at ``now`` on this store's clock (the schedule is
        in this process; tokens are not needed): the send time reserved."""
        sends = self._sends
        if sends and sends[0] < now - 3 * window.hold:  # pruned once a hold, not every time
            del sends[: bisect.bisect_left(sends, now - 2 * window.hold)]
        for send in late:
            i = bisect.bisect_left(sends, send.at)
            if i < len(sends) and sends[i] == send.at:
                del sends[i]
                bisect.insort(sends, send.to)
        if correction is not None:
            start = bisect.bisect_right(sends, correction.sent_at - window.hold)
            own = bisect.bisect_right(sends, correction.answered_at) - start
            for _ in range(correction.used - own):
                bisect.insort(sends, now)
        self._blocked_until = max(self._blocked_until, now + not_before)
        at = max(now, self._blocked_until)
        n = len(sends)
        # Fewer than `burst` sends in the hold before `at`: it goes at once (and the spread
        # rule holds, its first send being out of the window already).
        if n - bisect.bisect_right(sends, at - window.hold) >= window.burst:
            at = max(at, sends[-1] + window.interval)  # no burst: spaced
            for j in range(window.burst, min(n, window.limit) + 1):  # the j-th newest send
                if sends[n - j] <= at - window.hold:
                    break  # it and the older ones left the window
                at = max(at, sends[n - j] + (j - window.burst + 1) * window.spread)
        if sends and at < sends[-1]:
            bisect.insort(sends, at)
        else:
            sends.append(at)
        return at

    async def in_window(self, window: Window) -> int:
        now = self._clock()
        sends = self._sends
        return bisect.bisect_right(sends, now) - bisect.bisect_right(sends, now - window.hold)

    async def aclose(self) -> None:
        return None


def redacted(uri: str) -> str:
    """The storage URI without user name, password or query, for messages."""
    parts = urllib.parse.urlsplit(uri)
    netloc = parts.netloc.rpartition("@")[2]
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def open_store(uri: str, key: str, clock: Callable[[], float] | None) -> WindowStore:
    """The store a storage URI names: ``memory://`` or ``redis://`` / ``rediss://`` /
    ``unix://`` (an ``async+`` prefix, as ``limits`` spelled them, is accepted).

    Raises:
        ValueError: not a URI, an unknown scheme, Redis without the ``redis`` package (the
            ``[redis]`` extra), or a custom ``clock`` with Redis (it keeps its own time).
            Messages show the URI without its password.
    """
    if not isinstance(uri, str):
        raise ValueError(f"storage_uri: {uri!r} is not a storage URI (e.g. memory://)")
    scheme = urllib.parse.urlsplit(uri).scheme.lower().removeprefix("async+")
    shown = redacted(uri)
    if scheme in _MEMORY_SCHEMES:
        return MemoryWindow(clock or time.time)
    if not scheme:
        raise ValueError(f"storage_uri: {shown!r} is not a storage URI (e.g. memory://)")
    if scheme not in _REDIS_SCHEMES:
        raise ValueError(
            f"storage_uri: {shown!r} cannot be used: the schemes are memory://, redis://, "
            "rediss:// and unix://"
        )
    if clock is not None:
        raise ValueError(
            "clock: only the memory:// storage follows a custom clock; Redis keeps its own"
        )
    from mijnklantportaal_async._core.redis_window import RedisWindow

    return RedisWindow(uri.removeprefix("async+"), key)


def storage_id(key: str) -> str:
    """What a store knows the key by: hashed once more, so that even a raw API key passed by
    mistake never reaches a store."""
    return hashlib.sha256(f"mkp-limiter:{key}".encode()).hexdigest()[:32]
