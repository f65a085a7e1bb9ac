"""Receiving MijnKlantportaal webhooks in a FastAPI app.

The route takes the ``Request`` itself (not a pydantic model) so it can read the raw body
before anything parses it, verifies it with ``parse_webhook`` against the webhook secrets,
hands the event to a bounded queue and answers at once (204); a worker task started in the
app's lifespan works through the queue. A bad or missing signature is answered 401, a verified
body that is not an event 400, a full queue 503 (the call may be made again later).

Run it with the secrets of your webhook records (comma-separated; during a rotation both the
old and the new one)::

    MIJNKLANTPORTAAL_WEBHOOK_SECRETS=OUJX2prdBbJxR77BZlGz \\
        uvicorn --factory examples.webhooks_fastapi:app_from_env

and register ``https://<your host>/webhooks/mijnklantportaal`` with ``mkp.webhooks.create``.
Tested in tests/test_webhook_recipes.py against the FakePortal's webhook calls.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response

from mijnklantportaal_async import (
    WebhookEvent,
    WebhookPayloadError,
    WebhookSignatureError,
    parse_webhook,
)

PATH = "/webhooks/mijnklantportaal"
QUEUE_SIZE = 1000
"""Events waiting for the worker; when it is full, calls are answered 503."""

EventHandler = Callable[[WebhookEvent], Awaitable[None]]

log = logging.getLogger("webhooks")


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


def create_app(secrets: Sequence[str], on_event: EventHandler) -> FastAPI:
    """The app: ``POST /webhooks/mijnklantportaal`` checked against ``secrets`` (a list you
    may change in place to rotate), each event handed to ``on_event`` after the answer."""
    events: asyncio.Queue[WebhookEvent] = asyncio.Queue(maxsize=QUEUE_SIZE)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        worker = asyncio.create_task(work(events, on_event))
        yield
        worker.cancel()
        await asyncio.gather(worker, return_exceptions=True)

    app = FastAPI(lifespan=lifespan)

    @app.post(PATH, status_code=204)
    async def receive_webhook(request: Request) -> Response:
        body = await request.body()  # the raw bytes: the signature may be over exactly these
        try:
            event = parse_webhook(body=body, headers=request.headers, secrets=secrets)
        except WebhookSignatureError:
            return Response(status_code=401)
        except WebhookPayloadError as exc:
            log.warning("webhook refused: %s", exc)
            return Response(status_code=400)
        try:
            events.put_nowait(event)
        except asyncio.QueueFull:
            return Response(status_code=503)
        return Response(status_code=204)

    return app


def secrets_from_env(name: str = "MIJNKLANTPORTAAL_WEBHOOK_SECRETS") -> list[str]:
    """The comma-separated secrets in environment variable ``name`` (empty when unset)."""
    return [part.strip() for part in os.environ.get(name, "").split(",") if part.strip()]


async def log_event(event: WebhookEvent) -> None:
    log.info("%s: %s", event.type, event.object_id)


def app_from_env() -> FastAPI:
    """The app for ``uvicorn --factory examples.webhooks_fastapi:app_from_env``, with the
    secrets of ``MIJNKLANTPORTAAL_WEBHOOK_SECRETS``.

    Raises:
        RuntimeError: the variable is unset or holds no secret.
    """
    secrets = secrets_from_env()
    if not secrets:
        raise RuntimeError("set MIJNKLANTPORTAAL_WEBHOOK_SECRETS to your webhook secrets")
    return create_app(secrets, log_event)
