"""A loopback portal for write tests: it answers from a script and records each request's
parsed body (JSON, or multipart through aiohttp's reader) BEFORE answering, so a test counts
the requests the server actually saw and what they carried."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import aiohttp
import attrs
from aiohttp import web
from loopback import Handler, ScriptedPortal

from mijnklantportaal_async._core.http import ApiRequest, JsonBody

NATURAL_KEY = {"invoice_number": "2024-001"}


@attrs.define
class Seen:
    headers: Mapping[str, str]
    json: Any = None
    parts: list[tuple[str, str | None, str | None, bytes]] = attrs.Factory(list)


class Portal(ScriptedPortal):
    """A loopback server answering from a script (the last step repeats). It reads the whole
    body (JSON, or multipart through aiohttp's reader) and records it BEFORE answering."""

    def __init__(self, *script: Handler) -> None:
        super().__init__(*script)
        self.seen: list[Seen] = []

    async def record(self, request: web.Request) -> None:
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


def reply(status: int, body: Any = None, *, headers: Mapping[str, str] | None = None) -> Handler:
    async def handler(request: web.Request) -> web.StreamResponse:
        return web.json_response(body or {}, status=status, headers=headers)

    return handler


async def drop_connection(request: web.Request) -> web.StreamResponse:
    """The server stored the object (the body was read and recorded), then the line dropped."""
    assert request.transport is not None
    request.transport.close()
    return web.Response()


def post(**kwargs: Any) -> ApiRequest:
    kwargs.setdefault("body", JsonBody({"invoiceNumber": "2024-001", "amount": "12.95"}))
    return ApiRequest(
        method="POST",
        path="/customer-invoices",
        operation_id="create-customer-invoice",
        natural_key=NATURAL_KEY,
        **kwargs,
    )
