"""What the import reads besides a plain CSV, end to end through the command: Excel's ``sep=``
first line, separators it does not support, lines whose cells do not match the header (an
unquoted decimal comma), and ``.xlsx`` workbooks."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import openpyxl
import pytest

from mijnklantportaal_async import CustomerCreate
from mijnklantportaal_async.cli import main
from mijnklantportaal_async.testing import FakePortal

from .support import FAST

PDF = b"%PDF-1.4\n%%EOF\n"
HEADER = ["invoice_number", "customer_id", "issued_at", "amount", "send_notification", "pdf"]


def folder(tmp_path: Path) -> Path:
    (tmp_path / "pdf").mkdir(parents=True, exist_ok=True)
    (tmp_path / "pdf" / "a.pdf").write_bytes(PDF)
    return tmp_path


def dry_run(path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str]:
    status = main(["import", "invoices", str(path), "--dry-run", *extra])
    captured = capsys.readouterr()
    return status, captured.out + captured.err


def test_an_unquoted_decimal_comma_is_one_error_naming_the_cell_counts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = folder(tmp_path) / "invoices.csv"
    path.write_text(
        ",".join(HEADER) + "\n"
        "2024-001,cst_1,2024-04-29,12.95,no,pdf/a.pdf\n"
        "2024-002,cst_1,2024-04-29,1.00,no,pdf/a.pdf\n"
        "2024-003,cst_1,2024-04-29,12,95,no,pdf/a.pdf\n",
        encoding="utf-8",
    )
    status, out = dry_run(path, capsys)
    assert status == 1
    [line4] = [line for line in out.splitlines() if "line 4" in line]
    assert line4 == (
        "invoices.csv line 4: the line has 7 cells, the header 6: 12,95 looks like an amount "
        'with a decimal comma, split in two by the comma separator; quote it ("12,95") and pass '
        "--decimal-comma, or export the file with ; as the separator"
    )
    assert "line 2" not in out  # the good rows are fine
    assert "line 3" not in out
    assert "1 row(s) have errors." in out


def test_a_missing_cell_is_named_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = folder(tmp_path) / "invoices.csv"
    path.write_text(
        ",".join(HEADER) + "\n2024-001,cst_1,2024-04-29,12.95,pdf/a.pdf\n", encoding="utf-8"
    )
    status, out = dry_run(path, capsys)
    assert status == 1
    assert (
        "invoices.csv line 2: the line has 5 cells, the header 6: a separator too many or " in out
    )


def test_excels_sep_line_is_honoured_and_lines_keep_their_numbers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = folder(tmp_path) / "invoices.csv"
    path.write_bytes(
        (
            "sep=;\r\n" + ";".join(HEADER) + "\r\n"
            "2024-001;cst_1;29-04-2024;12,95;nee;pdf/a.pdf\r\n"
            "2024-002;cst_1;2024-04-31;1,00;nee;pdf/a.pdf\r\n"
        ).encode("utf-8-sig")  # Excel writes a byte-order mark before the sep= line
    )
    status, out = dry_run(path, capsys, "--decimal-comma")
    assert status == 1
    assert "invoices.csv line 4: issued_at: '2024-04-31' is not a real date" in out
    assert "Dry run: 2 row(s) in 1 file(s) checked, nothing sent." in out


@pytest.mark.parametrize(
    ("first_lines", "said"),
    [
        ("sep=|\n" + "|".join(HEADER), "line 1: the first line, sep=|, asks for the separator '|'"),
        ("|".join(HEADER), "line 1: the header is separated by '|', which is not supported"),
    ],
)
def test_an_unsupported_separator_is_named(
    first_lines: str, said: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = folder(tmp_path) / "invoices.csv"
    path.write_text(first_lines + "\n2024-001|cst_1|2024-04-29|1.00|no|pdf/a.pdf\n", "utf-8")
    status, out = dry_run(path, capsys)
    assert status == 1
    assert said in out
    assert "Nothing was sent" in out


def workbook(path: Path, rows: Sequence[Sequence[object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


async def test_an_xlsx_export_is_imported_directly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = folder(tmp_path)
    async with FakePortal(rate_limit=None) as portal:
        async with portal.client() as mkp:
            customer = await mkp.customers.create(
                CustomerCreate(
                    company_name="A", address="B", zip_code="1", city="C", primary_email="a@a.nl"
                )
            )
        sheet = workbook(
            base / "invoices.xlsx",
            [
                HEADER,
                ["2024-001", customer.id, dt.datetime(2024, 4, 29), 12.95, False, "pdf/a.pdf"],
                [None] * 6,  # a blank row, as spreadsheets have
                ["2024-002", customer.id, dt.date(2024, 5, 1), 1250, True, "pdf/a.pdf"],
            ],
        )
        monkeypatch.setenv("MIJNKLANTPORTAAL_API_KEY", portal.api_key)
        argv = ["import", "invoices", str(sheet), "--base-url", portal.url]
        assert await asyncio.to_thread(main, argv) == 0
        stored = sorted(
            (i["invoiceNumber"], i["issuedAt"][:10], i["amount"])
            for i in portal.customer_invoices.values()
        )
    assert stored == [("2024-001", "2024-04-29", "12.95"), ("2024-002", "2024-05-01", "1250.00")]


def test_a_bad_cell_of_a_workbook_names_its_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = workbook(
        folder(tmp_path) / "invoices.xlsx",
        [HEADER, ["2024-001", "cst_1", "2024-04-31", 1.5, 0, "pdf/a.pdf"]],
    )
    status, out = dry_run(sheet, capsys)
    assert status == 1
    assert "invoices.xlsx line 2: issued_at: '2024-04-31' is not a real date" in out


def test_a_folder_of_workbooks_is_imported_in_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = folder(tmp_path)
    workbook(
        base / "customers.xlsx",
        [
            ["company_name", "address", "zip_code", "city", "primary_email"],
            ["Acme BV", "Kade 1", "1011AA", "Amsterdam", "a@acme.nl"],
        ],
    )
    workbook(
        base / "invoices.xlsx",
        [
            ["invoice_number", "customer_email", "issued_at", "amount", "pdf"],
            ["2024-001", "a@acme.nl", dt.date(2024, 4, 29), 12.95, "pdf/a.pdf"],
        ],
    )
    assert main(["import", str(base), *FAST]) == 0
    out = capsys.readouterr().out
    assert "customers.xlsx line 2 (primary_email=a@acme.nl; company_name=Acme BV): created" in out
    assert "invoices.xlsx line 2 (invoice_number=2024-001): created inv_" in out


def test_an_old_xls_workbook_is_refused_with_what_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = folder(tmp_path) / "invoices.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0 an old binary workbook")
    status, out = dry_run(path, capsys)
    assert status == 1
    assert "invoices.xls: line 1: an old Excel .xls workbook: save it as .xlsx or as CSV" in out
