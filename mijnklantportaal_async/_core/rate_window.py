"""The ``limits`` storage behind :class:`~mijnklantportaal_async.ratelimit.RateLimiter`.

:class:`MemoryWindowStorage` is the in-process ``memory://`` storage that reads an injectable
clock (so a limiter on a fake clock is deterministic); :func:`open_storage` turns a storage URI
into an async moving-window storage (password never in its errors); :class:`WindowItem` is the
window whose storage key leaves the amount out; :func:`storage_id` hashes the limiter's key
before any storage sees it. ``MemoryWindowStorage`` is re-exported by
:mod:`mijnklantportaal_async.ratelimit`.
"""

from __future__ import annotations

import hashlib
import time
import urllib.parse
from collections.abc import Callable

from limits import RateLimitItemPerSecond
from limits.aio.storage import MovingWindowSupport, Storage
from limits.errors import ConfigurationError
from limits.storage import storage_from_string

__all__ = ["MemoryWindowStorage", "WindowItem", "open_storage", "storage_id"]

_MEMORY_SCHEMES = frozenset({"memory", "async+memory"})
_MOVING_ONLY = "MemoryWindowStorage serves the moving window only"


class WindowItem(RateLimitItemPerSecond):
    """``amount`` hits per ``multiples`` seconds whose storage key leaves the amount out.

    ``limits`` puts the amount in the key (``ns/id/60/60/second``); adopting the server's
    limit would then start an empty window. Here the key is ``ns/id/<period>s`` so the hits
    already counted stay counted when the limit changes.
    """

    def key_for(self, *identifiers: bytes | str | int | float) -> str:
        parts = [i.decode() if isinstance(i, bytes) else str(i) for i in identifiers]
        return "/".join([self.namespace, *parts, f"{self.multiples}s"])


class MemoryWindowStorage(Storage, MovingWindowSupport):
    """In-process ``limits`` storage for ``memory://`` that reads an injectable clock.

    ``limits.aio.storage.MemoryStorage`` keeps, per key, a newest-first list of hit times and
    refuses a hit when the ``limit``-th newest is still inside the window
    (``atime >= now - expiry``); it reads ``time.time()`` itself and prunes in a background
    task that hops to a thread. This class keeps that algorithm and boundary but takes ``clock``
    (seconds) and prunes in line, so a limiter on a fake clock is deterministic. Its
    ``get_moving_window`` also counts a hit exactly ``expiry`` old, as ``acquire_entry`` and
    limits' redis scripts do. The fixed-window counters of the ``Storage`` base are not served.
    """

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        super().__init__()
        self._clock = clock
        self._events: dict[str, list[float]] = {}  # newest first

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        return ValueError

    def _window(self, key: str, now: float, expiry: float) -> list[float]:
        events = self._events.setdefault(key, [])
        cutoff = now - expiry
        while events and events[-1] < cutoff:  # oldest last: drop what left the window
            events.pop()
        return events

    async def acquire_entry(self, key: str, limit: int, expiry: int, amount: int = 1) -> bool:
        if amount > limit:
            return False
        now = self._clock()
        events = self._window(key, now, expiry)
        if len(events) > limit - amount:
            return False
        events[:0] = [now] * amount
        return True

    async def get_moving_window(self, key: str, limit: int, expiry: int) -> tuple[float, int]:
        now = self._clock()
        events = self._window(key, now, expiry)
        if not events:
            return now, 0
        return events[-1], len(events)

    async def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        raise NotImplementedError(_MOVING_ONLY)

    async def get(self, key: str) -> int:
        raise NotImplementedError(_MOVING_ONLY)

    async def get_expiry(self, key: str) -> float:
        raise NotImplementedError(_MOVING_ONLY)

    async def check(self) -> bool:
        return True

    async def reset(self) -> int | None:
        count = len(self._events)
        self._events.clear()
        return count

    async def clear(self, key: str) -> None:
        self._events.pop(key, None)


def _redacted(uri: str) -> str:
    """The storage URI without user name or password, for error messages."""
    parts = urllib.parse.urlsplit(uri)
    netloc = parts.netloc.rpartition("@")[2]
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def open_storage(uri: str, clock: Callable[[], float] | None) -> Storage:
    scheme = urllib.parse.urlsplit(uri).scheme.lower() if isinstance(uri, str) else ""
    if scheme in _MEMORY_SCHEMES:
        return MemoryWindowStorage(clock or time.time)
    shown = _redacted(uri) if isinstance(uri, str) else repr(uri)
    if not scheme:
        raise ValueError(f"storage_uri: {shown!r} is not a limits storage URI (e.g. memory://)")
    if clock is not None:
        raise ValueError(
            "clock: only the memory:// storage follows a custom clock; "
            f"limits' {scheme} storage reads time.time()"
        )
    full = uri if scheme.startswith("async+") else f"async+{uri}"
    try:
        storage = storage_from_string(full)
    except ConfigurationError as exc:
        reason = str(exc).replace(full, _redacted(full))
        raise ValueError(f"storage_uri: {shown!r} cannot be used: {reason}") from None
    if not isinstance(storage, Storage) or not isinstance(storage, MovingWindowSupport):
        raise ValueError(f"storage_uri: {shown!r} has no async moving-window support")
    return storage


def storage_id(key: str) -> str:
    # Hashed once more so that even a raw API key passed by mistake never reaches a storage.
    return hashlib.sha256(f"mkp-limiter:{key}".encode()).hexdigest()[:32]
