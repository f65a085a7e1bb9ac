"""Reading an Excel workbook (``.xlsx``) as an import file, as bookkeeping tools export them.

:func:`sheet_records` yields the first worksheet's rows as the CSV reader yields its records:
``(row number, [cell text, ...])``, the header first, blank rows left out, so the rest of the
import (:class:`~mijnklantportaal_async.cli.reading.CsvFile`) reads both alike. Cells become
the text the CSV parsers take: numbers as written by Python (``12.95``; with
``decimal_comma`` ``12,95``), dates as ``YYYY-mm-dd``, date-times as ``YYYY-mm-dd HH:MM:SS``,
booleans as ``1``/``0``; a formula cell gives its last computed value. openpyxl is part of the
``[cli]`` extra. Row numbers are the sheet's (header = 1), as Excel shows them.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mijnklantportaal_async.cli.reading import CsvFileError

__all__ = ["SPREADSHEET_SUFFIXES", "cell_text", "sheet_records"]

SPREADSHEET_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls"})


def _error(path: Path, line: int, reason: str) -> CsvFileError:
    from mijnklantportaal_async.cli.reading import CsvFileError

    return CsvFileError(path, line, reason)


def sheet_records(path: Path, *, decimal_comma: bool = False) -> Iterator[tuple[int, list[str]]]:
    """The non-blank rows of the workbook's first sheet, with their row numbers.

    Raises:
        CsvFileError: an old ``.xls`` workbook, a file that is not a workbook, or one that
            cannot be read.
    """
    if path.suffix.lower() == ".xls":
        raise _error(path, 1, "an old Excel .xls workbook: save it as .xlsx or as CSV UTF-8")
    try:
        import openpyxl
    except ImportError:
        raise _error(
            path,
            1,
            "reading .xlsx needs openpyxl: python -m pip install 'mijnklantportaal-async[cli]'",
        ) from None
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        raise _error(path, 1, f"cannot read it as an Excel workbook: {reason}") from None
    try:
        sheet = workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            record = [cell_text(value, decimal_comma=decimal_comma) for value in values]
            if any(text.strip() for text in record):
                yield number, record
    finally:
        workbook.close()


def cell_text(value: Any, *, decimal_comma: bool = False) -> str:
    """A cell's value as the text a CSV export would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time() and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat()
    if isinstance(value, int | float | Decimal):
        text = _number(value)
        return text.replace(".", ",") if decimal_comma else text
    return str(value)


def _number(value: int | float | Decimal) -> str:
    """``12.95`` for the float 12.95 (its shortest form), ``1250`` for 1250.0."""
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    return str(value)
