"""The bulk engine's worker pool: one run's workers, per-item exactly-once logic and journal.

:class:`Run` pulls items from the shared input, refuses an item its kind's ``check_item``
refuses or whose natural key repeats an earlier one
(:class:`~mijnklantportaal_async.bulk.DuplicateItemError`), skips what the journal records as
done (``changed`` when its content changed since), reports what the portal already holds as
``exists`` (one scan of the list before the first create, unless ``if_exists="create"``), and
creates the rest. Per item (see ``docs/architecture.md``, "Exactly once"): ``create`` is
called; an ambiguous failure (:class:`~mijnklantportaal_async.errors.AmbiguousWriteError`, a
5xx other than 503, a connection error after sending) is resolved by looking the natural key
up in a scan that started after the failure
(:class:`~mijnklantportaal_async.bulk.keyindex.KeyIndex`): found and its fields agree ->
``adopted``; found with other fields -> ``conflict``; missing -> after a grace period, looked
up once more, then created again; a failure known not to have been processed (408, 429, 503,
connection never made) is retried after a backoff; a rejection (4xx, bad request object)
fails at once. At most ``max_attempts`` create calls per item. After a run with an ambiguous
outcome, one more scan finds the run's keys stored more than once (:class:`Verification`).
The public entry points are in :mod:`mijnklantportaal_async.bulk`.
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
from typing import Any, Generic, Literal, TypeVar

import attrs

from mijnklantportaal_async._core.log import logger
from mijnklantportaal_async._core.natural_keys import canonical_key
from mijnklantportaal_async._core.retry import parse_retry_after
from mijnklantportaal_async._core.settings import MAX_RETRY_WAIT
from mijnklantportaal_async.bulk.journal import Journal, JournalState
from mijnklantportaal_async.bulk.keyindex import KeyIndex, cancel_and_wait
from mijnklantportaal_async.bulk.types import (
    BulkItemResult,
    BulkKind,
    ChangedItemError,
    ConflictError,
    DuplicateItemError,
    ItemStatus,
    StoredDuplicate,
    Verification,
)
from mijnklantportaal_async.errors import (
    AmbiguousWriteError,
    APIConnectionError,
    APIStatusError,
    RateLimitError,
    RequestValidationError,
    ServerError,
)

__all__ = ["AUTO_CAP", "AUTO_START", "IfExists", "Run", "Settings", "Stop"]

AUTO_START = 4
"""Creates in flight when a run starts without a ``concurrency``."""
AUTO_CAP = 32
"""The most creates in flight a run without a ``concurrency`` grows to."""

IfExists = Literal["report", "create"]
"""What a run does with an item the portal already holds before the run sends it:
``"report"`` (the default) reports it ``exists`` (or ``conflict``) and never creates it;
``"create"`` sends it anyway (one more object with that key)."""

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
    if_exists: IfExists = "report"
    grace: float = 30.0


@attrs.frozen
class _Item:
    index: int
    key: Mapping[str, Any]  # as the request gives it
    norm: Mapping[str, Any]  # normalised: what the journal and the look-ups match on
    content: Mapping[str, str]  # field digests, for the journal


def _digest(norm: Mapping[str, Any]) -> bytes:
    """128-bit digest of a normalised natural key (how keys are remembered)."""
    return hashlib.blake2b(canonical_key(norm).encode(), digest_size=16).digest()


def _changed(recorded: Mapping[str, str] | None, now: Mapping[str, str]) -> tuple[str, ...]:
    """The fields whose digest differs (or that were added or dropped) since ``recorded``;
    none when nothing was recorded (a journal older than content digests)."""
    if recorded is None:
        return ()
    names = list(dict.fromkeys([*recorded, *now]))
    return tuple(name for name in names if recorded.get(name) != now.get(name))


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
        self.ambiguous = False  # an outcome was ambiguous: verify the run's keys at its end
        self.unfound = False  # an ambiguous create was never found: it may still land
        # Digest of each key whose create had an ambiguous outcome -> IDs of objects with that
        # key the look-ups found with other fields (not this run's): what the verification
        # checks. Grows with the ambiguous items only.
        self._doubted: dict[bytes, set[str]] = {}
        # The pre-create scan's failure (after the request path's own retries): every later
        # item fails with it rather than scanning again, one list per item.
        self._scan_error: Exception | None = None
        self.verification: Verification | None = None

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
            try:
                if self.ambiguous:
                    self.verification = await self._verify()
            except Exception as exc:  # a kind's callable has a bug
                await self.results.put(Stop(exc))
                return
            await self.results.put(Stop(None))

    async def _verify(self) -> Verification:
        """One scan for the natural keys of this run's ambiguous creates that the portal
        holds more than once (objects with that key and other fields, seen by the look-ups,
        not counted: they were there already); after the grace period when an ambiguous
        create was never found (it may still land)."""
        if self.unfound:
            await self._settings.sleep(self._settings.grace)
        try:
            groups = await self._index.duplicates(after=self._index.mark())
        except Exception as exc:  # the list failed: the duplicates are unknown
            logger.debug("bulk %s: verification scan failed: %r", self._kind.name, exc)
            return Verification(error=exc)
        found: list[StoredDuplicate] = []
        natural_key = self._kind.natural_key
        for objects in groups:
            key = natural_key.of(objects[0])
            others = self._doubted.get(_digest(natural_key.normalize(key)))
            if others is None:
                continue
            ids = tuple(i for i in map(self._kind.id_of, objects) if i not in others)
            if len(ids) > 1:
                found.append(StoredDuplicate(key=key, ids=ids))
        for duplicate in found:
            logger.warning(
                "bulk %s: %s is stored %d times (%s)",
                self._kind.name,
                duplicate.key,
                len(duplicate.ids),
                ", ".join(duplicate.ids),
            )
        return Verification(duplicates=tuple(found))

    async def _item(self, index: int, request: Q) -> BulkItemResult[R]:
        try:
            self._kind.check_item(request)
            key = self._kind.natural_key.of(request)
            norm = self._kind.natural_key.normalize(key)
            digest = _digest(norm)
            content = self._kind.fingerprint(request)
        except Exception as exc:
            return BulkItemResult(index=index, key={}, status=ItemStatus.FAILED, error=exc)
        first = self._seen.setdefault(digest, index)
        if first != index:
            error = DuplicateItemError(key, first, index)
            return BulkItemResult(index=index, key=key, status=ItemStatus.FAILED, error=error)
        entry = self._journal.last(self._kind.name, norm) if self._journal else None
        if entry is not None and entry.state.done:
            if changed := _changed(entry.content, content):
                # not journaled: the record stays "done", so every rerun says it again
                status, changes = ItemStatus.CHANGED, ChangedItemError(key, entry.id, changed)
                return BulkItemResult(
                    index=index, key=key, status=status, id=entry.id, error=changes
                )
            return BulkItemResult(index=index, key=key, status=ItemStatus.SKIPPED, id=entry.id)
        item = _Item(index, key, norm, content)
        in_doubt = entry is not None and (
            entry.state is JournalState.SENDING
            or (entry.state is JournalState.FAILED and entry.ambiguous)
        )
        if in_doubt:
            self._doubt(item)
            # after=0: any scan of this run started after the earlier process stopped.
            return await self._create(item, request, 0)
        if self._settings.if_exists == "report":
            if self._scan_error is not None:
                return self._done(item, 0, error=self._scan_error)
            try:  # the first item's look-up starts the run's one scan; the others share it
                stored = await self._index.lookup_all(norm, after=0)
            except Exception as exc:  # nothing was sent: the item fails with the list's error
                self._scan_error = exc
                return self._done(item, 0, error=exc)
            if stored:
                return self._found(item, request, stored, 0, ItemStatus.EXISTS)
        return await self._create(item, request, None)

    def _found(
        self,
        item: _Item,
        request: Q,
        stored: tuple[R, ...],
        attempts: int,
        status: ItemStatus,
        *,
        ambiguous: bool = False,
    ) -> BulkItemResult[R]:
        """The result for an item whose key the portal holds (``stored``): the first object
        whose compared fields agree with the request, as ``status`` (exists or adopted); else
        a :class:`ConflictError` naming how the first one differs."""
        match = self._match(request, stored)
        if match is not None:
            return self._done(item, attempts, found=match, status=status)
        differences = self._kind.natural_key.differences(request, stored[0])
        error = ConflictError(item.key, self._kind.id_of(stored[0]), differences)
        return self._done(item, attempts, error=error, ambiguous=ambiguous, conflict=True)

    def _match(self, request: Q, stored: tuple[R, ...]) -> R | None:
        differences = self._kind.natural_key.differences
        match = next((obj for obj in stored if not differences(request, obj)), None)
        for obj in stored:
            if obj is not match:
                self._other(request, obj)
        return match

    def _doubt(self, item: _Item) -> None:
        """Note that ``item``'s create had an ambiguous outcome: the run is verified."""
        self.ambiguous = True
        self._doubted.setdefault(_digest(item.norm), set())

    def _other(self, request: Q, obj: R) -> None:
        """Note a stored object with ``request``'s key that is not it (for the verification)."""
        others = self._doubted.get(
            _digest(self._kind.natural_key.normalize(self._kind.natural_key.of(request)))
        )
        if others is not None:
            others.add(self._kind.id_of(obj))

    async def _create(self, item: _Item, request: Q, lookup_after: int | None) -> BulkItemResult[R]:
        attempts, was_ambiguous = 0, lookup_after is not None
        graced = False  # the grace period was waited since the last ambiguous failure
        last_error: Exception | None = None
        while True:
            if lookup_after is not None:
                try:
                    stored = await self._index.lookup_all(item.norm, after=lookup_after)
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
                if self._match(request, stored) is not None or (
                    stored and self._settings.if_exists == "report"
                ):  # with "create", an object of another content is not ours: create ours
                    status = ItemStatus.ADOPTED
                    return self._found(item, request, stored, attempts, status, ambiguous=True)
                if not graced and self._settings.grace > 0:
                    # A create held on its way (a proxy, a queue) may still land: wait, and
                    # look again in a scan that starts after the wait, before sending anew.
                    graced = True
                    await self._settings.sleep(self._settings.grace)
                    lookup_after = self._index.mark()
                    continue
                lookup_after, self.unfound = None, True
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
                    was_ambiguous, lookup_after, graced = True, self._index.mark(), False
                    self._doubt(item)
                elif verdict is _Verdict.NOT_PROCESSED:
                    if attempts < self._settings.max_attempts:
                        delay = self._delay(attempts, exc)
                        if delay is None:  # the server asks for longer than anyone waits
                            return self._done(item, attempts, error=exc)
                        await self._settings.sleep(delay)
                else:
                    found, unconfirmed = None, False
                    if was_ambiguous and isinstance(exc, APIStatusError):
                        # an earlier attempt may have stored it (the rejection may say so)
                        try:
                            mark = self._index.mark()
                            stored = await self._index.lookup_all(item.norm, after=mark)
                            found = self._match(request, stored)
                        except Exception as lookup_exc:  # the rejection stands, but unconfirmed
                            logger.debug(
                                "bulk %s #%d: look-up after a rejection failed: %r",
                                self._kind.name,
                                item.index,
                                lookup_exc,
                            )
                            unconfirmed = True
                    if found is not None:
                        status = ItemStatus.ADOPTED
                        return self._done(item, attempts, found=found, status=status)
                    # unconfirmed: it may be stored, so the next run looks it up first
                    return self._done(item, attempts, error=exc, ambiguous=unconfirmed)
                continue
            return self._done(item, attempts, found=created, status=ItemStatus.CREATED)

    def _delay(self, attempts: int, exc: Exception) -> float | None:
        """Seconds before retrying a not-processed create: exponential from ``retry_base``,
        capped at ``retry_cap``; a server's Retry-After wins when longer; None when that is
        longer than ``MAX_RETRY_WAIT`` (the item fails with the server's error)."""
        base, cap = self._settings.retry_base, self._settings.retry_cap
        delay = min(cap, base * 2.0 ** min(attempts - 1, 30))
        retry_after = parse_retry_after(exc.headers) if isinstance(exc, APIStatusError) else None
        if retry_after is not None and retry_after > MAX_RETRY_WAIT:
            return None
        return max(delay, retry_after or 0.0)

    def _record(self, item: _Item, state: JournalState, **fields: Any) -> None:
        if self._journal is not None:
            content = None if state is JournalState.FAILED else item.content
            self._journal.record(self._kind.name, item.norm, state, content=content, **fields)

    def _done(
        self,
        item: _Item,
        attempts: int,
        *,
        found: R | None = None,
        status: ItemStatus = ItemStatus.FAILED,
        error: Exception | None = None,
        ambiguous: bool = False,
        conflict: bool = False,
    ) -> BulkItemResult[R]:
        """Journal the item's final state and build its result: ``found`` as ``status``
        (created, adopted, exists), or ``error`` (a ``conflict`` when so said)."""
        if error is not None:
            self.unfound = self.unfound or ambiguous
            text = f"{type(error).__name__}: {error}"
            self._record(item, JournalState.FAILED, error=text, ambiguous=ambiguous)
            return BulkItemResult(
                index=item.index,
                key=item.key,
                status=ItemStatus.CONFLICT if conflict else ItemStatus.FAILED,
                error=error,
                attempts=attempts,
            )
        obj = found
        assert obj is not None
        object_id = self._kind.id_of(obj)
        self._record(item, JournalState(status.value), id=object_id)
        return BulkItemResult(
            index=item.index,
            key=item.key,
            status=status,
            object=obj,
            id=object_id,
            attempts=attempts,
        )
