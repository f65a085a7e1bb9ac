"""The bulk engine's entry points: create many objects of one kind, each exactly once.

Generic over the kind of object: a :class:`BulkKind` says how one object is created, how every
stored one is listed and what its natural key is. :func:`create_many` returns a
:class:`BulkReport` (one :class:`BulkItemResult` per input, input order);
:func:`iter_create_many` yields results as they complete. See ``docs/bulk.md`` for use and
``docs/architecture.md``, "Exactly once", for the guarantees.

This module holds the two entry points and re-exports the public names; the types live in
:mod:`~mijnklantportaal_async.bulk.types`, the worker pool and per-item exactly-once logic in
:mod:`~mijnklantportaal_async.bulk.engine`, the journal and its errors in
:mod:`~mijnklantportaal_async.bulk.journal`, natural-key look-ups in
:mod:`~mijnklantportaal_async.bulk.keyindex`. Import everything from here.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import time
from collections.abc import AsyncGenerator, AsyncIterable, Awaitable, Callable, Iterable
from typing import TypeVar

from mijnklantportaal_async.bulk.engine import IfExists, Run, Settings, Stop
from mijnklantportaal_async.bulk.journal import (
    Journal,
    JournalCorruptError,
    JournalError,
    JournalIdentity,
    JournalLockedError,
    JournalMismatchError,
    TornJournalWarning,
)
from mijnklantportaal_async.bulk.types import (
    BulkItemResult,
    BulkKind,
    BulkReport,
    ChangedItemError,
    ConflictError,
    DuplicateItemError,
    ItemStatus,
    StoredDuplicate,
    Verification,
)

__all__ = [
    "DEFAULT_GRACE",
    "BulkItemResult",
    "BulkKind",
    "BulkReport",
    "ChangedItemError",
    "ConflictError",
    "DuplicateItemError",
    "IfExists",
    "ItemStatus",
    "Journal",
    "JournalCorruptError",
    "JournalError",
    "JournalIdentity",
    "JournalLockedError",
    "JournalMismatchError",
    "StoredDuplicate",
    "TornJournalWarning",
    "Verification",
    "create_many",
    "iter_create_many",
]

DEFAULT_GRACE = 30.0
"""Seconds a run waits before it concludes that an ambiguous create is missing (and again
before its verification scan): a create held on its way (a proxy, a load balancer's queue)
may still land meanwhile. See ``docs/bulk.md``, "Late arrivals"."""

Q = TypeVar("Q")
R = TypeVar("R")


def _as_journal(journal: str | os.PathLike[str] | Journal | None) -> Journal | None:
    if journal is None or isinstance(journal, Journal):
        return journal
    return Journal(journal)


async def iter_create_many(
    kind: BulkKind[Q, R],
    items: Iterable[Q] | AsyncIterable[Q],
    *,
    concurrency: int | None = None,
    journal: str | os.PathLike[str] | Journal | None = None,
    on_result: Callable[[BulkItemResult[R]], None] | None = None,
    max_attempts: int = 3,
    retry_base: float = 1.0,
    retry_cap: float = 60.0,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    if_exists: IfExists = "report",
    grace: float = DEFAULT_GRACE,
    on_verified: Callable[[Verification], None] | None = None,
) -> AsyncGenerator[BulkItemResult[R], None]:
    """Create every item of ``items`` exactly once; yield each result as it completes.

    ``items``: any iterable or async iterable of requests, read lazily (at most
    ``concurrency`` items are taken ahead of the work started). ``concurrency``: creates in
    flight at once (>= 1); None (default): 4 at first, then as many as the kind's
    ``in_flight_to_fill`` says keep the rate limit full, up to 32. ``journal``: a
    :class:`~mijnklantportaal_async.bulk.journal.Journal` or a path (then without portal
    identity); opened at the first ``__anext__``, closed at the end. ``on_result``: called
    with each result just before it is yielded (an exception it raises ends the run).
    ``max_attempts``: create calls per item (>= 1).
    ``retry_base`` / ``retry_cap``: backoff in seconds between not-processed attempts
    (doubling). ``sleep``: the backoff's and the grace period's sleep (tests pass a fake).
    ``if_exists``: ``"report"`` (default): before its first create the run scans the list
    once (about one request per 15 stored objects, paced like every request) and an item
    whose key is already stored is reported ``exists`` (its fields agree) or ``conflict``
    (they differ), never created; ``"create"``: no scan, every item is sent. ``grace``:
    seconds to wait before concluding that an ambiguous create is missing (it is then looked
    up once more before it is sent anew), and before the verification scan (>= 0).
    ``on_verified``: called once, after the last result, with the :class:`Verification` of a
    run that had an ambiguous outcome (not called when it had none).

    Use ``async with contextlib.aclosing(iter_create_many(...)) as results:`` when you may
    break out early: closing the generator cancels in-flight creates and look-ups, waits for
    them, closes the input iterator and the journal. Results are not kept. Memory: the
    ``concurrency`` items in flight; per distinct natural key seen (to refuse duplicates)
    a 16-byte digest and the first input index in a dict, 106 to 137 bytes (about 120 MB
    for a million items); the journal's last state per item of earlier runs (about 410
    bytes an item with its field digests); the newest look-up scan (one entry per stored
    object of the kind; from the start with ``if_exists="report"``); a key digest per item
    with an ambiguous outcome. No request, file or result is kept.

    Raises:
        ValueError: ``concurrency`` or ``max_attempts`` < 1, ``grace`` < 0 or not finite, or
            ``if_exists`` not "report" or "create".
        JournalMismatchError, JournalCorruptError, JournalLockedError: the journal was refused.
        OSError: a journal write failed (the run stops; in-flight items stay "sending").
        Exception: whatever the input iterable raised, after the items already started have
            finished.
    """
    if (concurrency is not None and concurrency < 1) or max_attempts < 1:
        raise ValueError(
            f"concurrency and max_attempts must be >= 1: {concurrency}, {max_attempts}"
        )
    if not (isinstance(grace, int | float) and math.isfinite(grace) and grace >= 0):
        raise ValueError(f"grace must be a finite number of seconds >= 0: {grace!r}")
    if if_exists not in ("report", "create"):
        raise ValueError(f"if_exists must be 'report' or 'create': {if_exists!r}")
    book = _as_journal(journal)
    if book is not None:
        book.open()
    try:
        settings = Settings(
            concurrency, max_attempts, retry_base, retry_cap, sleep, if_exists, float(grace)
        )
        run = Run(kind, items, book, settings)
        try:
            run.start()
            while True:
                got = await run.results.get()
                if isinstance(got, Stop):
                    if got.error is not None:
                        raise got.error
                    break
                if on_result is not None:
                    on_result(got)
                yield got
            if run.verification is not None and on_verified is not None:
                on_verified(run.verification)
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
    concurrency: int | None = None,
    journal: str | os.PathLike[str] | Journal | None = None,
    on_result: Callable[[BulkItemResult[R]], None] | None = None,
    max_attempts: int = 3,
    retry_base: float = 1.0,
    retry_cap: float = 60.0,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    if_exists: IfExists = "report",
    grace: float = DEFAULT_GRACE,
) -> BulkReport[R]:
    """Create every item exactly once; return a :class:`BulkReport` (input order), with the
    :class:`Verification` of a run that had an ambiguous outcome.

    Same arguments and errors as :func:`iter_create_many`. Cancelling the task running it
    cancels in-flight work, closes the journal (consistent: interrupted items stay
    "sending" and are looked up on the next run) and re-raises CancelledError.
    """
    started = time.perf_counter()
    results: list[BulkItemResult[R]] = []
    verified: list[Verification] = []
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
        if_exists=if_exists,
        grace=grace,
        on_verified=verified.append,
    )
    async with contextlib.aclosing(stream):
        async for result in stream:
            results.append(result)
    results.sort(key=lambda result: result.index)
    return BulkReport(
        results=tuple(results),
        elapsed=time.perf_counter() - started,
        verification=verified[0] if verified else None,
    )
