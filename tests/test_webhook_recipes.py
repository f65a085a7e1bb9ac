"""The receiving recipes in examples/ (aiohttp.web and FastAPI), each served on loopback and
called by the FakePortal's real webhook deliveries, with either signature form: they verify
the raw body, answer at once and hand the event to their worker, which here fetches the
object through the API as an app would."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import socket
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import aiohttp
import pytest
import uvicorn
from aiohttp import web
from model_examples import customer, invoice

from mijnklantportaal_async import (
    CustomerCreate,
    CustomerInvoice,
    CustomerInvoiceCreate,
    WebhookCreate,
    WebhookEvent,
    WebhookType,
)
from mijnklantportaal_async.testing import FakePortal

EventHandler = Callable[[WebhookEvent], Awaitable[None]]
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def load_example(name: str) -> ModuleType:
    """``examples/<name>.py``, imported from its file as a user would run it (examples/ is
    not a package)."""
    spec = importlib.util.spec_from_file_location(f"examples_{name}", EXAMPLES / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


webhooks_aiohttp = load_example("webhooks_aiohttp")
webhooks_fastapi = load_example("webhooks_fastapi")


def listening_socket() -> socket.socket:
    """A loopback socket already listening: calls wait in its backlog until the app serves,
    so nothing has to wait for the server to start."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    return sock


@asynccontextmanager
async def serve_aiohttp(
    secrets: list[str], on_event: EventHandler, sock: socket.socket
) -> AsyncIterator[None]:
    runner = web.AppRunner(webhooks_aiohttp.create_app(secrets, on_event))
    await runner.setup()
    await web.SockSite(runner, sock).start()
    try:
        yield
    finally:
        await runner.cleanup()


@asynccontextmanager
async def serve_fastapi(
    secrets: list[str], on_event: EventHandler, sock: socket.socket
) -> AsyncIterator[None]:
    app = webhooks_fastapi.create_app(secrets, on_event)
    server = uvicorn.Server(uvicorn.Config(app, lifespan="on", log_level="warning"))
    serving = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        yield
    finally:
        server.should_exit = True
        await asyncio.wait_for(serving, timeout=10)


RECIPES = {"aiohttp": serve_aiohttp, "fastapi": serve_fastapi}


async def next_item(queue: asyncio.Queue[Any]) -> Any:
    return await asyncio.wait_for(queue.get(), timeout=10)


@pytest.mark.parametrize("scheme", ["secret", "hmac-sha256"])
@pytest.mark.parametrize("recipe", sorted(RECIPES))
async def test_the_recipe_receives_the_portal_s_webhooks_and_acts_on_them(
    recipe: str, scheme: str
) -> None:
    sock = listening_socket()
    url = f"http://127.0.0.1:{sock.getsockname()[1]}{webhooks_aiohttp.PATH}"
    fetched: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()
    async with (
        FakePortal(webhook_signature=scheme) as portal,
        portal.client() as mkp,
    ):
        paid_hook = await mkp.webhooks.create(WebhookCreate(url=url, type=WebhookType.INVOICE_PAID))
        customer_hook = await mkp.webhooks.create(WebhookCreate(url=url, type="customer-created"))
        secrets = [hook.secret for hook in (paid_hook, customer_hook) if hook.secret]

        async def on_event(event: WebhookEvent) -> None:  # after the answer, as an app would
            if event.type == WebhookType.INVOICE_PAID:
                assert event.object_id is not None
                paid = await mkp.customer_invoices.get(event.object_id)
                await fetched.put((event.type, paid))
            else:
                await fetched.put((event.type, event.object_id))

        async with RECIPES[recipe](secrets, on_event, sock):
            owner = await mkp.customers.create(CustomerCreate(**customer()))
            bill = await mkp.customer_invoices.create(
                CustomerInvoiceCreate(**invoice(customer_id=owner.id))
            )
            await mkp.customer_invoices.mark_paid(bill.id, datetime(2024, 5, 12, 14, 0))
            first = await next_item(fetched)
            second = await next_item(fetched)
            await portal.deliveries_settled()

    # deliveries run concurrently: the receiver may see them in either order
    seen = dict([first, second])
    assert seen["customer-created"] == owner.id
    paid = seen["invoice-paid"]
    assert isinstance(paid, CustomerInvoice)
    assert (paid.id, paid.paid_at) == (bill.id, datetime.fromisoformat("2024-05-12T14:00+02:00"))
    assert [(d.type, d.status) for d in portal.webhook_deliveries] == [
        ("customer-created", 204),
        ("invoice-paid", 204),
    ]


@pytest.mark.parametrize("recipe", sorted(RECIPES))
async def test_the_recipe_answers_before_its_worker_is_done(recipe: str) -> None:
    """The event is queued and answered at once: a slow worker never holds up the portal."""
    sock = listening_socket()
    url = f"http://127.0.0.1:{sock.getsockname()[1]}{webhooks_aiohttp.PATH}"
    started, release = asyncio.Event(), asyncio.Event()

    async def slow(event: WebhookEvent) -> None:
        started.set()
        await release.wait()

    async with FakePortal() as portal, portal.client() as mkp:
        hook = await mkp.webhooks.create(WebhookCreate(url=url, type="customer-created"))
        assert hook.secret is not None
        async with RECIPES[recipe]([hook.secret], slow, sock):
            await mkp.customers.create(CustomerCreate(**customer()))
            await portal.deliveries_settled()
            [delivery] = portal.webhook_deliveries
            assert delivery.status == 204
            await asyncio.wait_for(started.wait(), timeout=10)
            assert not release.is_set()  # the worker is still busy with it
            release.set()


@pytest.mark.parametrize("recipe", sorted(RECIPES))
async def test_the_recipe_refuses_what_it_cannot_verify_or_read(recipe: str) -> None:
    sock = listening_socket()
    url = f"http://127.0.0.1:{sock.getsockname()[1]}{webhooks_aiohttp.PATH}"
    old, new = "b5Yk0pQm2ZtR9wXc7LdA", "OUJX2prdBbJxR77BZlGz"
    handled: list[WebhookEvent] = []

    async def keep(event: WebhookEvent) -> None:
        handled.append(event)

    body = json.dumps({"type": "customer-created", "data": {"id": "cst_1"}}).encode()
    async with RECIPES[recipe]([old, new], keep, sock), aiohttp.ClientSession() as session:

        async def post(data: bytes, signature: str | None) -> int:
            headers = {"X-Webhook-Signature": signature} if signature is not None else {}
            async with session.post(url, data=data, headers=headers) as response:
                return response.status

        assert await post(body, None) == 401
        assert await post(body, "not-the-secret") == 401
        assert await post(b"{not json", new) == 400
        assert await post(body, old) == 204  # a rotation: the old secret still verifies
        assert await post(body, new) == 204
    assert [event.object_id for event in handled] == ["cst_1", "cst_1"]


def test_the_recipes_need_their_secrets_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MIJNKLANTPORTAAL_WEBHOOK_SECRETS", " one, two ,,")
    assert webhooks_aiohttp.secrets_from_env() == ["one", "two"]
    assert webhooks_fastapi.app_from_env().title == "FastAPI"
    monkeypatch.delenv("MIJNKLANTPORTAAL_WEBHOOK_SECRETS")
    with pytest.raises(RuntimeError, match="MIJNKLANTPORTAAL_WEBHOOK_SECRETS"):
        webhooks_fastapi.app_from_env()
    with pytest.raises(SystemExit):
        webhooks_aiohttp.main()
