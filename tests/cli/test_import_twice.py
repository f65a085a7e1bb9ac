"""The same export imported twice into one portal, from two folders (so with two journals, as a
user who copied the folder or lost the journal would): the second import stores nothing again.
Each row is ``exists``; the portal holds each customer, invoice and offer exactly once."""

from __future__ import annotations

import asyncio
import shutil
from collections import Counter
from pathlib import Path

import pytest

from mijnklantportaal_async.cli import main
from mijnklantportaal_async.testing import FakePortal

from .support import read_report

PDF = b"%PDF-1.4\n% twice\n%%EOF\n"
N = 10  # each run stays under the 60 requests a minute the command paces itself to


def export(folder: Path) -> Path:
    """An export folder: N customers, an invoice and an offer for each (by e-mail), PDFs."""
    folder.mkdir(parents=True)
    (folder / "invoice.pdf").write_bytes(PDF)
    emails = [f"f{n}@firm.nl" for n in range(N)]
    (folder / "customers.csv").write_text(
        "company_name,address,zip_code,city,primary_email\n"
        + "".join(f"Firm {n} BV,Kade {n},1011AA,Amsterdam,{e}\n" for n, e in enumerate(emails))
    )
    (folder / "invoices.csv").write_text(
        "customer_email,invoice_number,issued_at,amount,pdf\n"
        + "".join(f"{e},INV-{n:03d},2024-04-29,12.95,invoice.pdf\n" for n, e in enumerate(emails))
    )
    (folder / "offers.csv").write_text(
        "customer_email,offer_number,issued_at,expires_at,amount,pdf\n"
        + "".join(
            f"{e},OFF-{n:03d},2024-04-29,2024-05-29,99.00,invoice.pdf\n"
            for n, e in enumerate(emails)
        )
    )
    return folder


async def run(*argv: str) -> int:
    return await asyncio.to_thread(main, list(argv))


async def test_the_same_export_from_two_folders_is_stored_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = export(tmp_path / "january")
    second = tmp_path / "copy"
    shutil.copytree(first, second, ignore=shutil.ignore_patterns("*.jsonl"))
    async with FakePortal(rate_limit=None) as portal:
        key = tmp_path / "key.txt"
        key.write_text(portal.api_key)
        common = ["--base-url", portal.url, "--api-key-file", str(key), "--grace", "0"]
        assert await run("import", str(first), *common) == 0
        capsys.readouterr()
        report = tmp_path / "second.csv"
        assert await run("import", str(second), *common, "--report", str(report)) == 0
        out = capsys.readouterr().out

    assert Counter(c["primaryEmail"] for c in portal.customers.values()) == Counter(
        f"f{n}@firm.nl" for n in range(N)
    )
    assert len(portal.customer_invoices) == N
    assert len(portal.customer_offers) == N
    rows = read_report(report)
    assert Counter(r["status"] for r in rows) == {"exists": 3 * N}
    assert all(r["id"] for r in rows)
    assert "read 10 stored object(s) in 1 request(s)" in out
