"""The journal's errors and warning (see :mod:`mijnklantportaal_async.bulk.journal`, which
re-exports them): each names the journal file and unpickles to an equal error."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from mijnklantportaal_async.errors import MijnKlantportaalError

__all__ = [
    "JournalCorruptError",
    "JournalError",
    "JournalLockedError",
    "JournalMismatchError",
    "TornJournalWarning",
]


class JournalError(MijnKlantportaalError):
    """Base of the journal's errors."""


class JournalMismatchError(JournalError):
    """The journal belongs to another portal, key or sandbox mode and records items that are
    (or may be) stored there; nothing was sent.

    ``differences`` maps each differing header field to ``(in the journal, now)``; the key
    appears only as its fingerprint. ``recorded`` counts the items the journal records as
    created, adopted or possibly stored (in flight, or failed ambiguously); ``example``
    describes one created or adopted item (``"customer_invoices invoice_number='2024-001'
    as inv_..."``), or is None.
    """

    def __init__(
        self,
        path: Path,
        differences: Mapping[str, tuple[Any, Any]],
        recorded: int = 0,
        example: str | None = None,
    ) -> None:
        self.path = path
        self.differences = dict(differences)
        self.recorded = recorded
        self.example = example
        what = "; ".join(
            f"{name} is {old!r} in the journal but {new!r} now"
            for name, (old, new) in self.differences.items()
        )
        there = (
            f"; it records {recorded} item(s) stored or possibly stored there" if recorded else ""
        )
        if example:
            there += f" (e.g. {example})"
        super().__init__(f"journal {str(path)!r} belongs to another portal or key: {what}{there}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.path, self.differences, self.recorded, self.example))


class JournalCorruptError(JournalError, ValueError):
    """A line of the journal (other than a torn last line) cannot be read; ``line`` is 1-based."""

    def __init__(self, path: Path, line: int, reason: str) -> None:
        self.path = path
        self.line = line
        self.reason = reason
        super().__init__(f"journal {str(path)!r}, line {line}: {reason}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.path, self.line, self.reason))


class JournalLockedError(JournalError):
    """Another run (this or another process) has the journal open."""


class TornJournalWarning(UserWarning):
    """The journal's last line was cut by a crash; it was dropped."""
