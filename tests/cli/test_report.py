"""``mijnklantportaal import --report``: never over an input or a journal, checked writable
before anything is sent, written by a dry run too, and a report that could not be written is
an error (exit 1), never followed by "Report: ..."."""

from __future__ import annotations

from pathlib import Path

import pytest

from mijnklantportaal_async.cli import main

from .support import FAST, read_report

PDF = b"%PDF-1.4\n%%EOF\n"
CUSTOMERS = (
    "company_name,address,zip_code,city,primary_email\n"
    "Acme BV,Kade 1,1011AA,Amsterdam,a@acme.nl\n"
    "Beta BV,,1011AA,Amsterdam,b@beta.nl\n"
    "Gamma BV,Kade 3,1011AA,Amsterdam,c@gamma.nl\n"
)


@pytest.fixture
def customers(tmp_path: Path) -> Path:
    path = tmp_path / "customers.csv"
    path.write_text(CUSTOMERS, encoding="utf-8")
    return path


@pytest.mark.parametrize("dry_run", [[], ["--dry-run"]], ids=["run", "dry run"])
def test_a_report_over_the_input_is_refused_and_the_input_kept(
    customers: Path, dry_run: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["import", "customers", str(customers), *FAST, *dry_run]
    assert main([*argv, "--report", str(customers)]) == 2
    assert customers.read_text(encoding="utf-8") == CUSTOMERS
    assert "--report" in capsys.readouterr().err
    assert main([*argv, "--report", str(customers.parent / "." / "customers.csv")]) == 2
    assert customers.read_text(encoding="utf-8") == CUSTOMERS


def test_a_report_over_the_journal_is_refused(
    customers: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    journal = customers.parent / "j.jsonl"
    argv = ["import", "customers", str(customers), *FAST, "--journal", str(journal)]
    assert main([*argv, "--report", str(journal)]) == 2
    assert "is a journal: it would be overwritten" in capsys.readouterr().err
    assert not journal.exists()


def test_an_unwritable_report_is_refused_before_anything_is_sent(
    customers: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "no such folder" / "r.csv"
    assert main(["import", "customers", str(customers), *FAST, "--report", str(report)]) == 2
    captured = capsys.readouterr()
    assert f"--report {report}: cannot write it" in captured.err
    assert "created" not in captured.out
    assert not (tmp_path / "customers.sandbox.journal.jsonl").exists()


@pytest.mark.skipif(
    not Path("/dev/full").exists(),
    reason="the failing report write is made with /dev/full, a Linux device",
)
@pytest.mark.parametrize("dry_run", [[], ["--dry-run"]], ids=["run", "dry run"])
def test_a_report_that_fails_at_the_end_is_exit_1_and_not_announced(
    tmp_path: Path, dry_run: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    clean = tmp_path / "customers.csv"  # every row fine: the report alone makes it exit 1
    clean.write_text(CUSTOMERS.replace("Beta BV,,", "Beta BV,Kade 2,"), encoding="utf-8")
    # /dev/full opens for writing (so the check before sending passes), and every write to
    # it fails with ENOSPC: a disk that fills up during the run
    report = "/dev/full"
    argv = ["import", "customers", str(clean), *FAST, *dry_run, "--report", report]
    assert main(argv) == 1
    out = capsys.readouterr().out
    assert f"Cannot write the report {report}: No space left on device" in out
    assert "Report:" not in out


def test_a_dry_run_writes_its_findings_to_the_report(customers: Path, tmp_path: Path) -> None:
    report = tmp_path / "r.csv"
    argv = ["import", "customers", str(customers), "--dry-run", "--report", str(report)]
    assert main(argv) == 1
    rows = [(r["row"], r["status"], r["error"]) for r in read_report(report)]
    assert rows == [
        ("2", "checked", ""),
        ("3", "failed", "address: required, but the cell is empty"),
        ("4", "checked", ""),
    ]
    assert read_report(report)[0]["key"] == "primary_email=a@acme.nl; company_name=Acme BV"
