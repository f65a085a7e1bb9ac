"""Parsing one CSV cell for ``mijnklantportaal import``: money, dates, date-times, booleans.

Cells come as bookkeeping tools write them: money in EUR (``12.95``, ``1,234.56``, ``€ 12.95``,
or with a decimal comma ``12,95`` / ``1.234,56``); dates ``YYYY-mm-dd`` or ``dd-mm-YYYY`` (real
dates only, no 2024-04-31); date-times ``YYYY-mm-dd HH:MM[:SS]`` in portal local time (a bare
date is midnight); booleans in English or Dutch. Each parser raises
:class:`~mijnklantportaal_async.errors.RequestValidationError` naming the column.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from mijnklantportaal_async.errors import RequestValidationError

__all__ = ["parse_bool", "parse_date", "parse_datetime", "parse_money"]

_TRUE = frozenset({"1", "true", "yes", "y", "ja", "j", "waar"})
_FALSE = frozenset({"0", "false", "no", "n", "nee", "onwaar"})
_DMY = re.compile(r"(\d{1,2})-(\d{1,2})-(\d{4})")
_YMD = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")
_DATETIME_RE = re.compile(r"(\S+)[ T](\d{1,2}):(\d{2})(?::(\d{2}))?")


def parse_money(field: str, text: str, *, decimal_comma: bool = False) -> Decimal:
    """An amount in EUR: ``12.95``, ``1,234.56``, ``€ 12.95``; with ``decimal_comma``
    ``12,95``, ``1.234,56``. Raises RequestValidationError: not a number, or a separator that
    contradicts ``decimal_comma``."""
    s = text.replace("€", "").replace("\u00a0", "").replace(" ", "")
    s = s.removeprefix("EUR").removesuffix("EUR")
    mark, sep = (",", ".") if decimal_comma else (".", ",")  # decimal mark, thousands separator
    if sep in s:
        if mark in s and s.rindex(sep) < s.rindex(mark):
            pass  # 1,234.56 (or 1.234,56 with decimal_comma)
        elif re.fullmatch(rf"-?\d{{1,3}}(\{sep}\d{{3}})+", s):
            pass  # 1,234 (or 1.234 with decimal_comma)
        elif decimal_comma:
            raise RequestValidationError(
                field, f"{text!r} has a decimal point, but --decimal-comma was given"
            )
        elif re.fullmatch(r"-?[\d.]*,\d{1,2}", s):
            raise RequestValidationError(
                field, f"{text!r} has a decimal comma: pass --decimal-comma"
            )
        else:
            raise RequestValidationError(field, f"{text!r} is not an amount")
        s = s.replace(sep, "")
    s = s.replace(mark, ".")
    try:
        value = Decimal(s)
    except InvalidOperation:
        raise RequestValidationError(field, f"{text!r} is not an amount") from None
    if not value.is_finite():
        raise RequestValidationError(field, f"{text!r} is not an amount")
    return value


def parse_date(field: str, text: str) -> dt.date:
    """``YYYY-mm-dd`` or ``dd-mm-YYYY``, a date that exists (no 2024-04-31).
    Raises RequestValidationError: another format, or no such date."""
    m = _DMY.fullmatch(text)
    try:
        if m:
            return dt.date(int(m[3]), int(m[2]), int(m[1]))
        if _YMD.fullmatch(text):
            year, month, day = (int(part) for part in text.split("-"))
            return dt.date(year, month, day)
    except ValueError:
        raise RequestValidationError(field, f"{text!r} is not a real date") from None
    raise RequestValidationError(field, f"{text!r} is not a date (use YYYY-mm-dd)")


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
