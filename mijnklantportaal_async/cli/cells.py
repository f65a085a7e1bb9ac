"""Parsing one CSV cell for ``mijnklantportaal import``: money, dates, date-times, booleans.

Cells come as bookkeeping tools write them: money in EUR (``12.95``, ``1,234.56``, ``€ 12.95``,
or with a decimal comma ``12,95`` / ``1.234,56``; strictly: ASCII digits, groups of three, no
exponent); dates ``YYYY-mm-dd`` or ``dd-mm-YYYY`` (real
dates only, no 2024-04-31); date-times ``YYYY-mm-dd HH:MM[:SS]`` in portal local time (a bare
date is midnight); booleans in English or Dutch. Each parser raises
:class:`~mijnklantportaal_async.errors.RequestValidationError` naming the column.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from mijnklantportaal_async.errors import RequestValidationError

__all__ = ["parse_bool", "parse_date", "parse_datetime", "parse_money"]

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
