"""A webhook secret never shows: not in a ``Webhook``'s repr, not in a log line (ours,
aiohttp's, the FakePortal's), not in a ``WebhookSignatureError`` or any error
``parse_webhook`` raises, not in the locals of a library frame of their tracebacks, and not in
the body an unreadable create-webhook answer's error carries, nor in the locals of its
traceback's frames."""

from __future__ import annotations

import hashlib
import hmac
import logging
import traceback
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from model_examples import customer

import mijnklantportaal_async
from mijnklantportaal_async import (
    AmbiguousWriteError,
    APIResponseValidationError,
    CustomerCreate,
    MijnKlantportaal,
    RequestValidationError,
    WebhookCreate,
    WebhookPayloadError,
    WebhookSignatureError,
    WebhookType,
    parse_webhook,
)
from mijnklantportaal_async.testing import FakePortal

PACKAGE_DIR = str(Path(mijnklantportaal_async.__file__).parent)
SECRET = "OUJX2prdBbJxR77BZlGz"
ROTATED_OUT = "b5Yk0pQm2ZtR9wXc7LdA"
BODY = b'{"type": "customer-created", "data": {"id": "cst_abc12345def678"}}'


def hidden_everywhere(exc: BaseException, *values: str) -> None:
    """None of ``values`` is in the exception (str, repr, args, attributes), its chain, its
    formatted traceback, or the captured locals of a frame of the library."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    library_frames = 0
    for item in chain:
        texts = [str(item), repr(item), repr(item.args), repr(vars(item))]
        texts.append("".join(traceback.format_exception(item)))
        summary = traceback.TracebackException.from_exception(item, capture_locals=True)
        for frame in summary.stack:
            if frame.filename.startswith(PACKAGE_DIR):
                library_frames += 1
                texts += [f"{name}={value}" for name, value in (frame.locals or {}).items()]
        for value in values:
            assert not any(value in text for text in texts), (type(item).__name__, value)
    assert library_frames, "expected frames of the library in the traceback"


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG)  # the root logger: aiohttp's and the FakePortal's too
    caplog.set_level(logging.DEBUG, logger="mijnklantportaal_async")
    return caplog


def assert_not_logged(logs: pytest.LogCaptureFixture, *values: str) -> None:
    assert logs.records, "expected DEBUG records to inspect"
    for record in logs.records:
        for value in values:
            assert value not in record.getMessage()
            assert value not in repr(vars(record))


def hex_hmac(secret: str, body: bytes = BODY) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@pytest.mark.parametrize(
    "signature",
    [ROTATED_OUT, hex_hmac(ROTATED_OUT), SECRET[:-1] + "x"],
    ids=["another secret", "another secret's hmac", "nearly the secret"],
)
def test_a_refused_signature_shows_neither_the_header_nor_a_secret(
    signature: str, logs: pytest.LogCaptureFixture
) -> None:
    with pytest.raises(WebhookSignatureError) as info:
        parse_webhook(body=BODY, headers={"X-Webhook-Signature": signature}, secrets=[SECRET])
    hidden_everywhere(info.value, SECRET, signature, ROTATED_OUT)
    assert_not_logged(logs, SECRET, signature)


@pytest.mark.parametrize(
    ("secrets", "error"),
    [
        ([SECRET, 5], TypeError),
        ([SECRET, ""], RequestValidationError),
    ],
)
def test_refused_arguments_show_no_secret(secrets: list[Any], error: type[Exception]) -> None:
    with pytest.raises(error) as info:
        parse_webhook(body=BODY, headers={"X-Webhook-Signature": SECRET}, secrets=secrets)
    hidden_everywhere(info.value, SECRET)


@pytest.mark.parametrize("header", [SECRET, hex_hmac(SECRET, b"{nope")])
def test_a_verified_call_with_a_bad_body_shows_no_secret(header: str) -> None:
    with pytest.raises(WebhookPayloadError) as info:
        parse_webhook(body=b"{nope", headers={"X-Webhook-Signature": header}, secrets=[SECRET])
    hidden_everywhere(info.value, SECRET, header)


async def test_creating_listing_getting_and_delivering_webhooks_logs_no_secret(
    logs: pytest.LogCaptureFixture,
) -> None:
    async def receive(request: web.Request) -> web.Response:
        return web.Response(status=204)

    app = web.Application()
    app.router.add_post("/hooks", receive)
    receiver = TestServer(app, host="127.0.0.1")
    await receiver.start_server()
    shown: list[str] = []
    try:
        async with FakePortal() as portal, portal.client() as mkp:
            url = str(receiver.make_url("/hooks"))
            hook = await mkp.webhooks.create(WebhookCreate(url=url, type="customer-created"))
            listed = [item async for item in mkp.webhooks.list()]
            got = await mkp.webhooks.get(hook.id)
            await mkp.customers.create(CustomerCreate(**customer()))
            await portal.deliveries_settled()
            shown += [repr(hook), str(hook), repr(listed), repr(got), repr(mkp)]
            shown += [repr(portal.webhook_deliveries)]
    finally:
        await receiver.close()
    secret = hook.secret
    assert secret
    assert got.secret == secret == listed[0].secret
    assert [delivery.status for delivery in portal.webhook_deliveries] == [204]
    assert not any(secret in text for text in shown)
    assert_not_logged(logs, secret)


@pytest.fixture
async def unreadable() -> AsyncIterator[Callable[[], MijnKlantportaal]]:
    """A server answering every webhook request with a record that cannot be read (no
    ``id``) but holds a secret."""

    async def answer(request: web.Request) -> web.Response:
        record = {"type": "invoice-paid", "url": "https://example.org/h", "secret": SECRET}
        if request.path.endswith("/webhooks") and request.method == "GET":
            return web.json_response({"data": [record], "next_page_url": None})
        return web.json_response(record, status=201 if request.method == "POST" else 200)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", answer)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    yield lambda: MijnKlantportaal(api_key="k", base_url=str(server.make_url("/v1")))
    await server.close()


async def test_an_unreadable_webhook_answer_is_an_error_without_its_secret(
    unreadable: Callable[[], MijnKlantportaal], logs: pytest.LogCaptureFixture
) -> None:
    async with unreadable() as mkp:
        with pytest.raises(AmbiguousWriteError) as created:
            await mkp.webhooks.create(
                WebhookCreate(url="https://example.org/h", type=WebhookType.INVOICE_PAID)
            )
        with pytest.raises(APIResponseValidationError) as read:
            await mkp.webhooks.get("wbh_abc12345def678")
    cause = created.value.cause
    assert isinstance(cause, APIResponseValidationError)
    for error in (cause, read.value):
        assert error.body["secret"] == "[redacted]"
        assert error.body["type"] == "invoice-paid"  # the rest is kept, to see what was wrong
        for text in (str(error), repr(error), repr(error.body), repr(vars(error))):
            assert SECRET not in text
    for raised in (created.value, read.value):
        # nor in the locals of the request path's frames (the answer's repr leaves its body out)
        hidden_everywhere(raised, SECRET)
    assert_not_logged(logs, SECRET)
