"""Reading bookkeeping CSV exports into request objects, for ``mijnklantportaal import``.

A :class:`CsvFile` reads one file of one :class:`Kind` (customers, invoices or offers). Columns
are the snake_case field names of the request model; an empty cell means "not given". Files
come as bookkeeping tools export them: ``,``, ``;`` or tab separated (decided by counting the
separators in the header line), UTF-8 with or without a byte-order mark. Money is in EUR
(``12.95``, ``1,234.56``, or with ``decimal_comma=True`` ``12,95`` / ``1.234,56``); dates
``YYYY-mm-dd`` or ``dd-mm-YYYY``; date-times ``YYYY-mm-dd HH:MM[:SS]`` (portal local time, a
bare date is midnight); booleans ``1/0, true/false, yes/no, ja/nee, waar/onwaar`` (the cell
parsers are in :mod:`~mijnklantportaal_async.cli.cells`); ``pdf`` is a path relative to the
CSV's folder. Invoices and offers name their customer by ``customer_id``
or, when that cell is empty, by ``customer_email`` (looked up in a :class:`CustomerDirectory`).

Line numbers are the file's own (header = line 1), so an error points at the line a user
opens in an editor. Problems with the file as a whole raise :class:`CsvFileError`; problems
with one row raise :class:`RowError`.
"""

from __future__ import annotations

import csv
import enum
import itertools
import re
from collections.abc import Generator, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from mijnklantportaal_async.cli.cells import parse_bool, parse_date, parse_datetime, parse_money
from mijnklantportaal_async.cli.customer_directory import CustomerDirectory
from mijnklantportaal_async.errors import RequestValidationError
from mijnklantportaal_async.models import (
    CustomerCreate,
    CustomerInvoiceCreate,
    CustomerOfferCreate,
)

__all__ = ["CsvFile", "CsvFileError", "CustomerDirectory", "Kind", "Row", "RowError", "RowRequest"]

RowRequest = CustomerCreate | CustomerInvoiceCreate | CustomerOfferCreate

# Stands in for a customer named by e-mail when no directory is at hand (dry runs), so the
# rest of the row is still validated by building its request object.
PLACEHOLDER_CUSTOMER_ID = "cst_fromcustomeremail"


class Kind(enum.Enum):
    """What a CSV holds; the value is the word used on the command line."""

    CUSTOMERS = "customers"
    INVOICES = "invoices"
    OFFERS = "offers"


_T, _MONEY, _DATE, _DATETIME, _BOOL, _FILE = "text", "money", "date", "datetime", "bool", "file"

_COLUMNS: dict[Kind, dict[str, str]] = {
    Kind.CUSTOMERS: {
        "company_name": _T, "address": _T, "zip_code": _T, "city": _T,
        "primary_email": _T, "country_code": _T,
    },
    Kind.INVOICES: {
        "customer_id": _T, "customer_email": _T, "invoice_number": _T, "issued_at": _DATE,
        "due_at": _DATE, "paid_at": _DATETIME, "amount": _MONEY, "send_notification": _BOOL,
        "pdf": _FILE,
    },
    Kind.OFFERS: {
        "customer_id": _T, "customer_email": _T, "offer_number": _T, "issued_at": _DATE,
        "expires_at": _DATE, "amount": _MONEY, "send_notification": _BOOL,
        "accepted_at": _DATETIME, "accepted_via_ip": _T, "accepted_via_user_agent": _T,
        "rejected_at": _DATETIME, "pdf": _FILE,
    },
}  # fmt: skip
_UNSUPPORTED = {
    "lines": "manual offers (with lines) cannot be imported from CSV; create them with "
    "customer_offers.create_manual() in Python",
}
_MODELS: dict[Kind, type[RowRequest]] = {
    Kind.CUSTOMERS: CustomerCreate,
    Kind.INVOICES: CustomerInvoiceCreate,
    Kind.OFFERS: CustomerOfferCreate,
}
_REQUIRED = {  # the model's required fields; customer_id (or customer_email) is checked apart
    kind: tuple(
        a.name
        for a in attrs.fields(model)
        if a.default is attrs.NOTHING and a.name != "customer_id"
    )
    for kind, model in _MODELS.items()
}
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")  # a byte surrogateescape could not decode
_KEY_COLUMNS: dict[Kind, tuple[str, ...]] = {
    Kind.CUSTOMERS: ("primary_email", "company_name"),
    Kind.INVOICES: ("invoice_number",),
    Kind.OFFERS: ("offer_number",),
}


class CsvFileError(Exception):
    """The file as a whole cannot be imported (unreadable, not UTF-8, bad header)."""

    def __init__(self, path: Path, line: int, reason: str) -> None:
        self.path = path
        self.line = line
        self.reason = reason
        super().__init__(f"{path}: line {line}: {reason}")


class RowError(Exception):
    """One row cannot become a request. ``problems`` lists ``(column or None, reason)``;
    ``str()`` is ``"line N: column: reason; ..."`` and :meth:`messages` gives one per problem.
    """

    def __init__(self, line: int, problems: Sequence[tuple[str | None, str]]) -> None:
        self.line = line
        self.problems = list(problems)
        super().__init__(f"line {line}: {self.reason}")

    @property
    def reason(self) -> str:
        """The problems without the line: ``"column: reason; ..."``."""
        return "; ".join(_problem(p) for p in self.problems)

    def messages(self) -> list[str]:
        """``["line N: column: reason", ...]``, one per problem."""
        return [f"line {self.line}: {_problem(p)}" for p in self.problems]


def _problem(problem: tuple[str | None, str]) -> str:
    field, reason = problem
    return f"{field}: {reason}" if field else reason


@attrs.frozen
class Row:
    """One data row: its line number (header = 1) and its non-empty cells, stripped."""

    line: int
    cells: Mapping[str, str]


class CsvFile:
    """One CSV file of one kind; reads its header at once, its rows when asked.

    Args:
        path: the CSV file.
        kind: what its rows are.
        decimal_comma: money cells use a decimal comma (``1.234,56``).

    Raises:
        CsvFileError: the file cannot be read, is not UTF-8, or its header names an unknown,
            duplicate or unsupported column or lacks a required one.
    """

    def __init__(self, path: Path, kind: Kind, *, decimal_comma: bool = False) -> None:
        self.path = path
        self.kind = kind
        self.decimal_comma = decimal_comma
        self.base_dir = path.resolve().parent
        self.delimiter = ""  # decided from the header line by the first read
        records = self._records()
        try:
            _line, header = next(records, (1, []))
        finally:
            records.close()
        self.columns: tuple[str, ...] = tuple(name.strip().lower() for name in header)
        self._check_header()

    def _check_header(self) -> None:
        known = _COLUMNS[self.kind]
        seen: set[str] = set()
        for name in self.columns:
            if not name:
                continue
            if name in _UNSUPPORTED:
                raise CsvFileError(self.path, 1, f"column {name!r}: {_UNSUPPORTED[name]}")
            if name not in known:
                known_names = ", ".join(known)
                reason = f"unknown column {name!r} for {self.kind.value}; known: {known_names}"
                raise CsvFileError(self.path, 1, reason)
            if name in seen:
                raise CsvFileError(self.path, 1, f"column {name!r} appears twice")
            seen.add(name)
        missing = [name for name in _REQUIRED[self.kind] if name not in seen]
        if self.kind is not Kind.CUSTOMERS and not seen & {"customer_id", "customer_email"}:
            missing.insert(0, "customer_id or customer_email")
        if missing:
            raise CsvFileError(self.path, 1, f"missing column(s): {', '.join(missing)}")

    @property
    def uses_customer_email(self) -> bool:
        """True when rows may name their customer by e-mail (a directory is needed to run)."""
        return "customer_email" in self.columns

    def rows(self) -> Iterator[Row]:
        """The data rows, read lazily (the file is reopened on each call); blank rows skipped.

        Raises:
            CsvFileError: met while iterating: the file is not UTF-8, not valid CSV (a quoted
                cell never closed, text after a closing quote), has a line break inside a
                cell (a stray quote merging rows), or cannot be read. A row with more cells
                than the header comes back with a ``""`` key in its cells, which
                :meth:`build` reports as a :class:`RowError`.
        """
        records = self._records()
        next(records, None)  # the header
        for line, record in records:
            cells: dict[str, str] = {}
            for i, text in enumerate(record):
                name = self.columns[i] if i < len(self.columns) else ""
                if text.strip():
                    cells[name] = text.strip()
            if cells:
                yield Row(line, cells)

    def _records(self) -> Generator[tuple[int, list[str]], None, None]:
        """Every non-blank record, the header first, with the line it starts on.

        The file is read with universal line ends (``\\n``, ``\\r\\n`` and a lone ``\\r``,
        as old Excel "CSV (Macintosh)" writes) and strict quoting, so a stray quote is an
        error rather than rows merged or cut short. Raises CsvFileError (see :meth:`rows`).
        """
        line = 1
        try:
            with self.path.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as f:
                lines = self._text_lines(f)
                first = next(lines, "")
                if not first.strip():
                    raise CsvFileError(self.path, 1, "no header line (the file starts empty)")
                if not self.delimiter:
                    self.delimiter = _delimiter(first)
                reader = csv.reader(
                    itertools.chain([first], lines), delimiter=self.delimiter, strict=True
                )
                try:
                    for record in reader:
                        start, line = line, reader.line_num + 1
                        if record:
                            self._refuse_line_breaks(start, record)
                            yield start, record
                except csv.Error as exc:
                    at, reason = _csv_problem(exc, line, reader.line_num)
                    raise CsvFileError(self.path, at, reason) from None
        except OSError as exc:
            raise CsvFileError(self.path, line, f"cannot read: {exc.strerror or exc}") from None

    def _text_lines(self, f: Iterable[str]) -> Iterator[str]:
        """The lines of ``f`` (decoded with ``surrogateescape``), refusing the first one that
        is not UTF-8, so a bad byte is reported on its own line."""
        for number, text in enumerate(f, start=1):
            if _ESCAPED_BYTE.search(text):
                try:
                    text.encode("utf-8", "surrogateescape").decode("utf-8")
                except UnicodeDecodeError as exc:
                    raise CsvFileError(self.path, number, _not_utf8(exc)) from None
            yield text

    def _refuse_line_breaks(self, line: int, record: list[str]) -> None:
        """No cell may hold a line break: none of the import's columns is multi-line text, and
        a quoted cell that runs over several lines is how a stray ``"`` swallows rows."""
        for i, text in enumerate(record):
            if breaks := len(_LINE_BREAK.findall(text)):
                if line == 1:
                    name = f"column {i + 1} of the header"
                elif i < len(self.columns):
                    name = self.columns[i] or f"column {i + 1}"
                else:
                    name = "a cell past the last column"
                raise CsvFileError(
                    self.path,
                    line,
                    f"{name} contains a line break (a stray quote? the quoted cell runs on to "
                    f"line {line + breaks}); put every row on one line",
                )

    def key_of(self, row: Row) -> dict[str, str]:
        """The natural key as written in the row (for reporting rows that did not build)."""
        return {name: row.cells.get(name, "") for name in _KEY_COLUMNS[self.kind]}

    def build(self, row: Row, customers: CustomerDirectory | None = None) -> RowRequest:
        """Build the request object of one row, validating every cell and the PDF.

        ``customers`` resolves ``customer_email``; without it (a dry run) the e-mail is only
        checked to be present and a placeholder ID stands in.

        Raises:
            RowError: listing every cell that does not parse, every required cell that is
                empty, a missing PDF; or, when the cells parse, the first problem the model
                finds (not a PDF, a date order, ...) or an e-mail that names no (or several)
                customers.
        """
        problems: list[tuple[str | None, str]] = []
        if "" in row.cells:
            problems.append((None, f"a value in a column without a name: {row.cells['']!r}"))
        problems += [(n, "required, but the cell is empty") for n in self._missing(row)]
        kwargs: dict[str, Any] = {}
        for name, text in row.cells.items():
            if name in ("", "customer_email"):
                continue
            try:
                kwargs[name] = self._parse(_COLUMNS[self.kind][name], name, text)
            except RequestValidationError as exc:
                problems.append((exc.field, exc.reason))
        if problems:
            raise RowError(row.line, problems)
        try:
            if self.kind is not Kind.CUSTOMERS and "customer_id" not in kwargs:
                email = row.cells["customer_email"]
                kwargs["customer_id"] = (
                    customers.resolve(email) if customers is not None else PLACEHOLDER_CUSTOMER_ID
                )
            return _MODELS[self.kind](**kwargs)
        except RequestValidationError as exc:
            raise RowError(row.line, [(exc.field, exc.reason)]) from None

    def _missing(self, row: Row) -> list[str]:
        missing = [name for name in _REQUIRED[self.kind] if name not in row.cells]
        named = "customer_id" in row.cells or "customer_email" in row.cells
        if self.kind is not Kind.CUSTOMERS and not named:  # the header has one or both
            columns = [name for name in ("customer_id", "customer_email") if name in self.columns]
            missing.insert(0, " or ".join(columns))
        return missing

    def _parse(self, kind: str, name: str, text: str) -> Any:
        if kind == _FILE:
            return self._parse_file(name, text)
        if kind == _MONEY:
            return parse_money(name, text, decimal_comma=self.decimal_comma)
        parser = {_DATE: parse_date, _DATETIME: parse_datetime, _BOOL: parse_bool}.get(kind)
        return parser(name, text) if parser else text

    def _parse_file(self, name: str, text: str) -> Path:
        path = (self.base_dir / text).resolve()
        if not path.is_file():
            raise RequestValidationError(name, f"file not found: {text} (looked for {path})")
        return path  # the model checks that it starts with %PDF-


def _delimiter(header: str) -> str:
    """``,``, ``;`` or tab: whichever the header line holds most of (``,`` when none)."""
    counts = {sep: header.count(sep) for sep in (",", ";", "\t")}
    return max(counts, key=lambda sep: counts[sep]) if any(counts.values()) else ","


def _csv_problem(exc: csv.Error, start: int, at: int) -> tuple[int, str]:
    """The line and reason of a CSV syntax error met on line ``at``, in the row starting on
    line ``start``."""
    text = str(exc)
    if text.startswith("unexpected end of data"):
        return start, (
            f"a quoted cell of the row starting on line {start} is never closed: the quote "
            "runs to the end of the file (a stray quote?)"
        )
    if text.startswith("field larger than field limit"):
        return start, (
            f"a cell of the row starting on line {start} runs longer than "
            f"{csv.field_size_limit()} characters: a quote that is never closed? (a stray quote)"
        )
    if "expected after" in text and at > start:
        return start, (
            f"a quoted cell opened in the row starting on line {start} closes on line {at} "
            "with text after the quote (a stray quote?)"
        )
    if "expected after" in text:
        return at, (
            "text after the closing quote of a cell (a stray quote?); quote the whole cell "
            'and double every quote inside it: "Acme ""Big"" BV"'
        )
    return at, f"not valid CSV: {text}"


def _not_utf8(exc: UnicodeDecodeError) -> str:
    return (
        f"not UTF-8 text ({exc.reason} at byte {exc.start + 1} of the line); save it as "
        "UTF-8 (Excel: 'CSV UTF-8')"
    )
