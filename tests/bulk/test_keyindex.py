"""Natural-key look-ups (``bulk/keyindex.py``): the ``KeyIndex`` rule that a look-up for a
failure is answered only by a scan that started after it (coalescing look-ups onto shared
scans). How keys are normalised is tested in ``tests/core/test_natural_keys.py``."""

from __future__ import annotations

import asyncio

import attrs

from mijnklantportaal_async._core.natural_keys import NaturalKey
from mijnklantportaal_async.bulk import ItemStatus
from mijnklantportaal_async.bulk.keyindex import KeyIndex

from .fake_server import FakeServer, Inv, Stored, create_many, kind_for


async def test_concurrent_lookups_coalesce_onto_one_scan() -> None:
    # Two items fail ambiguously at the same moment: one stored, one lost -> one scan.
    server = FakeServer({"A": ["stored-lost"], "B": ["lost"]})
    server.gate = asyncio.Event()
    server.wanted_in_flight = 2
    task = asyncio.create_task(create_many(kind_for(server), [Inv("A"), Inv("B")], concurrency=2))
    await server.entered.wait()
    server.gate.set()
    report = await task
    assert [r.status for r in report.results] == [ItemStatus.ADOPTED, ItemStatus.CREATED]
    assert server.scans == 2  # one shared look-up, and the verification at the end
    assert server.numbers() == {"A": 1, "B": 1}


async def test_a_scan_that_started_before_a_failure_does_not_answer_for_it() -> None:
    # A fails first and starts scan 1 (which has already passed where B would be); B's object
    # is stored and its answer lost only after that: B must wait for a newer scan.
    server = FakeServer({"A": ["lost"], "B": ["stored-lost"]})
    server.scan_gate = asyncio.Event()
    kind = kind_for(server)
    original = server.create

    async def create(request: Inv) -> Stored:
        if request.number != "B":
            return await original(request)
        await server.scan_started.wait()
        try:
            return await original(request)
        finally:  # scan 1 may go on only once B has failed: it is still running then
            server.scan_gate.set()  # type: ignore[union-attr]

    kind = attrs.evolve(kind, create=create)
    report = await create_many(kind, [Inv("A"), Inv("B")], concurrency=2)
    assert [r.status for r in report.results] == [ItemStatus.CREATED, ItemStatus.ADOPTED]
    assert server.scans == 3  # two look-ups, and the verification at the end
    assert server.numbers() == {"A": 1, "B": 1}


async def test_key_index_reuses_a_completed_scan_only_for_failures_before_it() -> None:
    server = FakeServer()
    server.put("X")
    index = KeyIndex(server.scan, NaturalKey(("number",)))
    mark = index.mark()
    assert (await index.lookup({"number": "X"}, after=mark)) is not None
    assert (await index.lookup({"number": "Y"}, after=mark)) is None
    assert server.scans == 1  # both answered by the one scan that began after `mark`
    server.put("Y")
    assert (await index.lookup({"number": "Y"}, after=index.mark())) is not None
    assert server.scans == 2
    assert server.scans_closed == 2
    await index.aclose()
