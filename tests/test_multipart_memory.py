"""A 200 MB PDF is uploaded streamed: Python allocates under 10 MB doing so (tracemalloc).

The file is generated on disk in 1 MB blocks, posted with ``encode_multipart`` through a plain
aiohttp session to a loopback ``aiohttp.web`` server that reads the part with ``read_chunk()``
(never ``read()``), counting and hashing the bytes as they arrive. Client and server run in this
process, so the 10 MB bound covers both.
"""

from __future__ import annotations

import hashlib
import time
import tracemalloc
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from mijnklantportaal_async._multipart import encode_multipart
from mijnklantportaal_async.uploads import Upload

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
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_post("/customer-invoices", receive)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        async with aiohttp.ClientSession() as session:
            started = time.perf_counter()
            tracemalloc.start()
            try:
                body = encode_multipart({"invoiceNumber": "2024-001", "pdf": Upload(pdf)})
                async with session.post(
                    f"http://127.0.0.1:{port}/customer-invoices", data=body
                ) as response:
                    assert response.status == 200
                    await response.read()
                peak = tracemalloc.get_traced_memory()[1]
            finally:
                tracemalloc.stop()
            elapsed = time.perf_counter() - started
    finally:
        await runner.cleanup()

    print(f"200 MB upload: peak traced {peak / MB:.2f} MB in {elapsed:.1f} s")
    assert peak < PEAK_LIMIT
    assert body.size is not None
    assert seen["content_length"] == body.size
    assert seen["transfer_encoding"] is None
    overhead = body.size - file_size
    assert 0 < overhead < 1024  # boundaries and part headers only
    invoice_number = hashlib.sha256(b"2024-001").hexdigest()
    assert seen["invoiceNumber"] == (None, len(b"2024-001"), invoice_number)
    assert seen["pdf"] == ("big.pdf", file_size, file_sha256)
