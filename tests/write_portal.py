"""A loopback portal for write tests: it answers from a script and records each request's
parsed body (JSON, or multipart through aiohttp's reader) BEFORE answering, so a test counts
the requests the server actually saw and what they carried."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import aiohttp
import attrs
from aiohttp import web
from aiohttp.test_utils import TestServer

from mijnklantportaal_async._http import ApiRequest

KEY = "test-key-0123456789"
NATURAL_KEY = {"invoice_number": "2024-001"}
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@attrs.define
class Seen:
    headers: Mapping[str, str]
    json: Any = None
    parts: list[tuple[str, str | None, str | None, bytes]] = attrs.Factory(list)


class Portal:
    """A loopback server answering from a script (the last step repeats). It reads the whole
    body (JSON, or multipart through aiohttp's reader) and records it BEFORE answering."""

    def __init__(self, *script: Handler) -> None:
        self.script = list(script)
        self.seen: list[Seen] = []
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self.server = TestServer(app, host="127.0.0.1")

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        seen = Seen(request.headers.copy())
        if request.content_type == "multipart/form-data":
            reader = await request.multipart()
            async for part in reader:
                assert isinstance(part, aiohttp.BodyPartReader)
                ctype = part.headers.get("Content-Type")
                seen.parts.append((part.name or "", part.filename, ctype, await part.read()))
        elif request.can_read_body:
            seen.json = await request.json()
        self.seen.append(seen)
        step = self.script.pop(0) if len(self.script) > 1 else self.script[0]
        return await step(request)

    @property
    def base_url(self) -> str:
        return str(self.server.make_url("/v1"))


def reply(status: int, body: Any = None, *, headers: Mapping[str, str] | None = None) -> Handler:
    async def handler(request: web.Request) -> web.StreamResponse:
        return web.json_response(body or {}, status=status, headers=headers)

    return handler


async def drop_connection(request: web.Request) -> web.StreamResponse:
    """The server stored the object (the body was read and recorded), then the line dropped."""
    assert request.transport is not None
    request.transport.close()
    return web.Response()


class FakeSleep:
    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)


def post(**kwargs: Any) -> ApiRequest:
    kwargs.setdefault("json", {"invoiceNumber": "2024-001", "amount": "12.95"})
    return ApiRequest(
        method="POST",
        path="/customer-invoices",
        operation_id="create-customer-invoice",
        natural_key=NATURAL_KEY,
        **kwargs,
    )
