"""``mijnklantportaal import`` and a journal of another key: a refused key leaves a journal the
right key can reuse; a journal of real imports is refused with a warning, never silently."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from mijnklantportaal_async.cli import main
from mijnklantportaal_async.testing import FakePortal

from .support import read_report

PDF = b"%PDF-1.4\n%%EOF\n"


def customers(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "customers.csv"
    rows = "".join(f"Firm {n} BV,Kade {n},1011AA,Amsterdam,f{n}@firm.nl\n" for n in range(count))
    path.write_text("company_name,address,zip_code,city,primary_email\n" + rows)
    return path


def key_file(folder: Path, name: str, key: str) -> Path:
    path = folder / name
    path.write_text(key + "\n", encoding="utf-8")
    return path


async def run(*argv: str) -> int:
    """main() in a worker thread, so a FakePortal in this test's loop keeps serving."""
    return await asyncio.to_thread(main, list(argv))


def last_states(journal: Path) -> dict[str, str]:
    records = [json.loads(line) for line in journal.read_text(encoding="utf-8").splitlines()]
    return {r["key"]["primary_email"]: r["state"] for r in records if r["type"] == "item"}


async def test_a_rerun_with_the_right_key_reuses_the_journal_of_a_refused_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv_path = customers(tmp_path / "in", 20)
    journal = csv_path.with_name("customers.journal.jsonl")
    report = tmp_path / "report.csv"
    typo = key_file(tmp_path, "typo", "mkp_typo_0000")
    async with FakePortal() as portal:
        right = key_file(tmp_path, "right", portal.api_key)
        argv = ["import", "customers", str(csv_path), "--base-url", portal.url]
        refused = ["--api-key-file", str(typo), "--concurrency", "4", "--report", str(report)]
        assert await run(*argv, *refused) == 1
        # every request in flight when the key was refused was waited for and journaled
        assert set(last_states(journal).values()) == {"failed"}
        # and every row is accounted for: failed (refused), or not started
        statuses = {int(r["row"]): r["status"] for r in read_report(report)}
        assert sorted(statuses) == list(range(2, 22))
        sent = sum(1 for status in statuses.values() if status == "failed")
        assert set(statuses.values()) == {"failed", "not started"}
        assert await run(*argv, "--api-key-file", str(right)) == 0
        assert len(portal.customers) == 20
        assert await run(*argv, "--api-key-file", str(right)) == 0  # resumes: all skipped
        assert len(portal.customers) == 20
    out = capsys.readouterr().out
    assert "the API key was refused: check the key in" in out
    assert f"{20 - sent} row(s) unfinished ({20 - sent} not started, 0 in flight" in out
    assert portal.api_key not in out


async def test_a_journal_of_real_imports_under_another_key_is_refused_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv_path = customers(tmp_path / "in", 3)
    async with FakePortal() as portal:
        first = key_file(tmp_path, "first", portal.api_key)
        second = key_file(tmp_path, "second", portal.add_api_key())
        argv = ["import", "customers", str(csv_path), "--base-url", portal.url]
        assert await run(*argv, "--api-key-file", str(first)) == 0
        assert await run(*argv, "--api-key-file", str(second)) == 2
        assert len(portal.customers) == 3
    err = capsys.readouterr().err
    assert "belongs to another portal or key" in err
    assert "it records 3 item(s) stored or possibly stored there" in err
    assert "e.g. customers primary_email='f0@firm.nl', company_name='Firm 0 BV' as cst_" in err
    assert "Do not simply pass another --journal" in err
    assert "creating them twice" in err
