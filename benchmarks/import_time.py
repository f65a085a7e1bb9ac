"""Import time: ``import mijnklantportaal_async`` against ``import aiohttp`` (which it needs).

Each is imported in a fresh interpreter with ``-X importtime``; the figure is the cumulative
microseconds of the top-level module, the best of ``runs`` runs (interleaved), so a busy
machine inflates both alike. The package's backends that a default client does not use (the
``redis`` driver) must not be imported here: the table says which of them were.
"""

from __future__ import annotations

import subprocess
import sys

import attrs

from benchmarks._common import Row

__all__ = ["ImportResult", "import_rows", "run_import_time"]

OPTIONAL = ("redis", "rich")
"""Modules only some uses need; importing the package must not pull them in."""


@attrs.frozen(kw_only=True)
class ImportResult:
    """Best cumulative import time of each module in microseconds, and what came along."""

    runs: int
    aiohttp_us: int
    package_us: int
    optional_loaded: tuple[str, ...]


def _import_us(module: str) -> int:
    out = subprocess.run(  # noqa: S603 (this interpreter, a fixed command)
        [sys.executable, "-X", "importtime", "-c", f"import {module}"],
        capture_output=True,
        text=True,
        check=True,
    )
    last = out.stderr.strip().splitlines()[-1]  # "import time: self | cumulative | name"
    return int(last.split("|")[1])


def run_import_time(*, runs: int = 9) -> ImportResult:
    """Time both imports ``runs`` times each, interleaved; keep the best of each."""
    best = {"aiohttp": 10**12, "mijnklantportaal_async": 10**12}
    for _ in range(runs):
        for module in best:
            best[module] = min(best[module], _import_us(module))
    probe = "import sys, mijnklantportaal_async; print(' '.join(sorted(sys.modules)))"
    loaded = subprocess.run(  # noqa: S603
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.split()
    optional = tuple(m for m in OPTIONAL if m in loaded)
    return ImportResult(
        runs=runs,
        aiohttp_us=best["aiohttp"],
        package_us=best["mijnklantportaal_async"],
        optional_loaded=optional,
    )


def import_rows(result: ImportResult) -> list[Row]:
    """The table rows of an import-time run."""
    name = "import"
    ratio = result.package_us / result.aiohttp_us
    return [
        Row(name, "setup", f"fresh interpreter, -X importtime, best of {result.runs}"),
        Row(name, "import aiohttp", f"{result.aiohttp_us / 1000:,.1f} ms"),
        Row(name, "import mijnklantportaal_async", f"{result.package_us / 1000:,.1f} ms"),
        Row(name, "package / aiohttp", f"{ratio:.2f}x"),
        Row(name, "optional backends imported", ", ".join(result.optional_loaded) or "none"),
    ]
