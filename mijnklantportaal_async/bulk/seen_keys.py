"""The natural keys one bulk run has seen, in flat arrays: how the engine refuses duplicates.

A run must know every natural key it has started (two inputs with one key cannot both be
created exactly once), so this is the one part of a run that grows with its input.
:class:`SeenKeys` keeps it small: an open-addressing hash table over three ``array("Q")``
columns (the two halves of a 128-bit BLAKE2b digest of the key and the first input index),
24 bytes a slot, at most two thirds full. That is 36 to 72 bytes per distinct key (about 63
at 100,000 keys; 50 MB for a million), where a dict of digests took about 150.
"""

from __future__ import annotations

import hashlib
from array import array

__all__ = ["SeenKeys"]

_START = 1024  # slots; a power of two


def _column(size: int) -> array[int]:
    return array("Q", [0]) * size


class SeenKeys:
    """The first input index of each key text (canonical natural-key JSON) seen so far."""

    def __init__(self) -> None:
        self._hi = _column(_START)
        self._lo = _column(_START)
        self._at = _column(_START)  # first index + 1; 0 marks an empty slot
        self._used = 0

    def __len__(self) -> int:
        return self._used

    def first(self, text: str, index: int) -> int:
        """``index`` when ``text`` is new (it is remembered with it), else the index it was
        first seen with."""
        digest = hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()
        hi, lo = int.from_bytes(digest[:8], "little"), int.from_bytes(digest[8:], "little")
        mask = len(self._at) - 1
        slot = lo & mask
        while (at := self._at[slot]) != 0:
            if self._lo[slot] == lo and self._hi[slot] == hi:
                return at - 1
            slot = (slot + 1) & mask
        self._hi[slot], self._lo[slot], self._at[slot] = hi, lo, index + 1
        self._used += 1
        if self._used * 3 > len(self._at) * 2:
            self._grow()
        return index

    def _grow(self) -> None:
        old = zip(self._hi, self._lo, self._at, strict=True)
        size = len(self._at) * 2
        mask = size - 1
        hi_col, lo_col, at_col = _column(size), _column(size), _column(size)
        for hi, lo, at in old:
            if at == 0:
                continue
            slot = lo & mask
            while at_col[slot] != 0:
                slot = (slot + 1) & mask
            hi_col[slot], lo_col[slot], at_col[slot] = hi, lo, at
        self._hi, self._lo, self._at = hi_col, lo_col, at_col
