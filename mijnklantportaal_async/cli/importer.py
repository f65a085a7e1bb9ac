"""Running checked CSV files through the bulk engine for ``mijnklantportaal import``.

:class:`Importer` imports the files of one run in order (customers before the invoices and
offers that name them by e-mail), each through its resource's ``iter_create_many`` with the
file's journal, and records every row's :class:`~mijnklantportaal_async.cli.output.Outcome`
by CSV line as it becomes known, so the summary and the ``--report`` can be written even after
Ctrl-C (:func:`unfinished`, :func:`ordered`). See ``docs/cli.md``, "What happens to each row".
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import attrs

from mijnklantportaal_async import (
    APIConnectionError,
    APIStatusError,
    AuthenticationError,
    MijnKlantportaal,
    PermissionDeniedError,
    Verification,
)
from mijnklantportaal_async.cli.checks import Job, rejected
from mijnklantportaal_async.cli.output import IN_FLIGHT, NOT_STARTED, Display, Outcome, key_text
from mijnklantportaal_async.cli.reading import (
    CsvFileError,
    CustomerDirectory,
    Kind,
    RowError,
    RowRequest,
)
from mijnklantportaal_async.client import ENV_API_KEY

__all__ = ["Importer", "ordered", "unfinished"]


@attrs.define
class Importer:
    """Imports checked files in order into one portal; ``outcomes`` gets every row's outcome
    as it is known (so a report can be written even after Ctrl-C)."""

    display: Display
    concurrency: int
    key_source: str = ENV_API_KEY  # where the key came from: "the API key was refused: check ..."
    grace: float = 30.0  # seconds before a lost create not found is sent again
    outcomes: list[Outcome] = attrs.Factory(list)
    directory: CustomerDirectory | None = None  # customer IDs by e-mail, read once per run
    halted: bool = False  # the key was refused: no further row is handed to the engine
    key_refused: bool = False  # the portal refused the key (401/403)
    in_flight: set[tuple[str, int]] = attrs.Factory(set)  # (file, line) handed, not answered
    duplicates: int = 0  # natural keys found stored more than once after ambiguous outcomes

    async def run(self, mkp: MijnKlantportaal, jobs: list[Job]) -> bool:
        """Import every job; True when every row was created, adopted or skipped.

        Raises:
            JournalError: a file's journal was refused (another portal or key, corrupt,
                locked); nothing of that file was sent.
        """
        for number, job in enumerate(jobs):
            if job.csv.uses_customer_email and self.directory is None:
                try:
                    self.directory = await CustomerDirectory.from_customers(mkp.customers.list())
                except (AuthenticationError, PermissionDeniedError) as exc:
                    self._refused(exc)
                    return False
                except (APIStatusError, APIConnectionError) as exc:
                    self.display.error(f"Cannot look the customers up by e-mail: {exc}")
                    return False
                self.display.note(f"Found {len(self.directory)} customer e-mail(s) in the portal.")
            if await self._import(mkp, job):
                for later in jobs[number + 1 :]:
                    self.display.error(f"{later.name}: not imported.")
                return False
        return not any(job.tally.not_done for job in jobs) and not self.duplicates

    def _refused(self, error: APIStatusError, *, in_flight: bool = False) -> None:
        """The portal refused the key (401/403): say so once, send nothing more."""
        self.halted = self.key_refused = True
        waiting = " (waiting for the requests in flight)" if in_flight else ""
        self.display.error(
            f"the API key was refused: check {self.key_source}. Stopping: no further row is "
            f"sent{waiting}. The portal said: {error.status} {error.message}"
        )

    async def _import(self, mkp: MijnKlantportaal, job: Job) -> bool:
        """One file through ``iter_create_many``; True when the run must stop (the key was
        refused, or the file could not be read to its end).

        When the key is refused no further row is handed to the engine, but the rows already
        in flight are waited for, so each is journaled as failed (refused) rather than left
        ``sending``: a journal that records only failures can be reused with the right key.
        """
        resource: Any = {
            Kind.CUSTOMERS: mkp.customers,
            Kind.INVOICES: mkp.customer_invoices,
            Kind.OFFERS: mkp.customer_offers,
        }[job.csv.kind]
        tally, lines, started = job.tally, list[int](), time.monotonic()
        with self.display.track(job.name, tally.rows) as show:

            def record(outcome: Outcome) -> None:
                self.outcomes.append(outcome)
                tally.count(outcome.status)
                show(outcome)

            for outcome in job.rejected:
                record(outcome)
            items = self._requests(job, lines, record)
            scanned = [0, 0]  # requests, objects: the look-up scan before the first create

            def scan_page(objects: int) -> None:
                scanned[0] += 1
                scanned[1] += objects
                self.display.pace.answered(1)  # paced like a create: counted in rate and ETA

            def verified(verification: Verification) -> None:
                self.duplicates += len(verification.duplicates)
                self.display.verified(job.name, verification)

            results = resource.iter_create_many(
                items,
                concurrency=self.concurrency,
                journal=job.journal,
                grace=self.grace,
                on_scan_page=scan_page,
                on_verified=verified,
            )
            try:
                async for result in results:
                    self.in_flight.discard((job.name, lines[result.index]))
                    record(Outcome.of_result(job.name, lines[result.index], result, lines))
                    error = result.error
                    refused = isinstance(error, AuthenticationError | PermissionDeniedError)
                    if refused and not self.halted:
                        assert isinstance(error, APIStatusError)
                        self._refused(error, in_flight=True)
                if self.halted:
                    return True
            except CsvFileError as exc:
                self.display.error(str(exc))
                return True
            finally:
                await results.aclose()
                tally.elapsed = time.monotonic() - started
                if scanned[1]:  # said when the portal held some: the cost of a rerun
                    self.display.note(
                        f"{job.name}: read {scanned[1]} stored object(s) in {scanned[0]} "
                        "request(s) to find rows the portal already holds."
                    )
        return False

    def _requests(
        self, job: Job, lines: list[int], record: Callable[[Outcome], None]
    ) -> Iterator[RowRequest]:
        """The request of each row that passed the check, read lazily; ``lines[i]`` is the
        line of the i-th request. A row failing now (an unknown e-mail) is recorded failed."""
        failed = {outcome.line for outcome in job.rejected}
        for row in job.csv.rows():
            if self.halted:
                return
            if row.line in failed:
                continue
            try:
                request = job.csv.build(row, self.directory)
            except RowError as exc:
                record(rejected(job, row, exc))
                continue
            lines.append(row.line)
            self.in_flight.add((job.name, row.line))
            yield request


def unfinished(
    jobs: list[Job], outcomes: list[Outcome], in_flight: set[tuple[str, int]]
) -> list[Outcome]:
    """An outcome for every row of ``jobs`` that has none in ``outcomes`` (the run stopped
    before its end: a refused key, Ctrl-C, an unreadable file), so every row is accounted
    for: ``in flight`` for a row handed to the engine and not answered (the rerun looks it
    up), else ``not started``; counted in its file's tally as ``unfinished``. Each file with
    such rows is read again."""
    done: dict[str, set[int]] = {}
    for outcome in outcomes:
        done.setdefault(outcome.file, set()).add(outcome.line)
    missing: list[Outcome] = []
    for job in jobs:
        lines = done.get(job.name, set())
        if len(lines) >= job.tally.rows:
            continue
        try:
            for row in job.csv.rows():
                if row.line not in lines:
                    key = key_text(job.csv.key_of(row))
                    flying = (job.name, row.line) in in_flight
                    status = IN_FLIGHT if flying else NOT_STARTED
                    missing.append(Outcome(job.name, row.line, key, status))
                    job.tally.unfinished += 1
        except CsvFileError:  # said when the run met it; the rows before it are counted
            pass
    return missing


def ordered(jobs: list[Job], outcomes: list[Outcome]) -> list[Outcome]:
    """``outcomes`` in the order of the files, then of their CSV lines."""
    order = {job.name: n for n, job in enumerate(jobs)}
    return sorted(outcomes, key=lambda o: (order.get(o.file, len(order)), o.line))
