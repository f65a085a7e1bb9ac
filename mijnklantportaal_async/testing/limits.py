"""The FakePortal's limits: the rolling-window rate limit per key and the monthly licence limits.

The rate limit is the server side of what the docs describe (60 requests per 60 seconds per key,
rolling): a deque of hit times per key, read from an injectable clock so tests move time without
sleeping. A refused request does not count as a hit (as Laravel's throttle middleware).
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Mapping

import attrs

__all__ = ["LicenseLimits", "RateDecision", "RollingWindow"]


@attrs.frozen
class RateDecision:
    """The outcome of one hit.

    ``remaining``: requests left in the window after this one. On refusal ``retry_after`` is
    whole seconds until a slot frees (rounded up, at least 1) and ``reset_at`` that moment as
    unix time (seconds); both None when allowed.
    """

    allowed: bool
    limit: int
    remaining: int
    retry_after: int | None = None
    reset_at: int | None = None

    def headers(self) -> dict[str, str]:
        """The response headers: ``X-RateLimit-Limit``/``-Remaining``, and on refusal
        ``Retry-After`` and ``X-RateLimit-Reset``."""
        headers = {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
        }
        if self.retry_after is not None and self.reset_at is not None:
            headers["Retry-After"] = str(self.retry_after)
            headers["X-RateLimit-Reset"] = str(self.reset_at)
        return headers


class RollingWindow:
    """At most ``limit`` hits per key in any ``period`` seconds, measured on ``clock``.

    ``clock`` returns seconds (unix time, so ``X-RateLimit-Reset`` is meaningful). A hit at
    time ``t`` occupies its slot until ``t + period``.
    """

    def __init__(self, limit: int, period: float, *, clock: Callable[[], float]) -> None:
        if limit < 1:
            raise ValueError(f"rate_limit must be at least 1, got {limit}")
        if period <= 0:
            raise ValueError(f"rate_period must be positive seconds, got {period}")
        self.limit = limit
        self.period = period
        self._clock = clock
        self._hits: dict[str, deque[float]] = {}

    def _window(self, key: str, now: float) -> deque[float]:
        hits = self._hits.setdefault(key, deque())
        while hits and hits[0] + self.period <= now:
            hits.popleft()
        return hits

    def hit(self, key: str) -> RateDecision:
        """Count one request of ``key`` if the window has room; say whether it may proceed."""
        now = self._clock()
        hits = self._window(key, now)
        if len(hits) < self.limit:
            hits.append(now)
            return RateDecision(True, self.limit, self.limit - len(hits))
        wait = hits[0] + self.period - now
        retry_after = max(1, math.ceil(wait))
        return RateDecision(
            False, self.limit, 0, retry_after=retry_after, reset_at=math.ceil(now + wait)
        )

    def remaining(self, key: str) -> int:
        """Requests ``key`` may still make now."""
        return self.limit - len(self._window(key, self._clock()))

    def peek(self, key: str | None) -> RateDecision:
        """The headers' view of ``key``'s window without counting a hit: for answers that
        use no slot (401, unknown routes). ``key=None`` (no valid key): the full limit."""
        remaining = self.limit if key is None else self.remaining(key)
        return RateDecision(True, self.limit, remaining)


class LicenseLimits:
    """How many invoices and offers the licence allows per calendar month (None: unlimited).

    ``limits`` maps ``"invoices"`` / ``"offers"`` to a count; ``used`` counts creations per
    ``(kind, "YYYY-MM")``. A create that would exceed the month's limit is answered with 426.
    """

    KINDS = ("invoices", "offers")

    def __init__(
        self, limit: int | None = None, *, per_kind: Mapping[str, int | None] | None = None
    ) -> None:
        self.limits: dict[str, int | None] = dict.fromkeys(self.KINDS, limit)
        for kind, value in (per_kind or {}).items():
            if kind not in self.KINDS:
                raise ValueError(f"license limit kind must be one of {self.KINDS}, got {kind!r}")
            self.limits[kind] = value
        self.used: dict[tuple[str, str], int] = {}

    def allows(self, kind: str, month: str) -> bool:
        """True when one more ``kind`` fits the licence in ``month`` (``YYYY-MM``)."""
        limit = self.limits[kind]
        return limit is None or self.used.get((kind, month), 0) < limit

    def count(self, kind: str, month: str) -> None:
        """Record one created ``kind`` in ``month``."""
        self.used[kind, month] = self.used.get((kind, month), 0) + 1
