"""The pre-create scan and the verification pass on the engine's in-memory fake server: a scan
that fails fails the items once (never one list per item), a verification that fails says so,
and ``on_verified`` is called once after a run with an ambiguous outcome, never without one."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from typing import Any

import attrs
from rich.console import Console

from mijnklantportaal_async.bulk import (
    ItemStatus,
    StoredDuplicate,
    Verification,
    create_many,
    iter_create_many,
)
from mijnklantportaal_async.cli.output import Display
from mijnklantportaal_async.errors import ServerError

from .fake_server import FakeServer, Stored, invoices, kind_for, no_sleep


def failing_scans(server: FakeServer, *, from_scan: int) -> Any:
    """``server.scan``, failing with a 500 from its ``from_scan``-th call on."""

    async def scan() -> AsyncIterator[Stored]:
        if server.scans + 1 >= from_scan:
            server.scans += 1
            raise ServerError("Server Error", status=500)
        async for obj in server.scan():
            yield obj

    return scan


async def test_a_failed_pre_create_scan_fails_every_item_with_one_list_call() -> None:
    server = FakeServer()
    kind = attrs.evolve(kind_for(server), scan=failing_scans(server, from_scan=1))
    report = await create_many(kind, invoices(20), concurrency=4, sleep=no_sleep([]))
    assert [r.status for r in report.results] == [ItemStatus.FAILED] * 20
    assert all(isinstance(r.error, ServerError) for r in report.results)
    assert server.scans == 1
    assert not server.calls  # nothing was sent


async def test_a_verification_that_cannot_scan_says_so() -> None:
    server = FakeServer({"2024-0000": ["lost"]})
    # scan 1: before the first create; 2 and 3: look-ups around the grace; 4: verification
    kind = attrs.evolve(kind_for(server), scan=failing_scans(server, from_scan=4))
    delays: list[float] = []
    report = await create_many(kind, invoices(1), sleep=no_sleep(delays), grace=5.0)
    assert report.results[0].status is ItemStatus.CREATED
    assert report.verification is not None
    assert isinstance(report.verification.error, ServerError)
    assert report.duplicates == ()
    assert delays == [5.0, 5.0]  # the grace before sending again, and before verifying


async def test_on_verified_is_called_once_after_an_ambiguous_run_and_never_otherwise() -> None:
    calls: list[Verification] = []
    server = FakeServer({"2024-0001": ["stored-lost"]})
    kind = kind_for(server)
    async for _ in iter_create_many(kind, invoices(3), on_verified=calls.append):
        pass
    assert calls == [Verification()]  # adopted at once: verified, nothing to wait for
    calls.clear()
    async for _ in iter_create_many(kind, invoices(3, start=10), on_verified=calls.append):
        pass
    assert calls == []


def test_the_import_command_lists_each_key_stored_twice() -> None:
    console = Console(file=io.StringIO(), width=200)
    display = Display(console, live=False)
    twice = StoredDuplicate(key={"invoice_number": "2024-001"}, ids=("inv_1", "inv_2"))
    display.verified("invoices.csv", Verification(duplicates=(twice,)))
    display.verified("offers.csv", Verification(error=ServerError("Server Error", status=500)))
    out = console.file.getvalue()  # type: ignore[attr-defined]
    assert "invoices.csv: invoice_number=2024-001 is stored 2 times in the portal" in out
    assert "(inv_1, inv_2)" in out
    assert "offers.csv: could not check the portal for rows stored twice" in out
