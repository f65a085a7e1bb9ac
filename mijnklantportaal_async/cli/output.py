"""What ``mijnklantportaal import`` outputs: a progress bar per file, the summary, the report.

``rich`` is the optional ``[cli]`` extra: importing this module without it raises an
``ImportError`` whose message says how to install it. On a terminal each file gets a live bar
with the run's pace (requests per minute), the elapsed time and the ETA; when the output is not
a terminal (a log file, CI, a pipe) each finished row is printed as one line instead, so logs
say what happened to every row. :func:`save_report` writes the ``--report`` CSV.

The pace and ETA come from :class:`Pace`, not from rich's speed. An import is paced by the
client's rolling-window rate limit (60 requests per 60 s): a fast portal answers the first 60
creates within a second, then every request waits for a slot that frees ``period`` seconds
after an earlier answer. A speed averaged over the last few seconds says 3,600/min during the
burst and freezes during the wait, so its ETA says seconds where minutes are left. :class:`Pace`
instead counts answers over a whole window of ``period`` seconds, caps the rate at the limit,
and schedules the remaining requests on the window as the limiter will: pure arithmetic on a
clock it is given. See ``docs/cli.md``.
"""

from __future__ import annotations

import csv
import math
import re
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import attrs

try:
    from rich.console import Console
    from rich.markup import escape
    from rich.measure import Measurement
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        Task,
        TextColumn,
    )
    from rich.table import Table
    from rich.text import Text
except ImportError as exc:  # pragma: no cover - exercised by faking the import in a test
    raise ImportError(
        "the mijnklantportaal command needs the 'rich' package; install it with: "
        "python -m pip install 'mijnklantportaal-async[cli]'",
        name="rich",
    ) from exc

from mijnklantportaal_async import (
    BulkItemResult,
    DuplicateItemError,
    UnprocessableEntityError,
    Verification,
)

__all__ = [
    "FAILURES",
    "IN_FLIGHT",
    "MAX_LISTED",
    "NOT_STARTED",
    "Display",
    "Outcome",
    "Pace",
    "Tally",
    "describe_error",
    "key_text",
    "printable",
    "report_cell",
    "same_key",
    "save_report",
]

MAX_LISTED = 20  # failed rows listed after the summary; the rest are in --report
NOT_STARTED = "not started"  # the status of a row the run stopped before
IN_FLIGHT = "in flight"  # the status of a row sent (or about to be) when the run stopped
FAILURES = frozenset({"failed", "conflict", "changed"})  # statuses of a row not done as asked
_STYLES = {
    "created": "green",
    "adopted": "cyan",
    "exists": "cyan",
    "skipped": "dim",
    **dict.fromkeys(FAILURES, "bold red"),
}


# C0 and C1 control characters and DEL (a terminal reads escape sequences in them), and the
# bidirectional overrides and isolates (they make text display other than it is).
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def printable(text: str) -> str:
    """``text`` safe to print on a terminal: every control character (an escape sequence
    from a cell, a file name or a server's message) shown escaped, as ``\\x1b``."""
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def report_cell(value: object) -> str:
    """A ``--report`` cell safe to open in a spreadsheet: a text starting with ``=``, ``+``,
    ``-``, ``@``, a tab or a carriage return (read as a formula) gets a leading ``'``."""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


@attrs.frozen
class Outcome:
    """What became of one CSV row: file name, line (header = 1), natural key as text,
    status (``created``/``adopted``/``skipped``/``failed``; ``in flight``/``not started`` when
    the run stopped before its end; a dry run's ``checked``), object
    ID, error text, and the create requests made for it in this run (for the pace)."""

    file: str
    line: int
    key: str
    status: str
    id: str = ""
    error: str = ""
    requests: int = 0

    @classmethod
    def of_result(
        cls, file: str, line: int, result: BulkItemResult[Any], lines: Sequence[int]
    ) -> Outcome:
        """The outcome of a row sent through the bulk engine; ``lines[i]`` is the CSV line of
        the engine's input ``i`` (a duplicate's error names lines, not input positions)."""
        error = result.error
        if isinstance(error, DuplicateItemError):
            text = same_key(error.key, lines[error.first_index])
        else:
            text = describe_error(error) if error is not None else ""
        status, ident = str(result.status), result.id or ""
        return cls(file, line, key_text(result.key), status, ident, text, result.attempts)

    @classmethod
    def failed_row(cls, file: str, line: int, key: Mapping[str, Any], error: str) -> Outcome:
        """The outcome of a row that did not become a request (never sent)."""
        return cls(file, line, key_text(key), "failed", "", error)

    def describe(self) -> str:
        """One line: ``invoices.csv line 3 (invoice_number=2024-0002): created inv_...``."""
        key = f" ({self.key})" if self.key else ""
        detail = self.error if self.status in FAILURES else self.id
        return f"{self.file} line {self.line}{key}: {self.status} {detail}".rstrip()


@attrs.define
class Tally:
    """Counts of one file's rows by status, and the seconds its import took."""

    name: str
    rows: int = 0
    created: int = 0
    adopted: int = 0
    exists: int = 0  # already in the portal before the run (found by key, fields agree)
    skipped: int = 0
    failed: int = 0
    conflict: int = 0  # another object in the portal has the row's key
    changed: int = 0  # imported earlier (per the journal), edited since
    unfinished: int = 0  # in flight or not started when the run stopped
    elapsed: float = 0.0

    def count(self, status: str) -> None:
        """Count one row of ``status`` (created, adopted, exists, skipped, failed, conflict
        or changed)."""
        setattr(self, status, getattr(self, status) + 1)

    @property
    def not_done(self) -> int:
        """Rows not done as asked: failed, conflict and changed."""
        return self.failed + self.conflict + self.changed


class RateColumn(ProgressColumn):
    """Requests per minute (the unit of the API's rate limit), from the run's :class:`Pace`."""

    def render(self, task: Task) -> Text:
        rate = task.fields["pace"].rate()
        text = "  -- /min" if rate is None else f"{rate:5.0f}/min"
        return Text(text, style="progress.data.speed")


class TimesColumn(ProgressColumn):
    """``elapsed 0:01:02  ETA 0:16:40``: time since the file started, and the time left by
    the run's :class:`Pace` (the rate limit's schedule, or the observed rate if slower)."""

    def render(self, task: Task) -> Text:
        seconds = task.finished_time if task.finished else task.elapsed
        elapsed = _clock(math.floor(seconds or 0))
        if task.finished:
            return Text(f"elapsed {elapsed}  done", style="progress.remaining")
        remaining = int((task.total or 0) - task.completed)
        eta = task.fields["pace"].eta(remaining)
        left = "-:--:--" if eta is None else _clock(math.ceil(eta))
        return Text(f"elapsed {elapsed}  ETA {left}", style="progress.remaining")


def _clock(seconds: int) -> str:
    """``h:mm:ss``."""
    minutes, secs = divmod(seconds, 60)
    return f"{minutes // 60}:{minutes % 60:02d}:{secs:02d}"


class Display:
    """The command's output. ``console`` defaults to standard output; ``live`` (a bar that
    redraws) defaults to whether that is a terminal."""

    def __init__(
        self,
        console: Console | None = None,
        *,
        live: bool | None = None,
        pace: Pace | None = None,
    ) -> None:
        self.console = console or Console(highlight=False)
        self.live = self.console.is_terminal if live is None else live
        self.pace = pace or Pace()  # the run's rate and ETA; the CLI gives it the rate limit

    def note(self, message: str, style: str | None = None) -> None:
        """Print one line as is (no rich markup is read from it; control characters, as
        cells and server messages may hold, are shown escaped: :func:`printable`)."""
        self.console.print(Text(printable(message), style=style or ""), soft_wrap=True)

    def error(self, message: str) -> None:
        """Print one error line."""
        self.note(message, "red")

    def waiting(self, message: str) -> None:
        """Say that the run waits, and why (``waiting 48 s for the rate limit: ...``)."""
        self.note(message, "yellow")

    @contextmanager
    def track(self, name: str, total: int) -> Iterator[Callable[[Outcome], None]]:
        """Show progress over ``total`` rows of file ``name``; yields the function to call
        with each row's :class:`Outcome` as it is known."""
        if not self.live:

            def plain(outcome: Outcome) -> None:
                if outcome.requests:
                    self.pace.answered(outcome.requests)
                self.note(outcome.describe(), _STYLES.get(outcome.status))

            yield plain
            return
        progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            RateColumn(),
            TimesColumn(),
            console=self.console,
        )
        # the description is rich markup: a file name is escaped for it, and for the terminal
        task = progress.add_task(escape(printable(name)), total=total, pace=self.pace)

        def advance(outcome: Outcome) -> None:
            if outcome.requests:
                self.pace.answered(outcome.requests)
            if outcome.status in FAILURES:
                text = Text(printable(outcome.describe()), style="red")
                progress.console.print(text, soft_wrap=True)
            progress.advance(task)

        with progress:
            yield advance

    def summary(self, tallies: Sequence[Tally], elapsed: float, *, title: str) -> None:
        """Print the table: rows, created, adopted, exists, skipped, failed, (when any)
        conflict, changed and unfinished,
        and seconds per file."""
        fields = ["rows", "created", "adopted", "exists", "skipped", "failed"]
        for rare in ("conflict", "changed", "unfinished"):
            if any(getattr(t, rare) for t in tallies):
                fields.append(rare)
        table = Table(title=title, title_justify="left")
        table.add_column("file")
        for column in fields:
            table.add_column(column, justify="right")
        table.add_column("seconds", justify="right")
        for t in tallies:
            table.add_row(*_cells(t, fields), style="red" if t.not_done else None)
        if len(tallies) > 1:
            total = Tally("total", elapsed=elapsed)
            for t in tallies:
                for field in fields:
                    setattr(total, field, getattr(total, field) + getattr(t, field))
            table.add_row(*_cells(total, fields), style="bold")
        self._print_whole(table)

    def _print_whole(self, table: Table) -> None:
        """Print ``table``; when the output is not a terminal (a pipe, a log file), as wide as
        it needs: 80 columns there are only rich's default, and a cut table loses numbers."""
        if self.console.is_terminal:
            self.console.print(table)
            return
        wide = self.console.options.update_width(10_000)
        needed = Measurement.get(self.console, wide, table).maximum
        saved = self.console.width
        self.console.width = max(saved, needed)
        try:
            self.console.print(table)
        finally:
            self.console.width = saved

    def verified(self, name: str, verification: Verification) -> None:
        """Say what the check after a run with ambiguous outcomes found in file ``name``:
        each natural key stored more than once, or that the check could not be made."""
        if verification.error is not None:
            self.error(
                f"{name}: could not check the portal for rows stored twice "
                f"({describe_error(verification.error)}); run again to check"
            )
        for duplicate in verification.duplicates:
            self.error(
                f"{name}: {key_text(duplicate.key)} is stored {len(duplicate.ids)} times in "
                f"the portal ({', '.join(duplicate.ids)}): a create that was held on its way "
                "landed late; delete the extra one(s)"
            )

    def failures(self, outcomes: Sequence[Outcome], *, report: str | None) -> None:
        """List up to :data:`MAX_LISTED` failed rows; say where the rest are."""
        failed = [o for o in outcomes if o.status in FAILURES]
        if not failed:
            return
        self.error(f"{len(failed)} row(s) failed:")
        for outcome in failed[:MAX_LISTED]:
            self.note(f"  {outcome.describe()}")
        if len(failed) > MAX_LISTED:
            where = f"see {report}" if report else "pass --report FILE.csv for the full list"
            self.note(f"  ... and {len(failed) - MAX_LISTED} more ({where})")


def _cells(t: Tally, fields: Sequence[str]) -> list[str]:
    return [
        escape(printable(t.name)),
        *(str(getattr(t, field)) for field in fields),
        f"{t.elapsed:.1f}",
    ]


def key_text(key: Mapping[str, Any]) -> str:
    """A natural key as ``name=value; name=value``."""
    return "; ".join(f"{name}={value}" for name, value in key.items())


def same_key(key: Mapping[str, Any], line: int) -> str:
    """Why a row is refused whose natural key an earlier row has: ``same name=value as line N``."""
    return f"same {key_text(key)} as line {line}"


def describe_error(error: BaseException) -> str:
    """An item's error as one line; for a 422 the fields the API named are appended."""
    text = str(error) or type(error).__name__
    if isinstance(error, UnprocessableEntityError) and error.errors:
        fields = "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in error.errors.items())
        text = f"{text} [{fields}]"
    return " ".join(text.split())


def save_report(path: Path, outcomes: Iterable[Outcome], display: Display) -> bool:
    """Write the ``--report`` file: a header ``row,key,status,id,error,file`` and one line
    per outcome (UTF-8, comma-separated). ``row`` is the CSV line number (header = 1). A cell
    that a spreadsheet would take for a formula is escaped (:func:`report_cell`).

    Returns True when written; a file that cannot be written is said on ``display`` (and
    False returned), not raised.
    """
    try:
        with path.open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["row", "key", "status", "id", "error", "file"])
            for o in outcomes:
                cells = [o.line, o.key, o.status, o.id, o.error, o.file]
                writer.writerow([report_cell(cell) for cell in cells])
    except OSError as exc:
        display.error(f"Cannot write the report {path}: {exc.strerror or exc}")
        return False
    return True


class Pace:
    """The answers of one run's requests, for its rate (requests per minute) and ETA.

    Args:
        limit: requests the rate limit allows per ``period`` (None: no limit).
        period: the limit's window in seconds (also the span the rate is measured over).
        clock: seconds, monotonic (``time.monotonic``); the run starts at the first reading.
    """

    def __init__(
        self,
        limit: int | None = None,
        period: float = 60.0,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit, self.period = limit, period
        self._clock = clock
        self._start = clock()
        self._answers: deque[float] = deque()  # answer times within the last period
        self._elsewhere: deque[float] = deque()  # requests on the key the run did not make
        self._held_until = -math.inf  # a 429's Retry-After: no request before then

    def answered(self, requests: int = 1) -> None:
        """Record ``requests`` answers received now (a create, or each attempt of one)."""
        now = self._clock()
        self._answers.extend([now] * requests)
        self._forget(now)

    def answered_elsewhere(self, requests: int) -> None:
        """Record ``requests`` that the portal counts on the key but the run did not make (an
        earlier run, another process), seen now: they hold slots of the window, not the rate."""
        now = self._clock()
        self._elsewhere.extend([now] * requests)
        self._forget(now)

    def hold(self, seconds: float) -> None:
        """No request may start for ``seconds`` (a 429's ``Retry-After``)."""
        self._held_until = max(self._held_until, self._clock() + seconds)

    def _forget(self, now: float) -> None:
        for times in (self._answers, self._elsewhere):
            while times and times[0] <= now - self.period:
                times.popleft()

    def _observed(self, now: float) -> float | None:
        """Answers per second over the last period (or since the start, if shorter)."""
        self._forget(now)
        span = min(now - self._start, self.period)
        return len(self._answers) / span if span > 0 and self._answers else None

    def rate(self) -> float | None:
        """Requests per minute: the answers of the last period, at most the limit; None
        before the first answer."""
        observed = self._observed(self._clock())
        if observed is None:
            return None
        if self.limit is not None:
            observed = min(observed, self.limit / self.period)
        return observed * 60

    def eta(self, remaining: int) -> float | None:
        """Seconds until ``remaining`` more requests (one a row) are answered: the later of
        the rate limit's schedule and ``remaining`` at the observed rate; None when neither
        is known (no limit and no answer yet)."""
        if remaining <= 0:
            return 0.0
        now = self._clock()
        estimates = []
        # The observed rate tells how fast the portal answers; while requests of others (an
        # earlier run) or a 429 hold the window, the run waits for the limit, not the portal.
        held = bool(self._elsewhere) or now < self._held_until
        if not held and (observed := self._observed(now)) is not None:
            estimates.append(remaining / observed)
        if self.limit is not None:
            estimates.append(self._scheduled(remaining, now) - now)
        return max(estimates) if estimates else None

    def _scheduled(self, remaining: int, now: float) -> float:
        """When the last of ``remaining`` requests gets its slot: the k-th next request (from
        0) takes the slot of the answer ``limit`` requests before it, free ``period`` after."""
        assert self.limit is not None
        recent = sorted([*self._answers, *self._elsewhere])[-self.limit :]
        slots = [-math.inf] * (self.limit - len(recent)) + recent  # oldest first
        cycles, slot = divmod(remaining - 1, self.limit)
        start = max(now, self._held_until)
        return max(start, slots[slot] + self.period) + cycles * self.period
