"""Rows of one CSV file that repeat an earlier row's natural key, found before anything is sent.

The bulk engine refuses the later of two inputs with the same natural key
(:class:`~mijnklantportaal_async.bulk.DuplicateItemError`); ``mijnklantportaal import`` finds
them while checking the file, so a dry run lists them and a real run reports them with both
CSV line numbers. Keys are matched as the engine matches them (the resource's normaliser:
e-mail addresses case-insensitively, surrounding spaces ignored).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from mijnklantportaal_async._core import natural_keys
from mijnklantportaal_async._core.natural_keys import canonical_key
from mijnklantportaal_async.cli.csv_files import Kind, RowError

KeyNormalizer = Callable[[Mapping[str, Any]], Mapping[str, Any]]
normalize_customer_key = natural_keys.CUSTOMER.normalize
normalize_invoice_key = natural_keys.CUSTOMER_INVOICE.normalize
normalize_offer_key = natural_keys.CUSTOMER_OFFER.normalize

__all__ = ["DuplicateRows"]

_NORMALIZERS: dict[Kind, KeyNormalizer] = {
    Kind.CUSTOMERS: normalize_customer_key,
    Kind.INVOICES: normalize_invoice_key,
    Kind.OFFERS: normalize_offer_key,
}


class DuplicateRows:
    """The first line of each natural key seen in one file of ``kind``.

    Kept as the bulk engine keeps its keys: a dict of the canonical key text.
    """

    def __init__(self, kind: Kind) -> None:
        self._normalize = _NORMALIZERS[kind]
        self._first: dict[str, int] = {}

    def check(self, line: int, key: Mapping[str, Any]) -> None:
        """Remember the natural ``key`` of the row at ``line`` (``request.natural_key()``,
        or the key cells of a row that did not build); raise if an earlier row had it.

        Raises:
            RowError: ``line N: same invoice_number=2024-001 as line M``.
        """
        first = self._first.setdefault(canonical_key(self._normalize(key)), line)
        if first != line:
            shown = "; ".join(f"{name}={value}" for name, value in key.items())
            raise RowError(line, [(None, f"same {shown} as line {first}")])
