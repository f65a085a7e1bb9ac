"""A loopback aiohttp.web server that records each request's parsed body, for wire tests.

It reads JSON bodies with ``request.json()`` and multipart bodies with aiohttp's own
``MultipartReader``, so what the tests assert is what a real server would parse.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
import attrs
from aiohttp import web

API_KEY = "test-key-4f1c9a7e2b"


@attrs.define
class Part:
    name: str | None
    filename: str | None
    content_type: str
    data: bytes

    @property
    def text(self) -> str:
        return self.data.decode("utf-8")


@attrs.define
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    json: Any = None
    parts: list[Part] = attrs.Factory(list)

    def form(self) -> dict[str, str]:
        """The non-file parts, name -> text."""
        return {p.name or "": p.text for p in self.parts if p.filename is None}

    def files(self) -> dict[str, Part]:
        return {p.name or "": p for p in self.parts if p.filename is not None}


@attrs.define
class RecordingServer:
    url: str
    requests: list[Recorded]
    responses: dict[tuple[str, str], tuple[int, Any]]


async def _record(request: web.Request) -> Recorded:
    recorded = Recorded(request.method, request.path, dict(request.headers))
    if request.content_type == "multipart/form-data":
        reader = await request.multipart()
        async for part in reader:
            assert isinstance(part, aiohttp.BodyPartReader)
            recorded.parts.append(
                Part(
                    name=part.name,
                    filename=part.filename,
                    content_type=part.headers.get("Content-Type", ""),
                    data=bytes(await part.read()),
                )
            )
    elif request.can_read_body:
        recorded.json = await request.json()
    return recorded


@asynccontextmanager
async def recording_server(
    responses: dict[tuple[str, str], tuple[int, Any]],
) -> AsyncIterator[RecordingServer]:
    """Serve on 127.0.0.1; answer ``(METHOD, path?query)``, else ``(METHOD, path)``, with the
    given ``(status, JSON body)``."""
    requests: list[Recorded] = []

    async def handler(request: web.Request) -> web.Response:
        requests.append(await _record(request))
        key = (request.method, request.path_qs)
        if key not in responses:
            key = (request.method, request.path)
        status, body = responses.get(key, (404, {"message": "No Record can be found"}))
        return web.json_response(body, status=status)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield RecordingServer(f"http://127.0.0.1:{port}/v1", requests, responses)
    finally:
        await runner.cleanup()
