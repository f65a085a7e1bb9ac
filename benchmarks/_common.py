"""What the benchmarks share: sample requests, machine facts, result rows and the table."""

from __future__ import annotations

import os
import platform
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal

import aiohttp
import attrs

from mijnklantportaal_async import CustomerCreate, CustomerInvoiceCreate, __version__

__all__ = [
    "MB",
    "PDF",
    "Row",
    "customer",
    "invoice",
    "machine_info",
    "render",
]

MB = 1024 * 1024
PDF = b"%PDF-1.4\n% mijnklantportaal-async benchmark\n%%EOF\n"
"""A small valid PDF (the portal checks the ``%PDF-`` signature only)."""


@attrs.frozen
class Row:
    """One line of the table: which benchmark, what was measured, the value as shown."""

    benchmark: str
    metric: str
    value: str


def customer(n: int = 0) -> CustomerCreate:
    """A valid customer; ``n`` makes the e-mail address distinct."""
    return CustomerCreate(
        company_name=f"Bench {n} BV",
        address="Kade 1",
        zip_code="1011AA",
        city="Amsterdam",
        primary_email=f"bench{n}@bench.example",
    )


def invoice(customer_id: str, n: int, pdf: bytes | os.PathLike[str] = PDF) -> CustomerInvoiceCreate:
    """Invoice ``BENCH-<n>`` of ``customer_id`` with ``pdf`` (bytes or a path)."""
    return CustomerInvoiceCreate(
        customer_id=customer_id,
        invoice_number=f"BENCH-{n:06d}",
        issued_at="2026-12-02",
        amount=Decimal("12.95"),
        pdf=pdf,
    )


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.partition(":")[2].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _memory_total() -> str:
    try:
        with open("/proc/meminfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("MemTotal:"):
                    return f"{int(line.split()[1]) / MB:.1f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return "RAM unknown"


def machine_info() -> list[tuple[str, str]]:
    """(label, value) pairs describing where the figures were taken."""
    return [
        ("date", datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")),
        ("cpu", f"{_cpu_model()}, {os.cpu_count()} cores, {_memory_total()}"),
        ("os", f"{platform.system()} {platform.release()} {platform.machine()}"),
        ("python", f"{platform.python_implementation()} {sys.version.split()[0]}"),
        ("packages", f"mijnklantportaal-async {__version__}, aiohttp {aiohttp.__version__}"),
    ]


def render(info: Sequence[tuple[str, str]], rows: Sequence[Row]) -> str:
    """The machine facts, then the rows as a plain-text table."""
    lines = ["mijnklantportaal-async benchmarks", ""]
    width = max(len(label) for label, _ in info)
    lines += [f"{label:<{width}}  {value}" for label, value in info]
    lines.append("")
    header = Row("benchmark", "metric", "value")
    table = [header, *rows]
    w1 = max(len(r.benchmark) for r in table)
    w2 = max(len(r.metric) for r in table)
    w3 = max(len(r.value) for r in table)
    rule = f"{'-' * w1}  {'-' * w2}  {'-' * w3}"
    lines += [f"{header.benchmark:<{w1}}  {header.metric:<{w2}}  {header.value}", rule]
    previous = ""
    for row in rows:
        if previous and row.benchmark != previous:
            lines.append(rule)
        name = row.benchmark if row.benchmark != previous else ""
        lines.append(f"{name:<{w1}}  {row.metric:<{w2}}  {row.value}")
        previous = row.benchmark
    return "\n".join(lines)
