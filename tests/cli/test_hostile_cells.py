"""``mijnklantportaal import`` and hostile cells: each is a row error, never the end of the run
(dry run included); nothing a cell, a file or a server says reaches the terminal as a control
sequence; a ``pdf`` outside the CSV's folder is refused unless ``--allow-outside-paths``; the
bytes of a file that is not a PDF are never shown; ``--report`` cells cannot be formulas."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from mijnklantportaal_async.cli import main
from mijnklantportaal_async.cli.output import printable, report_cell

from .support import FAST, read_report

PDF = b"%PDF-1.4\n% hostile\n%%EOF\n"
ESC = "\x1b]0;pwned\x07\x1b[2J"  # set the terminal's title, clear the screen
INVOICES = "customer_id,invoice_number,issued_at,amount,pdf,paid_at\n"


def folder_with_pdf(tmp_path: Path) -> Path:
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "a.pdf").write_bytes(PDF)
    return folder


def invoices(folder: Path, *rows: str) -> Path:
    path = folder / "invoices.csv"
    path.write_text(INVOICES + "".join(row + "\n" for row in rows), encoding="utf-8")
    return path


def row(number: str, *, pdf: str = "a.pdf", issued: str = "2024-04-29", paid: str = "") -> str:
    return f"cst_abc12345def678,{number},{issued},12.95,{pdf},{paid}"


def statuses(report: Path) -> dict[int, tuple[str, str]]:
    return {int(r["row"]): (r["status"], r["error"]) for r in read_report(report)}


@pytest.mark.parametrize("dry", [True, False], ids=["dry-run", "run"])
def test_a_nul_byte_in_a_path_and_year_1_dates_are_row_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], dry: bool
) -> None:
    folder = folder_with_pdf(tmp_path)
    csv_path = invoices(
        folder,
        row("OK-1"),
        row("NUL-1", pdf="a\x00.pdf"),
        row("YEAR-1", issued="0001-01-01"),
        row("PAID-1", paid="0001-01-01 00:00"),
        row("DMY-1", issued="01-01-0001"),
        row("OK-2"),
    )
    report = tmp_path / "report.csv"
    argv = ["import", "invoices", str(csv_path), *FAST, "--report", str(report)]
    assert main([*argv, "--dry-run"] if dry else argv) == 1
    got = statuses(report)
    assert [got[n][0] for n in range(3, 7)] == ["failed"] * 4
    assert "control characters" in got[3][1]
    assert all("before 1900" in got[n][1] for n in (4, 5, 6))
    # the other rows went ahead: checked, or sent (and refused by the sandbox, which has no
    # customer cst_abc...: the run reached the portal, it did not stop at the hostile rows)
    for n in (2, 7):
        assert got[n][0] == "checked" if dry else "customer id is invalid" in got[n][1]
    assert "Traceback" not in capsys.readouterr().err


def test_control_sequences_in_cells_are_shown_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = folder_with_pdf(tmp_path)
    csv_path = invoices(folder, row("X" + ESC), row("Y", pdf=ESC + ".pdf"))
    assert main(["import", "invoices", str(csv_path), *FAST, "--dry-run"]) == 1  # the pdf row
    out = capsys.readouterr()
    assert "\x1b" not in out.out + out.err
    assert "\x07" not in out.out + out.err
    assert "\\x1b]0;pwned\\x07" in out.out + out.err  # shown, escaped


def test_the_bytes_of_a_file_that_is_no_pdf_are_never_shown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = folder_with_pdf(tmp_path)
    (folder / "fake.pdf").write_bytes(b"\x1b[2JSECRET-CONTENT of a text file")
    csv_path = invoices(folder, row("F-1", pdf="fake.pdf"))
    assert main(["import", "invoices", str(csv_path), *FAST, "--dry-run"]) == 1
    out = capsys.readouterr().out
    assert "is not a PDF" in out
    assert "SECRET" not in out
    assert "[2J" not in out


@pytest.mark.parametrize(
    "where",
    ["../outside.pdf", "{abs}", "inside-link.pdf"],
    ids=["dot-dot", "absolute", "a-link-leading-out"],
)
def test_a_pdf_outside_the_csv_folder_is_refused_unless_allowed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str
) -> None:
    folder = folder_with_pdf(tmp_path)
    outside = tmp_path / "outside.pdf"
    outside.write_bytes(PDF)
    os.symlink(outside, folder / "inside-link.pdf")
    csv_path = invoices(folder, row("O-1", pdf=where.format(abs=outside)))
    argv = ["import", "invoices", str(csv_path), *FAST, "--dry-run"]
    assert main(argv) == 1
    assert "outside the CSV's folder" in capsys.readouterr().out
    assert main([*argv, "--allow-outside-paths"]) == 0


def test_report_cells_that_a_spreadsheet_reads_as_formulas_are_escaped(tmp_path: Path) -> None:
    folder = folder_with_pdf(tmp_path)
    csv_path = folder / "=HYPERLINK(1).csv"
    csv_path.write_text(INVOICES + row("-1") + "\n" + row("@2", pdf="missing.pdf") + "\n")
    report = tmp_path / "report.csv"
    main(["import", "invoices", str(csv_path), *FAST, "--dry-run", "--report", str(report)])
    for line in read_report(report):
        assert line["file"] == "'=HYPERLINK(1).csv"
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in line.values())
    assert [report_cell(v) for v in ["=1", "+1", "-1", "@1", "\t1", "\r1", "1", ""]] == [
        "'=1", "'+1", "'-1", "'@1", "'\t1", "'\r1", "1", "",
    ]  # fmt: skip


def test_printable_escapes_every_control_and_direction_character() -> None:
    text = "a\x00b\x1b[31mc\x7fd\x9be\u202ef\u2066g\tend"
    assert printable(text) == "a\\x00b\\x1b[31mc\\x7fd\\x9be\\u202ef\\u2066g\tend"


@pytest.fixture
async def hostile_portal() -> AsyncIterator[str]:
    """A portal whose every create is refused with a message holding escape sequences."""

    async def handle(request: web.Request) -> web.Response:
        if request.method == "GET":
            return web.json_response({"data": [], "next_page_url": None})
        return web.json_response({"message": "refused " + ESC}, status=422)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    yield str(server.make_url("/v1"))
    await server.close()


async def test_control_sequences_in_server_messages_are_shown_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], hostile_portal: str
) -> None:
    folder = folder_with_pdf(tmp_path)
    csv_path = invoices(folder, row("S-1"))
    key = tmp_path / "key"
    key.write_text("mkp_test_key")
    argv = ["import", "invoices", str(csv_path), "--base-url", hostile_portal]
    assert await asyncio.to_thread(main, [*argv, "--api-key-file", str(key)]) == 1
    out = capsys.readouterr()
    assert "refused \\x1b]0;pwned" in out.out
    assert "\x1b" not in out.out + out.err
