"""The API key never shows and never leaves for another host: not in a log record (ours,
aiohttp's or the root logger's), not in a repr, not in an exception's str/repr/attributes, not
anywhere in a formatted traceback; never sent over plain http (loopback aside) or to another
origin."""

from __future__ import annotations

import asyncio
import logging
import pickle
import random
import socket
import traceback
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

import mijnklantportaal_async
from mijnklantportaal_async import MijnKlantportaal
from mijnklantportaal_async._core.http import ApiRequest, HTTPCore, JsonBody, RetryPolicy, Timeouts
from mijnklantportaal_async._core.log import Secret, redact
from mijnklantportaal_async.errors import (
    AmbiguousWriteError,
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    ServerError,
)

# A key with the characters tokens use, and a "/" that PHP's json_encode escapes as "\/".
KEY = "mkp_live_S3CR3T/abc+def=="
PACKAGE_DIR = str(Path(mijnklantportaal_async.__file__).parent)


async def _sleep(delay: float) -> None:
    return None


def assert_hidden(exc: BaseException, *extra: object) -> None:
    """The key is nowhere in the exception, its chain, its attributes or a traceback."""
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    for item in seen:
        texts = [str(item), repr(item), repr(vars(item)), repr(item.args)]
        assert not any(KEY in text for text in texts), item
    assert KEY not in "".join(traceback.format_exception(exc))
    for thing in extra:
        assert KEY not in repr(thing)


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG)  # the root logger: aiohttp's loggers too
    caplog.set_level(logging.DEBUG, logger="mijnklantportaal_async")
    return caplog


@pytest.fixture
def release() -> asyncio.Event:
    return asyncio.Event()


@pytest.fixture
async def server(release: asyncio.Event) -> AsyncIterator[Callable[[Any], Awaitable[str]]]:
    servers: list[TestServer] = []

    async def start(handler: Any) -> str:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", handler)
        srv = TestServer(app, host="127.0.0.1")
        await srv.start_server()
        servers.append(srv)
        return str(srv.make_url("/v1"))

    yield start
    release.set()
    for srv in servers:
        await srv.close()


def core_for(base_url: str, **kwargs: Any) -> HTTPCore:
    return HTTPCore(api_key=KEY, base_url=base_url, sleep=_sleep, rng=random.Random(1), **kwargs)


def assert_no_key_logged(logs: pytest.LogCaptureFixture) -> None:
    assert logs.records, "expected DEBUG records to inspect"
    for record in logs.records:
        assert KEY not in record.getMessage()
        assert KEY not in repr(vars(record))
    assert KEY not in logs.text


async def test_a_401_shows_no_key(
    server: Callable[[Any], Awaitable[str]], logs: pytest.LogCaptureFixture
) -> None:
    async def handler(request: web.Request) -> web.Response:
        return web.json_response({"message": "Unauthenticated."}, status=401)

    core = core_for(await server(handler))
    with pytest.raises(AuthenticationError) as info:
        await core.request(ApiRequest(method="GET", path="/customers", operation_id="x"))
    await core.aclose()
    assert_hidden(info.value, core)
    assert_no_key_logged(logs)


async def test_an_error_page_that_echoes_the_request_headers_is_redacted(
    server: Callable[[Any], Awaitable[str]], logs: pytest.LogCaptureFixture
) -> None:
    async def handler(request: web.Request) -> web.Response:
        # A framework debug page (or a chatty proxy) printing the request headers back.
        auth = request.headers["Authorization"]
        page = f"<html><body><h1>Server Error</h1><pre>Authorization: {auth}</pre></body></html>"
        return web.Response(
            status=500, text=page, content_type="text/html", headers={"X-Echo": auth}
        )

    core = core_for(await server(handler))
    with pytest.raises(AmbiguousWriteError) as info:
        await core.request(
            ApiRequest(method="POST", path="/customers", operation_id="x", body=JsonBody({"a": 1}))
        )
    await core.aclose()
    cause = info.value.cause
    assert isinstance(cause, ServerError)
    assert "[redacted]" in cause.body
    assert KEY not in repr(cause.body)
    assert KEY not in repr(cause.headers)
    assert_hidden(info.value, core)
    assert_no_key_logged(logs)


async def test_a_json_error_body_that_echoes_the_escaped_key_is_redacted(
    server: Callable[[Any], Awaitable[str]],
) -> None:
    escaped = KEY.replace("/", "\\/")

    async def handler(request: web.Request) -> web.Response:
        body = '{"message": "Invalid token ' + escaped + '"}'
        return web.Response(status=401, text=body, content_type="application/json")

    core = core_for(await server(handler))
    with pytest.raises(AuthenticationError) as info:
        await core.request(ApiRequest(method="GET", path="/customers", operation_id="x"))
    await core.aclose()
    assert info.value.message == "Invalid token [redacted]"
    assert_hidden(info.value)


async def test_connection_refused_shows_no_key(logs: pytest.LogCaptureFixture) -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    with sock:
        core = core_for(f"http://127.0.0.1:{sock.getsockname()[1]}/v1")
        with pytest.raises(APIConnectionError) as info:
            await core.request(
                ApiRequest(method="POST", path="/customers", operation_id="x", body=JsonBody({}))
            )
        await core.aclose()
    assert info.value.__cause__ is None
    assert info.value.__context__ is None
    assert_hidden(info.value, core)
    assert_no_key_logged(logs)


async def test_a_timeout_shows_no_key(
    server: Callable[[Any], Awaitable[str]],
    release: asyncio.Event,
    logs: pytest.LogCaptureFixture,
) -> None:
    async def handler(request: web.Request) -> web.Response:
        await release.wait()  # set at teardown: the read timeout fires first
        return web.json_response({})

    core = core_for(
        await server(handler),
        timeouts=Timeouts(connect=5.0, read=0.2),
        retry=RetryPolicy(max_retries=1),
    )
    with pytest.raises(APITimeoutError) as info:
        await core.request(ApiRequest(method="GET", path="/customers", operation_id="x"))
    await core.aclose()
    assert info.value.sent is True
    assert_hidden(info.value, core)
    assert_no_key_logged(logs)


async def test_a_redirect_loop_error_does_not_carry_the_request_headers(
    server: Callable[[Any], Awaitable[str]], logs: pytest.LogCaptureFixture
) -> None:
    async def handler(request: web.Request) -> web.Response:
        raise web.HTTPFound(location=str(request.url))  # aiohttp's TooManyRedirects holds them

    core = core_for(await server(handler))
    with pytest.raises(APIConnectionError, match="TooManyRedirects") as info:
        await core.request(ApiRequest(method="GET", path="/customers", operation_id="x"))
    await core.aclose()
    assert info.value.__cause__ is None
    assert info.value.__context__ is None
    assert_hidden(info.value, core)
    assert_no_key_logged(logs)


def test_reprs_never_show_the_key() -> None:
    core = HTTPCore(api_key=KEY, base_url="https://api.mijnklantportaal.nl/v1")
    assert KEY not in repr(core)
    assert KEY not in str(core)
    assert KEY not in repr(vars(core))
    secret = Secret(KEY)
    assert KEY not in f"{secret} {secret!r} {secret:>40}"
    assert secret.reveal() == KEY
    with pytest.raises(TypeError):
        pickle.dumps(secret)


@pytest.mark.parametrize("bad", ["", "   ", f"{KEY}\r\nX-Evil: 1", f"{KEY} trailing"])
def test_a_malformed_key_is_refused_without_echoing_it(bad: str) -> None:
    with pytest.raises(ValueError, match="api_key") as info:
        HTTPCore(api_key=bad, base_url="https://api.mijnklantportaal.nl/v1")
    if bad.strip():
        assert KEY not in str(info.value)


def test_redact_removes_plain_and_json_escaped_forms() -> None:
    text = f"a {KEY} b {KEY.replace('/', chr(92) + '/')} c"
    assert redact(text, Secret(KEY)) == "a [redacted] b [redacted] c"


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/v1",
        "http://api.mijnklantportaal.nl/v1",
        "ftp://127.0.0.1/v1",
        "https://user:pw@api.mijnklantportaal.nl/v1",
        "/v1",
        "https://api.mijnklantportaal.nl/v1?x=1",
    ],
)
def test_base_url_must_be_https_unless_loopback(url: str) -> None:
    with pytest.raises(ValueError, match="base_url"):
        HTTPCore(api_key=KEY, base_url=url)


@pytest.mark.parametrize(
    "url",
    [
        "https://api.mijnklantportaal.nl/v1",
        "http://127.0.0.1:8080/v1",
        "http://127.5.0.1/v1",
        "http://localhost:1234/",
        "http://[::1]:8080/v1",
    ],
)
def test_https_and_loopback_http_base_urls_are_accepted(url: str) -> None:
    core = HTTPCore(api_key=KEY, base_url=url)
    assert str(core.base_url) == url.rstrip("/")


@asynccontextmanager
async def watched_session() -> AsyncIterator[tuple[aiohttp.ClientSession, list[str]]]:
    """A session that lists the URL of every request it starts."""
    started: list[str] = []

    async def on_start(
        session: aiohttp.ClientSession, context: Any, params: aiohttp.TraceRequestStartParams
    ) -> None:
        started.append(str(params.url))

    trace = aiohttp.TraceConfig()
    trace.on_request_start.append(on_start)
    async with aiohttp.ClientSession(trace_configs=[trace]) as session:
        yield session, started


@pytest.mark.parametrize("path", ["customers", "/a/../b", "/a?b=1", "/a#f", "/a b", "//evil.nl/x"])
async def test_a_path_that_could_escape_the_base_url_is_refused(path: str) -> None:
    async with watched_session() as (session, started):
        core = HTTPCore(api_key=KEY, base_url="https://api.mijnklantportaal.nl/v1", session=session)
        with pytest.raises(ValueError, match="path"):
            await core.request(ApiRequest(method="GET", path=path, operation_id="x"))
    assert started == []  # refused before any I/O


@pytest.mark.parametrize(
    "other",
    [
        "https://evil.example/v1/customers?page=2",
        "http://{host}/v1/customers?page=2",
        "https://127.0.0.1:8444/v1/customers?page=2",
        "/v1/customers?page=2",
    ],
)
async def test_request_url_refuses_another_origin(other: str) -> None:
    async with watched_session() as (session, started):
        core = HTTPCore(api_key=KEY, base_url="https://127.0.0.1:8443/v1", session=session)
        with pytest.raises(ValueError, match="refusing"):
            await core.request_url(
                other.format(host="127.0.0.1:8443"), operation_id="list-customers"
            )
    assert started == []  # refused before any I/O


def shows_key(value: Any, depth: int = 0) -> bool:
    """Whether a tool capturing locals would show the key: strings as they are, mappings and
    collections item by item (as Sentry expands them), any other object by its repr."""
    if depth > 5:
        return False
    if isinstance(value, str):
        return KEY in value
    if isinstance(value, bytes | bytearray):
        return KEY.encode() in value
    if isinstance(value, Mapping):
        return any(shows_key(k, depth + 1) or shows_key(v, depth + 1) for k, v in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        return any(shows_key(item, depth + 1) for item in value)
    try:
        return KEY in repr(value)
    except Exception:  # a repr that fails shows nothing
        return False


def locals_showing_the_key(exc: BaseException) -> list[str]:
    """``function: name`` for every local of a frame of this library, in the tracebacks of
    ``exc`` and its chain, that would show the key."""
    found: list[str] = []
    frames = 0
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        for frame, _line in traceback.walk_tb(current.__traceback__):
            if not frame.f_code.co_filename.startswith(PACKAGE_DIR):
                continue
            frames += 1
            for name, value in frame.f_locals.items():
                if shows_key(value):
                    found.append(f"{frame.f_code.co_name}: {name}")
        current = current.__cause__ or current.__context__
    assert frames, "expected frames of the library in the traceback"
    return found


async def test_no_frame_of_a_failing_call_holds_the_key_in_a_local(
    server: Callable[[Any], Awaitable[str]],
) -> None:
    async def handler(request: web.Request) -> web.Response:
        return web.json_response({"message": "Unauthenticated."}, status=401)

    base_url = await server(handler)
    async with MijnKlantportaal(api_key=KEY, base_url=base_url, rate_limit=None) as mkp:
        with pytest.raises(AuthenticationError) as status_error:
            await mkp.customers.get("cst_abc12345def678")
    core = core_for(base_url)
    with pytest.raises(TypeError) as inside_the_send:  # raised through the attempt's frame
        await core.request(
            ApiRequest(method="GET", path="/customers", operation_id="x", params={"a": object()})  # type: ignore[dict-item]
        )
    await core.aclose()
    for error in (status_error.value, inside_the_send.value):
        assert locals_showing_the_key(error) == []
