"""The ``mijnklantportaal`` command: import bookkeeping CSV exports into a portal.

``mijnklantportaal import invoices|offers|customers FILE.csv`` imports one file;
``mijnklantportaal import DIR`` imports ``customers.csv``, then ``invoices.csv``, then
``offers.csv`` from a folder. Every row is created exactly once through ``create_many`` with a
journal beside the input, so a rerun after a crash or Ctrl-C resumes where it stopped. See
``docs/cli.md``. Exit status: 0 all rows done, 1 a row failed (or a dry run found errors),
2 usage error, 130 interrupted (Ctrl-C), 143 terminated (SIGTERM).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import sys
import time
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

import aiohttp
import attrs

from mijnklantportaal_async import (
    JournalCorruptError,
    JournalError,
    JournalLockedError,
    JournalMismatchError,
    MijnKlantportaal,
    RateLimit,
)
from mijnklantportaal_async._version import __version__
from mijnklantportaal_async.cli.reading import Kind
from mijnklantportaal_async.client import ENV_API_KEY

try:  # rich is the optional [cli] extra: main() says how to install it when it is missing
    from mijnklantportaal_async.cli.output import IN_FLIGHT, Display, Outcome, Pace, save_report
except ImportError as _exc:
    _MISSING_RICH: str | None = str(_exc)
else:
    _MISSING_RICH = None
    from mijnklantportaal_async.cli.checks import Job, check
    from mijnklantportaal_async.cli.importer import Importer, ordered, unfinished
    from mijnklantportaal_async.cli.ratewatch import RateWatch

__all__ = ["build_parser", "main"]

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED, EXIT_TERMINATED = 0, 1, 2, 130, 143
DIR_ORDER = (Kind.CUSTOMERS, Kind.INVOICES, Kind.OFFERS)
KINDS = {kind.value: kind for kind in Kind}


class UsageError(Exception):
    """A problem with the command line or the environment: exit status 2."""


@attrs.define
class RunState:
    """What the Ctrl-C and SIGTERM messages need to know."""

    sandbox: bool = False
    journals: list[Path] = attrs.Factory(list)
    terminated: bool = False  # SIGTERM cancelled the run


_OPTIONS: dict[str, dict[str, Any]] = {
    "--journal": {
        "metavar": "PATH",
        "type": Path,
        "help": "the journal that makes reruns resume (default: beside each CSV, "
        "<name>.journal.jsonl, or <name>.sandbox.journal.jsonl with --sandbox)",
    },
    "--concurrency": {"metavar": "N", "type": int, "default": 4, "help": "creates in flight (4)"},
    "--grace": {
        "metavar": "SECONDS",
        "type": float,
        "default": 30.0,
        "help": "wait this long before sending a row again whose create may have been lost "
        "and was not found (it may still land), and before the check for rows stored twice (30)",
    },
    "--dry-run": {
        "action": "store_true",
        "help": "check every row and PDF, list every error with its line number, send nothing",
    },
    "--report": {
        "metavar": "OUT.csv",
        "type": Path,
        "help": "write one line per row: row, key, status, id, error, file (with --dry-run: "
        "each row checked or failed); never one of the inputs",
    },
    "--decimal-comma": {"action": "store_true", "help": "amounts are written 1.234,56"},
    "--allow-outside-paths": {
        "action": "store_true",
        "help": "allow pdf cells that name a file outside the CSV's folder (refused by "
        "default: a CSV from elsewhere must not upload this machine's files)",
    },
    "--sandbox": {
        "action": "store_true",
        "help": "import into an in-process fake portal (nothing leaves this machine)",
    },
    "--base-url": {"metavar": "URL", "help": "the API root of another portal (advanced)"},
    "--api-key-file": {
        "metavar": "PATH",
        "type": Path,
        "help": f"read the API key from this file (else ${ENV_API_KEY})",
    },
    "--sandbox-rate-limit": {
        "metavar": "N",
        "type": int,
        "default": 60,
        "help": "for testing: requests per minute the sandbox allows (60, as the API)",
    },
    "--sandbox-rate-period": {
        "metavar": "SECONDS",
        "type": int,
        "default": 60,
        "help": "for testing: the sandbox's rate-limit window in seconds (60, as the API)",
    },
    "--verbose": {
        "action": "store_true",
        "help": "log every HTTP attempt and the rate limiter's decisions to stderr (debug)",
    },
}


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``mijnklantportaal`` command."""
    parser = argparse.ArgumentParser(
        prog="mijnklantportaal", description="Command-line tools for the MijnKlantportaal API."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    imp = commands.add_parser(
        "import",
        help="import customers, invoices or offers from CSV or Excel (.xlsx) files",
        description="Import customers, invoices or offers (with their PDFs) from CSV or Excel "
        "(.xlsx) files, each row exactly once. Columns are the snake_case field names of the "
        "request models; invoices and offers name their customer by customer_id or "
        "customer_email; pdf paths are relative to the file. DIR imports DIR/customers.csv, "
        "then invoices.csv, then offers.csv (or .xlsx).",
        epilog=f"The API key comes from ${ENV_API_KEY} or --api-key-file. Exit status: 0 every "
        "row done, 1 a row failed (or a dry run found errors), 2 usage error, 130 interrupted, "
        "143 terminated (rerun the same command to resume).",
    )
    imp.add_argument("what", metavar="KIND|DIR", help="customers, invoices or offers, or DIR")
    imp.add_argument(
        "file", metavar="FILE.csv", nargs="?", help="the CSV (or .xlsx) file to import"
    )
    for flag, options in _OPTIONS.items():
        imp.add_argument(*(("-v", flag) if flag == "--verbose" else (flag,)), **options)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command with ``argv`` (default ``sys.argv[1:]``); returns the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    if _MISSING_RICH is not None:
        print(f"mijnklantportaal: {_MISSING_RICH}", file=sys.stderr)
        return EXIT_USAGE
    if args.verbose:
        _log_to_stderr()
    display = Display()
    state = RunState(sandbox=args.sandbox)
    try:
        return asyncio.run(run_import(args, display, state))
    except UsageError as exc:
        print(f"mijnklantportaal import: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return _stopped(display, state, "Interrupted", EXIT_INTERRUPTED)
    except asyncio.CancelledError:
        if not state.terminated:
            raise
        return _stopped(display, state, "Terminated (SIGTERM)", EXIT_TERMINATED)


def _log_to_stderr() -> None:
    """``-v``: the library's debug log (one line per HTTP attempt, the rate limiter's waits;
    never the key) on standard error, beside the command's own output."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    library = logging.getLogger("mijnklantportaal_async")
    library.addHandler(handler)
    library.setLevel(logging.DEBUG)


def _stopped(display: Display, state: RunState, what: str, status: int) -> int:
    """Say that the run was stopped and how to resume; returns ``status``."""
    display.error(f"{what}. Every finished row is recorded in its journal.")
    if state.sandbox:
        display.note("The sandbox portal ended with this process; a new run starts afresh.")
    elif state.journals:
        journals = ", ".join(str(p) for p in state.journals)
        display.note(f"Run the same command again to resume (journal: {journals}).")
    return status


def _on_sigterm(state: RunState) -> None:
    """Make SIGTERM (``kill``, a stopping container or service) stop the run as Ctrl-C does:
    the running import is cancelled, the journal closed intact and the report written. Only
    possible in the main thread of a loop with signal support; elsewhere SIGTERM keeps its
    default action."""
    task = asyncio.current_task()
    assert task is not None

    def terminate() -> None:
        state.terminated = True
        task.cancel()

    with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, terminate)


async def run_import(args: argparse.Namespace, display: Display, state: RunState) -> int:
    """The ``import`` command; returns the exit status. Raises UsageError."""
    _on_sigterm(state)
    if args.concurrency < 1:
        raise UsageError("--concurrency must be at least 1")
    if not 0 <= args.grace <= 3600:
        raise UsageError("--grace must be between 0 and 3600 seconds")
    if args.sandbox and args.base_url:
        raise UsageError("--sandbox and --base-url exclude each other")
    if args.sandbox_rate_limit < 1:
        raise UsageError("--sandbox-rate-limit must be at least 1")
    if args.sandbox_rate_period < 1:
        raise UsageError("--sandbox-rate-period must be at least 1")
    files = plan(args, display)
    if args.report is not None:
        check_report_path(args.report, files)
    api_key = None if args.dry_run or args.sandbox else read_api_key(args.api_key_file)
    jobs = check(
        files,
        display,
        decimal_comma=args.decimal_comma,
        keep_checked=args.dry_run,
        allow_outside_paths=args.allow_outside_paths,
    )
    if jobs is None:
        display.error("Nothing was sent: fix the file(s) above and run again.")
        return EXIT_FAILED
    errors = sum(len(job.rejected) for job in jobs)
    if args.dry_run:
        rows = sum(job.tally.rows for job in jobs)
        display.note(f"Dry run: {rows} row(s) in {len(jobs)} file(s) checked, nothing sent.")
        if errors:
            display.error(f"{errors} row(s) have errors.")
        written = True
        if args.report is not None:
            outcomes = [o for job in jobs for o in (*job.rejected, *job.checked)]
            written = save_report(args.report, ordered(jobs, outcomes), display)
        return EXIT_FAILED if errors or not written else EXIT_OK
    if errors:
        display.error(f"{errors} row(s) have errors: they count as failed; the others go ahead.")
    importer = Importer(display, args.concurrency, key_source=_key_source(args), grace=args.grace)
    started, advice = time.monotonic(), "run the command again to finish them"
    status = EXIT_FAILED
    try:
        async with _client(args, api_key, display, jobs, state) as mkp:
            status = EXIT_OK if await importer.run(mkp, jobs) else EXIT_FAILED
    except JournalError as exc:
        advice = ""  # nothing was sent: no summary
        raise UsageError(journal_advice(exc)) from None
    except asyncio.CancelledError:  # Ctrl-C or SIGTERM: the summary still says where it stopped
        advice = "the journal keeps them"  # the stop message says how to resume
        raise
    finally:
        rest = unfinished(jobs, importer.outcomes, importer.in_flight)
        outcomes = ordered(jobs, importer.outcomes + rest)
        written = args.report is None or save_report(args.report, outcomes, display)
        if importer.key_refused:
            advice = f"check {importer.key_source}, then run the command again to finish them"
        if advice:
            elapsed = time.monotonic() - started
            _summarize(args, display, jobs, outcomes, (rest, advice), written, elapsed)
    return status if written else EXIT_FAILED


def _key_source(args: argparse.Namespace) -> str:
    """Where the key came from, for "the API key was refused: check ..."."""
    return f"the key in {args.api_key_file}" if args.api_key_file else ENV_API_KEY


def _summarize(
    args: argparse.Namespace,
    display: Display,
    jobs: list[Job],
    outcomes: list[Outcome],
    unfinished: tuple[list[Outcome], str],
    written: bool,
    elapsed: float,
) -> None:
    """The summary table, the failed rows, the unfinished rows and where the report is: after
    every run that sent anything, also one stopped by Ctrl-C, SIGTERM or a refused key."""
    where = "the sandbox" if args.sandbox else (args.base_url or "the portal")
    display.summary([job.tally for job in jobs], elapsed, title=f"Import into {where}")
    display.failures(outcomes, report=str(args.report) if args.report and written else None)
    rest, advice = unfinished
    if rest:
        flying = sum(1 for outcome in rest if outcome.status == IN_FLIGHT)
        display.error(
            f"{len(rest)} row(s) unfinished ({len(rest) - flying} not started, {flying} in "
            f"flight when the run stopped): {advice}."
        )
    if args.report is not None and written:
        display.note(f"Report: {args.report}")


def journal_advice(exc: JournalError) -> str:
    """What to do about a journal that was refused; never "just start a new one" blindly,
    as a new journal sends rows already imported again."""
    if isinstance(exc, JournalLockedError):
        return f"{exc}: wait for that run to end"
    again = "a new journal (--journal) would send rows already imported again"
    if isinstance(exc, JournalCorruptError):
        return f"{exc}; repair or delete that line ({again})"
    if isinstance(exc, JournalMismatchError):
        example = f", e.g. {exc.example}," if exc.example else ""
        return (
            f"{exc}.\nDo not simply pass another --journal: {again}, creating them twice if "
            f"they were imported into this portal with another key. First check that the "
            f"journal's portal is not this one: look the journal's rows{example} up in this "
            f"portal, or compare the fingerprint of the key you used then (docs/cli.md, "
            f"'Journals and keys'). Only if it is another portal, pass --journal NEW.jsonl."
        )
    return f"{exc}; pass another --journal"


def check_report_path(report: Path, files: list[tuple[Kind, Path, Path]]) -> None:
    """Refuse a ``--report`` path that names an input CSV or a journal (it would be
    overwritten) or that cannot be written, before anything is read or sent.

    Raises:
        UsageError: naming the path and why.
    """
    for _kind, csv_path, journal in files:
        for path, what in ((csv_path, "an input file"), (journal, "a journal")):
            if _same_file(report, path):
                raise UsageError(f"--report {report} is {what}: it would be overwritten")
    if report.is_dir():
        raise UsageError(f"--report {report} is a folder; name a file such as report.csv")
    try:
        if report.exists():
            with report.open("ab"):  # writable, and left as it is until the report is written
                pass
        else:
            with report.open("xb"):
                pass
            report.unlink()
    except OSError as exc:
        raise UsageError(f"--report {report}: cannot write it: {exc.strerror or exc}") from None


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False


def read_api_key(path: Path | None) -> str:
    """The API key from ``path`` (stripped) or the environment; raises UsageError."""
    if path is not None:
        try:
            key = path.read_text(encoding="utf-8-sig").strip()  # Notepad writes a BOM
        except OSError as exc:
            raise UsageError(f"--api-key-file {path}: {exc.strerror or exc}") from None
        if not key:
            raise UsageError(f"--api-key-file {path} is empty")
        return key
    key = os.environ.get(ENV_API_KEY, "").strip()
    if not key:
        raise UsageError(
            f"no API key: set {ENV_API_KEY} or pass --api-key-file PATH (or try --sandbox)"
        )
    return key


def plan(args: argparse.Namespace, display: Display) -> list[tuple[Kind, Path, Path]]:
    """The files to import, in order, as (kind, CSV, journal); raises UsageError."""
    what, file = args.what, args.file
    if what in KINDS and file is not None:
        path = Path(file)
        if not path.is_file():
            raise UsageError(f"{file}: no such file")
        found = [(KINDS[what], path)]
    elif file is not None:
        raise UsageError(f"{what!r} is not one of customers, invoices, offers")
    elif Path(what).is_dir():
        found = []
        for kind in DIR_ORDER:
            path = Path(what) / f"{kind.value}.csv"
            sheet = path.with_suffix(".xlsx")
            if path.is_file() or sheet.is_file():
                found.append((kind, path if path.is_file() else sheet))
            else:
                display.note(f"No {path}: skipping {kind.value}.")
        if not found:
            raise UsageError(
                f"{what} holds none of customers.csv, invoices.csv, offers.csv (or .xlsx)"
            )
    elif what in KINDS:
        raise UsageError(f"import {what} needs the CSV file: import {what} FILE.csv")
    elif Path(what).is_file():
        stem = Path(what).stem.lower()
        holds = next((name for name in KINDS if name in stem), "invoices|offers|customers")
        raise UsageError(f"{what} is a file: say what it holds: import {holds} {what}")
    else:
        raise UsageError(f"{what}: no such file or folder")
    suffix = ".sandbox.journal.jsonl" if args.sandbox else ".journal.jsonl"
    # one journal may hold several kinds, so a --journal serves every file
    return [(k, p, args.journal or p.with_name(p.stem + suffix)) for k, p in found]


@contextlib.asynccontextmanager
async def _client(
    args: argparse.Namespace,
    api_key: str | None,
    display: Display,
    jobs: list[Job],
    state: RunState,
) -> AsyncIterator[MijnKlantportaal]:
    state.journals = list(dict.fromkeys(job.journal for job in jobs))
    # the rate limit paces the run: the display's rate and ETA follow the same window
    limit = (
        RateLimit(limit=args.sandbox_rate_limit, period=args.sandbox_rate_period)
        if args.sandbox
        else RateLimit()
    )
    display.pace = Pace(limit.limit, limit.period)
    # the run's own session, so its requests can be watched (aiohttp's trace hooks): the
    # command says when and why it waits for the rate limit (cli/ratewatch.py)
    watch = RateWatch(limit.limit, limit.period, say=display.waiting, pace=display.pace)
    session = aiohttp.ClientSession(
        cookie_jar=aiohttp.DummyCookieJar(), trace_configs=[watch.trace_config()]
    )
    async with session:
        if not args.sandbox:
            assert api_key is not None
            try:
                mkp = MijnKlantportaal(
                    api_key,
                    rate_limit=limit,
                    session=session,
                    **({"base_url": args.base_url} if args.base_url else {}),
                )
            except ValueError as exc:
                raise UsageError(str(exc)) from None
            display.note(f"Importing into {mkp.base_url}")
            async with mkp:
                yield mkp
            return
        from mijnklantportaal_async.testing import FakePortal

        if args.journal is None:  # the sandbox portal is new: so is its journal
            for path in state.journals:
                path.unlink(missing_ok=True)
        async with FakePortal(rate_limit=limit.limit, rate_period=limit.period) as portal:
            display.note(
                f"Sandbox: importing into an in-process fake portal at {portal.url} "
                f"({_per(limit.limit, limit.period)}); nothing leaves this machine."
            )
            async with portal.client(rate_limit=limit, session=session) as mkp:
                yield mkp


def _per(limit: int, period: float) -> str:
    """``60 requests/min``, or ``3 requests per 2 s``."""
    return f"{limit} requests/min" if period == 60 else f"{limit} requests per {period:g} s"
