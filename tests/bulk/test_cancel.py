"""Stopping a bulk run (cancel, break out, crash, a failed journal write) and resuming it from
the journal, exactly once."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from typing import Any

import attrs
import pytest

from mijnklantportaal_async.bulk import ItemStatus
from mijnklantportaal_async.bulk.journal import (
    Journal,
    JournalIdentity,
    JournalMismatchError,
    JournalState,
    fingerprint,
)

from .fake_server import FakeServer, Inv, Stored, create_many, invoices, iter_create_many, kind_for

KIND = "test_invoices"
REAL = JournalIdentity(
    portal="https://api.example/v1", key_fingerprint=fingerprint("k"), sandbox=False
)


def only_this_task_left() -> bool:
    return asyncio.all_tasks() == {asyncio.current_task()}


def last_states(path: Path, numbers: list[str]) -> dict[str, str | None]:
    with Journal(path) as journal:
        states = {}
        for number in numbers:
            entry = journal.last(KIND, {"invoice_number": number})
            states[number] = None if entry is None else entry.state.value
        return states


async def test_cancelling_create_many_cancels_in_flight_work_and_closes_the_journal(
    tmp_path: Path,
) -> None:
    server = FakeServer()
    server.gate = asyncio.Event()  # never set: every create hangs
    server.wanted_in_flight = 3
    journal = Journal(tmp_path / "run.jsonl")
    task = asyncio.create_task(
        create_many(kind_for(server), invoices(10), concurrency=3, journal=journal)
    )
    await server.entered.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert only_this_task_left()
    assert server.in_flight == 0  # the three create calls were cancelled, not left running
    assert journal.closed
    numbers = [item.number for item in invoices(4)]
    assert last_states(journal.path, numbers) == {
        "2024-0000": "sending",  # in flight when cancelled: looked up on the next run
        "2024-0001": "sending",
        "2024-0002": "sending",
        "2024-0003": None,  # never started
    }


async def test_breaking_out_of_iter_create_many_stops_the_rest_cleanly(tmp_path: Path) -> None:
    server = FakeServer()
    hold = asyncio.Event()

    async def create(request: Inv) -> Stored:
        if request.number != "2024-0000":
            await hold.wait()
        return await server.create(request)

    kind = attrs.evolve(kind_for(server), create=create)
    journal = Journal(tmp_path / "run.jsonl")
    stream = iter_create_many(kind, invoices(100), concurrency=4, journal=journal)
    async with contextlib.aclosing(stream):
        async for result in stream:
            assert result.status is ItemStatus.CREATED
            break
    assert only_this_task_left()
    assert journal.closed
    assert server.numbers() == {"2024-0000": 1}
    assert sum(server.calls.values()) == 1


async def test_cancelling_during_a_lookup_stops_the_scan_and_closes_it() -> None:
    server = FakeServer({"A": ["lost"]})
    server.scan_gate = asyncio.Event()  # the scan hangs after it started
    task = asyncio.create_task(create_many(kind_for(server), [Inv("A")]))
    await server.scan_started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert only_this_task_left()
    assert server.scans_closed == 1


async def test_cancelling_closes_an_async_generator_input() -> None:
    closed = asyncio.Event()
    server = FakeServer()
    server.gate = asyncio.Event()
    server.wanted_in_flight = 2

    async def items() -> AsyncIterator[Inv]:
        try:
            for item in invoices(1_000):
                yield item
        finally:
            closed.set()

    task = asyncio.create_task(create_many(kind_for(server), items(), concurrency=2))
    await server.entered.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert closed.is_set()
    assert only_this_task_left()


async def test_a_run_cancelled_midway_and_a_crashed_one_resume_exactly_once(
    tmp_path: Path,
) -> None:
    path = tmp_path / "run.jsonl"
    items = invoices(12)
    server = FakeServer(seed=3)

    # Run 1: cancelled after four results (Ctrl-C in the CLI).
    done = 0

    def stop_after_four(_: object) -> None:
        nonlocal done
        done += 1
        if done == 4:
            run_one.cancel()

    run_one = asyncio.create_task(
        create_many(
            kind_for(server),
            items,
            concurrency=3,
            journal=Journal(path, identity=REAL),
            on_result=stop_after_four,
        )
    )
    with pytest.raises(asyncio.CancelledError):
        await run_one
    stored_after_run_one = len(server.store)
    assert 4 <= stored_after_run_one < 12

    # A crash (SIGKILL) of another run left two items "sending": one was stored, one was not.
    with Journal(path, identity=REAL) as journal:
        journal.record(KIND, {"invoice_number": "2024-0010"}, JournalState.SENDING)
        journal.record(KIND, {"invoice_number": "2024-0011"}, JournalState.SENDING)
    server.put("2024-0010")
    calls_before = server.calls.copy()
    scans_before = server.scans

    report = await create_many(
        kind_for(server), items, concurrency=3, journal=Journal(path, identity=REAL)
    )
    assert report.ok
    assert report.skipped >= 4
    by_number = {items[r.index].number: r for r in report.results}
    assert by_number["2024-0010"].status is ItemStatus.ADOPTED
    assert by_number["2024-0010"].attempts == 0
    assert by_number["2024-0011"].status is ItemStatus.CREATED
    assert server.calls["2024-0010"] == calls_before["2024-0010"]  # adopted: never sent again
    for result in report.results:
        if result.status is ItemStatus.SKIPPED:
            assert result.id is not None
            assert (
                server.calls[items[result.index].number] == calls_before[items[result.index].number]
            )
    assert len(server.store) == 12
    assert set(server.numbers().values()) == {1}  # no duplicates
    # every in-doubt item answered by one scan, then the verification at the end
    assert server.scans - scans_before == 2
    assert report.duplicates == ()

    # Run 3: everything is done; nothing is sent.
    calls = sum(server.calls.values())
    again = await create_many(kind_for(server), items, journal=Journal(path, identity=REAL))
    assert again.skipped == 12
    assert sum(server.calls.values()) == calls


async def test_failed_items_are_tried_again_on_the_next_run(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    server = FakeServer({"2024-0001": ["reject"]})
    first = await create_many(kind_for(server), invoices(3), journal=path)
    assert first.failed == 1
    second = await create_many(kind_for(server), invoices(3), journal=path)
    assert [r.status for r in second.results] == [
        ItemStatus.SKIPPED,
        ItemStatus.CREATED,
        ItemStatus.SKIPPED,
    ]
    assert server.scans == 0  # a rejection is known not stored: no lookup needed
    assert server.numbers() == {"2024-0000": 1, "2024-0001": 1, "2024-0002": 1}


async def test_an_item_that_failed_while_it_may_be_stored_is_looked_up_next_run(
    tmp_path: Path,
) -> None:
    path = tmp_path / "run.jsonl"
    server = FakeServer({"A": ["stored-lost"]})

    async def broken_scan() -> AsyncIterator[Stored]:
        raise ConnectionResetError("list failed")
        yield  # pragma: no cover

    broken = attrs.evolve(kind_for(server), scan=broken_scan)
    first = await create_many(broken, [Inv("A")], journal=path)
    assert first.failed == 1
    second = await create_many(kind_for(server), [Inv("A")], journal=path)
    assert second.results[0].status is ItemStatus.ADOPTED
    assert server.numbers() == {"A": 1}


async def test_a_rejection_after_an_ambiguous_attempt_that_cannot_be_checked_stays_in_doubt(
    tmp_path: Path,
) -> None:
    # Attempt 1 is lost (its object shows up only later), attempt 2 is told "taken", and the
    # look-up that would confirm it fails: the item fails, but the next run must look it up.
    path = tmp_path / "run.jsonl"
    server = FakeServer({"A": ["lost", "taken"]})
    real_scan = server.scan
    scans = 0

    def scan() -> AsyncIterator[Stored]:
        nonlocal scans
        scans += 1
        if scans == 2:
            raise ConnectionResetError("list failed")
        return real_scan()

    first = await create_many(attrs.evolve(kind_for(server), scan=scan), [Inv("A")], journal=path)
    assert first.results[0].status is ItemStatus.FAILED
    assert first.results[0].attempts == 2
    with Journal(path) as journal:
        entry = journal.last(KIND, {"invoice_number": "A"})
    assert entry is not None
    assert (entry.state, entry.ambiguous) == (JournalState.FAILED, True)

    second = await create_many(kind_for(server), [Inv("A")], journal=path)
    assert second.results[0].status is ItemStatus.ADOPTED
    assert server.numbers() == {"A": 1}
    assert server.calls["A"] == 2  # not sent a third time


async def test_a_journal_of_another_portal_is_refused_before_anything_is_sent(
    tmp_path: Path,
) -> None:
    path = tmp_path / "run.jsonl"
    server = FakeServer()
    await create_many(kind_for(server), invoices(1), journal=Journal(path, identity=REAL))
    sandbox = attrs.evolve(REAL, sandbox=True)
    with pytest.raises(JournalMismatchError, match="sandbox"):
        await create_many(kind_for(server), invoices(2), journal=Journal(path, identity=sandbox))
    assert sum(server.calls.values()) == 1


async def test_an_error_in_on_result_stops_the_run_cleanly_and_propagates(tmp_path: Path) -> None:
    server = FakeServer()
    journal = Journal(tmp_path / "run.jsonl")

    def broken_progress_bar(_: object) -> None:
        raise ZeroDivisionError("progress bar bug")

    with pytest.raises(ZeroDivisionError):
        await create_many(
            kind_for(server), invoices(50), journal=journal, on_result=broken_progress_bar
        )
    assert only_this_task_left()
    assert journal.closed
    assert len(server.store) < 50


class FullDisk(Journal):
    """A journal whose disk fills up when the first "created" record is written."""

    def record(self, kind: str, key: Mapping[str, Any], state: JournalState, **kw: Any) -> None:
        if state is JournalState.CREATED:
            raise OSError(28, "No space left on device")
        super().record(kind, key, state, **kw)


async def test_a_failed_journal_write_stops_the_run_and_leaves_the_item_in_doubt(
    tmp_path: Path,
) -> None:
    server = FakeServer()
    journal = FullDisk(tmp_path / "run.jsonl")
    with pytest.raises(OSError, match="No space"):
        await create_many(kind_for(server), invoices(20), concurrency=2, journal=journal)
    assert only_this_task_left()
    assert journal.closed
    states = last_states(journal.path, [item.number for item in invoices(20)])
    for number in server.numbers():  # whatever was stored is known to the journal
        assert states[number] == "sending"
    report = await create_many(kind_for(server), invoices(20), journal=journal.path)
    assert report.ok
    assert len(server.store) == 20  # the next run adopted what the failed one stored
