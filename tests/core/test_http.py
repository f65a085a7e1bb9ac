"""The request path (``HTTPCore``) on a real loopback server: headers, bodies, read retries,
error mapping, https-only, origin checks, session ownership, the limiter and the log lines."""

from __future__ import annotations

import asyncio
import gc
import json
import logging
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from typing import Any

import aiohttp
import attrs
import pytest
from aiohttp import web
from loopback import KEY, FakeSleep, Handler, ScriptedPortal, serving, unused_port

from mijnklantportaal_async._core.http import (
    ApiRequest,
    HTTPCore,
    JsonBody,
    RetryPolicy,
    Timeouts,
)
from mijnklantportaal_async.errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    ClientClosedError,
    NotFoundError,
    RateLimitError,
    ServerError,
    UnprocessableEntityError,
)


@attrs.define
class Seen:
    method: str
    path: str
    headers: Mapping[str, str]
    body: bytes


class Portal(ScriptedPortal):
    """A loopback server answering from a script (the last step repeats); records requests."""

    def __init__(self, *script: Handler) -> None:
        super().__init__(*script)
        self.seen: list[Seen] = []

    async def record(self, request: web.Request) -> None:
        body = await request.read()
        self.seen.append(Seen(request.method, request.path_qs, request.headers.copy(), body))


def reply(
    status: int = 200, body: Any = None, *, headers: Mapping[str, str] | None = None
) -> Handler:
    async def handler(request: web.Request) -> web.StreamResponse:
        if isinstance(body, str):
            return web.Response(status=status, text=body, headers=headers, content_type="text/html")
        if body is None:
            return web.Response(status=status, headers=headers)
        return web.json_response(body, status=status, headers=headers)

    return handler


@pytest.fixture
async def serve() -> AsyncIterator[Callable[..., Awaitable[Portal]]]:
    async with serving(Portal) as start:
        yield start


def get(path: str = "/customers", **kw: Any) -> ApiRequest:
    return ApiRequest(method="GET", path=path, operation_id="list-customers", **kw)


async def test_sends_bearer_auth_accept_user_agent_and_no_idempotency_key_on_reads(
    serve: Callable[..., Awaitable[Portal]], make_core: Callable[..., HTTPCore]
) -> None:
    portal = await serve(reply(200, {"data": []}))
    core = make_core(portal.base_url)
    response = await core.request(get(params={"page": "2"}))
    await core.aclose()
    assert response.status == 200
    assert response.body == {"data": []}
    (seen,) = portal.seen
    assert seen.path == "/v1/customers?page=2"
    assert seen.headers["Authorization"] == f"Bearer {KEY}"
    assert seen.headers["Accept"] == "application/json"
    assert seen.headers["User-Agent"].startswith("mijnklantportaal-async/")
    assert " aiohttp/" in seen.headers["User-Agent"]
    assert " python/3." in seen.headers["User-Agent"]
    assert "Idempotency-Key" not in seen.headers


async def test_sends_a_json_body(
    serve: Callable[..., Awaitable[Portal]], make_core: Callable[..., HTTPCore]
) -> None:
    portal = await serve(reply(201, {"id": "cst_1"}))
    core = make_core(portal.base_url)
    body = {"companyName": "Acme B.V.", "primaryEmail": "a@acme.nl", "lines": [{"vatRate": 21}]}
    response = await core.request(
        ApiRequest(
            method="POST", path="/customers", operation_id="create-customer", body=JsonBody(body)
        )
    )
    await core.aclose()
    assert response.body == {"id": "cst_1"}
    (seen,) = portal.seen
    assert seen.method == "POST"
    assert seen.headers["Content-Type"] == "application/json"
    assert json.loads(seen.body) == body


async def test_a_get_is_retried_on_503_and_the_delays_honour_retry_after(
    serve: Callable[..., Awaitable[Portal]], make_core: Callable[..., HTTPCore], sleep: FakeSleep
) -> None:
    portal = await serve(
        reply(503, {"message": "maintenance"}, headers={"Retry-After": "2"}),
        reply(503, {"message": "maintenance"}),
        reply(200, {"data": [1]}),
    )
    core = make_core(portal.base_url)
    response = await core.request(get())
    await core.aclose()
    assert response.body == {"data": [1]}
    assert len(portal.seen) == 3
    assert sleep.delays[0] == 2.0  # Retry-After wins over the jitter (at most 0.5 s here)
    assert 0.0 <= sleep.delays[1] <= 1.0  # full jitter below base * 2 ** 1


async def test_a_429_is_retried_after_retry_after(
    serve: Callable[..., Awaitable[Portal]], make_core: Callable[..., HTTPCore], sleep: FakeSleep
) -> None:
    limited = {"code": 429, "message": "Too many requests."}
    portal = await serve(
        reply(429, limited, headers={"retry-after": "3", "x-ratelimit-remaining": "0"}),
        reply(200, {"data": []}),
    )
    core = make_core(portal.base_url)
    await core.request(get())
    await core.aclose()
    assert len(portal.seen) == 2
    assert sleep.delays == [3.0]


async def test_after_the_last_retry_the_last_typed_error_is_raised(
    serve: Callable[..., Awaitable[Portal]], make_core: Callable[..., HTTPCore], sleep: FakeSleep
) -> None:
    portal = await serve(reply(502, "<html><body>Bad Gateway</body></html>"))
    core = make_core(portal.base_url, retry=RetryPolicy(max_retries=2))
    with pytest.raises(ServerError) as info:
        await core.request(get())
    await core.aclose()
    assert info.value.status == 502
    assert len(portal.seen) == 3
    assert len(sleep.delays) == 2


async def test_a_retry_after_longer_than_the_maximum_wait_is_not_slept_through(
    serve: Callable[..., Awaitable[Portal]], make_core: Callable[..., HTTPCore], sleep: FakeSleep
) -> None:
    portal = await serve(
        reply(429, {"message": "Too many requests."}, headers={"Retry-After": "3600"})
    )
    core = make_core(portal.base_url)
    with pytest.raises(RateLimitError) as info:
        await core.request(get())
    await core.aclose()
    assert info.value.retry_after == 3600.0
    assert sleep.delays == []
    assert len(portal.seen) == 1


@pytest.mark.parametrize("html", [False, True], ids=["json", "html"])
async def test_an_error_answer_carries_status_body_method_and_path(
    html: bool,
    serve: Callable[..., Awaitable[Portal]],
    make_core: Callable[..., HTTPCore],
) -> None:
    """A status without a class of its own is an APIStatusError; which status is which class:
    tests/test_errors.py, through every operation: tests/core/test_operations.py."""
    page = "<!DOCTYPE html><html><head><title>Proxy error</title></head><body>oops</body></html>"
    body: Any = page if html else {"code": 418, "message": "Something is wrong"}
    portal = await serve(reply(418, body))
    core = make_core(portal.base_url, retry=RetryPolicy(max_retries=0))
    with pytest.raises(APIStatusError) as info:
        await core.request(get("/customers/cst_1"))
    assert type(info.value) is APIStatusError
    assert info.value.status == 418
    message = "HTML body (a proxy or gateway page?): <!DOCTYPE html>"
    assert (message if html else "Something is wrong") in info.value.message
    assert info.value.body == body
    assert (info.value.method, info.value.path) == ("GET", "/customers/cst_1")


async def test_unprocessable_entity_carries_the_field_errors(
    serve: Callable[..., Awaitable[Portal]], make_core: Callable[..., HTTPCore]
) -> None:
    body = {"message": "The given data was invalid.", "errors": {"invoiceNumber": ["taken"]}}
    portal = await serve(reply(422, body))
    core = make_core(portal.base_url)
    with pytest.raises(UnprocessableEntityError) as info:
        await core.request(get())
    await core.aclose()
    assert info.value.errors == {"invoiceNumber": ["taken"]}
    assert len(portal.seen) == 1


async def test_an_empty_error_body_is_fine(
    serve: Callable[..., Awaitable[Portal]], make_core: Callable[..., HTTPCore]
) -> None:
    portal = await serve(reply(404))
    core = make_core(portal.base_url)
    with pytest.raises(NotFoundError) as info:
        await core.request(get())
    await core.aclose()
    assert info.value.body is None
    assert info.value.message == "HTTP 404"


async def test_a_session_with_raise_for_status_still_gives_typed_errors(
    serve: Callable[..., Awaitable[Portal]], make_core: Callable[..., HTTPCore]
) -> None:
    portal = await serve(reply(404, {"message": "No Customer can be found for the given ID"}))
    async with aiohttp.ClientSession(raise_for_status=True) as session:
        core = make_core(portal.base_url, session=session)
        with pytest.raises(NotFoundError, match="No Customer"):
            await core.request(get())


async def test_non_json_and_empty_success_bodies(
    serve: Callable[..., Awaitable[Portal]], make_core: Callable[..., HTTPCore]
) -> None:
    portal = await serve(reply(200, "plain text"), reply(204))
    core = make_core(portal.base_url)
    assert (await core.request(get())).body == "plain text"
    assert (await core.request(get())).body is None
    await core.aclose()


async def test_request_url_gets_a_url_of_the_same_origin(
    serve: Callable[..., Awaitable[Portal]], make_core: Callable[..., HTTPCore]
) -> None:
    portal = await serve(reply(200, {"current_page": 2}))
    core = make_core(portal.base_url)
    response = await core.request_url(f"{portal.base_url}/customers?page=2", operation_id="x")
    await core.aclose()
    assert response.body == {"current_page": 2}
    assert portal.seen[0].path == "/v1/customers?page=2"
    assert portal.seen[0].headers["Authorization"] == f"Bearer {KEY}"


async def test_a_session_passed_in_is_used_and_never_closed(
    serve: Callable[..., Awaitable[Portal]],
) -> None:
    portal = await serve(reply(200, {}))
    async with aiohttp.ClientSession() as session:
        core = HTTPCore(api_key=KEY, base_url=portal.base_url, session=session)
        await core.request(get())
        await core.aclose()
        assert not session.closed
        with pytest.raises(ClientClosedError, match="closed"):
            await core.request(get())


async def unclosed_sessions(base_url: str, *, use: bool, close: bool) -> list[str]:
    """Make an HTTPCore without a session, ``use`` it for a GET, ``close`` it, then drop it:
    the "Unclosed client session" reports aiohttp gives to the event loop when the session it
    made is collected open (its connector closes its own sockets then)."""
    reports: list[str] = []
    loop = asyncio.get_running_loop()
    handler = loop.get_exception_handler()
    loop.set_exception_handler(lambda _, context: reports.append(context["message"]))
    try:
        core = HTTPCore(api_key=KEY, base_url=base_url)
        if use:
            await core.request(get())
        if close:
            await core.aclose()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            del core
            gc.collect()
    finally:
        loop.set_exception_handler(handler)
    return [report for report in reports if report.startswith("Unclosed client session")]


async def test_its_own_session_is_made_on_first_use_and_closed_by_aclose(
    serve: Callable[..., Awaitable[Portal]],
) -> None:
    portal = await serve(reply(200, {}))
    assert await unclosed_sessions(portal.base_url, use=False, close=False) == []  # none made
    assert await unclosed_sessions(portal.base_url, use=True, close=True) == []
    assert len(await unclosed_sessions(portal.base_url, use=True, close=False)) == 1


async def test_a_get_on_connection_refused_is_retried_then_raises_not_sent(
    make_core: Callable[..., HTTPCore], sleep: FakeSleep
) -> None:
    sock, port = unused_port()
    with sock:
        core = make_core(f"http://127.0.0.1:{port}/v1", retry=RetryPolicy(max_retries=3))
        with pytest.raises(APIConnectionError) as info:
            await core.request(get())
        await core.aclose()
    assert info.value.sent is False
    assert not isinstance(info.value, APITimeoutError)
    assert len(sleep.delays) == 3


async def test_one_line_per_attempt_info_when_retrying(
    serve: Callable[..., Awaitable[Portal]],
    make_core: Callable[..., HTTPCore],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="mijnklantportaal_async")
    portal = await serve(reply(503, {}, headers={"Retry-After": "1"}), reply(200, {}))
    core = make_core(portal.base_url, timeouts=Timeouts(connect=5, read=5))
    await core.request(get())
    await core.aclose()
    lines = [r for r in caplog.records if r.name == "mijnklantportaal_async"]
    assert len(lines) == 2
    # MIJNKLANTPORTAAL_LOG=info shows the retry; a plain success is DEBUG
    assert [r.levelno for r in lines] == [logging.INFO, logging.DEBUG]
    first, second = (r.getMessage() for r in lines)
    assert first.startswith("GET /customers -> 503 in ")
    assert "(attempt 1, list-customers); retrying in 1.00 s" in first
    assert second.startswith("GET /customers -> 200 in ")
    assert "(attempt 2, list-customers)" in second
    assert [r.__dict__["mkp_attempt"] for r in lines] == [1, 2]
    assert isinstance(lines[0].__dict__["mkp_elapsed_ms"], float)
