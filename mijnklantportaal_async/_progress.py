"""What ``mijnklantportaal import`` outputs: a progress bar per file, the summary, the report.

Imported only by :mod:`mijnklantportaal_async.cli`. ``rich`` is the optional ``[cli]`` extra:
importing this module without it raises an ``ImportError`` whose message says how to install
it. On a terminal each file gets a live bar with its rate (items per minute) and ETA; when the
output is not a terminal (a log file, CI, a pipe) each finished row is printed as one line
instead, so logs say what happened to every row. :func:`write_report` writes the
``--report`` CSV.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

try:
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        Task,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.table import Table
    from rich.text import Text
except ImportError as exc:  # pragma: no cover - exercised by faking the import in a test
    raise ImportError(
        "the mijnklantportaal command needs the 'rich' package; install it with: "
        "python -m pip install 'mijnklantportaal-async[cli]'",
        name="rich",
    ) from exc

from mijnklantportaal_async._bulk_types import DuplicateItemError
from mijnklantportaal_async.errors import UnprocessableEntityError

if TYPE_CHECKING:
    from mijnklantportaal_async.bulk import BulkItemResult

__all__ = ["MAX_LISTED", "Display", "Outcome", "Tally", "describe_error", "write_report"]

MAX_LISTED = 20  # failed rows listed after the summary; the rest are in --report
_STYLES = {"created": "green", "adopted": "cyan", "skipped": "dim", "failed": "bold red"}


@attrs.frozen
class Outcome:
    """What became of one CSV row: file name, line (header = 1), natural key as text,
    status (``created``/``adopted``/``skipped``/``failed``), object ID and error text."""

    file: str
    line: int
    key: str
    status: str
    id: str = ""
    error: str = ""

    @classmethod
    def of_result(
        cls, file: str, line: int, result: BulkItemResult[Any], lines: Sequence[int]
    ) -> Outcome:
        """The outcome of a row sent through the bulk engine; ``lines[i]`` is the CSV line of
        the engine's input ``i`` (a duplicate's error names lines, not input positions)."""
        error = result.error
        if isinstance(error, DuplicateItemError):
            text = f"same {key_text(error.key)} as line {lines[error.first_index]}"
        else:
            text = describe_error(error) if error is not None else ""
        return cls(file, line, key_text(result.key), str(result.status), result.id or "", text)

    @classmethod
    def failed_row(cls, file: str, line: int, key: Mapping[str, Any], error: str) -> Outcome:
        """The outcome of a row that did not become a request (never sent)."""
        return cls(file, line, key_text(key), "failed", "", error)

    def describe(self) -> str:
        """One line: ``invoices.csv line 3 (invoice_number=2024-0002): created inv_...``."""
        key = f" ({self.key})" if self.key else ""
        detail = self.error if self.status == "failed" else self.id
        return f"{self.file} line {self.line}{key}: {self.status} {detail}".rstrip()


@attrs.define
class Tally:
    """Counts of one file's rows by status, and the seconds its import took."""

    name: str
    rows: int = 0
    created: int = 0
    adopted: int = 0
    skipped: int = 0
    failed: int = 0
    elapsed: float = 0.0

    def count(self, status: str) -> None:
        """Count one row of ``status`` (one of created, adopted, skipped, failed)."""
        setattr(self, status, getattr(self, status) + 1)


class RateColumn(ProgressColumn):
    """Items per minute, the unit the API's rate limit is given in."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        if speed is None:
            return Text("  -- /min", style="progress.data.speed")
        return Text(f"{speed * 60:5.0f}/min", style="progress.data.speed")


class Display:
    """The command's output. ``console`` defaults to standard output; ``live`` (a bar that
    redraws) defaults to whether that is a terminal."""

    def __init__(self, console: Console | None = None, *, live: bool | None = None) -> None:
        self.console = console or Console(highlight=False)
        self.live = self.console.is_terminal if live is None else live

    def note(self, message: str, style: str | None = None) -> None:
        """Print one line as is (no rich markup is read from it)."""
        self.console.print(Text(message, style=style or ""), soft_wrap=True)

    def error(self, message: str) -> None:
        """Print one error line."""
        self.note(message, "red")

    @contextmanager
    def track(self, name: str, total: int) -> Iterator[Callable[[Outcome], None]]:
        """Show progress over ``total`` rows of file ``name``; yields the function to call
        with each row's :class:`Outcome` as it is known."""
        if not self.live:

            def plain(outcome: Outcome) -> None:
                self.note(outcome.describe(), _STYLES.get(outcome.status))

            yield plain
            return
        progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            RateColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            TimeElapsedColumn(),
            console=self.console,
        )
        task = progress.add_task(name, total=total)

        def advance(outcome: Outcome) -> None:
            if outcome.status == "failed":
                progress.console.print(Text(outcome.describe(), style="red"), soft_wrap=True)
            progress.advance(task)

        with progress:
            yield advance

    def summary(self, tallies: Sequence[Tally], elapsed: float, *, title: str) -> None:
        """Print the table: rows, created, adopted, skipped, failed and seconds per file."""
        table = Table(title=title, title_justify="left")
        table.add_column("file")
        for column in ("rows", "created", "adopted", "skipped", "failed"):
            table.add_column(column, justify="right")
        table.add_column("seconds", justify="right")
        for t in tallies:
            table.add_row(*_cells(t), style="red" if t.failed else None)
        if len(tallies) > 1:
            total = Tally("total", elapsed=elapsed)
            for t in tallies:
                for field in ("rows", "created", "adopted", "skipped", "failed"):
                    setattr(total, field, getattr(total, field) + getattr(t, field))
            table.add_row(*_cells(total), style="bold")
        self.console.print(table)

    def failures(self, outcomes: Sequence[Outcome], *, report: str | None) -> None:
        """List up to :data:`MAX_LISTED` failed rows; say where the rest are."""
        failed = [o for o in outcomes if o.status == "failed"]
        if not failed:
            return
        self.error(f"{len(failed)} row(s) failed:")
        for outcome in failed[:MAX_LISTED]:
            self.note(f"  {outcome.describe()}")
        if len(failed) > MAX_LISTED:
            where = f"see {report}" if report else "pass --report FILE.csv for the full list"
            self.note(f"  ... and {len(failed) - MAX_LISTED} more ({where})")


def _cells(t: Tally) -> list[str]:
    counts = (t.rows, t.created, t.adopted, t.skipped, t.failed)
    return [t.name, *(str(n) for n in counts), f"{t.elapsed:.1f}"]


def key_text(key: Mapping[str, Any]) -> str:
    """A natural key as ``name=value; name=value``."""
    return "; ".join(f"{name}={value}" for name, value in key.items())


def describe_error(error: BaseException) -> str:
    """An item's error as one line; for a 422 the fields the API named are appended."""
    text = str(error) or type(error).__name__
    if isinstance(error, UnprocessableEntityError) and error.errors:
        fields = "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in error.errors.items())
        text = f"{text} [{fields}]"
    return " ".join(text.split())


def write_report(path: Path, outcomes: Iterable[Outcome]) -> None:
    """Write the ``--report`` file: a header ``row,key,status,id,error,file`` and one line
    per outcome (UTF-8, comma-separated). ``row`` is the CSV line number (header = 1).

    Raises:
        OSError: the file cannot be written.
    """
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["row", "key", "status", "id", "error", "file"])
        for o in outcomes:
            writer.writerow([o.line, o.key, o.status, o.id, o.error, o.file])
