"""Receiving MijnKlantportaal webhooks in an aiohttp.web app.

The handler reads the raw body first, verifies it with ``parse_webhook`` against the webhook
secrets, hands the event to a bounded queue and answers at once (204); a worker task started
with the app works through the queue. A bad or missing signature is answered 401, a verified
body that is not an event 400, a full queue 503 (the call may be made again later).

Run it with the secrets of your webhook records (comma-separated; during a rotation both the
old and the new one)::

    MIJNKLANTPORTAAL_WEBHOOK_SECRETS=OUJX2prdBbJxR77BZlGz python examples/webhooks_aiohttp.py

and register ``https://<your host>/webhooks/mijnklantportaal`` with ``mkp.webhooks.create``.
Tested in tests/test_webhook_recipes.py against the FakePortal's webhook calls.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence

from aiohttp import web

from mijnklantportaal_async import (
    WebhookEvent,
    WebhookPayloadError,
    WebhookSignatureError,
    parse_webhook,
)

PATH = "/webhooks/mijnklantportaal"
MAX_BODY = 1024 * 1024
"""Bytes a webhook body may have: larger calls are refused (413) before they are read."""
QUEUE_SIZE = 1000
"""Events waiting for the worker; when it is full, calls are answered 503."""

EventHandler = Callable[[WebhookEvent], Awaitable[None]]

SECRETS: web.AppKey[Sequence[str]] = web.AppKey("secrets")
EVENTS: web.AppKey[asyncio.Queue[WebhookEvent]] = web.AppKey("events")
ON_EVENT: web.AppKey[EventHandler] = web.AppKey("on_event")

log = logging.getLogger("webhooks")


async def receive_webhook(request: web.Request) -> web.Response:
    """``POST /webhooks/mijnklantportaal``: verify, queue, answer."""
    body = await request.read()  # the raw bytes: the signature may be over exactly these
    secrets = request.app[SECRETS]
    try:
        event = parse_webhook(body=body, headers=request.headers, secrets=secrets)
    except WebhookSignatureError:
        return web.Response(status=401)
    except WebhookPayloadError as exc:
        log.warning("webhook refused: %s", exc)
        return web.Response(status=400)
    try:
        request.app[EVENTS].put_nowait(event)
    except asyncio.QueueFull:
        return web.Response(status=503)
    return web.Response(status=204)


async def work(events: asyncio.Queue[WebhookEvent], on_event: EventHandler) -> None:
    """Hand each queued event to ``on_event``, one at a time; a failure is logged and the
    next event handled."""
    while True:
        event = await events.get()
        try:
            await on_event(event)
        except Exception:
            log.exception("handling webhook event %s (%s) failed", event.type, event.object_id)
        finally:
            events.task_done()


async def run_worker(app: web.Application) -> AsyncIterator[None]:
    """``cleanup_ctx``: the worker runs while the app does."""
    worker = asyncio.create_task(work(app[EVENTS], app[ON_EVENT]))
    yield
    worker.cancel()
    await asyncio.gather(worker, return_exceptions=True)


def create_app(secrets: Sequence[str], on_event: EventHandler) -> web.Application:
    """The app: ``POST /webhooks/mijnklantportaal`` checked against ``secrets`` (a list you
    may change in place to rotate), each event handed to ``on_event`` after the answer."""
    app = web.Application(client_max_size=MAX_BODY)
    app[SECRETS] = secrets
    app[EVENTS] = asyncio.Queue(maxsize=QUEUE_SIZE)
    app[ON_EVENT] = on_event
    app.router.add_post(PATH, receive_webhook)
    app.cleanup_ctx.append(run_worker)
    return app


def secrets_from_env(name: str = "MIJNKLANTPORTAAL_WEBHOOK_SECRETS") -> list[str]:
    """The comma-separated secrets in environment variable ``name`` (empty when unset)."""
    return [part.strip() for part in os.environ.get(name, "").split(",") if part.strip()]


async def print_event(event: WebhookEvent) -> None:
    print(f"{event.type}: {event.object_id}")


def main() -> None:
    secrets = secrets_from_env()
    if not secrets:
        raise SystemExit("set MIJNKLANTPORTAAL_WEBHOOK_SECRETS to your webhook secrets")
    logging.basicConfig(level=logging.INFO)
    web.run_app(create_app(secrets, print_event), port=8080)


if __name__ == "__main__":
    main()
