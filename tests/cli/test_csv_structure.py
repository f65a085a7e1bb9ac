"""The structure of an import CSV: stray quotes, line ends, and rows that must never vanish.

A stray ``"`` makes a CSV reader swallow the following lines into one cell, merging rows; the
reader refuses every line break inside a cell and every quote left open, naming the line.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from mijnklantportaal_async.cli import main
from mijnklantportaal_async.cli.reading import CsvFile, CsvFileError, Kind, RowError

from .support import FAST

PDF = b"%PDF-1.4\n%%EOF\n"
HEADER = "invoice_number,customer_email,issued_at,amount,pdf\n"


def invoices(folder: Path, body: str, *, newline: str = "\n") -> Path:
    (folder / "pdf").mkdir(parents=True, exist_ok=True)
    (folder / "pdf" / "a.pdf").write_bytes(PDF)
    path = folder / "invoices.csv"
    path.write_bytes((HEADER + body).replace("\n", newline).encode("utf-8"))
    return path


def row(number: str) -> str:
    return f"{number},a@acme.nl,2024-04-29,1.00,pdf/a.pdf\n"


STRAY = '"2024-1,a@acme.nl,2024-04-29,1.00,pdf/a.pdf\n' + row("2024-2") + '2024-3",x,y,z,w\n'


def test_a_stray_quote_that_swallows_lines_is_refused_with_its_lines(tmp_path: Path) -> None:
    csv_file = CsvFile(invoices(tmp_path, STRAY + row("2024-4")), Kind.INVOICES)
    with pytest.raises(CsvFileError) as info:
        list(csv_file.rows())
    assert info.value.line == 2
    assert "invoice_number contains a line break (a stray quote?" in info.value.reason
    assert "runs on to line 4" in info.value.reason


def test_a_quote_left_open_to_the_end_of_the_file_names_the_line_it_opens(
    tmp_path: Path,
) -> None:
    body = row("2024-1") + row("2024-2") + '"2024-3,a@acme.nl,2024-04-29,1.00,pdf/a.pdf\n'
    body += row("2024-4") + row("2024-5")
    csv_file = CsvFile(invoices(tmp_path, body), Kind.INVOICES)
    rows = csv_file.rows()
    assert [next(rows).line, next(rows).line] == [2, 3]
    with pytest.raises(CsvFileError, match="line 4: a quoted cell of the row starting on line 4"):
        next(rows)


def test_a_quote_left_open_on_the_last_line_without_a_line_end(tmp_path: Path) -> None:
    path = invoices(tmp_path, row("2024-1") + '"2024-2,a@acme.nl,2024-04-29,1.00,pdf/a.pdf')
    with pytest.raises(CsvFileError, match=r"line 3: .* never closed"):
        list(CsvFile(path, Kind.INVOICES).rows())


def test_an_open_quote_longer_than_the_csv_field_limit_is_still_a_stray_quote(
    tmp_path: Path,
) -> None:
    lines = csv.field_size_limit() // len(row("2024-9")) + 10
    body = row("2024-1") + '"2024-2,' + row("2024-3") * lines
    with pytest.raises(CsvFileError, match=r"line 3: .*never closed.*stray quote"):
        list(CsvFile(invoices(tmp_path, body), Kind.INVOICES).rows())


def test_text_after_a_closing_quote_is_refused_not_glued_on(tmp_path: Path) -> None:
    path = invoices(tmp_path, row("2024-1") + '"2024"-2,a@acme.nl,2024-04-29,1.00,pdf/a.pdf\n')
    with pytest.raises(CsvFileError, match=r'line 3: text after the closing quote.*""Big""'):
        list(CsvFile(path, Kind.INVOICES).rows())


def test_quotes_inside_an_unquoted_cell_and_doubled_quotes_are_kept(tmp_path: Path) -> None:
    text = (
        "company_name,address,zip_code,city,primary_email\n"
        'Acme "Big" BV,Kade 1,1011AA,Amsterdam,a@acme.nl\n'
        '"Beta ""B"" BV","Kade 2, achter",1011AA,Amsterdam,b@beta.nl\n'
    )
    (tmp_path / "c.csv").write_text(text, encoding="utf-8")
    rows = list(CsvFile(tmp_path / "c.csv", Kind.CUSTOMERS).rows())
    assert [r.cells["company_name"] for r in rows] == ['Acme "Big" BV', 'Beta "B" BV']
    assert rows[1].cells["address"] == "Kade 2, achter"


@pytest.mark.parametrize("newline", ["\r", "\r\n", "\n"], ids=["CR", "CRLF", "LF"])
def test_every_line_end_is_a_line_end_also_cr_alone(tmp_path: Path, newline: str) -> None:
    path = invoices(tmp_path, row("2024-1") + "\n" + row("2024-2"), newline=newline)
    csv_file = CsvFile(path, Kind.INVOICES)
    assert csv_file.columns[0] == "invoice_number"
    rows = list(csv_file.rows())
    assert [(r.line, r.cells["invoice_number"]) for r in rows] == [(2, "2024-1"), (4, "2024-2")]
    assert all(r.cells["pdf"] == "pdf/a.pdf" for r in rows)


def test_a_bad_byte_after_cr_line_ends_names_its_line(tmp_path: Path) -> None:
    path = invoices(tmp_path, row("2024-1") + "2024-2,caf\x00\n", newline="\r")
    path.write_bytes(path.read_bytes().replace(b"\x00", b"\xe9"))
    with pytest.raises(CsvFileError, match=r"line 3: not UTF-8 .* at byte 11 of the line"):
        list(CsvFile(path, Kind.INVOICES).rows())


def test_dry_run_of_a_stray_quote_fails_and_says_where(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = invoices(tmp_path, STRAY + row("2024-4"))
    assert main(["import", "invoices", str(path), "--dry-run"]) == 1
    out = capsys.readouterr().out
    assert "line 2: invoice_number contains a line break (a stray quote?" in out
    assert "row(s) in 1 file(s) checked" not in out


def test_real_run_of_a_stray_quote_sends_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = invoices(tmp_path, STRAY + row("2024-4"))
    assert main(["import", "invoices", str(path), *FAST]) == 1
    out = capsys.readouterr().out
    assert "line 2: invoice_number contains a line break" in out
    assert "Nothing was sent" in out
    assert "created" not in out


def test_a_cr_only_file_imports_end_to_end(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    customers = tmp_path / "customers.csv"
    customers.write_bytes(
        b"company_name;address;zip_code;city;primary_email\r"
        b"Acme BV;Kade 1;1011AA;Amsterdam;a@acme.nl\r"
    )
    invoices(tmp_path, row("2024-1") + row("2024-2"), newline="\r")
    assert main(["import", str(tmp_path), *FAST]) == 0
    out = capsys.readouterr().out
    assert "Traceback" not in out
    assert out.count("created") >= 3


def test_a_stray_quote_closed_by_a_later_cell_names_the_line_it_opened(
    tmp_path: Path,
) -> None:
    body = row("2024-1") + '"2024-2,a@acme.nl,2024-04-29,1.00,pdf/a.pdf\n' + row("2024-3")
    body += '2024-4,a@acme.nl,2024-04-29,"1.00",pdf/a.pdf\n'
    with pytest.raises(CsvFileError) as info:
        list(CsvFile(invoices(tmp_path, body), Kind.INVOICES).rows())
    assert info.value.line == 3
    assert "row starting on line 3 closes on line 5" in info.value.reason


def test_a_row_without_its_customer_names_both_columns(tmp_path: Path) -> None:
    path = invoices(tmp_path, "X-1,,2024-04-29,1.00,pdf/a.pdf\n")
    csv_file = CsvFile(path, Kind.INVOICES)
    [row] = csv_file.rows()
    with pytest.raises(RowError) as info:
        csv_file.build(row)
    assert info.value.reason == "customer_email: required, but the cell is empty"
    both = tmp_path / "both.csv"
    both.write_text(
        "invoice_number,customer_id,customer_email,issued_at,amount,pdf\n"
        "X-1,,,2024-04-29,1.00,pdf/a.pdf\n",
        encoding="utf-8",
    )
    csv_file = CsvFile(both, Kind.INVOICES)
    [row] = csv_file.rows()
    with pytest.raises(RowError, match="customer_id or customer_email: required"):
        csv_file.build(row)
