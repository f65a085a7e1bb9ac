"""Saying when and why ``mijnklantportaal import`` waits for the rate limit.

The client's limiter waits silently; it has no public "how long" (and it is being reworked).
:class:`RateWatch` therefore derives the wait from what the run's own HTTP requests show,
through aiohttp's public trace hooks on the session the command hands the client
(:meth:`RateWatch.trace_config`): when each request starts, and each answer's status and
rate-limit headers (``X-RateLimit-Limit``, ``X-RateLimit-Remaining``, and on a 429
``Retry-After``). From those it knows the requests on the key within the window (the run's own,
and those the portal counts that the run did not make: another process, or an earlier run
minutes ago) and when the oldest leaves the window, and so whether the next request must wait
and for how long. Whatever the limiter's strategy, it cannot send before a slot is free there.

It tells the :class:`~mijnklantportaal_async.cli.output.Pace` of the display about requests the
portal counts but the run did not make, and about a 429's hold, so the ETA keeps counting down
through such a wait instead of freezing. Pure arithmetic on a clock it is given, apart from the
trace hooks. See ``docs/cli.md``, "Waiting for the rate limit".
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable, Mapping
from types import SimpleNamespace
from typing import Any

import aiohttp

from mijnklantportaal_async.cli.output import Pace

__all__ = ["RateWatch", "window_text"]


def window_text(period: float) -> str:
    """``minute`` for 60 seconds, else ``30 s``: the window, as said after "in the last"."""
    return "minute" if period == 60 else f"{period:g} s"


def _int(headers: Mapping[str, str], name: str) -> int | None:
    try:
        return int(str(headers[name]).strip())
    except (KeyError, ValueError):
        return None


class RateWatch:
    """The run's requests against the rate limit: when the next may start, and why not yet.

    Args:
        limit: requests per ``period`` the client allows (the portal's ``X-RateLimit-Limit``
            replaces it once seen).
        period: the window in seconds.
        say: called with one line when the run starts to wait a noticeable time (at least
            :attr:`threshold` seconds): ``waiting 48 s for the rate limit: 60 requests on this
            key in the last minute``; once per wait.
        pace: the display's pace, told of requests others made and of a 429's hold.
        clock: monotonic seconds.
    """

    def __init__(
        self,
        limit: int,
        period: float,
        *,
        say: Callable[[str], None],
        pace: Pace | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit, self.period = limit, period
        self._say, self._pace, self._clock = say, pace, clock
        self._own: deque[float] = deque()  # start times of the run's requests, in the window
        self._others: deque[float] = deque()  # requests the portal counted that we did not make
        self._held_until = -math.inf  # a 429's Retry-After
        self._announced = False  # the current wait was said; reset when a request starts

    @property
    def threshold(self) -> float:
        """Seconds of waiting worth saying: twice the gap of an evenly paced run, at least 1."""
        return max(1.0, 2 * self.period / self.limit)

    def started(self) -> float:
        """A request of the run starts now; returns the time, to pass to :meth:`answered`."""
        now = self._clock()
        self._own.append(now)
        self._announced = False
        return now

    def answered(
        self, status: int, headers: Mapping[str, str], started: float | None = None
    ) -> None:
        """A request of the run (started at ``started``) was answered: learn from its status
        and headers, and say so if the next request must now wait."""
        now = self._clock()
        self._forget(now)
        limit = _int(headers, "X-RateLimit-Limit")
        if limit is not None and limit >= 1:
            self.limit = limit
            if self._pace is not None:
                self._pace.limit = limit
        remaining = _int(headers, "X-RateLimit-Remaining")
        if remaining is not None:
            # The portal counted its window somewhere between the start and now, and counted
            # our earlier requests when they arrived (after they started): compare with every
            # request of ours it could have counted (an upper bound, with a second to spare),
            # so what is left is surely someone else's (an earlier run, another process).
            sent = now if started is None else started
            since = sent - self.period - (now - sent) - 1.0
            ours = self._count(self._own, since) + self._count(self._others, since)
            unseen = (self.limit - max(remaining, 0)) - ours
            if unseen > 0:
                self._others.extend([now] * unseen)
                if self._pace is not None:
                    self._pace.answered_elsewhere(unseen)
        if status == 429:
            retry_after = _int(headers, "Retry-After")
            if retry_after is not None and now + retry_after > self._held_until:
                self._held_until = now + retry_after
                if self._pace is not None:
                    self._pace.hold(retry_after)
        wait = self.wait()
        if wait >= self.threshold and not self._announced:
            self._announced = True
            # ours (with those in flight) or the portal's count, which sees every client
            used = self.used()
            if remaining is not None:
                used = max(used, self.limit - max(remaining, 0))
            self._say(
                f"waiting {math.ceil(wait)} s for the rate limit: {used} "
                f"request{'' if used == 1 else 's'} on this key in the last "
                f"{window_text(self.period)}"
            )

    def used(self) -> int:
        """Requests on the key within the window now, the run's and others'."""
        since = self._clock() - self.period
        return self._count(self._own, since) + self._count(self._others, since)

    def wait(self) -> float:
        """Seconds until the next request may start (0: now)."""
        now = self._clock()
        since = now - self.period
        times = sorted(t for t in (*self._own, *self._others) if t > since)
        free = now
        if len(times) >= self.limit:  # the oldest that must leave the window frees the slot
            free = times[len(times) - self.limit] + self.period
        return max(free, self._held_until) - now

    @staticmethod
    def _count(times: deque[float], since: float) -> int:
        return sum(1 for t in times if t > since)

    def _forget(self, now: float) -> None:
        """Drop what is older than two windows (an answer may report a window that began a
        whole period before it was sent)."""
        for times in (self._own, self._others):
            while times and times[0] <= now - 2 * self.period:
                times.popleft()

    def trace_config(self) -> aiohttp.TraceConfig:
        """aiohttp trace hooks that feed this watch; give them to the client's session."""
        config = aiohttp.TraceConfig()

        async def on_start(_s: aiohttp.ClientSession, ctx: SimpleNamespace, _p: Any) -> None:
            ctx.rate_watch_started = self.started()

        async def on_end(
            _s: aiohttp.ClientSession, ctx: SimpleNamespace, params: aiohttp.TraceRequestEndParams
        ) -> None:
            started = getattr(ctx, "rate_watch_started", None)
            self.answered(params.response.status, params.response.headers, started)

        config.on_request_start.append(on_start)
        config.on_request_end.append(on_end)
        return config
