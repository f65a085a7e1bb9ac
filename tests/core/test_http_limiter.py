"""The request path and the rate limiter: a slot is acquired before every attempt, every
response is observed, and an attempt that ends without one is settled at once (so its slot's
period starts then, not when the task next sends)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from typing import Any

import pytest
from loopback import core_factory, serving, unused_port
from write_portal import Portal, reply

from mijnklantportaal_async._core.http import ApiRequest, HTTPCore, RetryPolicy
from mijnklantportaal_async.errors import APIConnectionError


@pytest.fixture
async def serve() -> AsyncIterator[Callable[..., Awaitable[Portal]]]:
    async with serving(Portal) as start:
        yield start


@pytest.fixture
async def make_core() -> AsyncIterator[Callable[..., HTTPCore]]:
    async with core_factory(seed=3) as make:
        yield make


def get() -> ApiRequest:
    return ApiRequest(method="GET", path="/customers", operation_id="list-customers")


class FakeLimiter:
    def __init__(self) -> None:
        self.events: list[Any] = []

    async def acquire(self) -> None:
        self.events.append("acquire")

    def observe(self, status: int, headers: Mapping[str, str]) -> None:
        self.events.append((status, headers.get("X-RateLimit-Remaining")))

    def settle(self) -> None:
        self.events.append("settle")


async def test_the_limiter_is_acquired_before_every_attempt_and_observes_every_response(
    serve: Callable[..., Awaitable[Portal]], make_core: Callable[..., HTTPCore]
) -> None:
    rl = {"X-RateLimit-Limit": "60"}
    portal = await serve(
        reply(429, {}, headers={**rl, "X-RateLimit-Remaining": "0", "Retry-After": "1"}),
        reply(200, {}, headers={**rl, "X-RateLimit-Remaining": "58"}),
    )
    limiter = FakeLimiter()
    core = make_core(portal.base_url, limiter=limiter)
    await core.request(get())
    await core.aclose()
    assert limiter.events == ["acquire", (429, "0"), "acquire", (200, "58")]


async def test_an_attempt_without_a_response_settles_its_rate_limit_slot_at_once(
    make_core: Callable[..., HTTPCore],
) -> None:
    limiter = FakeLimiter()
    sock, port = unused_port()
    with sock:
        core = make_core(
            f"http://127.0.0.1:{port}/v1", retry=RetryPolicy(max_retries=1), limiter=limiter
        )
        with pytest.raises(APIConnectionError):
            await core.request(get())
    # each failed attempt tells the limiter it ended, before the backoff and the next acquire
    assert limiter.events == ["acquire", "settle", "acquire", "settle"]
