"""A 200 MB PDF is uploaded streamed: Python allocates under 10 MB doing so (tracemalloc).

The file is generated on disk in 1 MB blocks and sent through the public call,
``mkp.customer_invoices.create(CustomerInvoiceCreate(..., pdf=Path(...)))``, to a loopback
``aiohttp.web`` server that reads the part with ``read_chunk()`` (never ``read()``), counting
and hashing the bytes as they arrive and discarding them. Client and server run in this
process, so the 10 MB bound covers both.
"""

from __future__ import annotations

import hashlib
import time
import tracemalloc
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web
from seed_examples import CUSTOMER_INVOICE

from mijnklantportaal_async import CustomerInvoiceCreate, MijnKlantportaal

MB = 1024 * 1024
FILLER_MB = 200
PEAK_LIMIT = 10 * MB


def write_big_pdf(path: Path) -> tuple[int, str]:
    """Write a PDF header, 200 MB of filler (1 MB at a time) and a trailer; size and sha256."""
    digest = hashlib.sha256()
    size = 0
    with path.open("wb") as fh:
        for i in range(FILLER_MB + 2):
            if i == 0:
                block = b"%PDF-1.4\n"
            elif i <= FILLER_MB:
                block = i.to_bytes(4, "big") * (MB // 4)
            else:
                block = b"\n%%EOF\n"
            fh.write(block)
            digest.update(block)
            size += len(block)
    return size, digest.hexdigest()


async def test_200_mb_pdf_upload_allocates_under_10_mb(tmp_path: Path) -> None:
    pdf = tmp_path / "big.pdf"
    file_size, file_sha256 = write_big_pdf(pdf)
    seen: dict[str, Any] = {}

    async def receive(request: web.Request) -> web.Response:
        seen["content_length"] = request.content_length
        seen["transfer_encoding"] = request.headers.get("Transfer-Encoding")
        reader = await request.multipart()
        async for part in reader:
            assert isinstance(part, aiohttp.BodyPartReader)
            digest = hashlib.sha256()
            count = 0
            while chunk := await part.read_chunk(64 * 1024):
                digest.update(chunk)
                count += len(chunk)
            seen[part.name or ""] = (part.filename, count, digest.hexdigest())
        return web.json_response(CUSTOMER_INVOICE, status=201)

    app = web.Application()
    app.router.add_post("/v1/customer-invoices", receive)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        async with MijnKlantportaal(
            api_key="test-key-memory", base_url=f"http://127.0.0.1:{port}/v1"
        ) as mkp:
            started = time.perf_counter()
            tracemalloc.start()
            try:
                invoice = await mkp.customer_invoices.create(
                    CustomerInvoiceCreate(
                        customer_id="cst_abc12345def678",
                        invoice_number="2024-001",
                        issued_at=date(2024, 4, 29),
                        amount=Decimal("12.95"),
                        pdf=pdf,
                    )
                )
                peak = tracemalloc.get_traced_memory()[1]
            finally:
                tracemalloc.stop()
            elapsed = time.perf_counter() - started
    finally:
        await runner.cleanup()

    print(f"200 MB upload: peak traced {peak / MB:.2f} MB in {elapsed:.1f} s")
    assert peak < PEAK_LIMIT
    assert invoice.id == CUSTOMER_INVOICE["id"]
    assert seen["transfer_encoding"] is None  # every size known: a Content-Length, not chunked
    overhead = seen["content_length"] - file_size
    assert 0 < overhead < 1024  # boundaries and the text parts only
    assert seen["pdf"] == ("big.pdf", file_size, file_sha256)
    assert seen["invoiceNumber"][1:] == (len(b"2024-001"), hashlib.sha256(b"2024-001").hexdigest())
