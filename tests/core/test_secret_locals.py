"""No secret in a traceback's frame locals: error trackers (Sentry) and ``pytest --showlocals``
print every local variable of every frame, including aiohttp's exceptions that carry the
request's headers. Each error the library raises is rendered as they render it, with
``traceback.TracebackException(..., capture_locals=True)`` and with rich's
``Traceback(show_locals=True)`` (the ``[cli]`` extra), and the API key is in neither.
"""

from __future__ import annotations

import asyncio
import io
import socket
import traceback
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from rich.console import Console
from rich.traceback import Traceback

from mijnklantportaal_async import (
    CustomerCreate,
    MijnKlantportaal,
    MijnKlantportaalError,
    RetryPolicy,
    Timeouts,
)

# Built at run time, so no source line a traceback quotes holds it: only a value can.
KEY = "".join(["mkp_live_", "L0C", "ALS/abc+def=="])
SECRET = KEY[9:19]  # "L0CALS/abc": the part that must never show
CUSTOMER = {"id": "cst_1", "companyName": "Acme BV"}


def rendered(exc: BaseException, *, library_frames_only: bool = False) -> str:
    """The exception as error trackers show it: every frame with its locals, by the standard
    library and by rich, the chained exceptions too. ``library_frames_only``: without the
    test's own frame (the caller's frame holds what the caller passed)."""
    if library_frames_only and exc.__traceback__ is not None:
        exc = exc.with_traceback(exc.__traceback__.tb_next)
    plain = "".join(traceback.TracebackException.from_exception(exc, capture_locals=True).format())
    console = Console(file=io.StringIO(), width=300, record=True, color_system=None)
    console.print(
        Traceback.from_exception(
            type(exc), exc, exc.__traceback__, show_locals=True, locals_max_string=10_000
        )
    )
    return plain + console.export_text()


async def json_page(request: web.Request) -> web.Response:
    return web.json_response(CUSTOMER)


async def unauthorized(request: web.Request) -> web.Response:
    return web.json_response({"message": "Unauthenticated."}, status=401)


async def html_200(request: web.Request) -> web.Response:
    return web.Response(text="<html>proxy</html>", content_type="text/html")


async def redirect_loop(request: web.Request) -> web.Response:
    raise web.HTTPFound(str(request.url))


async def drop(request: web.Request) -> web.Response:
    await request.read()
    assert request.transport is not None
    request.transport.abort()
    return web.Response()


async def silent(request: web.Request) -> web.Response:
    await asyncio.Event().wait()  # never answers: the client's read timeout ends it
    return web.Response()


async def next_elsewhere(request: web.Request) -> web.Response:
    return web.json_response({"data": [CUSTOMER], "next_page_url": "http://evil.example/x"})


@pytest.fixture
async def serve() -> AsyncIterator[Callable[[Any], Awaitable[str]]]:
    servers: list[TestServer] = []

    async def start(handler: Any) -> str:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", handler)
        server = TestServer(app, host="127.0.0.1")
        await server.start_server()
        servers.append(server)
        return str(server.make_url("/v1"))

    yield start
    for server in servers:
        await server.close()


def client(base_url: str) -> MijnKlantportaal:
    return MijnKlantportaal(
        api_key=KEY,
        base_url=base_url,
        rate_limit=None,
        timeouts=Timeouts(read=0.2),
        retry=RetryPolicy(max_retries=1, backoff_base=0.001, backoff_cap=0.001),
    )


def customer() -> CustomerCreate:
    return CustomerCreate(
        company_name="Acme BV",
        address="Kade 1",
        zip_code="1011AA",
        city="Amsterdam",
        primary_email="a@acme.example",
    )


async def get(mkp: MijnKlantportaal) -> Any:
    return await mkp.customers.get("cst_1")


async def create(mkp: MijnKlantportaal) -> Any:
    return await mkp.customers.create(customer())


async def list_all(mkp: MijnKlantportaal) -> Any:
    return [c async for c in mkp.customers.list()]


CASES = {
    "401 on a read": (unauthorized, get),
    "401 on a write": (unauthorized, create),
    "unreadable 2xx read": (html_200, get),
    "unreadable 2xx write (ambiguous)": (html_200, create),
    "redirect loop on a read": (redirect_loop, get),
    "connection cut on a read": (drop, get),
    "connection cut on a write (ambiguous)": (drop, create),
    "read timeout": (silent, get),
    "next_page_url to another host": (next_elsewhere, list_all),
}


@pytest.mark.parametrize("case", list(CASES))
async def test_no_frame_of_a_raised_error_holds_the_key(
    serve: Callable[[Any], Awaitable[str]], case: str
) -> None:
    handler, call = CASES[case]
    base_url = await serve(handler)
    async with client(base_url) as mkp:
        with pytest.raises(MijnKlantportaalError) as info:
            await call(mkp)
    text = rendered(info.value)
    assert SECRET not in text
    assert "customers" in text  # the locals were rendered: the check looked at something


async def test_a_connection_refused_holds_no_key_in_any_frame() -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    try:
        async with client(f"http://127.0.0.1:{port}/v1") as mkp:
            with pytest.raises(MijnKlantportaalError) as info:
                await get(mkp)
    finally:
        sock.close()
    assert SECRET not in rendered(info.value)


async def test_bulk_failures_hold_no_key_in_their_tracebacks(
    serve: Callable[[Any], Awaitable[str]],
) -> None:
    base_url = await serve(unauthorized)
    async with client(base_url) as mkp:
        report = await mkp.customers.create_many([customer()], if_exists="create")
    (failure,) = report.failures
    assert failure.error is not None
    assert SECRET not in rendered(failure.error)


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"api_key": KEY + " x"}, ValueError),
        ({"api_key": KEY.encode()}, TypeError),
        ({"api_key": KEY, "base_url": "http://portal.example/v1"}, ValueError),
        ({"api_key": KEY, "timeouts": 5}, TypeError),
    ],
    ids=["key-with-a-space", "key-as-bytes", "plain-http-base-url", "bad-timeouts"],
)
def test_a_refused_constructor_argument_shows_the_key_in_no_frame(
    kwargs: dict[str, Any], error: type[Exception]
) -> None:
    with pytest.raises(error) as info:
        MijnKlantportaal(rate_limit=None, **kwargs)
    text = rendered(info.value, library_frames_only=True)
    assert SECRET not in text
    assert SECRET.encode().hex() not in text
    assert "locals" in text
