"""The bulk engine's worker pool: one run's workers, per-item exactly-once logic and journal.

:class:`Run` pulls items from the shared input, refuses an item its kind's ``check_item``
refuses or whose natural key repeats an earlier one
(:class:`~mijnklantportaal_async.bulk.DuplicateItemError`), skips what the journal records as
done, and creates the rest. Per item (see ``docs/architecture.md``, "Exactly once"):
``create`` is called; an ambiguous failure
(:class:`~mijnklantportaal_async.errors.AmbiguousWriteError`, a 5xx other than 503, a
connection error after sending) is resolved by looking the natural key up in a scan that
started after the failure (:class:`~mijnklantportaal_async.bulk.keyindex.KeyIndex`): found ->
``adopted``, missing -> created again; a failure known not to have been processed (408, 429,
503, connection never made) is retried after a backoff; a rejection (4xx, bad request
object) fails at once. At most ``max_attempts`` create calls per item. The public entry
points are in :mod:`mijnklantportaal_async.bulk`.
"""

from __future__ import annotations

import asyncio
import enum
import hashlib
from collections.abc import (
    AsyncIterable,
    AsyncIterator,
    Awaitable,
    Callable,
    Iterable,
    Iterator,
    Mapping,
)
from typing import Any, Generic, TypeVar

import attrs

from mijnklantportaal_async._core.log import logger
from mijnklantportaal_async._core.natural_keys import canonical_key
from mijnklantportaal_async._core.retry import parse_retry_after
from mijnklantportaal_async.bulk.journal import Journal, JournalState
from mijnklantportaal_async.bulk.keyindex import KeyIndex, cancel_and_wait
from mijnklantportaal_async.bulk.types import (
    BulkItemResult,
    BulkKind,
    DuplicateItemError,
    ItemStatus,
)
from mijnklantportaal_async.errors import (
    AmbiguousWriteError,
    APIConnectionError,
    APIStatusError,
    RateLimitError,
    RequestValidationError,
    ServerError,
)

__all__ = ["AUTO_CAP", "AUTO_START", "Run", "Settings", "Stop"]

AUTO_START = 4
"""Creates in flight when a run starts without a ``concurrency``."""
AUTO_CAP = 32
"""The most creates in flight a run without a ``concurrency`` grows to."""

Q = TypeVar("Q")
R = TypeVar("R")


class _Verdict(enum.Enum):
    AMBIGUOUS = "ambiguous"  # may be stored: look it up before sending again
    NOT_PROCESSED = "not processed"  # known not processed: send again after a backoff
    FINAL = "final"  # rejected, invalid or unexpected: the item fails


def _classify(exc: Exception) -> _Verdict:
    if isinstance(exc, RequestValidationError):
        return _Verdict.FINAL
    if isinstance(exc, AmbiguousWriteError):
        return _Verdict.AMBIGUOUS
    if isinstance(exc, RateLimitError):
        return _Verdict.NOT_PROCESSED
    if isinstance(exc, ServerError):
        return _Verdict.NOT_PROCESSED if exc.status == 503 else _Verdict.AMBIGUOUS
    if isinstance(exc, APIConnectionError):
        return _Verdict.AMBIGUOUS if exc.sent else _Verdict.NOT_PROCESSED
    if isinstance(exc, APIStatusError) and exc.status == 408:
        return _Verdict.NOT_PROCESSED  # the server gave up waiting for the request
    return _Verdict.FINAL  # APIStatusError (other 4xx), anything else


@attrs.frozen
class Settings:
    """A run's knobs, as :func:`~mijnklantportaal_async.bulk.iter_create_many` takes them.

    ``concurrency`` None: start with :data:`AUTO_START` workers and add one whenever the
    kind's ``in_flight_to_fill`` asks for more, up to :data:`AUTO_CAP`."""

    concurrency: int | None
    max_attempts: int
    retry_base: float
    retry_cap: float
    sleep: Callable[[float], Awaitable[None]]


@attrs.frozen
class _Item:
    index: int
    key: Mapping[str, Any]  # as the request gives it
    norm: Mapping[str, Any]  # normalised: what the journal and the look-ups match on


@attrs.frozen
class Stop:
    """Put on :attr:`Run.results` once: ``error`` is None when every worker finished, else
    what stopped the run (a journal write, a kind's callable)."""

    error: BaseException | None


class Run(Generic[Q, R]):
    """One run: N workers pulling from the shared input, results into a bounded queue."""

    def __init__(
        self,
        kind: BulkKind[Q, R],
        items: Iterable[Q] | AsyncIterable[Q],
        journal: Journal | None,
        settings: Settings,
    ) -> None:
        self._kind, self._journal, self._settings = kind, journal, settings
        self._source: Iterator[Q] | AsyncIterator[Q] = (
            aiter(items) if isinstance(items, AsyncIterable) else iter(items)
        )
        self._lock = asyncio.Lock()
        self._next_index = 0
        self._exhausted = False
        self.input_error: Exception | None = None
        # 128-bit digest of each canonical key seen -> its first input index: how duplicates
        # are refused. The one part of a run that grows with its input: 106-137 bytes a key.
        self._seen: dict[bytes, int] = {}
        self._index = KeyIndex(kind.scan, kind.natural_key)
        self.results: asyncio.Queue[BulkItemResult[R] | Stop] = asyncio.Queue(
            settings.concurrency or AUTO_CAP
        )
        self._workers: list[asyncio.Task[None]] = []
        self._live = 0

    def start(self) -> None:
        for _ in range(self._settings.concurrency or AUTO_START):
            self._add_worker()

    def _add_worker(self) -> None:
        self._live += 1
        self._workers.append(asyncio.get_running_loop().create_task(self._worker()))

    def _grow(self) -> None:
        """Without a fixed concurrency: add workers up to what fills the rate limit (capped)."""
        fill = self._kind.in_flight_to_fill
        if self._settings.concurrency is not None or fill is None or self._exhausted:
            return
        want = min(fill() or 0, AUTO_CAP)
        if len(self._workers) < want:
            logger.debug("bulk %s: %d creates in flight", self._kind.name, want)
        while len(self._workers) < want:
            self._add_worker()

    async def aclose(self) -> None:
        """Cancel the workers and scans, wait for them, close the input iterator."""
        try:
            await cancel_and_wait(self._workers)
        finally:
            try:
                await self._index.aclose()
            finally:
                if (aclose := getattr(self._source, "aclose", None)) is not None:
                    await aclose()
                elif (close := getattr(self._source, "close", None)) is not None:
                    close()

    async def _pull(self) -> tuple[int, Q] | None:
        async with self._lock:
            if self._exhausted:
                return None
            try:
                if isinstance(self._source, AsyncIterator):
                    item = await anext(self._source)
                else:
                    item = next(self._source)
            except (StopIteration, StopAsyncIteration):
                self._exhausted = True
                return None
            except Exception as exc:  # the input itself failed: finish what started, then raise
                self._exhausted = True
                self.input_error = exc
                return None
            self._next_index += 1
            return self._next_index - 1, item

    async def _worker(self) -> None:
        try:
            while (pulled := await self._pull()) is not None:
                result = await self._item(*pulled)
                self._grow()
                await self.results.put(result)
        except Exception as exc:  # a journal write failed, or a kind's callable has a bug
            self._exhausted = True
            await self.results.put(Stop(exc))
            return
        self._live -= 1
        if self._live == 0:
            await self.results.put(Stop(None))

    async def _item(self, index: int, request: Q) -> BulkItemResult[R]:
        try:
            self._kind.check_item(request)
            key = self._kind.natural_key.of(request)
            norm = self._kind.natural_key.normalize(key)
            digest = hashlib.blake2b(canonical_key(norm).encode(), digest_size=16).digest()
        except Exception as exc:
            return BulkItemResult(index=index, key={}, status=ItemStatus.FAILED, error=exc)
        first = self._seen.setdefault(digest, index)
        if first != index:
            error = DuplicateItemError(key, first, index)
            return BulkItemResult(index=index, key=key, status=ItemStatus.FAILED, error=error)
        entry = self._journal.last(self._kind.name, norm) if self._journal else None
        if entry is not None and entry.state in (JournalState.CREATED, JournalState.ADOPTED):
            return BulkItemResult(index=index, key=key, status=ItemStatus.SKIPPED, id=entry.id)
        in_doubt = entry is not None and (
            entry.state is JournalState.SENDING
            or (entry.state is JournalState.FAILED and entry.ambiguous)
        )
        # after=0: any scan of this run started after the earlier process stopped.
        return await self._create(_Item(index, key, norm), request, 0 if in_doubt else None)

    async def _create(self, item: _Item, request: Q, lookup_after: int | None) -> BulkItemResult[R]:
        attempts, was_ambiguous = 0, lookup_after is not None
        last_error: Exception | None = None
        while True:
            if lookup_after is not None:
                try:
                    found = await self._index.lookup(item.norm, after=lookup_after)
                except Exception as exc:
                    logger.debug(
                        "bulk %s #%d: look-up failed: %r", self._kind.name, item.index, exc
                    )
                    error = AmbiguousWriteError(
                        "the item may be stored, but looking it up failed",
                        natural_key=item.key,
                        cause=exc,
                    )
                    error.__cause__ = exc
                    return self._done(item, attempts, error=error, ambiguous=True)
                if found is not None:
                    return self._done(item, attempts, adopted=found)
                lookup_after = None
            if attempts >= self._settings.max_attempts:
                assert last_error is not None  # attempts >= 1 here
                return self._done(item, attempts, error=last_error)
            self._record(item, JournalState.SENDING)
            attempts += 1
            try:
                created = await self._kind.create(request)
            except Exception as exc:
                last_error, verdict = exc, _classify(exc)
                logger.debug(
                    "bulk %s #%d: attempt %d: %s",
                    self._kind.name,
                    item.index,
                    attempts,
                    verdict.value,
                )
                if verdict is _Verdict.AMBIGUOUS:
                    was_ambiguous, lookup_after = True, self._index.mark()
                elif verdict is _Verdict.NOT_PROCESSED:
                    if attempts < self._settings.max_attempts:
                        await self._settings.sleep(self._delay(attempts, exc))
                else:
                    found, unconfirmed = None, False
                    if was_ambiguous and isinstance(exc, APIStatusError):
                        # an earlier attempt may have stored it (the rejection may say so)
                        try:
                            mark = self._index.mark()
                            found = await self._index.lookup(item.norm, after=mark)
                        except Exception as lookup_exc:  # the rejection stands, but unconfirmed
                            logger.debug(
                                "bulk %s #%d: look-up after a rejection failed: %r",
                                self._kind.name,
                                item.index,
                                lookup_exc,
                            )
                            unconfirmed = True
                    if found is not None:
                        return self._done(item, attempts, adopted=found)
                    # unconfirmed: it may be stored, so the next run looks it up first
                    return self._done(item, attempts, error=exc, ambiguous=unconfirmed)
                continue
            return self._done(item, attempts, created=created)

    def _delay(self, attempts: int, exc: Exception) -> float:
        """Seconds before retrying a not-processed create: exponential from ``retry_base``,
        capped at ``retry_cap``; a server's Retry-After wins when longer."""
        base, cap = self._settings.retry_base, self._settings.retry_cap
        delay = min(cap, base * 2.0 ** min(attempts - 1, 30))
        retry_after = parse_retry_after(exc.headers) if isinstance(exc, APIStatusError) else None
        return max(delay, retry_after or 0.0)

    def _record(self, item: _Item, state: JournalState, **fields: Any) -> None:
        if self._journal is not None:
            self._journal.record(self._kind.name, item.norm, state, **fields)

    def _done(
        self,
        item: _Item,
        attempts: int,
        *,
        created: R | None = None,
        adopted: R | None = None,
        error: Exception | None = None,
        ambiguous: bool = False,
    ) -> BulkItemResult[R]:
        """Journal the item's final state and build its result."""
        if error is not None:
            text = f"{type(error).__name__}: {error}"
            self._record(item, JournalState.FAILED, error=text, ambiguous=ambiguous)
            return BulkItemResult(
                index=item.index,
                key=item.key,
                status=ItemStatus.FAILED,
                error=error,
                attempts=attempts,
            )
        obj = created if created is not None else adopted
        assert obj is not None
        object_id = self._kind.id_of(obj)
        status = ItemStatus.CREATED if created is not None else ItemStatus.ADOPTED
        self._record(item, JournalState(status.value), id=object_id)
        return BulkItemResult(
            index=item.index,
            key=item.key,
            status=status,
            object=obj,
            id=object_id,
            attempts=attempts,
        )
