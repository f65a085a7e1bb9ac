"""The bulk engine: create many objects of one kind, each exactly once, with bounded concurrency.

Generic over the kind of object: a :class:`BulkKind` says how one object is created, how every
stored one is listed and how its natural key reads. :func:`create_many` returns a
:class:`BulkReport` (one :class:`BulkItemResult` per input, input order);
:func:`iter_create_many` yields results as they complete. See ``docs/bulk.md``.

Per item (see DESIGN.md, "Exactly once"): ``create`` is called; an ambiguous failure
(:class:`~mijnklantportaal_async.errors.AmbiguousWriteError`, a 5xx other than 503, a
connection error after sending) is resolved by looking the natural key up in a scan that
started after the failure (:class:`~mijnklantportaal_async._keyindex.KeyIndex`): found ->
``adopted``, missing -> created again; a failure known not to have been processed (429, 503,
connection never made) is retried after a backoff; a rejection (4xx, bad request object) fails
at once. At most ``max_attempts`` create calls per item.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import hashlib
import os
import time
from collections.abc import (
    AsyncGenerator,
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

from mijnklantportaal_async._keyindex import (
    KeyIndex,
    KeyNormalizer,
    cancel_and_wait,
    canonical_key,
    default_normalize,
)
from mijnklantportaal_async._logging import logger
from mijnklantportaal_async._retry import parse_retry_after
from mijnklantportaal_async.errors import (
    AmbiguousWriteError,
    APIConnectionError,
    APIStatusError,
    MijnKlantportaalError,
    RateLimitError,
    RequestValidationError,
    ServerError,
)
from mijnklantportaal_async.journal import Journal, JournalState

__all__ = [
    "BulkItemResult",
    "BulkKind",
    "BulkReport",
    "DuplicateItemError",
    "ItemStatus",
    "create_many",
    "iter_create_many",
]

Q = TypeVar("Q")
R = TypeVar("R")


class ItemStatus(enum.StrEnum):
    """What happened to one input item."""

    CREATED = "created"  # created by this run
    ADOPTED = "adopted"  # found stored after an ambiguous failure or an interrupted run
    SKIPPED = "skipped"  # done in an earlier run, per the journal; no request sent
    FAILED = "failed"  # not created; ``error`` says why


class DuplicateItemError(MijnKlantportaalError):
    """Two inputs of one run have the same natural key; the later one is not created.

    ``key`` is the natural key, ``first_index`` and ``index`` the two 0-based input positions.
    """

    def __init__(self, key: Mapping[str, Any], first_index: int, index: int) -> None:
        self.key = dict(key)
        self.first_index = first_index
        self.index = index
        shown = ", ".join(f"{k}={v!r}" for k, v in self.key.items())
        super().__init__(
            f"input {index} has the same natural key ({shown}) as input {first_index}; "
            "it was not created (it could not be told apart from the first)"
        )


@attrs.frozen(kw_only=True)
class BulkItemResult(Generic[R]):
    """The outcome for one input: ``index`` (0-based input position), ``key`` (its natural
    key), ``status``, ``object`` (created/adopted object, else None), ``id`` (created, adopted
    or skipped object's ID), ``error`` (the typed error of a failed item) and ``attempts``
    (create calls made in this run; HTTP retries inside one call not counted)."""

    index: int
    key: Mapping[str, Any]
    status: ItemStatus
    object: R | None = None
    id: str | None = None
    error: BaseException | None = None
    attempts: int = 0


@attrs.frozen(kw_only=True)
class BulkReport(Generic[R]):
    """All results of a run, one per input in input order, and ``elapsed`` seconds."""

    results: tuple[BulkItemResult[R], ...]
    elapsed: float

    def _count(self, status: ItemStatus) -> int:
        return sum(1 for result in self.results if result.status is status)

    @property
    def created(self) -> int:
        """Number of items created by this run."""
        return self._count(ItemStatus.CREATED)

    @property
    def adopted(self) -> int:
        """Number of items found already stored (after an ambiguous failure or a crash)."""
        return self._count(ItemStatus.ADOPTED)

    @property
    def skipped(self) -> int:
        """Number of items done by an earlier run (per the journal)."""
        return self._count(ItemStatus.SKIPPED)

    @property
    def failed(self) -> int:
        """Number of failed items."""
        return self._count(ItemStatus.FAILED)

    @property
    def ok(self) -> bool:
        """True when no item failed."""
        return self.failed == 0

    @property
    def counts(self) -> dict[str, int]:
        """``{"created": n, "adopted": n, "skipped": n, "failed": n}``."""
        return {status.value: self._count(status) for status in ItemStatus}

    @property
    def failures(self) -> tuple[BulkItemResult[R], ...]:
        """The failed results, in input order."""
        return tuple(result for result in self.results if result.status is ItemStatus.FAILED)


@attrs.frozen(kw_only=True)
class BulkKind(Generic[Q, R]):
    """How one kind of object (request type ``Q``, stored type ``R``) is created and found.

    ``name``: the journal's kind (``"customer_invoices"``); ``create``: one create call
    (raises errors.py types); ``scan``: every stored object (list endpoint, all pages, any
    order); ``key_of_request`` / ``key_of_object``: the natural key (``{"invoice_number":
    "2024-001"}``) of a request / stored object; ``id_of``: a stored object's ID;
    ``normalize_key``: applied to both keys before matching (default: identity for strings;
    see :func:`~mijnklantportaal_async._keyindex.make_normalizer`).
    """

    name: str
    create: Callable[[Q], Awaitable[R]]
    scan: Callable[[], AsyncIterable[R]]
    key_of_request: Callable[[Q], Mapping[str, Any]]
    key_of_object: Callable[[R], Mapping[str, Any]]
    id_of: Callable[[R], str]
    normalize_key: KeyNormalizer = default_normalize


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
    return _Verdict.FINAL  # APIStatusError (4xx), RequestValidationError, anything else


@attrs.frozen
class _Settings:
    concurrency: int
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
class _Stop:
    error: BaseException | None


class _Run(Generic[Q, R]):
    """One run: N workers pulling from the shared input, results into a bounded queue."""

    def __init__(
        self,
        kind: BulkKind[Q, R],
        items: Iterable[Q] | AsyncIterable[Q],
        journal: Journal | None,
        settings: _Settings,
    ) -> None:
        self._kind, self._journal, self._settings = kind, journal, settings
        self._source: Iterator[Q] | AsyncIterator[Q] = (
            aiter(items) if isinstance(items, AsyncIterable) else iter(items)
        )
        self._lock = asyncio.Lock()
        self._next_index = 0
        self._exhausted = False
        self.input_error: Exception | None = None
        self._seen: dict[bytes, int] = {}  # natural-key digest -> first input index
        self._index = KeyIndex(kind.scan, kind.key_of_object, normalize=kind.normalize_key)
        self.results: asyncio.Queue[BulkItemResult[R] | _Stop] = asyncio.Queue(settings.concurrency)
        self._workers: list[asyncio.Task[None]] = []
        self._live = 0

    def start(self) -> None:
        loop = asyncio.get_running_loop()
        self._live = self._settings.concurrency
        self._workers = [loop.create_task(self._worker()) for _ in range(self._live)]

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
                await self.results.put(result)
        except Exception as exc:  # a journal write failed, or a kind's callable has a bug
            self._exhausted = True
            await self.results.put(_Stop(exc))
            return
        self._live -= 1
        if self._live == 0:
            await self.results.put(_Stop(None))

    async def _item(self, index: int, request: Q) -> BulkItemResult[R]:
        try:
            key = dict(self._kind.key_of_request(request))
            norm = self._kind.normalize_key(key)
            text = canonical_key(norm)
        except Exception as exc:
            return BulkItemResult(index=index, key={}, status=ItemStatus.FAILED, error=exc)
        digest = hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()
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
                    found = None
                    if was_ambiguous and isinstance(exc, APIStatusError):
                        # an earlier attempt may have stored it (the rejection may say so)
                        with contextlib.suppress(Exception):  # else the rejection stands
                            mark = self._index.mark()
                            found = await self._index.lookup(item.norm, after=mark)
                    if found is not None:
                        return self._done(item, attempts, adopted=found)
                    return self._done(item, attempts, error=exc)
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


def _as_journal(journal: str | os.PathLike[str] | Journal | None) -> Journal | None:
    if journal is None or isinstance(journal, Journal):
        return journal
    return Journal(journal)


async def iter_create_many(
    kind: BulkKind[Q, R],
    items: Iterable[Q] | AsyncIterable[Q],
    *,
    concurrency: int = 4,
    journal: str | os.PathLike[str] | Journal | None = None,
    on_result: Callable[[BulkItemResult[R]], None] | None = None,
    max_attempts: int = 3,
    retry_base: float = 1.0,
    retry_cap: float = 60.0,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> AsyncGenerator[BulkItemResult[R], None]:
    """Create every item of ``items`` exactly once; yield each result as it completes.

    ``items``: any iterable or async iterable of requests, read lazily (at most
    ``concurrency`` items are taken ahead of the work started). ``concurrency``: creates in
    flight at once (>= 1). ``journal``: a :class:`~mijnklantportaal_async.journal.Journal`
    or a path (then without portal identity); opened at the first ``__anext__``, closed at
    the end. ``on_result``: called with each result just before it is yielded (an exception
    it raises ends the run). ``max_attempts``: create calls per item (>= 1).
    ``retry_base`` / ``retry_cap``: backoff in seconds between not-processed attempts
    (doubling). ``sleep``: the backoff's sleep (tests pass a fake).

    Use ``async with contextlib.aclosing(iter_create_many(...)) as results:`` when you may
    break out early: closing the generator cancels in-flight creates and look-ups, waits for
    them, closes the input iterator and the journal. Results are not kept. Memory: the
    ``concurrency`` items in flight, plus a 16-byte digest and an index per distinct natural
    key seen (to refuse duplicates), the journal's last state per item, and the newest
    look-up scan (one entry per stored object of the kind) once a look-up was needed.

    Raises:
        ValueError: ``concurrency`` or ``max_attempts`` < 1.
        JournalMismatchError, JournalCorruptError, JournalLockedError: the journal was refused.
        OSError: a journal write failed (the run stops; in-flight items stay "sending").
        Whatever the input iterable raised, after the items already started have finished.
    """
    if concurrency < 1 or max_attempts < 1:
        raise ValueError(
            f"concurrency and max_attempts must be >= 1: {concurrency}, {max_attempts}"
        )
    book = _as_journal(journal)
    if book is not None:
        book.open()
    try:
        settings = _Settings(concurrency, max_attempts, retry_base, retry_cap, sleep)
        run = _Run(kind, items, book, settings)
        try:
            run.start()
            while True:
                got = await run.results.get()
                if isinstance(got, _Stop):
                    if got.error is not None:
                        raise got.error
                    break
                if on_result is not None:
                    on_result(got)
                yield got
            if run.input_error is not None:
                raise run.input_error
        finally:
            await run.aclose()
    finally:
        if book is not None:
            book.close()


async def create_many(
    kind: BulkKind[Q, R],
    items: Iterable[Q] | AsyncIterable[Q],
    *,
    concurrency: int = 4,
    journal: str | os.PathLike[str] | Journal | None = None,
    on_result: Callable[[BulkItemResult[R]], None] | None = None,
    max_attempts: int = 3,
    retry_base: float = 1.0,
    retry_cap: float = 60.0,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> BulkReport[R]:
    """Create every item exactly once; return a :class:`BulkReport` (input order).

    Same arguments and errors as :func:`iter_create_many`. Cancelling the task running it
    cancels in-flight work, closes the journal (consistent: interrupted items stay
    "sending" and are looked up on the next run) and re-raises CancelledError.
    """
    started = time.perf_counter()
    results: list[BulkItemResult[R]] = []
    stream = iter_create_many(
        kind,
        items,
        concurrency=concurrency,
        journal=journal,
        on_result=on_result,
        max_attempts=max_attempts,
        retry_base=retry_base,
        retry_cap=retry_cap,
        sleep=sleep,
    )
    async with contextlib.aclosing(stream):
        async for result in stream:
            results.append(result)
    results.sort(key=lambda result: result.index)
    return BulkReport(results=tuple(results), elapsed=time.perf_counter() - started)
