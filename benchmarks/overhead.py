"""Per-call overhead: ``mkp.customers.create`` against a raw aiohttp POST of the same JSON.

Both talk to one minimal ``aiohttp.web`` server on loopback that reads the JSON body and
answers 201 with a fixed Customer, so the server's share is small and equal for every
variant. Variants: a raw ``ClientSession.post(json=...)`` that decodes the JSON answer; the
client with its rate limiter set far above what the run can reach (it never waits); the client
with the limiter off. Calls are sequential, after a warm-up, in many short interleaved rounds
(each round times every variant once, back to back); a process's figures are medians over the
rounds, and each ratio the median of the rounds' own ratios, so a burst of work elsewhere on
the machine moves one round, not the result.

The whole measurement runs in several fresh processes (``processes``, each with its own
``PYTHONHASHSEED``), and the table gives the median process and the range. They run with
glibc's ``MALLOC_MMAP_THRESHOLD_`` at 1 MiB and ``MALLOC_TRIM_THRESHOLD_`` at 64 MiB: asyncio
reads into a 256 KiB buffer, and with glibc's defaults whether that buffer costs an
``mmap``/``mremap``/``munmap`` (or two ``brk``) on every loopback read depends on the heap's
layout, which differs from process to process (the hash seed changes it). Those syscalls add
~55 µs to every variant alike and so lower the ratios; without them every process measures the
same, and the ratio is the higher, conservative one.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import attrs
from aiohttp import web

from benchmarks._common import Row, customer
from mijnklantportaal_async import MijnKlantportaal, RateLimit
from mijnklantportaal_async._core.wire import to_wire

__all__ = [
    "OverheadResult",
    "OverheadRuns",
    "overhead_rows",
    "run_overhead",
    "run_overhead_processes",
]

API_KEY = "mkp_bench_overhead"
HIGH_LIMIT = RateLimit(limit=1_000_000, period=1)
CUSTOMER_JSON: dict[str, Any] = {
    "id": "cst_bench0000000001",
    "companyName": "Bench 0 BV",
    "address": "Kade 1",
    "zipCode": "1011AA",
    "city": "Amsterdam",
    "countryCode": "NL",
    "primaryEmail": "bench0@bench.example",
    "phone": None,
    "integration": None,
    "integrationId": None,
    "customerGroups": [],
    "createdAt": "2026-12-02T10:00:00+01:00",
}


@attrs.frozen(kw_only=True)
class OverheadResult:
    """Median microseconds per call of each variant over ``rounds`` rounds of ``per_round``
    calls, and the median per-round ratio of each client variant to raw."""

    rounds: int
    per_round: int
    raw_us: float
    client_us: float
    client_no_limiter_us: float
    client_ratio: float
    client_no_limiter_ratio: float

    @property
    def calls(self) -> int:
        """Calls timed per variant."""
        return self.rounds * self.per_round


async def _create_customer(request: web.Request) -> web.Response:
    body = await request.json()
    if request.headers.get("Authorization") != f"Bearer {API_KEY}" or "companyName" not in body:
        return web.json_response({"message": "Unauthenticated."}, status=401)
    return web.json_response(CUSTOMER_JSON, status=201)


async def _time(call: Callable[[], Awaitable[None]], calls: int) -> float:
    """Seconds taken by ``calls`` sequential calls."""
    started = time.perf_counter()
    for _ in range(calls):
        await call()
    return time.perf_counter() - started


async def run_overhead(
    *, calls: int = 3000, per_round: int = 50, warmup: int = 200
) -> OverheadResult:
    """Time ``calls`` creates per variant, in rounds of ``per_round`` (interleaved)."""
    app = web.Application()
    app.router.add_post("/v1/customers", _create_customer)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    base_url = f"http://127.0.0.1:{port}/v1"
    data = customer(0)
    body = to_wire(data)
    headers = {"Authorization": f"Bearer {API_KEY}", "Accept": "application/json"}
    rounds = max(calls // per_round, 1)
    per_call: dict[str, list[float]] = {"raw": [], "client": [], "bare": []}
    try:
        async with (
            aiohttp.ClientSession() as session,
            MijnKlantportaal(API_KEY, base_url=base_url, rate_limit=HIGH_LIMIT) as client,
            MijnKlantportaal(API_KEY, base_url=base_url, rate_limit=None) as bare,
        ):

            async def raw_call() -> None:
                async with session.post(f"{base_url}/customers", json=body, headers=headers) as r:
                    if r.status != 201:
                        raise RuntimeError(f"raw POST answered {r.status}")
                    await r.json()

            async def client_call() -> None:
                await client.customers.create(data)

            async def bare_call() -> None:
                await bare.customers.create(data)

            variants = {"raw": raw_call, "client": client_call, "bare": bare_call}
            for call in variants.values():
                await _time(call, warmup)
            for _ in range(rounds):
                for name, call in variants.items():
                    per_call[name].append(await _time(call, per_round) / per_round * 1e6)
    finally:
        await runner.cleanup()

    def ratio(name: str) -> float:
        return statistics.median(
            c / r for c, r in zip(per_call[name], per_call["raw"], strict=True)
        )

    return OverheadResult(
        rounds=rounds,
        per_round=per_round,
        raw_us=statistics.median(per_call["raw"]),
        client_us=statistics.median(per_call["client"]),
        client_no_limiter_us=statistics.median(per_call["bare"]),
        client_ratio=ratio("client"),
        client_no_limiter_ratio=ratio("bare"),
    )


@attrs.frozen(kw_only=True)
class OverheadRuns:
    """:class:`OverheadResult` of each process, in order."""

    runs: tuple[OverheadResult, ...]

    def median(self, value: Callable[[OverheadResult], float]) -> float:
        """The median over the processes of ``value`` (a field of a result)."""
        return statistics.median(value(run) for run in self.runs)

    def span(self, value: Callable[[OverheadResult], float]) -> tuple[float, float]:
        """The lowest and highest ``value`` over the processes."""
        values = [value(run) for run in self.runs]
        return min(values), max(values)


_ALLOCATOR = {
    "MALLOC_MMAP_THRESHOLD_": str(1024 * 1024),
    "MALLOC_TRIM_THRESHOLD_": str(64 * 1024 * 1024),
}
"""glibc settings of the measuring processes: no syscall for asyncio's read buffer (see the
module docstring)."""


def run_overhead_processes(*, processes: int = 5, calls: int = 3000) -> OverheadRuns:
    """:func:`run_overhead` in ``processes`` fresh interpreters, one after another (hash
    seeds 1, 2, ...), each from this checkout's package."""
    code = (
        "import asyncio, json, attrs\n"
        "from benchmarks.overhead import run_overhead\n"
        f"print(json.dumps(attrs.asdict(asyncio.run(run_overhead(calls={calls})))))\n"
    )
    runs = []
    for seed in range(1, processes + 1):
        env = {**os.environ, **_ALLOCATOR, "PYTHONHASHSEED": str(seed)}
        out = subprocess.run(  # noqa: S603 (this interpreter, our own code)
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
        )
        runs.append(OverheadResult(**json.loads(out.stdout.strip().splitlines()[-1])))
    return OverheadRuns(runs=tuple(runs))


def overhead_rows(result: OverheadRuns) -> list[Row]:
    """The table rows of an overhead run: the median process, and the range over them."""
    name = "overhead"
    first = result.runs[0]

    def micros(value: Callable[[OverheadResult], float]) -> str:
        low, high = result.span(value)
        return f"{result.median(value):,.0f} µs/call ({low:,.0f}-{high:,.0f})"

    def versus_raw(
        metric: str, us: Callable[[OverheadResult], float], ratio: Callable[[OverheadResult], float]
    ) -> Row:
        extra = result.median(lambda run: us(run) - run.raw_us)
        low, high = result.span(ratio)
        shown = f"{result.median(ratio):.2f}x (+{extra:,.0f} µs/call; {low:.2f}-{high:.2f}x)"
        return Row(name, metric, shown)

    setup = (
        f"{len(result.runs)} processes x {first.calls} sequential calls per variant in "
        f"{first.rounds} interleaved rounds; median process (range); loopback aiohttp.web"
    )
    return [
        Row(name, "setup", setup),
        Row(name, "raw aiohttp POST + JSON decode", micros(lambda run: run.raw_us)),
        Row(
            name,
            "customers.create (limiter on, never waits)",
            micros(lambda run: run.client_us),
        ),
        Row(
            name,
            "customers.create (rate_limit=None)",
            micros(lambda run: run.client_no_limiter_us),
        ),
        versus_raw(
            "client / raw (limiter on)", lambda run: run.client_us, lambda run: run.client_ratio
        ),
        versus_raw(
            "client / raw (limiter off)",
            lambda run: run.client_no_limiter_us,
            lambda run: run.client_no_limiter_ratio,
        ),
    ]
