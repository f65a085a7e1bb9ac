"""A loopback aiohttp.web server that records each request's parsed body, for wire tests.

It reads JSON bodies with ``request.json()`` and multipart bodies with aiohttp's own
``MultipartReader``, so what the tests assert is what a real server would parse. It answers
either by request (``responses``: ``(METHOD, path)`` -> ``(status, JSON body)``) or from a
``script`` of :class:`Answer` s, one per request in order (the last repeats): a status with a
JSON or HTML body (or one made from the server's URL, for a link back to it) or raw bytes and
headers, or a connection dropped after the body was read.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping, Sequence
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
    raw_path: str = ""
    query: dict[str, str] = attrs.Factory(dict)
    json: Any = None
    parts: list[Part] = attrs.Factory(list)
    has_body: bool = False

    def form(self) -> dict[str, str]:
        """The non-file parts, name -> text."""
        return {p.name or "": p.text for p in self.parts if p.filename is None}

    def files(self) -> dict[str, Part]:
        return {p.name or "": p for p in self.parts if p.filename is not None}


@attrs.frozen
class Answer:
    """One scripted answer: ``status`` with ``body`` (JSON, a ``str`` sent as an HTML page, or
    ``bytes`` sent as they are) and ``headers``; ``reset=True`` drops the connection after the
    body was read, unanswered. ``make_body``, when given, makes the body when the answer is
    sent, from the server's base URL (``http://127.0.0.1:<port>/v1``): for a link to itself."""

    status: int = 200
    body: Any = None
    headers: Mapping[str, str] = attrs.Factory(dict)
    reset: bool = False
    make_body: Callable[[str], Any] | None = None


@attrs.define
class RecordingServer:
    url: str
    requests: list[Recorded]
    responses: dict[tuple[str, str], tuple[int, Any]]


async def _record(request: web.Request) -> Recorded:
    recorded = Recorded(
        request.method,
        request.path,
        dict(request.headers),
        raw_path=request.rel_url.raw_path,
        query=dict(request.query.items()),
    )
    recorded.has_body = request.body_exists
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


def _send(request: web.Request, answer: Answer, base_url: str) -> web.StreamResponse:
    if answer.reset:
        assert request.transport is not None
        request.transport.close()
        return web.Response()
    body = answer.body if answer.make_body is None else answer.make_body(base_url)
    if isinstance(body, bytes):
        return web.Response(status=answer.status, body=body, headers=answer.headers)
    if isinstance(body, str):
        return web.Response(
            status=answer.status, text=body, headers=answer.headers, content_type="text/html"
        )
    return web.json_response(body, status=answer.status, headers=answer.headers)


@asynccontextmanager
async def recording_server(
    responses: dict[tuple[str, str], tuple[int, Any]] | None = None,
    *,
    script: Sequence[Answer] = (),
) -> AsyncIterator[RecordingServer]:
    """Serve on 127.0.0.1 (base URL ``http://127.0.0.1:<port>/v1``). With a ``script``, answer
    each request with its next :class:`Answer` (the last repeats); else answer
    ``(METHOD, path?query)``, else ``(METHOD, path)``, from ``responses`` (404 when absent)."""
    requests: list[Recorded] = []
    table = responses if responses is not None else {}
    pending = list(script)
    base_url = ""

    async def handler(request: web.Request) -> web.StreamResponse:
        requests.append(await _record(request))
        if pending:
            answer = pending.pop(0) if len(pending) > 1 else pending[0]
            return _send(request, answer, base_url)
        key = (request.method, request.path_qs)
        if key not in table:
            key = (request.method, request.path)
        status, body = table.get(key, (404, {"message": "No Record can be found"}))
        return web.json_response(body, status=status)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    base_url = f"http://127.0.0.1:{port}/v1"
    try:
        yield RecordingServer(base_url, requests, table)
    finally:
        await runner.cleanup()
