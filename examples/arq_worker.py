"""Recipe: bulk imports as background jobs of an arq worker (a task queue on Redis).

A web request (or a cron job) enqueues a batch; the worker imports it with ``create_many``
and a journal named after the batch. arq runs a job again when a worker dies in the middle of
it, and the journal makes that rerun exactly once: rows done are skipped, a row that was in
flight is looked up by its natural key before anything is sent again. The worker holds one
client (made at startup, in the worker's loop) for all its jobs. Run it with::

    MIJNKLANTPORTAAL_API_KEY=... REDIS_URL=redis://localhost:6379 \\
        arq examples.arq_worker.WorkerSettings

and enqueue from your app::

    redis = await arq.create_pool(RedisSettings.from_dsn(REDIS_URL))
    await redis.enqueue_job("import_invoices", "batch-2024-05", rows)

Tests: ``tests/recipes/test_arq_worker.py`` (a real ``redis-server``). See docs/services.md.
"""

from __future__ import annotations

import os
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from arq.connections import RedisSettings

from mijnklantportaal_async import CustomerInvoiceCreate, MijnKlantportaal


async def startup(ctx: dict[str, Any]) -> None:
    """One client for the worker's lifetime; ``ctx["mkp_options"]`` (optional) are its
    keyword arguments, else the environment's ``MIJNKLANTPORTAAL_API_KEY``."""
    mkp = MijnKlantportaal(**ctx.get("mkp_options", {}))
    ctx["mkp"] = await mkp.__aenter__()


async def shutdown(ctx: dict[str, Any]) -> None:
    await ctx["mkp"].aclose()


async def import_invoices(
    ctx: dict[str, Any], batch_id: str, rows: list[dict[str, str]]
) -> dict[str, int]:
    """Import one batch of invoices, each exactly once, also when arq runs the job again.

    ``rows``: ``customer_id``, ``invoice_number``, ``issued_at`` (YYYY-mm-dd), ``amount``
    (EUR, ``"12.95"``) and ``pdf`` (a path the worker can read; PDFs do not travel through
    Redis). Returns the counts by status. A bad row fails the job before anything is sent.
    """
    invoices = [
        CustomerInvoiceCreate(
            customer_id=row["customer_id"],
            invoice_number=row["invoice_number"],
            issued_at=date.fromisoformat(row["issued_at"]),
            amount=Decimal(row["amount"]),
            pdf=Path(row["pdf"]),
        )
        for row in rows
    ]
    mkp: MijnKlantportaal = ctx["mkp"]
    report = await mkp.customer_invoices.create_many(invoices, journal=journal(ctx, batch_id))
    return {
        "created": report.created,
        "adopted": report.adopted,
        "skipped": report.skipped,
        "failed": report.failed,
    }


def journal(ctx: dict[str, Any], batch_id: str) -> Path:
    """The batch's journal: one per batch, so a rerun of its job resumes it. In
    ``ctx["journals"]``, else ``$IMPORT_JOURNALS``, else ``./journals``; on a disk that outlives
    the worker."""
    folder = Path(ctx.get("journals") or os.environ.get("IMPORT_JOURNALS", "journals"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{batch_id}.journal.jsonl"


class WorkerSettings:
    """``arq examples.arq_worker.WorkerSettings``."""

    functions = [import_invoices]  # noqa: RUF012 - arq reads these class attributes
    on_startup = startup
    on_shutdown = shutdown
    redis_settings = RedisSettings.from_dsn(os.environ.get("REDIS_URL", "redis://localhost:6379"))
    max_tries = 3
    job_timeout = 3600  # seconds: a batch of 1,000 invoices takes about 17 minutes at 60/min
