"""What the import command says, end to end through the command: when and why it waits for the
rate limit, a refused key, ``--version``, ``-v``, and a summary that a pipe does not cut. The
rate-limit arithmetic itself (``cli.ratewatch.RateWatch``) is checked on a fake clock."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest

from mijnklantportaal_async._version import __version__
from mijnklantportaal_async.cli import main
from mijnklantportaal_async.cli.output import Pace
from mijnklantportaal_async.cli.ratewatch import RateWatch
from mijnklantportaal_async.testing import FakePortal, serve_in_thread

PDF = b"%PDF-1.4\n%%EOF\n"


def customers(folder: Path, count: int, name: str = "customers.csv") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    rows = "".join(
        f"Klant {n} BV,Kade {n},1011AA,Amsterdam,k{n}@example.com\n" for n in range(count)
    )
    path.write_text("company_name,address,zip_code,city,primary_email\n" + rows, "utf-8")
    return path


# -- waiting for the rate limit -------------------------------------------------------------


def test_the_command_says_when_and_why_it_waits(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # An earlier run used up the key's window just now: the run that follows must wait for it,
    # and says so instead of going silent. The command paces by the real API's window (60 s),
    # so this is a real wait of about a minute: with even pacing no shorter run waits long
    # enough to be worth saying (the arithmetic is checked on a fake clock below).
    path = customers(tmp_path, 2)
    with serve_in_thread(rate_limit=3, rate_period=4) as portal:

        async def earlier_run() -> None:
            async with portal.client(rate_limit=None) as mkp:
                for _ in range(3):
                    [customer async for customer in mkp.customers.list()]

        asyncio.run(earlier_run())
        monkeypatch.setenv("MIJNKLANTPORTAAL_BASE_URL", portal.url)
        monkeypatch.setenv("MIJNKLANTPORTAAL_API_KEY", portal.api_key)
        assert main(["import", "customers", str(path)]) == 0
        assert len(portal.customers) == 2
    out = capsys.readouterr().out
    waits = re.findall(r"waiting (\d+) s for the rate limit: (\d+) requests on this key", out)
    assert len(waits) == 1, out
    assert 50 <= int(waits[0][0]) <= 60


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def watch(limit: int = 60, period: float = 60.0) -> tuple[RateWatch, Pace, Clock, list[str]]:
    clock, said = Clock(), list[str]()
    pace = Pace(limit, period, clock=clock)
    return RateWatch(limit, period, say=said.append, pace=pace, clock=clock), pace, clock, said


def headers(remaining: int, limit: int = 60) -> dict[str, str]:
    return {"X-RateLimit-Limit": str(limit), "X-RateLimit-Remaining": str(remaining)}


def test_a_burst_that_fills_the_window_is_said_once() -> None:
    rate, _pace, clock, said = watch()
    for n in range(60):  # a fast portal answers 60 creates within 0.6 s
        clock.now = 1000.0 + n * 0.01
        started = rate.started()
        rate.answered(201, headers(59 - n), started)
    assert said == ["waiting 60 s for the rate limit: 60 requests on this key in the last minute"]
    clock.now += 12.0
    assert rate.wait() == pytest.approx(60.0 - 12.59, abs=0.01)  # the first request's slot


def test_an_evenly_paced_run_is_not_a_wait_worth_saying() -> None:
    rate, _pace, clock, said = watch()
    for n in range(200):  # one request a second: each waits 1 s at most
        clock.now = 1000.0 + n
        rate.answered(201, headers(0 if n >= 59 else 59 - n), rate.started())
    assert said == []


def test_a_rerun_sees_the_earlier_runs_requests_and_the_eta_keeps_moving() -> None:
    rate, pace, clock, said = watch()
    assert pace.eta(100) == pytest.approx(60.0)  # before: 60 go at once, 40 a window later
    started = rate.started()
    clock.now += 0.2
    rate.answered(201, headers(0), started)  # the portal counts 59 requests of an earlier run
    assert said == ["waiting 60 s for the rate limit: 60 requests on this key in the last minute"]
    pace.answered(1)
    first = pace.eta(99)
    assert first is not None
    assert first == pytest.approx(120.0, abs=0.5)  # a window to wait, then one more
    clock.now += 30.0
    assert pace.eta(99) == pytest.approx(first - 30.0, abs=0.01)  # counts down, not frozen


def test_a_429_is_a_wait_for_its_retry_after() -> None:
    rate, pace, clock, said = watch()
    rate.answered(429, {"Retry-After": "48"}, rate.started())
    assert said == ["waiting 48 s for the rate limit: 1 request on this key in the last minute"]
    assert pace.eta(1) == pytest.approx(48.0)
    clock.now += 20.0
    assert pace.eta(1) == pytest.approx(28.0)


# -- the key --------------------------------------------------------------------------------


async def test_a_refused_key_stops_at_once_on_the_invoice_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.pdf").write_bytes(PDF)
    invoices = tmp_path / "invoices.csv"
    invoices.write_text(
        "invoice_number,customer_email,issued_at,amount,pdf\n"
        + "".join(f"2024-00{n},a@acme.nl,2024-04-29,1.00,a.pdf\n" for n in range(1, 4)),
        encoding="utf-8",
    )
    async with FakePortal() as portal:
        monkeypatch.setenv("MIJNKLANTPORTAAL_API_KEY", "mkp_revoked_key_value")
        argv = ["import", "invoices", str(invoices), "--base-url", portal.url]
        assert await asyncio.to_thread(main, argv) == 1
        assert [r.route for r in portal.requests] == ["GET /customers"]  # nothing more sent
    out = capsys.readouterr().out
    assert "the API key was refused: check MIJNKLANTPORTAAL_API_KEY" in out
    assert "Cannot look the customers up" not in out
    assert "3 row(s) unfinished (3 not started, 0 in flight when the run stopped): check " in out
    assert "mkp_revoked_key_value" not in out


# -- options and output ---------------------------------------------------------------------


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"mijnklantportaal {__version__}"


def test_verbose_logs_each_request_to_stderr_without_the_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = customers(tmp_path, 2)
    assert main(["import", "customers", str(path), "--sandbox", "-v"]) == 0
    captured = capsys.readouterr()
    debug = [line for line in captured.err.splitlines() if " DEBUG " in line]
    assert sum("POST" in line and "/customers" in line for line in debug) == 2
    assert "mkp_test_" not in captured.err
    assert " DEBUG " not in captured.out  # the log stays off the command's output


def test_a_piped_summary_is_not_cut_at_80_columns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = "klanten-export-uit-de-boekhouding-van-het-eerste-kwartaal-2024.csv"
    path = customers(tmp_path, 1, name)
    assert main(["import", "customers", str(path), "--sandbox"]) == 0
    out = capsys.readouterr().out  # captured: not a terminal, as in a pipe
    [row] = [line for line in out.splitlines() if line.startswith(f"│ {name} │")]
    assert len(row) > 80
    # rows, created, adopted, exists, skipped, failed: whole, not cut
    assert [cell.strip() for cell in row.split("│")[2:8]] == ["1", "1", "0", "0", "0", "0"]
