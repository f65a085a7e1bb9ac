"""The ``mijnklantportaal import`` command end to end: exit codes, dry runs, reports, journals,
the sandbox, the API key, Ctrl-C and resuming, in-process and as a real subprocess."""

from __future__ import annotations

import asyncio
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

from mijnklantportaal_async import CustomerCreate
from mijnklantportaal_async.cli import main
from mijnklantportaal_async.cli.command import read_api_key
from mijnklantportaal_async.cli.output import Display, Outcome
from mijnklantportaal_async.testing import FakePortal, FaultConfig

from .support import FAST, read_report

REPO = Path(__file__).resolve().parents[2]
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def examples(tmp_path: Path) -> Path:
    """A copy of examples/ (journals land beside the CSVs, so never in the repo)."""
    ignore = shutil.ignore_patterns("*.journal.jsonl", "*.report.csv", "*.py")
    return Path(shutil.copytree(REPO / "examples", tmp_path / "examples", ignore=ignore))


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    """A folder with one customer and three invoices: good, unknown customer, bad date."""
    folder = tmp_path / "mixed"
    (folder / "pdf").mkdir(parents=True)
    (folder / "pdf" / "a.pdf").write_bytes(PDF)
    (folder / "customers.csv").write_text(
        "company_name;address;zip_code;city;primary_email\n"
        "Acme BV;Kade 1;1011AA;Amsterdam;a@acme.nl\n",
        encoding="utf-8",
    )
    (folder / "invoices.csv").write_text(
        "invoice_number,customer_email,customer_id,issued_at,amount,pdf\n"
        "2024-001,a@acme.nl,,2024-04-29,12.95,pdf/a.pdf\n"
        "2024-002,,cst_doesnotexist00,2024-04-29,1.00,pdf/a.pdf\n"
        "2024-003,a@acme.nl,,2024-04-31,1.00,pdf/a.pdf\n",
        encoding="utf-8",
    )
    return folder


def journal_records(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


async def run(*argv: str) -> int:
    """main() in a worker thread, so a FakePortal in this test's loop keeps serving."""
    return await asyncio.to_thread(main, list(argv))


# -- dry runs -----------------------------------------------------------------------------


def test_dry_run_of_the_examples_is_clean(
    examples: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", str(examples), "--dry-run"]) == 0
    assert "38 row(s) in 3 file(s) checked, nothing sent" in capsys.readouterr().out


async def test_dry_run_lists_every_error_with_its_line_and_sends_nothing(
    mixed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (mixed / "offers.csv").write_text(
        "offer_number,customer_id,issued_at,expires_at,amount,pdf\n"
        "O-1,cst_1,2024-05-01,2024-04-01,1.00,pdf/a.pdf\n"
        "O-2,cst_1,2024-05-01,2024-06-01,-3,pdf/nothere.pdf\n",
        encoding="utf-8",
    )
    key = tmp_path / "key"
    async with FakePortal() as portal:
        key.write_text(portal.api_key)
        argv = ["import", str(mixed), "--dry-run", "--base-url", portal.url]
        assert await run(*argv, "--api-key-file", str(key)) == 1
        assert portal.requests == ()
    out = capsys.readouterr().out
    assert "invoices.csv line 4: issued_at: '2024-04-31' is not a real date" in out
    assert "offers.csv line 2: expires_at: 2024-04-01 is before issued_at 2024-05-01" in out
    assert "offers.csv line 3: pdf: file not found: pdf/nothere.pdf" in out
    assert "3 row(s) have errors." in out


def test_a_bad_header_stops_everything_before_sending(
    mixed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (mixed / "offers.csv").write_text("offer_nummer,customer_id\n", encoding="utf-8")
    assert main(["import", str(mixed), *FAST]) == 1
    out = capsys.readouterr().out
    assert "offers.csv: line 1: unknown column 'offer_nummer'" in out
    assert "Sandbox:" not in out  # no portal was even started


# -- the sandbox ----------------------------------------------------------------------------


def test_sandbox_import_of_the_examples(examples: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = examples / "out.csv"
    assert main(["import", str(examples), *FAST, "--report", str(report)]) == 0
    out = capsys.readouterr().out
    assert "Sandbox: importing into an in-process fake portal" in out
    assert "nothing leaves this machine" in out
    rows = read_report(report)
    assert len(rows) == 38
    assert {row["status"] for row in rows} == {"created"}
    assert [row["file"] for row in rows[:8]] == ["customers.csv"] * 8  # customers come first
    for name in ("customers", "invoices", "offers"):  # sandbox journals never mix with real ones
        path = examples / f"{name}.sandbox.journal.jsonl"
        assert journal_records(path)[0]["sandbox"] is True
        assert not (examples / f"{name}.journal.jsonl").exists()
    # the sandbox portal is new each run, and so is its journal: a rerun creates all again
    assert main(["import", str(examples), *FAST, "--report", str(report)]) == 0
    assert {row["status"] for row in read_report(report)} == {"created"}


def test_failed_items_give_exit_1_and_the_report_says_why(
    mixed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = mixed / "report.csv"
    assert main(["import", str(mixed), *FAST, "--report", str(report)]) == 1
    rows = read_report(report)
    assert list(rows[0]) == ["row", "key", "status", "id", "error", "file"]
    assert [(r["file"], r["row"], r["key"], r["status"]) for r in rows] == [
        ("customers.csv", "2", "primary_email=a@acme.nl; company_name=Acme BV", "created"),
        ("invoices.csv", "2", "invoice_number=2024-001", "created"),
        ("invoices.csv", "3", "invoice_number=2024-002", "failed"),
        ("invoices.csv", "4", "invoice_number=2024-003", "failed"),
    ]
    assert rows[1]["id"].startswith("inv_")
    assert rows[2]["error"].startswith("422: ")
    assert "customerId" in rows[2]["error"]
    assert rows[3]["error"] == "issued_at: '2024-04-31' is not a real date"  # no line twice
    out = capsys.readouterr().out
    assert "line 4 (invoice_number=2024-003): failed issued_at: " in out
    assert "2 row(s) failed:" in out
    assert "invoices.csv line 3 (invoice_number=2024-002): failed 422: " in out


# -- a portal given by URL, the key, the journal -------------------------------------------


async def test_journal_beside_the_csv_and_a_rerun_skips_everything(
    examples: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = examples / "report.csv"
    # The portal's X-RateLimit-Limit lifts the CLI's 60/min pacing of these ~40 requests.
    async with FakePortal(rate_limit=100_000) as portal:
        monkeypatch.setenv("MIJNKLANTPORTAAL_API_KEY", portal.api_key)
        argv = ["import", str(examples), "--base-url", portal.url, "--report", str(report)]
        assert await run(*argv) == 0
        journal = examples / "invoices.journal.jsonl"
        header = journal_records(journal)[0]
        assert (header["portal"], header["sandbox"]) == (portal.url, False)
        sent = len(portal.requests)

        assert await run(*argv) == 0
        assert {row["status"] for row in read_report(report)} == {"skipped"}
        assert len(portal.customers) == 8
        assert len(portal.customer_invoices) == 20
        assert len(portal.customer_offers) == 10
        new = [r.route for r in portal.requests[sent:]]
        assert new == ["GET /customers"]  # the e-mail look-up, nothing created


async def test_api_key_file_is_stripped_and_never_printed(
    mixed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    async with FakePortal() as portal:
        key = tmp_path / "key"
        key.write_text(f"  {portal.api_key}\n")
        argv = ["import", "customers", str(mixed / "customers.csv"), "--base-url", portal.url]
        assert await run(*argv, "--api-key-file", str(key)) == 0
        assert len(portal.customers) == 1
        wrong = tmp_path / "wrong"
        wrong.write_text("mkp_wrong_secret_value\n")
        # the journal beside the CSV belongs to the first key: refused before sending
        assert await run(*argv, "--api-key-file", str(wrong)) == 2
        other = str(tmp_path / "other.jsonl")
        assert await run(*argv, "--api-key-file", str(wrong), "--journal", other) == 1
    captured = capsys.readouterr()
    assert "belongs to another portal or key" in captured.err
    assert "the API key was refused: check the key in" in captured.out
    for text in (captured.out, captured.err):
        assert portal.api_key not in text
        assert "mkp_wrong_secret_value" not in text


# -- usage errors ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["import", "invoices"], "needs the CSV file"),
        (["import", "nowhere/"], "nowhere/: no such file or folder"),
        (
            ["import", "examples/invoices.csv"],
            "is a file: say what it holds: import invoices examples/invoices.csv",
        ),
        (["import", "invoices", "nowhere.csv"], "no such file"),
        (["import", "bills", "x.csv"], "not one of customers, invoices, offers"),
        (["import", "EXAMPLES", "--sandbox", "--base-url", "http://127.0.0.1:1/v1"], "exclude"),
        (["import", "EXAMPLES", "--sandbox", "--concurrency", "0"], "at least 1"),
        (["import", "EXAMPLES"], "MIJNKLANTPORTAAL_API_KEY"),
        (["import", "EXAMPLES", "--api-key-file", "missing-key"], "--api-key-file missing-key"),
        (["import", "EXAMPLES", "--bogus"], "unrecognized arguments"),
    ],
)
def test_usage_errors_exit_2(
    argv: list[str],
    message: str,
    examples: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.delenv("MIJNKLANTPORTAAL_API_KEY", raising=False)
    monkeypatch.chdir(examples.parent)
    argv = [str(examples) if arg == "EXAMPLES" else arg for arg in argv]
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_on_a_terminal_a_live_bar_shows_rate_eta_and_failures() -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=120, color_system=None)
    display = Display(console)
    assert display.live
    with display.track("invoices.csv", 2) as show:
        show(Outcome("invoices.csv", 2, "invoice_number=1", "created", "inv_1"))
        show(Outcome("invoices.csv", 3, "invoice_number=2", "failed", error="422: bad"))
    out = buffer.getvalue()
    assert "2/2" in out
    assert "/min" in out
    assert "ETA" in out
    assert "invoices.csv line 3 (invoice_number=2): failed 422: bad" in out
    assert "line 2 (invoice_number=1): created" not in out  # only failures scroll above the bar


def test_a_key_file_saved_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    path = tmp_path / "key.txt"
    path.write_bytes(b"\xef\xbb\xbfmkp_live_abc123\r\n")  # Notepad's "UTF-8 with BOM"
    assert read_api_key(path) == "mkp_live_abc123"


# -- real processes -------------------------------------------------------------------------


def child_env(**extra: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), **extra}
    env.pop("FORCE_COLOR", None)
    return env


def test_subprocess_sandbox_import(examples: Path) -> None:
    command = [sys.executable, "-m", "mijnklantportaal_async.cli", "import", str(examples), *FAST]
    done = subprocess.run(  # noqa: S603 - our own command
        command, capture_output=True, text=True, env=child_env(), timeout=120, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Sandbox:" in done.stdout
    assert re.search(r"total\W+38\W+38\W+0\W+0\W+0\W", done.stdout), done.stdout


def test_without_rich_the_command_says_how_to_install_it(examples: Path) -> None:
    code = (
        "import sys; sys.modules['rich'] = None\n"  # as if the [cli] extra was not installed
        "from mijnklantportaal_async.cli import main\n"
        f"sys.exit(main(['import', {str(examples)!r}, '--dry-run']))"
    )
    done = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", code], capture_output=True, text=True, env=child_env(), check=False
    )
    assert done.returncode == 2
    assert "python -m pip install 'mijnklantportaal-async[cli]'" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("stop", "status", "said"),
    [
        (signal.SIGINT, 130, "Interrupted"),  # Ctrl-C
        (signal.SIGTERM, 143, "Terminated (SIGTERM)"),  # kill, a container or service stopping
    ],
)
async def test_ctrl_c_or_sigterm_keeps_the_journal_writes_the_report_and_a_rerun_resumes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stop: signal.Signals, status: int, said: str
) -> None:
    (tmp_path / "a.pdf").write_bytes(PDF)
    stalled, release = asyncio.Event(), asyncio.Event()

    async def stall(seconds: float) -> None:  # the portal's sleep: only stalls call it
        stalled.set()
        await release.wait()

    async with FakePortal(sleep=stall, faults=FaultConfig(stall_seconds=3600.0)) as portal:
        monkeypatch.setenv("MIJNKLANTPORTAAL_API_KEY", portal.api_key)
        async with portal.client() as mkp:
            made = await mkp.customers.create(
                CustomerCreate(
                    company_name="A", address="B", zip_code="1", city="C", primary_email="a@a.nl"
                )
            )
        rows = "".join(f"2024-{n:03d},{made.id},2024-04-29,1.00,a.pdf\n" for n in range(1, 6))
        invoices = tmp_path / "invoices.csv"
        invoices.write_text("invoice_number,customer_id,issued_at,amount,pdf\n" + rows)
        portal.faults.script("create-customer-invoice", [None, "stall_after_store"])
        argv = ["import", "invoices", str(invoices), "--base-url", portal.url, "--concurrency", "1"]
        report = tmp_path / "report.csv"
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "mijnklantportaal_async.cli", *argv, "--report", str(report),
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
            env=child_env(),
        )  # fmt: skip
        await asyncio.wait_for(stalled.wait(), 60)  # invoice 1 created, invoice 2 stored+stalled
        proc.send_signal(stop)
        out, err = await asyncio.wait_for(proc.communicate(), 60)
        release.set()
        assert proc.returncode == status, (out + err).decode()
        assert b"Traceback" not in err
        assert f"{said}. Every finished row is recorded in its journal." in out.decode()
        # the summary, as after any run: 1 created, 4 unfinished (1 in flight, 3 not started)
        lines = out.decode().splitlines()
        [summary] = [line for line in lines if line.startswith("│ invoices")]
        [header] = [line for line in lines if line.startswith("┃ file")]
        names = [name.strip() for name in header.strip("┃").split("┃")]
        row = dict(
            zip(names, (cell.strip() for cell in summary.strip("│").split("│")), strict=True)
        )
        assert (row["rows"], row["created"], row["adopted"], row["failed"]) == ("5", "1", "0", "0")
        assert "4 row(s) unfinished (3 not started, 1 in flight" in out.decode()
        assert "Run the same command again to resume" in out.decode()
        journal = tmp_path / "invoices.journal.jsonl"
        states = [(r.get("key"), r.get("state")) for r in journal_records(journal)[1:]]
        assert states == [
            ({"invoice_number": "2024-001"}, "sending"),
            ({"invoice_number": "2024-001"}, "created"),
            ({"invoice_number": "2024-002"}, "sending"),  # in flight when interrupted
        ]
        assert [(r["row"], r["status"]) for r in read_report(report)] == [
            ("2", "created"),
            ("3", "in flight"),  # every row is in the report, also those the run never reached
            *((str(line), "not started") for line in range(4, 7)),
        ]

        portal.faults.clear()
        assert await run(*argv, "--report", str(report)) == 0
        statuses = [row["status"] for row in read_report(report)]
        assert statuses == ["skipped", "adopted", "created", "created", "created"]
        numbers = sorted(inv["invoiceNumber"] for inv in portal.customer_invoices.values())
        assert numbers == [f"2024-{n:03d}" for n in range(1, 6)]  # each exactly once
