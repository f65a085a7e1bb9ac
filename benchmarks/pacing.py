"""Pacing: does a bulk run ride the portal's rate limit, evenly and without 429s?

A FakePortal allows ``limit`` requests per ``period`` seconds (rolling) and adds ``latency``
seconds to every request; each client's limiter is set to the same window. Each process
creates its share of ``invoices`` invoices (small PDFs) for one customer through
``mkp.customer_invoices.create_many``; with several processes they share one key, through
Redis (``storage_uri="redis://..."``, a ``redis-server`` the benchmark starts) or each on its
own ``memory://`` window (to show why Redis is needed). Every request is timed through an
aiohttp trace; the portal's request log gives the 429s. The real API's 60 per 60 s is run on a
virtual clock (the limiter and the FakePortal's rolling window, no HTTP): a minute a window is
too long for a benchmark in real time.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import heapq
import itertools
import json
import math
import random
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Coroutine, Iterator, Sequence
from types import SimpleNamespace
from typing import Any

import aiohttp
import attrs

from benchmarks._common import Row, customer, invoice
from mijnklantportaal_async import MijnKlantportaal, RateLimit, RateLimiter
from mijnklantportaal_async.testing import FakePortal
from mijnklantportaal_async.testing.faults import FaultConfig
from mijnklantportaal_async.testing.limits import RollingWindow

__all__ = ["MATRIX", "PacingResult", "PacingSetup", "pacing_rows", "run_pacing"]


@attrs.frozen(kw_only=True)
class PacingSetup:
    """One row of the matrix. ``concurrency`` None: create_many's default (it adapts)."""

    limit: int
    period: float
    latency: float
    concurrency: int | None = None
    processes: int = 1
    storage: str = "memory"  # memory, redis, or virtual (virtual clock, no HTTP)
    invoices: int = 500

    def label(self) -> str:
        concurrency = "auto" if self.concurrency is None else str(self.concurrency)
        return (
            f"{self.limit}/{self.period:g} s, {self.latency * 1000:g} ms, "
            f"conc {concurrency}, {self.processes} proc, {self.storage}"
        )


MATRIX: tuple[PacingSetup, ...] = (
    PacingSetup(limit=50, period=1, latency=0.05, invoices=500),
    PacingSetup(limit=300, period=5, latency=0.05, invoices=600),
    PacingSetup(limit=600, period=10, latency=0.2, invoices=1300),
    PacingSetup(limit=600, period=10, latency=0.2, concurrency=4, invoices=200),
    PacingSetup(limit=60, period=60, latency=0.2, storage="virtual", invoices=600),
    PacingSetup(limit=300, period=5, latency=0.05, processes=2, storage="redis", invoices=600),
    PacingSetup(limit=300, period=5, latency=0.05, processes=4, storage="redis", invoices=600),
    PacingSetup(limit=300, period=5, latency=0.05, processes=2, storage="memory", invoices=600),
)
"""The issue's setups side by side: one process at three windows (with the default and with
a fixed concurrency of 4), the real window on a virtual clock, and 2 or 4 processes on one key."""


@attrs.frozen(kw_only=True)
class PacingResult:
    """What one setup measured: every send time (seconds), creates and 429s."""

    setup: PacingSetup
    sends: tuple[float, ...]
    created: int
    status_429: int
    skipped: str = ""  # why the setup did not run

    def _after_first_window(self) -> Sequence[float]:
        return self.sends[self.setup.limit :]

    @property
    def sustained(self) -> float:
        """``period / mean(t[i + limit] - t[i])`` after the first window, over the limit:
        how soon a slot is reused once the run is under way (1.0: one period later)."""
        steady = self._after_first_window()
        limit = self.setup.limit
        reuse = [steady[i + limit] - steady[i] for i in range(len(steady) - limit)]
        return self.setup.period / (sum(reuse) / len(reuse)) if reuse else float("nan")

    @property
    def overall(self) -> float:
        """Sends per second from the first to the last, over the limit's rate."""
        span = self.sends[-1] - self.sends[0]
        return (len(self.sends) - 1) / span / (self.setup.limit / self.setup.period)

    @property
    def longest_gap(self) -> float:
        """The longest time between two sends after the first window, in intervals
        (``period / limit``)."""
        steady = self._after_first_window()
        gap = max((b - a for a, b in itertools.pairwise(steady)), default=float("nan"))
        return gap / (self.setup.period / self.setup.limit)


async def create_invoices(
    base_url: str,
    api_key: str,
    rate_limit: RateLimit,
    concurrency: int | None,
    invoices: int,
    tag: str,
    ready: Callable[[], Awaitable[None]] | None = None,
) -> tuple[list[float], int]:
    """One process's share: a customer, then ``invoices`` invoices; (send times, created)."""
    sends: list[float] = []

    async def on_start(
        _s: aiohttp.ClientSession, _c: SimpleNamespace, _p: aiohttp.TraceRequestStartParams
    ) -> None:
        sends.append(time.time())

    trace = aiohttp.TraceConfig()
    trace.on_request_start.append(on_start)
    async with (
        aiohttp.ClientSession(trace_configs=[trace]) as session,
        MijnKlantportaal(api_key, base_url=base_url, session=session, rate_limit=rate_limit) as mkp,
    ):
        if ready is not None:
            await ready()
        owner = await mkp.customers.create(customer(int(tag)))
        items = (invoice(owner.id, int(tag) * 1_000_000 + n) for n in range(invoices))
        report = await mkp.customer_invoices.create_many(items, concurrency=concurrency)
    return sends, report.created


@contextlib.contextmanager
def _redis_server() -> Iterator[str | None]:
    """A throwaway redis-server on a free loopback port (None when it is not installed)."""
    binary = shutil.which("redis-server")
    if binary is None:
        yield None
        return
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    args = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly"]
    proc = subprocess.Popen([*args, "no"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)  # noqa: S603
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            if b"Ready to accept connections" in line:
                break
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        if proc.stdout is not None:
            proc.stdout.close()


async def _run_processes(
    setup: PacingSetup, portal: FakePortal, uri: str
) -> tuple[list[float], int]:
    share = setup.invoices // setup.processes
    window = json.dumps([setup.limit, setup.period, uri, setup.concurrency, share])
    workers = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "benchmarks.pacing",
            portal.url,
            portal.api_key,
            window,
            str(n + 1),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
        )
        for n in range(setup.processes)
    ]
    try:
        for worker in workers:
            assert worker.stdout is not None
            await worker.stdout.readline()  # "ready"
        for worker in workers:
            assert worker.stdin is not None
            worker.stdin.write(b"go\n")
            await worker.stdin.drain()
        outputs = [json.loads((await w.communicate())[0].splitlines()[-1]) for w in workers]
    finally:
        for worker in workers:
            if worker.returncode is None:
                worker.kill()
                await worker.wait()
    sends = sorted(itertools.chain.from_iterable(out["sends"] for out in outputs))
    return sends, sum(out["created"] for out in outputs)


async def _run_http(setup: PacingSetup, redis_uri: str | None) -> PacingResult:
    if setup.storage == "redis" and redis_uri is None:
        return PacingResult(setup=setup, sends=(), created=0, status_429=0, skipped="no redis")
    faults = FaultConfig(latency=setup.latency)
    async with FakePortal(
        rate_limit=setup.limit, rate_period=setup.period, faults=faults
    ) as portal:
        if setup.processes == 1:
            rate_limit = RateLimit(limit=setup.limit, period=setup.period)
            sends, created = await create_invoices(
                portal.url, portal.api_key, rate_limit, setup.concurrency, setup.invoices, "1"
            )
        else:
            uri = redis_uri if setup.storage == "redis" else "memory://"
            assert uri is not None
            sends, created = await _run_processes(setup, portal, uri)
        too_many = sum(1 for record in portal.requests if record.status == 429)
    return PacingResult(
        setup=setup, sends=tuple(sorted(sends)), created=created, status_429=too_many
    )


class _VirtualTime:
    """A clock and a sleep that jump: each step wakes the earliest sleeper."""

    def __init__(self) -> None:
        self.now = 1_700_000_000.0
        self._timers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._seq = itertools.count()

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._timers, (self.now + seconds, next(self._seq), future))
        await future

    async def run(self, *aws: Coroutine[Any, Any, None]) -> None:
        tasks = [asyncio.ensure_future(a) for a in aws]
        while not all(t.done() for t in tasks):
            for _ in range(12):
                await asyncio.sleep(0)
            if self._timers and not all(t.done() for t in tasks):
                when, _, future = heapq.heappop(self._timers)
                self.now = max(self.now, when)
                future.set_result(None)
        for task in tasks:
            task.result()


async def _run_virtual(setup: PacingSetup) -> PacingResult:
    """The limiter against the FakePortal's rolling window on a virtual clock, workers sending
    back to back with ``latency`` round trips (+-25 % jitter, counted on arrival)."""
    vt = _VirtualTime()
    rng = random.Random(1)
    limiter = RateLimiter(setup.limit, setup.period, clock=vt.clock, sleep=vt.sleep)
    server = RollingWindow(setup.limit, setup.period, clock=vt.clock)
    sends: list[float] = []
    statuses: list[int] = []
    left = [setup.invoices]

    async def worker() -> None:
        while left[0] > 0:
            left[0] -= 1
            await limiter.acquire()
            await vt.sleep(setup.latency * rng.uniform(0.75, 1.25) / 2)
            decision = server.hit("key")
            sends.append(vt.now)
            await vt.sleep(setup.latency * rng.uniform(0.75, 1.25) / 2)
            statuses.append(200 if decision.allowed else 429)
            limiter.observe(statuses[-1], decision.headers())

    await vt.run(*(worker() for _ in range(setup.concurrency or 4)))
    return PacingResult(
        setup=setup, sends=tuple(sends), created=statuses.count(200), status_429=statuses.count(429)
    )


async def run_pacing(matrix: Sequence[PacingSetup] = MATRIX) -> list[PacingResult]:
    """Run each setup in turn (a redis-server is started for the Redis rows when installed)."""
    results = []
    with _redis_server() as redis_uri:
        for setup in matrix:
            print(f"pacing: {setup.label()}...", file=sys.stderr)
            # Each row starts without the previous rows' garbage (their portals' stored
            # invoices): collected mid-row, it paused the loop for ~35 ms, two intervals of
            # the 600 per 10 s row (measured with gc.callbacks), which no client causes.
            gc.collect()
            if setup.storage == "virtual":
                results.append(await _run_virtual(setup))
            else:
                results.append(await _run_http(setup, redis_uri))
    return results


def pacing_rows(results: Sequence[PacingResult]) -> list[Row]:
    """One table row per setup: sustained and overall rate over the limit, 429s, longest gap."""
    rows = [
        Row(
            "pacing",
            "window, latency, concurrency, processes, storage",
            "sustained / overall / 429s / longest gap after the 1st window",
        )
    ]
    for result in results:
        if result.skipped:
            rows.append(Row("pacing", result.setup.label(), f"not run: {result.skipped}"))
            continue
        sustained, gap = result.sustained, result.longest_gap
        shown = "   n/a" if math.isnan(sustained) else f"{sustained:6.1%}"  # under 2 windows
        gaps = "n/a" if math.isnan(gap) else f"{gap:4.2f} intervals"
        rows.append(
            Row(
                "pacing",
                result.setup.label(),
                f"{shown} / {result.overall:6.1%} / {result.status_429:3d} / {gaps}",
            )
        )
    return rows


def _worker_main(argv: Sequence[str]) -> None:
    """``python -m benchmarks.pacing URL KEY JSON TAG``: one process of a multi-process row."""
    base_url, api_key, window, tag = argv
    limit, period, uri, concurrency, invoices = json.loads(window)
    rate_limit = RateLimit(limit=limit, period=period, storage_uri=uri)

    async def ready() -> None:
        print("ready", flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)

    sends, created = asyncio.run(
        create_invoices(base_url, api_key, rate_limit, concurrency, invoices, tag, ready)
    )
    print(json.dumps({"sends": sends, "created": created}), flush=True)


if __name__ == "__main__":
    _worker_main(sys.argv[1:])
