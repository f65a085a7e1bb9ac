"""``python -m benchmarks``: run the benchmarks and print one table.

Options shrink or pick the runs (``--only pacing --quick``); the defaults are the figures of
``docs/benchmarks.md``: the pacing matrix (about 10 s a row), import time (four scenarios, and
an older checkout's beside them with ``--import-baseline``), 3,000 calls per overhead variant
in each of 5 processes, uploads of 50 MB and 500 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path

import attrs

from benchmarks._common import Row, machine_info, render
from benchmarks.import_time import import_rows, run_import_time
from benchmarks.overhead import overhead_rows, run_overhead_processes
from benchmarks.pacing import MATRIX, pacing_rows, run_pacing
from benchmarks.upload_memory import run_upload_memory, upload_rows

BENCHMARKS = ("pacing", "import", "overhead", "upload")


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument(
        "--only", action="append", choices=BENCHMARKS, help="run only this one (repeatable)"
    )
    parser.add_argument(
        "--quick", action="store_true", help="pacing: a fifth of the invoices per row"
    )
    parser.add_argument(
        "--import-baseline",
        type=Path,
        metavar="CHECKOUT",
        help="import: also time the package of this checkout (a worktree of an older commit)",
    )
    parser.add_argument("--calls", type=int, default=3000, help="overhead: calls per variant")
    parser.add_argument(
        "--processes", type=int, default=5, help="overhead: fresh processes to measure in"
    )
    parser.add_argument(
        "--upload-mb",
        type=int,
        action="append",
        help="upload: MiB of PDF to upload (repeatable; default 50 and 500)",
    )
    return parser.parse_args(argv)


async def run(args: argparse.Namespace) -> list[Row]:
    """Run the chosen benchmarks one after the other, each reporting as it ends."""
    chosen = args.only or list(BENCHMARKS)
    rows: list[Row] = []
    if "pacing" in chosen:
        matrix = MATRIX
        if args.quick:
            matrix = tuple(attrs.evolve(s, invoices=s.invoices // 5) for s in MATRIX)
        rows += pacing_rows(await run_pacing(matrix))
    if "import" in chosen:
        print("import: timing imports in fresh interpreters...", file=sys.stderr)
        rows += import_rows(run_import_time(baseline=args.import_baseline))
    if "overhead" in chosen:
        print("overhead: timing sequential creates...", file=sys.stderr)
        rows += overhead_rows(run_overhead_processes(processes=args.processes, calls=args.calls))
    if "upload" in chosen:
        sizes = args.upload_mb or [50, 500]
        print(f"upload: uploading PDFs of {sizes} MiB...", file=sys.stderr)
        rows += upload_rows(await run_upload_memory(sizes))
    return rows


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of ``python -m benchmarks``."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    rows = asyncio.run(run(args))
    print(render(machine_info(), rows))


if __name__ == "__main__":
    main()
