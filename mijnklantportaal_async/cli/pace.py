"""The rate and ETA that ``mijnklantportaal import`` shows, from what paces the run.

An import is paced by the client's rolling-window rate limit (60 requests per 60 s): a fast
portal answers the first 60 creates within a second, then every request waits for a slot
that frees ``period`` seconds after an earlier answer. A speed averaged over the last few
seconds (rich's default) says 3,600/min during the burst and freezes during the wait, so its
ETA says seconds where minutes are left. :class:`Pace` instead counts answers over a whole
window of ``period`` seconds, caps the rate at the limit, and schedules the remaining
requests on the window as the limiter will. Pure arithmetic on a clock it is given.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable

__all__ = ["Pace"]


class Pace:
    """The answers of one run's requests, for its rate (requests per minute) and ETA.

    Args:
        limit: requests the rate limit allows per ``period`` (None: no limit).
        period: the limit's window in seconds (also the span the rate is measured over).
        clock: seconds, monotonic (``time.monotonic``); the run starts at the first reading.
    """

    def __init__(
        self,
        limit: int | None = None,
        period: float = 60.0,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit, self.period = limit, period
        self._clock = clock
        self._start = clock()
        self._answers: deque[float] = deque()  # answer times within the last period

    def answered(self, requests: int = 1) -> None:
        """Record ``requests`` answers received now (a create, or each attempt of one)."""
        now = self._clock()
        self._answers.extend([now] * requests)
        self._forget(now)

    def _forget(self, now: float) -> None:
        while self._answers and self._answers[0] <= now - self.period:
            self._answers.popleft()

    def _observed(self, now: float) -> float | None:
        """Answers per second over the last period (or since the start, if shorter)."""
        self._forget(now)
        span = min(now - self._start, self.period)
        return len(self._answers) / span if span > 0 and self._answers else None

    def rate(self) -> float | None:
        """Requests per minute: the answers of the last period, at most the limit; None
        before the first answer."""
        observed = self._observed(self._clock())
        if observed is None:
            return None
        if self.limit is not None:
            observed = min(observed, self.limit / self.period)
        return observed * 60

    def eta(self, remaining: int) -> float | None:
        """Seconds until ``remaining`` more requests (one a row) are answered: the later of
        the rate limit's schedule and ``remaining`` at the observed rate; None when neither
        is known (no limit and no answer yet)."""
        if remaining <= 0:
            return 0.0
        now = self._clock()
        estimates = []
        if (observed := self._observed(now)) is not None:
            estimates.append(remaining / observed)
        if self.limit is not None:
            estimates.append(self._scheduled(remaining, now) - now)
        return max(estimates) if estimates else None

    def _scheduled(self, remaining: int, now: float) -> float:
        """When the last of ``remaining`` requests gets its slot: the k-th next request (from
        0) takes the slot of the answer ``limit`` requests before it, free ``period`` after."""
        assert self.limit is not None
        recent = list(self._answers)[-self.limit :]
        slots = [-math.inf] * (self.limit - len(recent)) + recent  # oldest first
        cycles, slot = divmod(remaining - 1, self.limit)
        return max(now, slots[slot] + self.period) + cycles * self.period
