"""Upload memory: peak RSS while uploading a large PDF from disk, against the baseline.

The portal (a FakePortal without rate limit: it streams file parts, hashing and counting the
bytes and keeping only the first 1 KiB) runs in this process; the upload runs in a fresh child
process (:mod:`benchmarks._upload_child`) so its RSS holds nothing but the client. Each size is
written to a temporary directory in 1 MiB blocks starting with ``%PDF-``, uploaded with
``customer_invoices.create(pdf=Path(...))`` and deleted again.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import attrs

from benchmarks._common import MB, Row, customer
from mijnklantportaal_async.testing import FakePortal

__all__ = ["UploadResult", "run_upload_memory", "upload_rows", "write_pdf"]

ROOT = Path(__file__).resolve().parent.parent


@attrs.frozen(kw_only=True)
class UploadResult:
    """One upload: file size in bytes, what the portal received, RSS figures in KiB."""

    size: int
    received: int
    seconds: float
    baseline_kib: int
    peak_kib: int
    end_kib: int
    peak_reset: bool


def write_pdf(path: Path, size_mb: int) -> int:
    """Write ``%PDF-1.4``, ``size_mb`` MiB of filler and a trailer; return the size."""
    block = bytes(range(256)) * (MB // 256)
    size = 0
    with path.open("wb") as fh:
        for chunk in (b"%PDF-1.4\n", *([block] * size_mb), b"\n%%EOF\n"):
            fh.write(chunk)
            size += len(chunk)
    return size


async def _child(portal: FakePortal, customer_id: str, pdf: Path) -> dict[str, object]:
    env = {**os.environ, "MIJNKLANTPORTAAL_API_KEY": portal.api_key}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "benchmarks._upload_child",
        portal.url,
        customer_id,
        str(pdf),
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
    )
    out, _ = await process.communicate()
    if process.returncode != 0:
        raise RuntimeError(f"upload child failed with exit code {process.returncode}")
    result: dict[str, object] = json.loads(out)
    return result


def _kib(value: object) -> int:
    if not isinstance(value, int):
        raise RuntimeError(f"no memory figure from the child: {value!r}")
    return value


async def run_upload_memory(sizes_mb: Sequence[int] = (50, 500)) -> list[UploadResult]:
    """Upload a PDF of each size (MiB of filler) in its own child process."""
    results = []
    async with FakePortal(rate_limit=None) as portal:
        async with portal.client(rate_limit=None) as mkp:
            owner = await mkp.customers.create(customer(0))
        with tempfile.TemporaryDirectory(prefix="mkp-bench-") as tmp:
            for size_mb in sizes_mb:
                pdf = Path(tmp) / f"bench-{size_mb}mb.pdf"
                size = write_pdf(pdf, size_mb)
                try:
                    got = await _child(portal, owner.id, pdf)
                finally:
                    pdf.unlink()
                stored = portal.files[str(got["invoice_id"])]
                seconds = got["seconds"]
                results.append(
                    UploadResult(
                        size=size,
                        received=stored.size,
                        seconds=float(seconds) if isinstance(seconds, int | float) else 0.0,
                        baseline_kib=_kib(got["baseline_rss_kib"]),
                        peak_kib=_kib(
                            got["peak_hwm_kib"] if got["peak_reset"] else got["ru_maxrss_kib"]
                        ),
                        end_kib=_kib(got["end_rss_kib"]),
                        peak_reset=bool(got["peak_reset"]),
                    )
                )
    return results


def upload_rows(results: Sequence[UploadResult]) -> list[Row]:
    """The table rows of the upload runs, one group of rows per size."""
    rows = [Row("upload RSS", "setup", "client in a child process, FakePortal in the parent")]
    for result in results:
        label = f"{result.size / MB:,.0f} MiB PDF"
        peak = "VmHWM" if result.peak_reset else "ru_maxrss"
        delta = (result.peak_kib - result.baseline_kib) / 1024
        rows += [
            Row(
                "upload RSS",
                f"{label}: received / sent",
                f"{result.received:,} / {result.size:,} bytes in {result.seconds:.1f} s "
                f"({result.size / MB / result.seconds:,.0f} MiB/s)",
            ),
            Row("upload RSS", f"{label}: baseline RSS", f"{result.baseline_kib / 1024:.1f} MiB"),
            Row("upload RSS", f"{label}: peak RSS ({peak})", f"{result.peak_kib / 1024:.1f} MiB"),
            Row("upload RSS", f"{label}: peak - baseline", f"{delta:+.1f} MiB"),
        ]
    return rows
