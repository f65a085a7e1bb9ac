"""One worker process of the multi-process rate-limit tests: a client on a shared key whose
limiter lives in Redis, creating customers with ``create_many`` once told to go.

``python tests/redis_worker.py BASE_URL API_KEY REDIS_URI LIMIT PERIOD MARGIN ITEMS TAG``: prints
``ready``, waits for a line on stdin, creates ITEMS customers (e-mails carry TAG), then prints
one JSON line: ``{"created": n, "sends": [epoch seconds of each request start]}``.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from types import SimpleNamespace

import aiohttp

from mijnklantportaal_async import CustomerCreate, MijnKlantportaal, RateLimit


async def main(
    base_url: str, api_key: str, uri: str, window: tuple[int, float, float], items: int, tag: str
) -> None:
    limit, period, margin = window
    sends: list[float] = []

    async def on_start(
        _s: aiohttp.ClientSession, _c: SimpleNamespace, _p: aiohttp.TraceRequestStartParams
    ) -> None:
        sends.append(time.time())

    trace = aiohttp.TraceConfig()
    trace.on_request_start.append(on_start)
    rate_limit = RateLimit(limit=limit, period=period, margin=margin, storage_uri=uri)
    async with (
        aiohttp.ClientSession(trace_configs=[trace]) as session,
        MijnKlantportaal(api_key, base_url=base_url, session=session, rate_limit=rate_limit) as mkp,
    ):
        print("ready", flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
        customers = (
            CustomerCreate(
                company_name=f"Worker {tag} {n} BV",
                address="Kade 1",
                zip_code="1011AA",
                city="Amsterdam",
                primary_email=f"w{tag}-{n}@workers.example",
            )
            for n in range(items)
        )
        report = await mkp.customers.create_many(customers)
    print(json.dumps({"created": report.created, "sends": sends}), flush=True)


if __name__ == "__main__":
    url, key, redis_uri, lim, per, mar, count, label = sys.argv[1:9]
    asyncio.run(main(url, key, redis_uri, (int(lim), float(per), float(mar)), int(count), label))
