"""A server (or what stands between it and us) that answers absurdly never takes a call out of
the error model and never makes it wait for ever: every failure is a MijnKlantportaalError, and
a trickling body, an endless list, a huge body or an absurd header all end.

Each test bounds its call with ``asyncio.timeout``: a regression shows as a failure, not a hang.
"""

from __future__ import annotations

import asyncio
import gzip
import math
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from mijnklantportaal_async import (
    AmbiguousWriteError,
    APIResponseValidationError,
    APITimeoutError,
    AsyncPaginator,
    Customer,
    CustomerCreate,
    MijnKlantportaal,
    MijnKlantportaalError,
    PaginationError,
    RateLimit,
    RateLimitError,
    RetryPolicy,
    Timeouts,
)
from mijnklantportaal_async._core.settings import MAX_RESPONSE_BYTES, MAX_RETRY_WAIT
from mijnklantportaal_async.ratelimit import RateLimiter

KEY = "hostile-key-0123456789"
CUSTOMER = {"id": "cst_1", "companyName": "Acme BV", "primaryEmail": "a@acme.example"}
BOUND = 10.0  # seconds any one test's call may take before it counts as "waits for ever"


class Hostile:
    """A loopback portal whose answer to every request is ``handler``; counts requests."""

    def __init__(self, handler: Any) -> None:
        self.handler = handler
        self.requests = 0
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self.server = TestServer(app, host="127.0.0.1")

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        self.requests += 1
        response: web.StreamResponse = await self.handler(self, request)
        return response

    def url(self, path: str = "/v1") -> str:
        return str(self.server.make_url(path))


@pytest.fixture
async def hostile() -> AsyncIterator[Any]:
    servers: list[Hostile] = []

    async def start(handler: Any) -> Hostile:
        portal = Hostile(handler)
        await portal.server.start_server()
        servers.append(portal)
        return portal

    yield start
    for portal in servers:
        await portal.server.close()


def client(portal: Hostile, **kwargs: Any) -> MijnKlantportaal:
    kwargs.setdefault("rate_limit", None)
    kwargs.setdefault("retry", RetryPolicy(max_retries=2, backoff_base=0.001, backoff_cap=0.01))
    return MijnKlantportaal(api_key=KEY, base_url=portal.url(), **kwargs)


def customer_create() -> CustomerCreate:
    return CustomerCreate(
        company_name="Acme BV",
        address="Kade 1",
        zip_code="1011AA",
        city="Amsterdam",
        primary_email="a@acme.example",
    )


# -- absurd headers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "retry_after",
    ["-5", "9" * 400, "1e308", "inf", "nan", "Fri, 31 Dec 9999 23:59:59 GMT", "\x00\x01"],
)
async def test_a_429_with_an_absurd_retry_after_ends_in_a_rate_limit_error(
    hostile: Any, retry_after: str
) -> None:
    async def handler(portal: Hostile, request: web.Request) -> web.Response:
        return web.json_response({"message": "slow down"}, status=429, headers={
            "Retry-After": retry_after.replace("\x00", "0").replace("\x01", "1")
        })  # fmt: skip

    portal = await hostile(handler)
    async with asyncio.timeout(BOUND), client(portal) as mkp:
        with pytest.raises(RateLimitError) as info:
            await mkp.customers.get("cst_1")
    wait = info.value.retry_after
    assert wait is None or (math.isfinite(wait) and wait >= 0)


@pytest.mark.parametrize(
    "headers",
    [
        {"X-RateLimit-Reset": "9" * 400},
        {"X-RateLimit-Reset": "-" + "9" * 400},
        {"X-RateLimit-Limit": "9" * 400, "X-RateLimit-Remaining": "9" * 400},
        {"X-RateLimit-Limit": "-1", "X-RateLimit-Remaining": "-" + "9" * 400},
        {"X-RateLimit-Reset": "9" * 5000},  # past Python's int() digit limit
    ],
    ids=["reset-400-digits", "reset-negative", "limit-400-digits", "negative", "5000-digits"],
)
async def test_absurd_rate_limit_headers_on_a_429_neither_crash_nor_block_the_next_call(
    hostile: Any, headers: dict[str, str]
) -> None:
    async def handler(portal: Hostile, request: web.Request) -> web.Response:
        if portal.requests == 1:
            return web.json_response({"message": "slow down"}, status=429, headers=headers)
        return web.json_response(CUSTOMER, headers=headers)

    portal = await hostile(handler)
    async with asyncio.timeout(BOUND), client(portal, rate_limit=RateLimit()) as mkp:
        got = await mkp.customers.get("cst_1")  # the 429 is retried, the limiter unharmed
        again = await mkp.customers.get("cst_1")
    assert got.id == again.id == "cst_1"


async def test_a_reset_a_century_away_holds_the_limiter_no_longer_than_max_retry_wait() -> None:
    now = 1_700_000_000.0
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        nonlocal now
        slept.append(seconds)
        now += seconds

    limiter = RateLimiter(60, 60, clock=lambda: now, sleep=sleep)
    limiter.observe(429, {"X-RateLimit-Reset": str(int(now) + 100 * 365 * 86400)})
    limiter.observe(429, {"Retry-After": "1e308"})
    await limiter.acquire()
    assert sum(slept) == pytest.approx(MAX_RETRY_WAIT)


# -- pages -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "elsewhere",
    ["http://evil.example/v1/customers?page=2", "https://{host}/v1/customers?page=2",
     "http://{host}:1/v1/customers?page=2", "//evil.example/v1/customers?page=2"],
    ids=["other-host", "other-scheme", "other-port", "scheme-relative"],
)  # fmt: skip
async def test_a_next_page_url_to_another_origin_is_a_pagination_error_and_not_followed(
    hostile: Any, elsewhere: str
) -> None:
    async def handler(portal: Hostile, request: web.Request) -> web.Response:
        host = request.url.host
        page = {"data": [CUSTOMER], "next_page_url": elsewhere.format(host=host)}
        return web.json_response(page)

    portal = await hostile(handler)
    async with asyncio.timeout(BOUND), client(portal) as mkp:
        seen: list[Customer] = []

        async def read_all() -> None:
            async for customer in mkp.customers.list():
                seen.append(customer)

        with pytest.raises(PaginationError, match="not followed"):
            await read_all()
    assert [c.id for c in seen] == ["cst_1"]  # the first page's items are had
    assert portal.requests == 1


async def test_a_list_that_never_ends_stops_at_the_page_cap(hostile: Any) -> None:
    async def handler(portal: Hostile, request: web.Request) -> web.Response:
        page = int(request.query.get("page", "1"))
        next_url = str(request.url.with_query(page=str(page + 1)))
        return web.json_response({"data": [CUSTOMER], "next_page_url": next_url})

    portal = await hostile(handler)
    async with asyncio.timeout(BOUND), client(portal) as mkp:
        pages = AsyncPaginator(
            mkp._http, "/customers", operation_id="list-customers", item_type=Customer,
            max_pages=25,
        )  # fmt: skip
        with pytest.raises(PaginationError, match="more than 25 pages"):
            async for _ in pages:
                pass
    assert portal.requests == 25


async def test_a_next_page_url_that_is_no_url_is_an_api_response_validation_error(
    hostile: Any,
) -> None:
    async def handler(portal: Hostile, request: web.Request) -> web.Response:
        return web.json_response({"data": [], "next_page_url": "http://[::1"})

    portal = await hostile(handler)
    async with asyncio.timeout(BOUND), client(portal) as mkp:
        with pytest.raises(APIResponseValidationError):
            async for _ in mkp.customers.list():
                pass


# -- bodies that never end, or are too large ---------------------------------------------


async def trickle(portal: Hostile, request: web.Request) -> web.StreamResponse:
    """A 200 whose JSON body arrives a byte every 20 ms, for ever: never ``read`` seconds of
    silence, so only a deadline ends it."""
    response = web.StreamResponse(status=200, headers={"Content-Type": "application/json"})
    await response.prepare(request)
    await response.write(b'{"id": "cst_1", "companyName": "')
    while True:
        await response.write(b"a")
        await asyncio.sleep(0.02)  # the server's pace, not a wait for a condition


async def test_a_trickling_read_ends_at_the_response_deadline(hostile: Any) -> None:
    portal = await hostile(trickle)
    timeouts = Timeouts(read=5.0, response=0.3)
    retry = RetryPolicy(max_retries=1, backoff_base=0.001, backoff_cap=0.001)
    async with asyncio.timeout(BOUND), client(portal, timeouts=timeouts, retry=retry) as mkp:
        with pytest.raises(APITimeoutError):
            await mkp.customers.get("cst_1")
    assert portal.requests == 2  # a read: retried once, then the typed error


async def test_a_request_without_a_file_is_answered_in_full_within_read(hostile: Any) -> None:
    # Timeouts.read bounds the whole exchange of a request without a file, not only each
    # silence: a trickle that never pauses for `read` seconds still ends at `read`.
    portal = await hostile(trickle)
    timeouts = Timeouts(read=0.3, response=60.0)
    retry = RetryPolicy(max_retries=0)
    async with asyncio.timeout(BOUND), client(portal, timeouts=timeouts, retry=retry) as mkp:
        with pytest.raises(APITimeoutError):
            await mkp.customers.get("cst_1")
    assert portal.requests == 1


async def test_a_trickling_answer_to_a_write_ends_as_ambiguous(hostile: Any) -> None:
    portal = await hostile(trickle)
    async with (
        asyncio.timeout(BOUND),
        client(portal, timeouts=Timeouts(read=5.0, response=0.3)) as mkp,
    ):
        with pytest.raises(AmbiguousWriteError) as info:
            await mkp.customers.create(customer_create())
    assert isinstance(info.value.cause, APITimeoutError)
    assert portal.requests == 1  # never sent again


async def huge(portal: Hostile, request: web.Request) -> web.Response:
    """A 200 of valid JSON larger than the cap once decompressed, a few kB on the wire."""
    pad = b" " * (MAX_RESPONSE_BYTES + 1024)
    body = gzip.compress(b'{"id": "cst_1", "companyName": "Acme BV"' + pad + b"}")
    assert len(body) < 100_000
    headers = {"Content-Type": "application/json", "Content-Encoding": "gzip"}
    return web.Response(body=body, headers=headers)


async def test_a_read_answer_larger_than_the_cap_after_decompression_is_refused(
    hostile: Any,
) -> None:
    portal = await hostile(huge)
    async with asyncio.timeout(BOUND), client(portal) as mkp:
        with pytest.raises(APIResponseValidationError, match="larger than"):
            await mkp.customers.get("cst_1")


async def test_a_write_answer_larger_than_the_cap_is_ambiguous(hostile: Any) -> None:
    portal = await hostile(huge)
    async with asyncio.timeout(BOUND), client(portal) as mkp:
        with pytest.raises(AmbiguousWriteError):
            await mkp.customers.create(customer_create())


async def test_an_error_answer_larger_than_the_cap_keeps_its_status(hostile: Any) -> None:
    async def handler(portal: Hostile, request: web.Request) -> web.Response:
        response = await huge(portal, request)
        response.set_status(404)
        return response

    portal = await hostile(handler)
    async with asyncio.timeout(BOUND), client(portal) as mkp:
        with pytest.raises(MijnKlantportaalError) as info:
            await mkp.customers.get("cst_1")
    assert getattr(info.value, "status", None) == 404
