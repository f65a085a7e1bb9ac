"""The check before ``mijnklantportaal import`` sends anything, and all of a dry run.

:func:`check` reads every CSV file and builds every row's request (every cell parsed, every
PDF found, every model rule applied, no network), and finds rows whose natural key repeats an
earlier row of the same file (:class:`DuplicateRows`): the bulk engine would refuse the later
one (:class:`~mijnklantportaal_async.bulk.DuplicateItemError`), so a dry run lists it and a
real run reports it with both CSV line numbers. Each problem is printed with its CSV line
number; the rows that failed are kept on their :class:`Job` so a real run reports them failed
and never sends them. See ``docs/cli.md``, "What happens to each row".
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from mijnklantportaal_async.cli.output import Display, Outcome, Tally, key_text, same_key
from mijnklantportaal_async.cli.reading import CsvFile, CsvFileError, Kind, Row, RowError

__all__ = ["DuplicateRows", "Job", "check", "rejected"]


@attrs.define
class Job:
    """One CSV file to import: its journal, its counts, its rows that failed the check and
    (for a dry run's report) those that passed it."""

    csv: CsvFile
    journal: Path
    tally: Tally
    rejected: list[Outcome] = attrs.Factory(list)
    checked: list[Outcome] = attrs.Factory(list)

    @property
    def name(self) -> str:
        """The CSV's file name, as shown and reported."""
        return self.csv.path.name


def check(
    files: list[tuple[Kind, Path, Path]],
    display: Display,
    *,
    decimal_comma: bool,
    keep_checked: bool = False,
    allow_outside_paths: bool = False,
) -> list[Job] | None:
    """Read every ``(kind, CSV, journal)`` file and build every row's request (no network),
    listing every error, including a row whose natural key repeats an earlier row's
    (``line 5: same invoice_number=2024-001 as line 2``): the engine would refuse it.

    Returns the jobs, each with its rows that failed (and with ``keep_checked``, an outcome
    ``checked`` for each row that passed); None when a file as a whole cannot be imported (a
    bad header, not UTF-8, a stray quote).
    """
    jobs: list[Job] = []
    file_errors = 0
    for kind, path, journal in files:
        try:
            csv_file = CsvFile(
                path, kind, decimal_comma=decimal_comma, allow_outside_paths=allow_outside_paths
            )
            job = Job(csv_file, journal, Tally(path.name))
            duplicates = DuplicateRows(kind)
            for row in job.csv.rows():
                job.tally.rows += 1
                if error := _check_row(job.csv, row, duplicates):
                    job.rejected.append(rejected(job, row, error))
                    for message in error.messages():
                        display.error(f"{job.name} {message}")
                elif keep_checked:
                    key = job.csv.key_of(row)
                    job.checked.append(Outcome(job.name, row.line, key_text(key), "checked"))
            jobs.append(job)
        except CsvFileError as exc:
            display.error(str(exc))
            file_errors += 1
    return None if file_errors else jobs


def _check_row(csv_file: CsvFile, row: Row, duplicates: DuplicateRows) -> RowError | None:
    """Every problem of one row: its cells, and a natural key that repeats an earlier row's.
    The key is taken from the cells when the row does not build, so a repeat of a row with an
    error is found too (the first row fixed, the repeat would still be refused)."""
    problems: list[tuple[str | None, str]] = []
    try:
        key = csv_file.kind.natural_key.of(csv_file.build(row))
    except RowError as exc:
        problems += exc.problems
        key = csv_file.key_of(row)
    try:
        if all(key.values()):  # an empty key cell is already an error of its own
            duplicates.check(row.line, key)
    except RowError as exc:
        problems += exc.problems
    return RowError(row.line, problems) if problems else None


def rejected(job: Job, row: Row, error: RowError) -> Outcome:
    """The outcome of a row of ``job`` that could not become a request (never sent)."""
    return Outcome.failed_row(job.name, row.line, job.csv.key_of(row), error.reason)


class DuplicateRows:
    """The first line of each natural key seen in one file of ``kind``, keys matched as the
    bulk engine matches them (:attr:`Kind.natural_key`: e-mail addresses in any case,
    surrounding spaces ignored). A plain dict: an import file is small next to its run time
    at 60 requests a minute."""

    def __init__(self, kind: Kind) -> None:
        self._key = kind.natural_key
        self._first: dict[str, int] = {}

    def check(self, line: int, key: Mapping[str, Any]) -> None:
        """Remember the natural ``key`` of the row at ``line`` (the key of its request, or the
        key cells of a row that did not build); raise if an earlier row had it.

        Raises:
            RowError: ``line N: same invoice_number=2024-001 as line M``.
        """
        first = self._first.setdefault(self._key.text(key), line)
        if first != line:
            raise RowError(line, [(None, same_key(key, first))])
