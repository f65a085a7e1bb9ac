"""Crash-resume: ``mijnklantportaal import`` in a real subprocess is SIGKILLed mid-run (no
cleanup of any kind runs), then rerun with the same journal: every invoice is stored exactly
once and the rerun exits 0.

The FakePortal runs in this test's process, so it outlives the killed command (a ``--sandbox``
portal would die with it). The kill lands at a point the test controls through the portal's
injectable ``sleep``, never after a fixed delay:

- between items: the first K creates are processed, the next ones are held *before*
  processing until the command is dead, so exactly K invoices are stored;
- inside an item: create K+1 is stored and its response withheld ("stalled after storing"),
  so the journal says "sending" for an invoice the portal has: the rerun must adopt it.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from collections import Counter
from collections.abc import AsyncIterator, Awaitable
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from mijnklantportaal_async import CustomerCreate
from mijnklantportaal_async.cli import main
from mijnklantportaal_async.testing import FakePortal, FaultConfig

from .support import read_report

REPO = Path(__file__).resolve().parents[2]
PDF = b"%PDF-1.4\n% crash\n%%EOF\n"
N = 12  # invoices in the CSV
K = 5  # invoices stored before the kill
CONCURRENCY = 4


class PortalSleep:
    """The portal's ``sleep``: awaited for injected latency (before processing) and for timed
    stalls (after storing). The first ``admit`` calls return at once; later ones are held
    until :attr:`release` is set (:attr:`changed` is set on each hold); with ``drop`` a
    released request then ends in a 503, so a killed client's request is never processed."""

    def __init__(self) -> None:
        self.admit = 0
        self.drop = False
        self.held = 0
        self.changed = asyncio.Event()
        self.release = asyncio.Event()

    async def __call__(self, seconds: float) -> None:
        if self.admit > 0:
            self.admit -= 1
            return
        self.held += 1
        self.changed.set()
        await self.release.wait()
        if self.drop:
            raise web.HTTPServiceUnavailable()

    async def wait_held(self, count: int) -> None:
        while self.held < count:
            self.changed.clear()
            await self.changed.wait()


@pytest.fixture
def csv_dir(tmp_path: Path) -> Path:
    (tmp_path / "a.pdf").write_bytes(PDF)
    return tmp_path


async def portal_with_customer(sleep: PortalSleep, faults: FaultConfig) -> tuple[FakePortal, str]:
    portal = FakePortal(rate_limit=None, sleep=sleep, faults=faults)
    await portal.start()
    async with portal.client() as mkp:
        customer = await mkp.customers.create(
            CustomerCreate(
                company_name="Kill BV",
                address="Kade 1",
                zip_code="1011AA",
                city="Amsterdam",
                primary_email="kill@example.com",
            )
        )
    return portal, customer.id


@pytest.fixture
async def gate() -> AsyncIterator[PortalSleep]:
    sleep = PortalSleep()
    yield sleep
    sleep.release.set()  # let held handlers end before the portal closes


def write_invoices(folder: Path, customer_id: str) -> Path:
    rows = "".join(f"K-{n:03d},{customer_id},2024-04-29,1.00,a.pdf\n" for n in range(1, N + 1))
    path = folder / "invoices.csv"
    path.write_text("invoice_number,customer_id,issued_at,amount,pdf\n" + rows, encoding="utf-8")
    return path


def import_argv(invoices: Path, portal: FakePortal, concurrency: int) -> list[str]:
    key = invoices.with_name("key.txt")
    key.write_text(portal.api_key + "\n", encoding="utf-8")
    return [
        "import", "invoices", str(invoices), "--base-url", portal.url,
        "--api-key-file", str(key), "--concurrency", str(concurrency),
        "--grace", "0",  # late arrivals: tests/bulk/test_late_arrivals.py
    ]  # fmt: skip


async def start_import(argv: list[str]) -> asyncio.subprocess.Process:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("MIJNKLANTPORTAAL_API_KEY", None)
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "mijnklantportaal_async.cli", *argv,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE, env=env,
    )  # fmt: skip


async def kill_when(proc: asyncio.subprocess.Process, ready: Awaitable[None]) -> None:
    """SIGKILL ``proc`` once ``ready`` is done; fail with its stderr if it ends first."""
    point, ended = asyncio.ensure_future(ready), asyncio.ensure_future(proc.wait())
    watched: set[asyncio.Future[Any]] = {point, ended}
    done, _ = await asyncio.wait(watched, timeout=60, return_when="FIRST_COMPLETED")
    if point not in done:
        point.cancel()
        stderr = await proc.stderr.read() if proc.stderr else b""
        pytest.fail(f"the import ended ({proc.returncode}) before the kill point: {stderr!r}")
    proc.send_signal(signal.SIGKILL)
    assert await ended == -signal.SIGKILL


def journal_items(folder: Path) -> list[dict[str, Any]]:
    lines = (folder / "invoices.journal.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines[1:]]  # after the header


def report_statuses(path: Path) -> list[str]:
    return [row["status"] for row in read_report(path)]


def stored_numbers(portal: FakePortal) -> Counter[str]:
    return Counter(inv["invoiceNumber"] for inv in portal.customer_invoices.values())


async def test_sigkill_between_items_then_a_rerun_stores_each_invoice_once(
    csv_dir: Path, gate: PortalSleep
) -> None:
    gate.admit, gate.drop = K, True  # K creates go through; the next wait before processing
    portal, customer_id = await portal_with_customer(gate, FaultConfig())
    try:
        invoices = write_invoices(csv_dir, customer_id)
        portal.faults.set_latency(1.0, route="create-customer-invoice")
        argv = import_argv(invoices, portal, CONCURRENCY)
        proc = await start_import(argv)
        # every worker waits on a held create: the K before them are answered and journaled
        await kill_when(proc, gate.wait_held(CONCURRENCY))
        gate.release.set()
        assert stored_numbers(portal) == Counter(f"K-{n:03d}" for n in range(1, K + 1))
        states = Counter(record["state"] for record in journal_items(csv_dir))
        assert states == {"sending": K + CONCURRENCY, "created": K}

        portal.faults.clear()
        report = csv_dir / "report.csv"
        assert await asyncio.to_thread(main, [*argv, "--report", str(report)]) == 0
        assert stored_numbers(portal) == Counter(f"K-{n:03d}" for n in range(1, N + 1))
        statuses = Counter(report_statuses(report))
        assert statuses == {"skipped": K, "created": N - K}  # held ones looked up, then sent
    finally:
        await portal.close()


async def test_sigkill_while_a_stored_create_awaits_its_response_then_the_rerun_adopts_it(
    csv_dir: Path, gate: PortalSleep
) -> None:
    portal, customer_id = await portal_with_customer(gate, FaultConfig(stall_seconds=3600.0))
    try:
        invoices = write_invoices(csv_dir, customer_id)
        portal.faults.script("create-customer-invoice", [None] * K + ["stall_after_store"])
        argv = import_argv(invoices, portal, 1)
        proc = await start_import(argv)
        await kill_when(proc, gate.wait_held(1))
        assert len(portal.customer_invoices) == K + 1  # the stalled one is stored
        last = journal_items(csv_dir)[-1]
        assert (last["key"], last["state"]) == ({"invoice_number": f"K-{K + 1:03d}"}, "sending")

        report = csv_dir / "report.csv"
        assert await asyncio.to_thread(main, [*argv, "--report", str(report)]) == 0
        assert stored_numbers(portal) == Counter(f"K-{n:03d}" for n in range(1, N + 1))
        assert report_statuses(report) == ["skipped"] * K + ["adopted"] + ["created"] * (N - K - 1)
    finally:
        gate.release.set()
        await portal.close()
