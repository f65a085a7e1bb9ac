"""Natural-key look-ups for the bulk engine: :class:`KeyIndex`, and :func:`cancel_and_wait`.

The list endpoints have no documented order and no filter by natural key, so finding "is
invoice 2024-001 stored?" means reading every page. :class:`KeyIndex` makes that cheap and
correct: one full scan builds a dict ``canonical natural key -> object`` (and, for the rare
key the portal holds more than once, every object that has it) that answers every look-up it
is allowed to answer, and look-ups that arrive together share one scan. Keys are
read and matched through the kind's
:class:`~mijnklantportaal_async._core.natural_keys.NaturalKey`.

The rule (why a scan may or may not answer a look-up): an item whose create failed ambiguously
at time *t* may only trust a scan that STARTED after *t*: an older scan may have read the page
where the object would be before the server stored it. :meth:`KeyIndex.mark` returns a scan
sequence number taken at the failure; a scan qualifies when its number is greater. See
``docs/architecture.md``, "Exactly once".

:func:`cancel_and_wait` is how the engine and the index stop their tasks.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterable, Callable, Iterable, Mapping
from typing import Any, Generic, TypeVar

from mijnklantportaal_async._core.natural_keys import NaturalKey

__all__ = ["KeyIndex", "cancel_and_wait"]

R = TypeVar("R")


async def cancel_and_wait(tasks: Iterable[asyncio.Task[Any]]) -> None:
    """Cancel ``tasks`` and wait until every one has finished, even if the caller is cancelled
    again meanwhile (then CancelledError is re-raised after the wait). Their exceptions are
    retrieved (no "exception was never retrieved" warnings)."""
    tasks = list(tasks)
    for task in tasks:
        task.cancel()
    pending = {task for task in tasks if not task.done()}
    interrupted: asyncio.CancelledError | None = None
    while pending:
        try:
            _, pending = await asyncio.wait(pending)
        except asyncio.CancelledError as exc:
            interrupted = exc
    for task in tasks:
        if not task.cancelled():
            task.exception()
    if interrupted is not None:
        raise interrupted


class _Found(Generic[R]):
    """What one scan found: the first object of each key, and the others of a key stored
    more than once (rare: kept apart so a normal scan costs one dict entry per object)."""

    def __init__(self) -> None:
        self.first: dict[str, R] = {}
        self.more: dict[str, list[R]] = {}

    def add(self, text: str, obj: R) -> None:
        if self.first.setdefault(text, obj) is not obj:
            self.more.setdefault(text, []).append(obj)

    def all(self, text: str) -> tuple[R, ...]:
        first = self.first.get(text)
        return () if first is None else (first, *self.more.get(text, ()))


class _Scan(Generic[R]):
    """One full scan: its task and, once it has started reading, its sequence number."""

    def __init__(self) -> None:
        self.task: asyncio.Task[_Found[R]] | None = None
        self.seq: int | None = None  # None while queued behind the previous scan


class KeyIndex(Generic[R]):
    """Natural-key lookups answered from full scans of the list endpoint.

    ``scan()`` yields every stored object (all pages, any order); ``natural_key`` reads an
    object's key (``natural_key.of``) and matches it to a look-up's (``natural_key.text``,
    which normalises both sides).

    Coalescing rule: a lookup made with ``after=m`` (``m`` from :meth:`mark` at the failure)
    is answered by the newest completed scan if that scan's number is > ``m``; else it joins
    the in-flight scan if that one started after the failure (number > ``m``) or has not
    started yet; else it queues ONE new scan that starts when the in-flight one ends (all
    lookups arriving meanwhile share it). So at most one scan reads at a time, and every
    answer comes from a scan that started after the failure. ``after=0`` accepts any scan of
    this index (used for items left in flight by an earlier process).

    Memory: the newest completed scan's dict (one entry per stored object of the kind).
    """

    def __init__(
        self,
        scan: Callable[[], AsyncIterable[R]],
        natural_key: NaturalKey,
    ) -> None:
        self._scan = scan
        self._natural_key = natural_key
        self._started = 0
        self._current: _Scan[R] | None = None
        self._latest: _Found[R] | None = None
        self._latest_seq = 0
        self._tasks: set[asyncio.Task[_Found[R]]] = set()
        self._closed = False

    @property
    def scans_started(self) -> int:
        """How many scans have started reading so far."""
        return self._started

    def mark(self) -> int:
        """The sequence number to pass as ``after`` for a failure that happened just now."""
        return self._started

    async def lookup(self, key: Mapping[str, Any], *, after: int) -> R | None:
        """The stored object whose natural key equals ``key`` (after normalisation), or None,
        according to a scan that started after mark ``after``.

        Raises whatever the scan raises (the list call's typed errors); a later lookup then
        starts a new scan. Cancelling a lookup does not cancel a scan others wait for.
        """
        found = await self.lookup_all(key, after=after)
        return found[0] if found else None

    async def lookup_all(self, key: Mapping[str, Any], *, after: int) -> tuple[R, ...]:
        """Every stored object whose natural key equals ``key`` (usually none or one), in the
        order the scan met them; errors and rule as :meth:`lookup`."""
        if self._closed:
            raise RuntimeError("KeyIndex is closed")
        index = await self._index_after(after)
        return index.all(self._natural_key.text(key))

    async def duplicates(self, *, after: int) -> list[tuple[R, ...]]:
        """The objects of each natural key stored more than once, according to a scan that
        started after mark ``after``; errors as :meth:`lookup`."""
        if self._closed:
            raise RuntimeError("KeyIndex is closed")
        index = await self._index_after(after)
        return [index.all(text) for text in index.more]

    async def _index_after(self, after: int) -> _Found[R]:
        if self._latest is not None and self._latest_seq > after:
            return self._latest
        current = self._current
        if (
            current is None
            or current.task is None
            or current.task.done()
            or (current.seq is not None and current.seq <= after)
        ):
            current = self._schedule(current)
        assert current.task is not None
        return await asyncio.shield(current.task)

    def _schedule(self, previous: _Scan[R] | None) -> _Scan[R]:
        scan: _Scan[R] = _Scan()
        wait_for = previous.task if previous is not None else None
        if wait_for is not None and wait_for.done():
            wait_for = None
        task = asyncio.get_running_loop().create_task(self._run(scan, wait_for))
        scan.task = task
        self._tasks.add(task)
        task.add_done_callback(self._forget)
        self._current = scan
        return scan

    def _forget(self, task: asyncio.Task[_Found[R]]) -> None:
        self._tasks.discard(task)
        if not task.cancelled():
            task.exception()  # retrieved: waiters got it through shield()

    async def _run(self, scan: _Scan[R], previous: asyncio.Task[_Found[R]] | None) -> _Found[R]:
        if previous is not None:
            await asyncio.wait({previous})
        self._started += 1
        scan.seq = self._started
        found: _Found[R] = _Found()
        iterator = aiter(self._scan())
        try:
            async for obj in iterator:
                found.add(self._natural_key.text(self._natural_key.of(obj)), obj)
        finally:
            aclose = getattr(iterator, "aclose", None)
            if aclose is not None:
                await aclose()
        if scan.seq > self._latest_seq:
            self._latest, self._latest_seq = found, scan.seq
        return found

    async def aclose(self) -> None:
        """Cancel running and queued scans, wait for them, drop the cached index."""
        self._closed = True
        await cancel_and_wait(list(self._tasks))
        self._latest = None
        self._current = None
