"""Plumbing shared by the tests of the request path on a real loopback server: a portal that
answers from a script, a recording sleep, a port that refuses connections, and the
start-and-close-them-all helpers behind each test file's ``serve`` and ``make_core`` fixtures."""

from __future__ import annotations

import random
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any, Protocol, TypeVar

from aiohttp import web
from aiohttp.test_utils import TestServer

from mijnklantportaal_async._core.http import HTTPCore

KEY = "test-key-0123456789"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class ScriptedPortal:
    """A loopback server answering from a script of handlers (the last step repeats).

    Each request is passed to :meth:`record` BEFORE it is answered, so a subclass that records
    there counts the requests the server actually saw, even those answered by a dropped line.
    """

    def __init__(self, *script: Handler) -> None:
        self.script = list(script)
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self.server = TestServer(app, host="127.0.0.1")

    async def record(self, request: web.Request) -> None:
        """Called with each request before it is answered; this base keeps nothing."""

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        await self.record(request)
        step = self.script.pop(0) if len(self.script) > 1 else self.script[0]
        return await step(request)

    @property
    def base_url(self) -> str:
        return str(self.server.make_url("/v1"))


class FakeSleep:
    """Records the delays it is asked to sleep, and returns at once."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)


class _Served(Protocol):
    @property
    def server(self) -> TestServer: ...


P = TypeVar("P", bound=_Served)


@asynccontextmanager
async def serving(factory: Callable[..., P]) -> AsyncIterator[Callable[..., Awaitable[P]]]:
    """Yield ``start(*args)``: it builds ``factory(*args)``, starts its ``server`` and returns
    it. Every server started is closed on exit."""
    portals: list[P] = []

    async def start(*args: Any) -> P:
        portal = factory(*args)
        await portal.server.start_server()
        portals.append(portal)
        return portal

    try:
        yield start
    finally:
        for portal in portals:
            await portal.server.close()


@asynccontextmanager
async def core_factory(
    *, seed: int, sleep: FakeSleep | None = None
) -> AsyncIterator[Callable[..., HTTPCore]]:
    """Yield ``make(base_url, **kwargs)``: an :class:`HTTPCore` with :data:`KEY`, ``sleep``
    (a new :class:`FakeSleep` per core when None) and ``random.Random(seed)`` unless the
    kwargs say otherwise. Every core made is closed on exit."""
    cores: list[HTTPCore] = []

    def make(base_url: str, **kwargs: Any) -> HTTPCore:
        kwargs.setdefault("sleep", sleep if sleep is not None else FakeSleep())
        kwargs.setdefault("rng", random.Random(seed))
        cores.append(HTTPCore(api_key=KEY, base_url=base_url, **kwargs))
        return cores[-1]

    try:
        yield make
    finally:
        for core in cores:
            await core.aclose()


def unused_port() -> tuple[socket.socket, int]:
    """A socket bound to a loopback port that never listens (connecting is refused), and the
    port; close the socket when done."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))  # bound, never listening: connecting is refused
    return sock, sock.getsockname()[1]
