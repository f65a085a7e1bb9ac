"""A fault proxy of our own, in front of a FakePortal and independent of its fault injector:
it can deliver a create LATE, after the client gave up on it, as a proxy or a load balancer's
queue may; or store it and cut the answer; or cut the request before it is forwarded.

Time: the client's own timeouts run on the real clock (a held request ends the client's wait
after its short ``read`` timeout); everything slower (the bulk engine's grace period, the
proxy's delivery delays) runs on a :class:`FakeClock` whose ``sleep`` moves it forward and
delivers every held request that is due by then, before returning. So "a request that lands
within the grace period" is a fact of the schedule, not of how fast the machine is.
"""

from __future__ import annotations

import asyncio
import enum
import random
from collections.abc import Mapping

import aiohttp
import attrs
from aiohttp import web
from aiohttp.test_utils import TestServer

_HOP_BY_HOP = {"host", "content-length", "transfer-encoding", "connection", "keep-alive"}


class Fate(enum.Enum):
    """What the proxy does with one create."""

    PASS = "pass"  # forwarded, answered
    LOST_ANSWER = "lost answer"  # forwarded (stored), then the client's connection is cut
    CUT = "cut"  # the client's connection is cut; never forwarded (not stored)
    LATE = "late"  # held: the client times out; forwarded ``delay`` fake seconds later


@attrs.define
class _Held:
    method: str
    path_qs: str
    headers: Mapping[str, str]
    body: bytes
    due: float


class FakeClock:
    """Fake seconds for the engine's ``sleep`` (backoff, grace) and the proxy's delays."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []
        self.proxy: LateProxy | None = None

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds
        if self.proxy is not None:
            await self.proxy.deliver_due()


class LateProxy:
    """Forwards every request to ``upstream`` (a FakePortal's ``/v1`` URL); each create
    (POST) meets a :class:`Fate` drawn from ``random.Random(seed)`` with ``weights``;
    ``late_delays`` are the fake seconds a LATE create is held (one drawn per create)."""

    def __init__(
        self,
        upstream: str,
        clock: FakeClock,
        *,
        seed: int,
        weights: Mapping[Fate, float],
        late_delays: tuple[float, ...] = (10.0,),
    ) -> None:
        self.upstream = upstream.rstrip("/")
        self.clock = clock
        clock.proxy = self
        self.rng = random.Random(seed)
        self.weights = dict(weights)
        self.late_delays = late_delays
        self.fates: list[Fate] = []
        self.held: list[_Held] = []
        self.delivered = 0
        self._closing = asyncio.Event()
        self._session: aiohttp.ClientSession | None = None
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self.server = TestServer(app, host="127.0.0.1")

    @property
    def url(self) -> str:
        return str(self.server.make_url("/v1"))

    async def __aenter__(self) -> LateProxy:
        self._session = aiohttp.ClientSession()
        await self.server.start_server()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self._closing.set()
        await self.server.close()
        if self._session is not None:
            await self._session.close()

    def _fate(self) -> Fate:
        kinds = list(self.weights)
        return self.rng.choices(kinds, weights=[self.weights[k] for k in kinds])[0]

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        body = await request.read()
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _HOP_BY_HOP}
        path_qs = request.rel_url.path_qs.removeprefix("/v1")
        fate = Fate.PASS
        if request.method == "POST":
            fate = self._fate()
            self.fates.append(fate)
        if fate is Fate.CUT:
            return self._cut(request)
        if fate is Fate.LATE:
            due = self.clock.now + self.rng.choice(self.late_delays)
            self.held.append(_Held(request.method, path_qs, headers, body, due))
            await self._closing.wait()  # the client gives up (its read timeout) meanwhile
            return self._cut(request)
        status, answer_headers, answer = await self._forward(request.method, path_qs, headers, body)
        if fate is Fate.LOST_ANSWER:
            return self._cut(request)
        # as a reverse proxy does: the portal's own links (next_page_url) point to the proxy
        answer = answer.replace(self.upstream.encode(), self.url.encode())
        return web.Response(status=status, body=answer, headers=answer_headers)

    async def _forward(
        self, method: str, path_qs: str, headers: Mapping[str, str], body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        assert self._session is not None
        async with self._session.request(
            method, self.upstream + path_qs, headers=headers, data=body or None
        ) as response:
            answer = await response.read()
            keep = {"content-type", "retry-after"} | {
                k.lower() for k in response.headers if k.lower().startswith("x-ratelimit")
            }
            answer_headers = {k: v for k, v in response.headers.items() if k.lower() in keep}
            return response.status, answer_headers, answer

    async def deliver_due(self) -> None:
        """Forward every held create whose time has come (in the order they were held)."""
        due = [held for held in self.held if held.due <= self.clock.now]
        self.held = [held for held in self.held if held.due > self.clock.now]
        for held in due:
            await self._forward(held.method, held.path_qs, held.headers, held.body)
            self.delivered += 1

    async def deliver_all(self) -> None:
        """Forward every create still held (what lands after the run is over)."""
        for held in self.held:
            await self._forward(held.method, held.path_qs, held.headers, held.body)
            self.delivered += 1
        self.held = []

    @staticmethod
    def _cut(request: web.Request) -> web.StreamResponse:
        if request.transport is not None:
            request.transport.abort()
        return web.Response(status=500)  # never reaches the client: its connection is gone


def fates_of(proxy: LateProxy) -> dict[str, int]:
    """How many creates met each fate."""
    counts: dict[str, int] = {}
    for fate in proxy.fates:
        counts[fate.value] = counts.get(fate.value, 0) + 1
    return counts
