"""``mijnklantportaal import`` stopped by SIGTERM (``kill``, a container or service stopping)
behaves as Ctrl-C: the journal stays intact, the report is written, it says how to resume, and
the exit status is 143."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from pathlib import Path

from cli_support import read_report

from mijnklantportaal_async import CustomerCreate
from mijnklantportaal_async.testing import FakePortal, FaultConfig

REPO = Path(__file__).resolve().parent.parent
PDF = b"%PDF-1.4\n%%EOF\n"


async def test_sigterm_keeps_the_journal_writes_the_report_and_exits_143(tmp_path: Path) -> None:
    (tmp_path / "a.pdf").write_bytes(PDF)
    stalled, release = asyncio.Event(), asyncio.Event()

    async def stall(seconds: float) -> None:  # the portal's sleep: only stalls call it
        stalled.set()
        await release.wait()

    async with FakePortal(sleep=stall, faults=FaultConfig(stall_seconds=3600.0)) as portal:
        async with portal.client() as mkp:
            made = await mkp.customers.create(
                CustomerCreate(
                    company_name="A", address="B", zip_code="1", city="C", primary_email="a@a.nl"
                )
            )
        rows = "".join(f"T-{n},{made.id},2024-04-29,1.00,a.pdf\n" for n in range(1, 5))
        invoices = tmp_path / "invoices.csv"
        invoices.write_text("invoice_number,customer_id,issued_at,amount,pdf\n" + rows)
        portal.faults.script("create-customer-invoice", [None, "stall_after_store"])
        report = tmp_path / "report.csv"
        env = {**os.environ, "PYTHONPATH": str(REPO), "MIJNKLANTPORTAAL_API_KEY": portal.api_key}
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "mijnklantportaal_async.cli", "import", "invoices",
            str(invoices), "--base-url", portal.url, "--concurrency", "1",
            "--report", str(report),
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, env=env,
        )  # fmt: skip
        await asyncio.wait_for(stalled.wait(), 60)  # T-1 created, T-2 stored and stalled
        proc.send_signal(signal.SIGTERM)
        out, err = await asyncio.wait_for(proc.communicate(), 60)
        release.set()
    assert proc.returncode == 143, (out + err).decode()
    assert b"Traceback" not in err
    assert "Terminated (SIGTERM). Every finished row is recorded in its journal." in out.decode()
    assert "Run the same command again to resume" in out.decode()
    records = (tmp_path / "invoices.journal.jsonl").read_text(encoding="utf-8").splitlines()
    states = [(r["key"]["invoice_number"], r["state"]) for r in map(json.loads, records[1:])]
    assert states == [("T-1", "sending"), ("T-1", "created"), ("T-2", "sending")]
    assert [(r["row"], r["status"]) for r in read_report(report)] == [
        ("2", "created"),
        ("3", "in flight"),
        ("4", "not started"),
        ("5", "not started"),
    ]
