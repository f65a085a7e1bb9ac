"""Two rows of one CSV with the same natural key: the dry run lists the later one with both CSV
line numbers and exits 1; a real run creates the first and fails the later one, saying so in
CSV lines (never in the engine's 0-based input positions)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mijnklantportaal_async.bulk import BulkItemResult, DuplicateItemError, ItemStatus
from mijnklantportaal_async.cli import main
from mijnklantportaal_async.cli.output import Outcome

from .support import FAST, read_report

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "a.pdf").write_bytes(PDF)
    (tmp_path / "customers.csv").write_text(
        "company_name;address;zip_code;city;primary_email\n"
        "Acme BV;Kade 1;1011AA;Amsterdam;a@acme.nl\n"
        "Beta BV;Kade 2;1011AA;Amsterdam;b@beta.nl\n"
        "\n"
        "Acme BV;Kade 9;1011AA;Amsterdam; A@Acme.NL \n",  # the same customer: e-mail case
        encoding="utf-8",
    )
    (tmp_path / "invoices.csv").write_text(
        "invoice_number,customer_email,issued_at,amount,pdf\n"
        "2024-001,a@acme.nl,2024-04-29,12.95,a.pdf\n"
        "2024-002,a@acme.nl,2024-04-29,1.00,a.pdf\n"
        "2024-001,b@beta.nl,2024-04-30,3.00,a.pdf\n",
        encoding="utf-8",
    )
    return tmp_path


def test_dry_run_lists_a_repeated_key_with_both_lines_and_exits_1(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", str(folder), "--dry-run"]) == 1
    out = capsys.readouterr().out
    assert (
        "customers.csv line 5: same primary_email=A@Acme.NL; company_name=Acme BV as line 2" in out
    )
    assert "invoices.csv line 4: same invoice_number=2024-001 as line 2" in out
    assert "2 row(s) have errors." in out


def test_a_real_run_creates_the_first_and_reports_the_repeat_by_csv_line(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = folder / "report.csv"
    assert main(["import", str(folder), *FAST, "--report", str(report)]) == 1
    rows = [(r["file"], r["row"], r["status"], r["error"]) for r in read_report(report)]
    assert rows == [
        ("customers.csv", "2", "created", ""),
        ("customers.csv", "3", "created", ""),
        (
            "customers.csv",
            "5",
            "failed",
            "same primary_email=A@Acme.NL; company_name=Acme BV as line 2",
        ),
        ("invoices.csv", "2", "created", ""),
        ("invoices.csv", "3", "created", ""),
        ("invoices.csv", "4", "failed", "same invoice_number=2024-001 as line 2"),
    ]
    out = capsys.readouterr().out
    assert "input " not in out  # no engine positions anywhere


def test_an_engine_duplicate_is_described_by_csv_lines() -> None:
    # Should the engine itself refuse a repeat, its 0-based input positions become lines.
    error = DuplicateItemError({"invoice_number": "7"}, first_index=0, index=2)
    result: BulkItemResult[object] = BulkItemResult(
        index=2, key={"invoice_number": "7"}, status=ItemStatus.FAILED, error=error
    )
    outcome = Outcome.of_result("invoices.csv", 9, result, lines=[2, 5, 9])
    assert outcome.error == "same invoice_number=7 as line 2"
    assert outcome.describe() == (
        "invoices.csv line 9 (invoice_number=7): failed same invoice_number=7 as line 2"
    )


@pytest.fixture
def first_bad(tmp_path: Path) -> Path:
    """D-1 twice, its first row with an error (no such date)."""
    (tmp_path / "a.pdf").write_bytes(PDF)
    path = tmp_path / "invoices.csv"
    path.write_text(
        "invoice_number,customer_id,issued_at,amount,pdf\n"
        "D-1,cst_1,2024-04-31,1.00,a.pdf\n"
        "D-2,cst_1,2024-04-29,1.00,a.pdf\n"
        "D-1,cst_1,2024-04-29,2.00,a.pdf\n"
        "D-1,cst_1,2024-04-31,3.00,a.pdf\n",
        encoding="utf-8",
    )
    return path


def test_a_repeat_of_a_row_with_an_error_is_found_by_the_dry_run(
    first_bad: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", "invoices", str(first_bad), "--dry-run"]) == 1
    out = capsys.readouterr().out
    assert "invoices.csv line 2: issued_at: '2024-04-31' is not a real date" in out
    assert "invoices.csv line 4: same invoice_number=D-1 as line 2" in out
    assert "invoices.csv line 5: issued_at: '2024-04-31' is not a real date" in out
    assert "invoices.csv line 5: same invoice_number=D-1 as line 2" in out
    assert "3 row(s) have errors." in out


def test_a_repeat_of_a_row_with_an_error_fails_in_a_real_run(first_bad: Path) -> None:
    report = first_bad.with_name("report.csv")
    argv = ["import", "invoices", str(first_bad), *FAST, "--report", str(report)]
    assert main(argv) == 1
    rows = {r["row"]: (r["status"], r["error"]) for r in read_report(report)}
    assert rows["4"][0] == "failed"
    assert "same invoice_number=D-1 as line 2" in rows["4"][1]
