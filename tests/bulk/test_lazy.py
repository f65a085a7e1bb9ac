"""The input is read lazily (a generator of a million items is never materialised), and a run
keeps only its natural keys: no request, no result."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import tracemalloc
import weakref
from collections.abc import AsyncIterator, Iterator

import attrs
import pytest

from mijnklantportaal_async._core import natural_keys
from mijnklantportaal_async.bulk import BulkItemResult, BulkKind

from .fake_server import FakeServer, Inv, Stored, create_many, iter_create_many, kind_for

MILLION = 1_000_000


class Source:
    """A million invoices, counting how many were produced; records whether it was closed."""

    def __init__(self) -> None:
        self.produced = 0
        self.closed = False

    def sync(self) -> Iterator[Inv]:
        try:
            for n in range(MILLION):
                self.produced += 1
                yield Inv(f"{n:07d}")
        finally:
            self.closed = True

    async def asynchronous(self) -> AsyncIterator[Inv]:
        try:
            for n in range(MILLION):
                self.produced += 1
                yield Inv(f"{n:07d}")
        finally:
            self.closed = True


@pytest.mark.parametrize("flavour", ["sync", "async"])
@pytest.mark.parametrize("concurrency", [1, 4, 16])
async def test_a_million_item_generator_is_read_only_as_fast_as_work_starts(
    flavour: str, concurrency: int
) -> None:
    source = Source()
    items = source.sync() if flavour == "sync" else source.asynchronous()
    server = FakeServer()
    server.gate = asyncio.Event()  # the run is throttled: no create completes
    server.wanted_in_flight = concurrency
    task = asyncio.create_task(create_many(kind_for(server), items, concurrency=concurrency))
    await server.entered.wait()
    for _ in range(10):  # give the engine every chance to read ahead
        await asyncio.sleep(0)
    assert source.produced <= concurrency + 1
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert asyncio.all_tasks() == {asyncio.current_task()}
    assert source.closed


async def test_reading_ahead_stays_bounded_while_work_completes() -> None:
    source = Source()
    server = FakeServer()
    ahead: list[int] = []
    limit = 5

    async def create(request: Inv) -> Stored:
        ahead.append(source.produced - sum(server.calls.values()))
        return await server.create(request)

    kind = attrs.evolve(kind_for(server), create=create)
    stream = iter_create_many(kind, source.sync(), concurrency=limit)
    async with contextlib.aclosing(stream):
        async for result in stream:
            if result.index >= 2_000:
                break
    assert len(server.store) >= 2_000
    assert max(ahead) <= limit
    assert source.produced <= 2_000 + 2 * limit + 1


async def test_iter_create_many_does_not_keep_the_results_it_yielded() -> None:
    server = FakeServer()
    refs: list[weakref.ref[BulkItemResult[Stored]]] = []
    items = (Inv(f"{n:04d}") for n in range(200))
    async with contextlib.aclosing(iter_create_many(kind_for(server), items)) as stream:
        async for result in stream:
            refs.append(weakref.ref(result))
            del result
        gc.collect()
        alive = sum(1 for ref in refs if ref() is not None)
    assert len(refs) == 200
    assert alive == 0


@attrs.frozen
class Heavy:
    """A request carrying 1 KiB, as a PDF would: keeping requests would show at once."""

    invoice_number: str
    pdf: bytes


async def test_iter_create_many_keeps_under_160_bytes_per_item_and_no_request_or_result() -> None:
    n = 10_000

    async def create(request: Heavy) -> str:
        return request.invoice_number + "."  # a stored object the engine could keep: a new str

    async def scan() -> AsyncIterator[str]:
        return
        yield  # pragma: no cover

    kind = BulkKind(
        name="memory",
        create=create,
        scan=scan,
        natural_key=natural_keys.CUSTOMER_INVOICE,
        id_of=lambda number: number,
    )
    items = (Heavy(f"2024-{i:07d}", bytes(1024)) for i in range(n))
    gc.collect()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        count, held = 0, 0
        async with contextlib.aclosing(iter_create_many(kind, items, concurrency=16)) as stream:
            async for result in stream:
                count += 1
                if count == n:  # the run is alive: its table of seen keys is still held
                    del result
                    gc.collect()
                    held = tracemalloc.get_traced_memory()[0] - base
    finally:
        tracemalloc.stop()
    assert count == n
    # What grows is the dict of natural keys seen (a 16-byte digest and the first index: 106 to
    # 137 B/key, 112 at this n) and nothing else: a kept request would add >1 KiB, a kept
    # result >200 B. A million-item run holds about 120 MB of keys (about 11 MB for the 86,400
    # creates a day the rate limit of 60 a minute allows).
    assert held / n < 160, f"{held / n:.0f} bytes retained per item"
