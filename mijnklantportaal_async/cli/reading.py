"""Reading bookkeeping CSV exports into request objects, for ``mijnklantportaal import``.

A :class:`CsvFile` reads one file of one :class:`Kind` (customers, invoices or offers) and
builds each row's request object. Columns are the snake_case field names of the kind's request
model (the model is the one list of them: the cell parser of a column follows from the field's
type); an empty cell means "not given". Files come as bookkeeping tools export them: ``,``,
``;`` or tab separated (decided by counting the separators in the header line), UTF-8 with or
without a byte-order mark, any line ends. Cells:

- money in EUR (``12.95``, ``1,234.56``, ``€ 12.95``, or with ``decimal_comma=True`` ``12,95``
  / ``1.234,56``; strictly: ASCII digits, groups of three, no exponent): :func:`parse_money`;
- dates ``YYYY-mm-dd`` or ``dd-mm-YYYY`` (real dates only, no 2024-04-31): :func:`parse_date`;
- date-times ``YYYY-mm-dd HH:MM[:SS]`` in portal local time (a bare date is midnight):
  :func:`parse_datetime`;
- booleans in English or Dutch: :func:`parse_bool`;
- ``pdf``: a path relative to the CSV's folder, and inside it (``../`` or an absolute path
  elsewhere, or a link that leads out, only with ``allow_outside_paths``); no control
  characters.

Invoices and offers name their customer by ``customer_id`` or, when that cell is empty, by
``customer_email``, resolved by a :class:`CustomerDirectory` read once per run from the
portal's customer list.

Line numbers are the file's own (header = line 1), so an error points at the line a user
opens in an editor. Problems with the file as a whole raise :class:`CsvFileError`; problems
with one row raise :class:`RowError`; a cell parser raises
:class:`~mijnklantportaal_async.errors.RequestValidationError` naming the column. See
``docs/cli.md``, "The CSV files".
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
import itertools
import re
import typing
from collections.abc import AsyncIterable, Generator, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from mijnklantportaal_async import (
    Customer,
    CustomerCreate,
    CustomerInvoiceCreate,
    CustomerOfferCreate,
    RequestValidationError,
    Upload,
)
from mijnklantportaal_async._core import natural_keys
from mijnklantportaal_async._core.natural_keys import NaturalKey
from mijnklantportaal_async.cli.spreadsheets import SPREADSHEET_SUFFIXES, sheet_records

__all__ = [
    "PLACEHOLDER_CUSTOMER_ID",
    "CsvFile",
    "CsvFileError",
    "CustomerDirectory",
    "Kind",
    "Row",
    "RowError",
    "RowRequest",
    "parse_bool",
    "parse_date",
    "parse_datetime",
    "parse_money",
]

RowRequest = CustomerCreate | CustomerInvoiceCreate | CustomerOfferCreate

# Stands in for a customer named by e-mail when no directory is at hand (dry runs), so the
# rest of the row is still validated by building its request object.
PLACEHOLDER_CUSTOMER_ID = "cst_fromcustomeremail"


class Kind(enum.Enum):
    """What a CSV holds; the value is the word used on the command line."""

    CUSTOMERS = "customers"
    INVOICES = "invoices"
    OFFERS = "offers"

    @property
    def model(self) -> type[RowRequest]:
        """The request model a row becomes."""
        return _KINDS[self][0]

    @property
    def natural_key(self) -> NaturalKey:
        """What identifies a row's object (and matches two rows' keys)."""
        return _KINDS[self][1]


_KINDS: dict[Kind, tuple[type[RowRequest], NaturalKey]] = {
    Kind.CUSTOMERS: (CustomerCreate, natural_keys.CUSTOMER),
    Kind.INVOICES: (CustomerInvoiceCreate, natural_keys.CUSTOMER_INVOICE),
    Kind.OFFERS: (CustomerOfferCreate, natural_keys.CUSTOMER_OFFER),
}


def _columns(model: type[RowRequest]) -> dict[str, type]:
    """The model's fields in its order, each with the type its cells are parsed as, and
    ``customer_email`` beside ``customer_id`` (the other way to name the customer)."""
    hints = typing.get_type_hints(model)
    columns: dict[str, type] = {}
    for field in attrs.fields(model):
        hint = hints[field.name]
        types = [t for t in typing.get_args(hint) if t is not type(None)] or [hint]
        if len(types) != 1 or types[0] not in _CELL_TYPES:
            raise TypeError(f"{model.__name__}.{field.name}: no CSV cell parser for {hint}")
        columns[field.name] = types[0]
        if field.name == "customer_id":
            columns["customer_email"] = str
    return columns


_CELL_TYPES = frozenset({str, Decimal, dt.date, dt.datetime, bool, Upload})
_COLUMNS = {kind: _columns(kind.model) for kind in Kind}
_REQUIRED = {  # the model's required fields; customer_id (or customer_email) is checked apart
    kind: tuple(
        a.name
        for a in attrs.fields(kind.model)
        if a.default is attrs.NOTHING and a.name != "customer_id"
    )
    for kind in Kind
}
_UNSUPPORTED = {
    "lines": "manual offers (with lines) cannot be imported from CSV; create them with "
    "customer_offers.create_manual() in Python",
}
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_SPLIT_AMOUNT_START = re.compile(r"[-+]?(?:€ ?)?[0-9]{1,3}(?:[. ][0-9]{3})*|[-+]?(?:€ ?)?[0-9]+")
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")  # a byte surrogateescape could not decode


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
    """One data row: its line number (header = 1), its non-empty cells, stripped, and
    ``broken``: why the line's cells cannot be matched to the header's columns (more or fewer
    cells than the header), else None."""

    line: int
    cells: Mapping[str, str]
    broken: str | None = None


class CsvFile:
    """One CSV file of one kind; reads its header at once, its rows when asked.

    Args:
        path: the CSV file.
        kind: what its rows are.
        decimal_comma: money cells use a decimal comma (``1.234,56``).
        allow_outside_paths: a ``pdf`` cell may name a file outside the CSV's folder (by
            default such a row fails: a CSV from elsewhere must not upload this machine's
            files).

    Raises:
        CsvFileError: the file cannot be read, is not UTF-8, or its header names an unknown,
            duplicate or unsupported column or lacks a required one.
    """

    def __init__(
        self,
        path: Path,
        kind: Kind,
        *,
        decimal_comma: bool = False,
        allow_outside_paths: bool = False,
    ) -> None:
        self.path = path
        self.kind = kind
        self.decimal_comma = decimal_comma
        self.allow_outside_paths = allow_outside_paths
        self.base_dir = path.resolve().parent
        self.delimiter = ""  # decided from the header line (or Excel's sep= line) by the first read
        self.header_line = 1  # 2 after Excel's "sep=;" line
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
                raise CsvFileError(
                    self.path, self.header_line, f"column {name!r}: {_UNSUPPORTED[name]}"
                )
            if name not in known:
                known_names = ", ".join(known)
                reason = f"unknown column {name!r} for {self.kind.value}; known: {known_names}"
                raise CsvFileError(self.path, self.header_line, reason)
            if name in seen:
                raise CsvFileError(self.path, self.header_line, f"column {name!r} appears twice")
            seen.add(name)
        missing = [name for name in _REQUIRED[self.kind] if name not in seen]
        if self.kind is not Kind.CUSTOMERS and not seen & {"customer_id", "customer_email"}:
            missing.insert(0, "customer_id or customer_email")
        if missing:
            raise CsvFileError(
                self.path, self.header_line, f"missing column(s): {', '.join(missing)}"
            )

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
                yield Row(line, cells, self._broken(record))

    def _broken(self, record: list[str]) -> str | None:
        """``the line has 9 cells, the header 8`` (with the decimal-comma hint where an amount
        like ``12,95`` was split in two), or None when the cells match the header's columns.
        Empty cells past the header's last column are allowed (spreadsheets write them)."""
        width = len(record)
        while width > len(self.columns) and not record[width - 1].strip():
            width -= 1
        if width == len(self.columns):
            return None
        problem = f"the line has {width} cells, the header {len(self.columns)}"
        if width > len(self.columns) and self.delimiter == ",":
            for a, b in itertools.pairwise(text.strip() for text in record[:width]):
                if _SPLIT_AMOUNT_START.fullmatch(a) and re.fullmatch("[0-9]{1,2}", b):
                    return (
                        f"{problem}: {a},{b} looks like an amount with a decimal comma, split "
                        f'in two by the comma separator; quote it ("{a},{b}") and pass '
                        "--decimal-comma, or export the file with ; as the separator"
                    )
        return f"{problem}: a separator too many or too few in this line?"

    def _records(self) -> Generator[tuple[int, list[str]], None, None]:
        """Every non-blank record, the header first, with the line it starts on.

        The file is read with universal line ends (``\\n``, ``\\r\\n`` and a lone ``\\r``,
        as old Excel "CSV (Macintosh)" writes) and strict quoting, so a stray quote is an
        error rather than rows merged or cut short. Raises CsvFileError (see :meth:`rows`).
        """
        if self.path.suffix.lower() in SPREADSHEET_SUFFIXES:
            yield from sheet_records(self.path, decimal_comma=self.decimal_comma)
            return
        line = 1
        try:
            with self.path.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as f:
                lines = self._text_lines(f)
                first = next(lines, "")
                if (sep := _EXCEL_SEP.fullmatch(first.rstrip("\r\n"))) is not None:
                    self.delimiter = _sep_line(self.path, sep[1])  # Excel's "sep=;" line
                    self.header_line = line = 2
                    first = next(lines, "")
                if not first.strip():
                    raise CsvFileError(self.path, line, "no header line (the file starts empty)")
                if not self.delimiter:
                    self.delimiter = _delimiter(self.path, first)
                reader = csv.reader(
                    itertools.chain([first], lines), delimiter=self.delimiter, strict=True
                )
                offset = self.header_line - 1
                try:
                    for record in reader:
                        start, line = line, reader.line_num + 1 + offset
                        if record:
                            self._refuse_line_breaks(start, record)
                            yield start, record
                except csv.Error as exc:
                    at, reason = _csv_problem(exc, line, reader.line_num + offset)
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
                if line == self.header_line:
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
        return {name: row.cells.get(name, "") for name in self.kind.natural_key.fields}

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
        if row.broken is not None:  # cells matched to the wrong columns: say only that
            raise RowError(row.line, [(None, row.broken)])
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
            except (ValueError, OverflowError, OSError) as exc:  # a cell no parser foresaw
                problems.append((name, f"cannot be read: {exc}"))
        if problems:
            raise RowError(row.line, problems)
        try:
            if self.kind is not Kind.CUSTOMERS and "customer_id" not in kwargs:
                email = row.cells["customer_email"]
                kwargs["customer_id"] = (
                    customers.resolve(email) if customers is not None else PLACEHOLDER_CUSTOMER_ID
                )
            return self.kind.model(**kwargs)
        except RequestValidationError as exc:
            raise RowError(row.line, [(exc.field, exc.reason)]) from None
        except (ValueError, OverflowError, OSError) as exc:  # one row never ends the run
            raise RowError(row.line, [(None, f"cannot be imported: {exc}")]) from None

    def _missing(self, row: Row) -> list[str]:
        missing = [name for name in _REQUIRED[self.kind] if name not in row.cells]
        named = "customer_id" in row.cells or "customer_email" in row.cells
        if self.kind is not Kind.CUSTOMERS and not named:  # the header has one or both
            columns = [name for name in ("customer_id", "customer_email") if name in self.columns]
            missing.insert(0, " or ".join(columns))
        return missing

    def _parse(self, cell_type: type, name: str, text: str) -> Any:
        if cell_type is Upload:
            return self._parse_file(name, text)
        if cell_type is Decimal:
            return parse_money(name, text, decimal_comma=self.decimal_comma)
        parser = {dt.date: parse_date, dt.datetime: parse_datetime, bool: parse_bool}.get(cell_type)
        return parser(name, text) if parser else text

    def _parse_file(self, name: str, text: str) -> Path:
        if not text.isprintable():  # a NUL byte, a line feed, a terminal escape sequence
            raise RequestValidationError(name, f"{text!r} is not a file path (control characters)")
        try:
            path = (self.base_dir / text).resolve()
            found = path.is_file()
        except (OSError, ValueError) as exc:  # a link loop, a name too long
            raise RequestValidationError(name, f"cannot use the path {text}: {exc}") from None
        if not self.allow_outside_paths and not path.is_relative_to(self.base_dir):
            raise RequestValidationError(
                name,
                f"{text} is outside the CSV's folder {self.base_dir} (it leads to {path}); "
                "pass --allow-outside-paths to upload files from elsewhere",
            )
        if not found:
            raise RequestValidationError(name, f"file not found: {text} (looked for {path})")
        return path  # the model checks that it starts with %PDF-


SEPARATORS = {",": "comma", ";": "semicolon", "\t": "tab"}
_EXCEL_SEP = re.compile(r"sep=(.*)", re.IGNORECASE)
_OTHER_SEPARATORS = "|:^~#!/\\"  # what other tools separate cells with


def _delimiter(path: Path, header: str) -> str:
    """``,``, ``;`` or tab: whichever the header line holds most of (``,`` when the header is
    one column). Raises CsvFileError: the header is separated by something else (``|``)."""
    counts = {sep: header.count(sep) for sep in SEPARATORS}
    if any(counts.values()):
        return max(counts, key=lambda sep: counts[sep])
    others = {sep: header.count(sep) for sep in _OTHER_SEPARATORS if sep in header}
    if others:
        sep = max(others, key=lambda s: others[s])
        raise CsvFileError(
            path,
            1,
            f"the header is separated by {sep!r}, which is not supported: export the file "
            "with , ; or tab between the cells",
        )
    return ","


def _sep_line(path: Path, sep: str) -> str:
    """The separator of Excel's ``sep=`` first line. Raises CsvFileError: not , ; or tab."""
    if sep in SEPARATORS:
        return sep
    raise CsvFileError(
        path,
        1,
        f"the first line, sep={sep}, asks for the separator {sep!r}, which is not supported: "
        "use , ; or tab",
    )


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


# --- one cell -----------------------------------------------------------------------------

_TRUE = frozenset({"1", "true", "yes", "y", "ja", "j", "waar"})
_FALSE = frozenset({"0", "false", "no", "n", "nee", "onwaar"})
_DMY = re.compile(r"(\d{1,2})-(\d{1,2})-(\d{4})")
_YMD = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")
_DATETIME_RE = re.compile(r"(\S+)[ T](\d{1,2}):(\d{2})(?::(\d{2}))?")


def parse_money(field: str, text: str, *, decimal_comma: bool = False) -> Decimal:
    """An amount in EUR with at most 2 decimals: ``12.95``, ``1,234.56``, ``1 234.56``,
    ``€ 12.95``, ``-12.95``; with ``decimal_comma`` ``12,95``, ``1.234,56``, ``1 234,56``.

    Strict, never a guess: ASCII digits only, thousands separators only between groups of
    three digits, no exponent (``1.23E+05`` is Excel's rounded display of a large number).

    Raises:
        RequestValidationError: not such an amount; the reason says what is wrong (a
            separator that contradicts ``decimal_comma``, bad grouping, scientific notation,
            more than 2 decimals) and how to fix it.
    """
    sign, body = _split_sign(text)
    match = _AMOUNT[decimal_comma].fullmatch(body)
    if match is None:
        raise RequestValidationError(field, _not_an_amount(text, body, decimal_comma))
    integer, fraction = re.sub("[^0-9]", "", match["int"]), match["frac"] or ""
    if len(fraction) > 2:
        # 1.234 may be one thousand two hundred and thirty-four, written with the other mark
        thousands = len(fraction) == 3 and re.fullmatch("[1-9][0-9]{0,2}", integer) is not None
        reason = f"{text!r} has {len(fraction)} decimals; amounts are in EUR cents (at most 2)"
        if thousands and decimal_comma:
            reason += "; if the file writes 1,234.56, leave out --decimal-comma"
        elif thousands:
            reason += "; if the file writes 1.234,56, pass --decimal-comma"
        raise RequestValidationError(field, reason)
    return Decimal(f"{sign}{integer}.{fraction}" if fraction else f"{sign}{integer}")


def _amount_pattern(mark: str, sep: str) -> re.Pattern[str]:
    group = rf"[0-9]{{1,3}}(?P<g>[{re.escape(sep)} ])[0-9]{{3}}(?:(?P=g)[0-9]{{3}})*"
    return re.compile(rf"(?P<int>{group}|[0-9]+)(?:{re.escape(mark)}(?P<frac>[0-9]+))?")


_AMOUNT = {False: _amount_pattern(".", ","), True: _amount_pattern(",", ".")}
_SPACES = re.compile("[\u00a0\u202f]")  # no-break spaces, as thousands separators


def _split_sign(text: str) -> tuple[str, str]:
    """``(sign, number)`` of a money cell: ``€``/``EUR`` and spaces around it removed."""
    s = _SPACES.sub(" ", text).strip()
    sign = ""
    if s[:1] in ("-", "+"):
        sign, s = s[0], s[1:].lstrip()
    for currency in ("€", "EUR"):
        if s.startswith(currency):
            s = s.removeprefix(currency).lstrip()
        elif s.endswith(currency):
            s = s.removesuffix(currency).rstrip()
    if not sign and s[:1] in ("-", "+"):
        sign, s = s[0], s[1:].lstrip()
    return ("-" if sign == "-" else ""), s


def _not_an_amount(text: str, body: str, decimal_comma: bool) -> str:
    """Why ``body`` (``text`` without sign and currency) is not an amount, and the fix."""
    if any(ch.isdigit() and not ch.isascii() for ch in body):
        return f"{text!r} is not an amount: write it with the digits 0-9"
    if re.fullmatch(r"[0-9.,]*[0-9][eE][-+]?[0-9]+", body):
        return (
            f"{text!r} is in scientific notation: Excel shows large numbers that way, "
            "rounded; format the column as a number (2 decimals) and export again"
        )
    if not decimal_comma and re.fullmatch(r"[0-9][0-9. ]*,[0-9]{1,2}", body):
        return f"{text!r} has a decimal comma: pass --decimal-comma"
    if decimal_comma and re.fullmatch(r"[0-9][0-9, ]*\.[0-9]{1,2}", body):
        return f"{text!r} has a decimal point, but --decimal-comma was given"
    sep = "." if decimal_comma else ","
    if re.fullmatch(r"[0-9][0-9., ]*", body) and (sep in body or " " in body):
        example = "1.234.567,89" if decimal_comma else "1,234,567.89"
        return (
            f"{text!r} is not an amount: a thousands separator must split the digits in "
            f"groups of three ({example})"
        )
    return f"{text!r} is not an amount"


FIRST_YEAR = 1900
"""Dates before this year are refused: no bookkeeping date, but an empty date cell as some
tools export it (``0001-01-01``, ``01-01-0001``)."""


def parse_date(field: str, text: str) -> dt.date:
    """``YYYY-mm-dd`` or ``dd-mm-YYYY``, a date that exists (no 2024-04-31), from
    :data:`FIRST_YEAR` on. Raises RequestValidationError: another format, no such date, or
    a date before 1900."""
    m = _DMY.fullmatch(text)
    try:
        if m:
            day = dt.date(int(m[3]), int(m[2]), int(m[1]))
        elif _YMD.fullmatch(text):
            year, month, number = (int(part) for part in text.split("-"))
            day = dt.date(year, month, number)
        else:
            raise RequestValidationError(field, f"{text!r} is not a date (use YYYY-mm-dd)")
    except RequestValidationError:
        raise
    except ValueError:
        raise RequestValidationError(field, f"{text!r} is not a real date") from None
    if day.year < FIRST_YEAR:
        raise RequestValidationError(
            field, f"{text!r} is before {FIRST_YEAR}: not a bookkeeping date (an empty date?)"
        )
    return day


def parse_datetime(field: str, text: str) -> dt.datetime:
    """``YYYY-mm-dd HH:MM[:SS]`` (or ``dd-mm-YYYY ...``, ISO 8601 with an offset, or a bare
    date meaning midnight); naive means portal local time. Raises RequestValidationError: not
    a date-time, or no such date or time."""
    if _DMY.fullmatch(text) or _YMD.fullmatch(text):
        return dt.datetime.combine(parse_date(field, text), dt.time())
    m = _DATETIME_RE.fullmatch(text)
    if m:
        day = parse_date(field, m[1])
        try:
            return dt.datetime.combine(day, dt.time(int(m[2]), int(m[3]), int(m[4] or 0)))
        except ValueError:
            raise RequestValidationError(field, f"{text!r} is not a real time") from None
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        raise RequestValidationError(
            field, f"{text!r} is not a date-time (use YYYY-mm-dd HH:MM:SS)"
        ) from None


def parse_bool(field: str, text: str) -> bool:
    """``1/0``, ``true/false``, ``yes/no``, ``ja/nee``, ``waar/onwaar`` in any case.
    Raises RequestValidationError: anything else."""
    s = text.strip().lower()
    if s in _TRUE:
        return True
    if s in _FALSE:
        return False
    raise RequestValidationError(field, f"{text!r} is not a yes/no value (use 1 or 0)")


# --- customers by e-mail -------------------------------------------------------------------


class CustomerDirectory:
    """Customer IDs by primary e-mail (compared case-insensitively), to resolve ``customer_email``.

    Build it from ``mkp.customers.list()`` with :meth:`from_customers` (one pass over the list,
    ``list-customers``) or from ``(email, id)`` pairs.
    """

    def __init__(self, pairs: Iterable[tuple[str, str]] = ()) -> None:
        self._ids: dict[str, list[str]] = {}
        for email, customer_id in pairs:
            self.add(email, customer_id)

    def add(self, email: str, customer_id: str) -> None:
        """Record that ``email`` belongs to customer ``customer_id``."""
        ids = self._ids.setdefault(email.strip().lower(), [])
        if customer_id not in ids:
            ids.append(customer_id)

    @classmethod
    async def from_customers(cls, customers: AsyncIterable[Customer]) -> CustomerDirectory:
        """Read every customer of an async iterable (``mkp.customers.list()``)."""
        directory = cls()
        async for customer in customers:
            if customer.primary_email and customer.id:
                directory.add(customer.primary_email, customer.id)
        return directory

    def __len__(self) -> int:
        return len(self._ids)

    def resolve(self, email: str) -> str:
        """The one customer ID for ``email``. Raises RequestValidationError
        (``customer_email``): no customer has that e-mail, or several do."""
        ids = self._ids.get(email.strip().lower(), [])
        if not ids:
            raise RequestValidationError("customer_email", f"no customer with e-mail {email}")
        if len(ids) > 1:
            raise RequestValidationError(
                "customer_email",
                f"{len(ids)} customers have e-mail {email} ({', '.join(ids)}): "
                "give customer_id instead",
            )
        return ids[0]
