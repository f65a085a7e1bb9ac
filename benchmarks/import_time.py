"""Import time: what a user waits for before the first call, against ``import aiohttp``.

Four scenarios, each run in a fresh interpreter with ``-X importtime``:

- ``import aiohttp``, which the client needs, as the yardstick;
- ``import mijnklantportaal_async`` alone (lazy: next to nothing);
- ``from mijnklantportaal_async import MijnKlantportaal`` and making a client: the figure a
  program waits for before its first call, and the one the goal (at most 1.2 x aiohttp) is
  judged on;
- everything: every public name (``from mijnklantportaal_async import *``: the models, bulk,
  OAuth, webhooks...), every resource (and so the operations table) and a client's first
  area: what a bulk import has loaded by its first call. Nothing is hidden.

A scenario's figure is the sum of the cumulative microseconds of the modules it imported at
the top level (after a marker line, so the interpreter's own start-up is left out), the best
of ``runs`` runs, interleaved so that a busy machine inflates all alike; the median is shown
too, as a measure of the noise. The children write and read bytecode caches, as an installed
package has them (``pip install`` compiles them): ``PYTHONDONTWRITEBYTECODE`` is dropped from
their environment, and each scenario runs once untimed first.

``baseline=`` times the same scenarios for the package in another checkout (a git worktree of
an older commit: ``python -m benchmarks --only import --import-baseline ../old``), interleaved
with the current one. Each checkout is imported from ``PYTHONPATH`` with a neutral working
directory, whichever is installed.

The package's backends that a default client does not use (the ``redis`` driver, the import
command's ``rich``) must not be imported by any scenario: the table says which of them were.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Mapping
from pathlib import Path

import attrs

from benchmarks._common import Row

__all__ = ["SCENARIOS", "ImportResult", "Timing", "import_rows", "run_import_time"]

OPTIONAL = ("redis", "rich")
"""Modules only some uses need; no scenario may pull them in."""

GOAL = 1.2
"""The client scenario's import time may be at most this many times aiohttp's."""

CURRENT = Path(__file__).resolve().parent.parent
"""The checkout these benchmarks belong to."""

MARK = "-- mijnklantportaal-async benchmark: timing starts --"

SCENARIOS: Mapping[str, str] = {
    "import aiohttp": "import aiohttp",
    "import mijnklantportaal_async": "import mijnklantportaal_async",
    "import + MijnKlantportaal(...)": """
        from mijnklantportaal_async import MijnKlantportaal
        MijnKlantportaal("mkp_x", base_url="https://api.example")
    """,
    "everything (models, table, resources, bulk)": """
        from mijnklantportaal_async import *
        import mijnklantportaal_async.resources
        MijnKlantportaal("mkp_x", base_url="https://api.example").customer_invoices
    """,
}
"""Label -> the code timed. The first is the yardstick; the third is the goal's."""

CLIENT = "import + MijnKlantportaal(...)"


@attrs.frozen(kw_only=True)
class Timing:
    """One scenario's runs: best and median in microseconds."""

    best_us: int
    median_us: int


@attrs.frozen(kw_only=True)
class ImportResult:
    """Per checkout label (``"current"``, a baseline's commit) and scenario, the timing; and
    which optional backends the current checkout's scenarios imported."""

    runs: int
    timings: Mapping[str, Mapping[str, Timing]]
    optional_loaded: tuple[str, ...]


def _child_code(statement: str) -> str:
    return "\n".join(
        [
            "import sys",
            f"sys.stderr.write({MARK!r} + '\\n')",
            "sys.stderr.flush()",
            textwrap.dedent(statement).strip(),
            "sys.stderr.flush()",
            "print(' '.join(sorted(sys.modules)))",
        ]
    )


def _environment(checkout: Path) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("PYTHONDONTWRITEBYTECODE", "MIJNKLANTPORTAAL_LOG"):
        env.pop(name, None)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(checkout), env.get("PYTHONPATH")]))
    return env


def _run(checkout: Path, statement: str, cwd: str) -> tuple[int, list[str]]:
    """Microseconds of the imports ``statement`` made at the top level, and ``sys.modules``
    after it."""
    out = subprocess.run(  # noqa: S603 (this interpreter, our own code)
        [sys.executable, "-X", "importtime", "-c", _child_code(statement)],
        capture_output=True,
        text=True,
        check=True,
        cwd=cwd,
        env=_environment(checkout),
    )
    lines = out.stderr.splitlines()
    total = 0
    # "import time: self [us] | cumulative | imported package", nested ones indented
    for line in lines[lines.index(MARK) + 1 :]:
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit() and parts[2][1:2] != " ":
            total += int(parts[1])
    return total, out.stdout.split()


def run_import_time(*, runs: int = 9, baseline: Path | None = None) -> ImportResult:
    """Time every scenario ``runs`` times, interleaved (and, with ``baseline``, the package's
    scenarios in that checkout too); keep the best and the median of each."""
    checkouts = {"current": CURRENT}
    if baseline is not None:
        checkouts[_label(baseline)] = baseline.resolve()
    plan = [
        (label, checkout, scenario)
        for label, checkout in checkouts.items()
        for scenario in SCENARIOS
        if label == "current" or scenario != "import aiohttp"
    ]
    samples: dict[tuple[str, str], list[int]] = {(label, s): [] for label, _, s in plan}
    optional: set[str] = set()
    with tempfile.TemporaryDirectory() as cwd:
        for _, checkout, scenario in plan:  # untimed: writes the bytecode caches
            _run(checkout, SCENARIOS[scenario], cwd)
        for _ in range(runs):
            for label, checkout, scenario in plan:
                us, modules = _run(checkout, SCENARIOS[scenario], cwd)
                samples[label, scenario].append(us)
                if label == "current":
                    optional.update(m for m in OPTIONAL if m in modules)
    timings: dict[str, dict[str, Timing]] = {label: {} for label in checkouts}
    for (label, scenario), values in samples.items():
        timings[label][scenario] = Timing(
            best_us=min(values), median_us=round(statistics.median(values))
        )
    return ImportResult(
        runs=runs,
        timings=timings,
        optional_loaded=tuple(m for m in OPTIONAL if m in optional),
    )


def _label(checkout: Path) -> str:
    """A checkout's short commit, else its folder's name."""
    try:
        out = subprocess.run(  # noqa: S603 (git on a path the caller gave)
            ["git", "-C", str(checkout), "rev-parse", "--short", "HEAD"],  # noqa: S607
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return checkout.name
    return out.stdout.strip() or checkout.name


def import_rows(result: ImportResult) -> list[Row]:
    """The table rows of an import-time run: ms, ratio to aiohttp, median."""
    name = "import"
    yardstick = result.timings["current"]["import aiohttp"].best_us
    rows = [
        Row(
            name,
            "setup",
            f"fresh interpreter, -X importtime, with bytecode caches, best of {result.runs}"
            " (median)",
        ),
    ]

    def value(timing: Timing, *, ratio: bool = True) -> str:
        shown = f"{timing.best_us / 1000:6,.1f} ms"
        if ratio:
            shown += f" = {timing.best_us / yardstick:.2f}x aiohttp"
        return shown + f" ({timing.median_us / 1000:,.1f})"

    for scenario in SCENARIOS:  # each with the baseline's figure under it
        for label, timings in result.timings.items():
            if scenario in timings:
                metric = scenario if label == "current" else f"  {label} (baseline)"
                ratio = scenario != "import aiohttp"
                rows.append(Row(name, metric, value(timings[scenario], ratio=ratio)))
    client = result.timings["current"][CLIENT].best_us / yardstick
    verdict = "met" if client <= GOAL else "not met"
    rows.append(Row(name, f"goal: client <= {GOAL:.1f}x aiohttp", f"{verdict} ({client:.2f}x)"))
    rows.append(
        Row(name, "optional backends imported", ", ".join(result.optional_loaded) or "none")
    )
    return rows
