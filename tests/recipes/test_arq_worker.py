"""The arq recipe (examples/arq_worker.py): batches enqueued in a real redis-server, run by an
arq worker against a FakePortal; a batch run again (as arq does after a worker died) creates
nothing twice."""

from __future__ import annotations

from pathlib import Path

import pytest
from arq import create_pool
from arq.connections import RedisSettings
from arq.worker import Worker

from examples.arq_worker import WorkerSettings
from mijnklantportaal_async import CustomerCreate
from mijnklantportaal_async.testing import FakePortal

from .servers import redis_server

PDFS = Path(__file__).resolve().parents[2] / "examples" / "pdf"
CUSTOMER = CustomerCreate(
    company_name="Queue BV",
    address="Kade 1",
    zip_code="1011AA",
    city="Amsterdam",
    primary_email="queue@example.com",
)


def rows(customer_id: str, numbers: range) -> list[dict[str, str]]:
    return [
        {
            "customer_id": customer_id,
            "invoice_number": f"2024-{n:04d}",
            "issued_at": "2024-05-01",
            "amount": "12.95",
            "pdf": str(PDFS / f"invoice-2024-{n:04d}.pdf"),
        }
        for n in numbers
    ]


async def run_worker(url: str, fake: FakePortal, journals: Path) -> None:
    """An arq worker with the recipe's settings, in burst mode: it runs the queued jobs, then
    returns."""
    worker = Worker(
        functions=WorkerSettings.functions,
        on_startup=WorkerSettings.on_startup,
        on_shutdown=WorkerSettings.on_shutdown,
        redis_settings=RedisSettings.from_dsn(url),
        burst=True,
        handle_signals=False,
        poll_delay=0.05,
        ctx={
            "mkp_options": {"api_key": fake.api_key, "base_url": fake.url},
            "journals": str(journals),
        },
    )
    try:
        await worker.main()
    finally:
        await worker.close()


async def test_a_batch_is_imported_once_also_when_the_job_runs_again(tmp_path: Path) -> None:
    with redis_server() as url:
        async with FakePortal() as fake:
            async with fake.client() as mkp:
                customer = await mkp.customers.create(CUSTOMER)
            redis = await create_pool(RedisSettings.from_dsn(url))
            try:
                batch = rows(customer.id, range(1, 6))
                first = await redis.enqueue_job("import_invoices", "batch-1", batch, _job_id="a")
                assert first is not None
                await run_worker(url, fake, tmp_path)
                assert await first.result(timeout=10, poll_delay=0.05) == {
                    "created": 5,
                    "adopted": 0,
                    "skipped": 0,
                    "failed": 0,
                }
                # arq runs a job again after a worker died in it; same batch, same journal
                again = await redis.enqueue_job("import_invoices", "batch-1", batch, _job_id="b")
                assert again is not None
                await run_worker(url, fake, tmp_path)
                assert await again.result(timeout=10, poll_delay=0.05) == {
                    "created": 0,
                    "adopted": 0,
                    "skipped": 5,
                    "failed": 0,
                }
            finally:
                await redis.aclose()
            numbers = sorted(i["invoiceNumber"] for i in fake.customer_invoices.values())
            assert numbers == [f"2024-{n:04d}" for n in range(1, 6)]


async def test_a_bad_row_fails_the_job_before_anything_is_sent(tmp_path: Path) -> None:
    with redis_server() as url:
        async with FakePortal() as fake:
            redis = await create_pool(RedisSettings.from_dsn(url))
            try:
                batch = rows("cst_x", range(1, 3))
                batch[1]["issued_at"] = "2024-04-31"
                job = await redis.enqueue_job("import_invoices", "batch-2", batch)
                assert job is not None
                await run_worker(url, fake, tmp_path)
                with pytest.raises(ValueError, match="day is out of range"):
                    await job.result(timeout=10, poll_delay=0.05)
            finally:
                await redis.aclose()
            assert not fake.requests
