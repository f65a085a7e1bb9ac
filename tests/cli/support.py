"""Shared helpers of the ``mijnklantportaal import`` tests (no tests here): the sandbox flags
without pacing, and reading a ``--report`` CSV."""

from __future__ import annotations

import csv
from pathlib import Path

FAST = ["--sandbox", "--sandbox-rate-limit", "100000"]  # the sandbox without 60/min pacing


def read_report(path: Path) -> list[dict[str, str]]:
    """The rows of a report CSV, column name -> value."""
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))
