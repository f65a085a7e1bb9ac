"""The FakePortal calls the webhook records of an event's type when its state changes, over
real loopback HTTP, signed as configured, after the API's answer; each call and its answer is
recorded. Every example operation delivers exactly the events listed in ``EVENTS``."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import http.server
import threading
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from typing import Any

import attrs
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from model_examples import customer, manual
from multidict import CIMultiDictProxy
from operation_examples import EXAMPLES, Example, call, make
from test_fakeportal_support import FakeClock

from mijnklantportaal_async import (
    CustomerCreate,
    ManualCustomerOfferCreate,
    MijnKlantportaal,
    PaymentLinkCreate,
    Webhook,
    WebhookCreate,
    WebhookType,
    parse_webhook,
)
from mijnklantportaal_async.testing import FakePortal, serve_in_thread
from mijnklantportaal_async.testing.handlers.payment_links import record_payment

EVENTS = {
    "create-customer": "customer-created",
    "create-customer-invoice": "invoice-created",
    "create-manual-customer-invoice": "invoice-created",
    "mark-customer-invoice-paid": "invoice-paid",
    "create-customer-offer": "offer-created",
    "create-customer-offer-manual": "offer-created",
    "mark-customer-offer-accepted-or-rejected": "offer-accepted",  # the example accepts
    "create-payment-link": "payment-link-created",
    "create-customer-subscription": "subscription-created",
    "change-customer-subscription": "subscription-updated",
    "sign-up-customer-subscription-package": "subscription-created",
    "add-ticket-message": "ticket-reply-employee",
    "schedule-appointment": "appointment-created",
    "change-appointment-status": "appointment-canceled",  # the example cancels
}
"""operationId -> the event its example delivers; every other operation delivers none."""


@attrs.frozen
class Received:
    path: str
    body: bytes
    headers: CIMultiDictProxy[str]


class Receiver:
    """A webhook receiver on loopback: records each call and answers ``status``; while
    ``stall`` is set, it waits for ``release`` before answering."""

    def __init__(self) -> None:
        self.calls: list[Received] = []
        self.status = 204
        self.stall = False
        self.release = asyncio.Event()
        self._arrived = asyncio.Condition()
        app = web.Application()
        app.router.add_post("/{tail:.*}", self._handle)
        self.server = TestServer(app, host="127.0.0.1")

    async def _handle(self, request: web.Request) -> web.Response:
        self.calls.append(Received(request.path, await request.read(), request.headers))
        async with self._arrived:
            self._arrived.notify_all()
        if self.stall:
            await self.release.wait()
        return web.Response(status=self.status, text="thanks")

    def url(self, path: str) -> str:
        return str(self.server.make_url(path))

    async def calls_arrived(self, count: int) -> None:
        """Wait (10 s at most) until ``count`` calls have arrived."""
        async with self._arrived:
            await asyncio.wait_for(self._arrived.wait_for(lambda: len(self.calls) >= count), 10)


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    receiving = Receiver()
    await receiving.server.start_server()
    yield receiving
    receiving.release.set()
    await receiving.server.close()


async def register_every_type(mkp: MijnKlantportaal, receiver: Receiver) -> dict[str, Webhook]:
    """One webhook record per event type, each at ``/hooks/<type>``."""
    hooks = {}
    for kind in WebhookType:
        url = receiver.url(f"/hooks/{kind}")
        hooks[kind.value] = await mkp.webhooks.create(WebhookCreate(url=url, type=kind))
    return hooks


def secrets_of(hooks: dict[str, Webhook]) -> list[str | None]:
    return [hook.secret for hook in hooks.values()]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda example: example.id)
async def test_each_operation_delivers_the_events_it_causes(
    example: Example, receiver: Receiver
) -> None:
    async with FakePortal(rate_limit=None) as portal, portal.client(rate_limit=None) as mkp:
        hooks = await register_every_type(mkp, receiver)
        given: dict[str, str] = {}
        for kind in example.needs:
            await make(kind, mkp, given, portal)
        await portal.deliveries_settled()
        before, calls_before = len(portal.webhook_deliveries), len(receiver.calls)
        result = await call(example, mkp, *example.args(given))
        await portal.deliveries_settled()
        delivered = portal.webhook_deliveries[before:]
        received = receiver.calls[calls_before:]

    expected = EVENTS.get(example.id)
    assert [delivery.type for delivery in delivered] == ([expected] if expected else [])
    if expected is None:
        assert received == []
        return
    [delivery] = delivered
    [call_] = received
    assert delivery.ok
    assert (delivery.status, delivery.error) == (204, None)
    assert delivery.webhook_id == hooks[expected].id
    assert call_.path == f"/hooks/{expected}"
    assert call_.body == delivery.body
    assert call_.headers["Content-Type"] == "application/json"
    event = parse_webhook(body=call_.body, headers=call_.headers, secrets=secrets_of(hooks))
    assert event.type == expected
    assert event.object_id == result.id
    assert event.data == delivery.payload["data"]
    assert event.data["id"] == result.id


@pytest.fixture
async def portal_and_client(
    receiver: Receiver,
) -> AsyncIterator[tuple[FakePortal, MijnKlantportaal, dict[str, Webhook]]]:
    clock = FakeClock()
    async with (
        FakePortal(rate_limit=None, clock=clock) as portal,
        portal.client(rate_limit=None) as mkp,
    ):
        hooks = await register_every_type(mkp, receiver)
        yield portal, mkp, hooks


def types_delivered(portal: FakePortal, since: int = 0) -> list[tuple[str, str]]:
    return [(d.type, d.payload["data"]["id"]) for d in portal.webhook_deliveries[since:]]


async def test_what_the_portal_does_on_its_own_is_delivered_too(
    portal_and_client: tuple[FakePortal, MijnKlantportaal, dict[str, Webhook]],
) -> None:
    """A customer opens a ticket; a payer pays a link; a link passes its expiry date."""
    portal, mkp, _ = portal_and_client
    ticket = portal.add_ticket(title="Invoice issue", message="<p>Help</p>")
    paid = await mkp.payment_links.create(PaymentLinkCreate(description="Fee", amount="12.95"))
    record_payment(portal.state, paid.id)
    today = portal.now().date()
    expiring = await mkp.payment_links.create(
        PaymentLinkCreate(description="Deposit", amount="50", expires_at=today)
    )
    assert isinstance(portal.state.clock, FakeClock)
    portal.state.clock.advance(timedelta(days=1).total_seconds())
    await mkp.payment_links.get(expiring.id)  # the portal notices the expiry when it reads it
    await mkp.payment_links.get(expiring.id)  # once
    await portal.deliveries_settled()
    assert types_delivered(portal) == [
        ("ticket-created", ticket["id"]),
        ("payment-link-created", paid.id),
        ("payment-link-paid", paid.id),
        ("payment-link-created", expiring.id),
        ("payment-link-expired", expiring.id),
    ]
    assert all(delivery.ok for delivery in portal.webhook_deliveries)


async def test_a_rejected_offer_delivers_offer_rejected(
    portal_and_client: tuple[FakePortal, MijnKlantportaal, dict[str, Webhook]],
) -> None:
    portal, mkp, _ = portal_and_client
    owner = await mkp.customers.create(CustomerCreate(**customer()))
    offer = await mkp.customer_offers.create_manual(
        ManualCustomerOfferCreate(**manual(customer_id=owner.id))
    )
    await mkp.customer_offers.mark_rejected(offer.id, "2024-05-01 10:00:00")
    await portal.deliveries_settled()
    assert types_delivered(portal)[-2:] == [
        ("offer-created", offer.id),
        ("offer-rejected", offer.id),
    ]


async def test_the_event_carries_the_object_as_it_was_then(
    portal_and_client: tuple[FakePortal, MijnKlantportaal, dict[str, Webhook]],
) -> None:
    portal, mkp, _ = portal_and_client
    owner = await mkp.customers.create(CustomerCreate(**customer()))
    await portal.deliveries_settled()
    before = len(portal.webhook_deliveries)
    ticket = portal.add_ticket(title="Invoice issue", message="<p>Help</p>", customer_id=owner.id)
    await mkp.tickets.reply(ticket["id"], "<p>On it</p>")
    await portal.deliveries_settled()
    created, replied = portal.webhook_deliveries[before:]
    assert len(created.payload["data"]["messages"]) == 1
    assert len(replied.payload["data"]["messages"]) == 2
    assert replied.payload["data"] == portal.objects("tickets")[ticket["id"]]


async def test_only_the_records_of_the_event_s_type_are_called_each_with_its_secret(
    receiver: Receiver,
) -> None:
    async with FakePortal(webhook_signature="hmac-sha256") as portal, portal.client() as mkp:
        first = await mkp.webhooks.create(
            WebhookCreate(url=receiver.url("/first"), type=WebhookType.CUSTOMER_CREATED)
        )
        second = await mkp.webhooks.create(
            WebhookCreate(url=receiver.url("/second"), type="customer-created")
        )
        await mkp.webhooks.create(
            WebhookCreate(url=receiver.url("/other"), type=WebhookType.INVOICE_PAID)
        )
        created = await mkp.customers.create(CustomerCreate(**customer()))
        await portal.deliveries_settled()
    by_path = {call_.path: call_ for call_ in receiver.calls}
    assert set(by_path) == {"/first", "/second"}
    for path, hook in (("/first", first), ("/second", second)):
        call_ = by_path[path]
        assert hook.secret is not None
        only_its_own = parse_webhook(body=call_.body, headers=call_.headers, secrets=[hook.secret])
        assert only_its_own.object_id == created.id


@pytest.mark.parametrize("scheme", ["secret", "hmac-sha256"])
async def test_the_signature_header_is_the_secret_or_the_body_s_hmac_as_configured(
    receiver: Receiver, scheme: str
) -> None:
    async with FakePortal(webhook_signature=scheme) as portal, portal.client() as mkp:
        hook = await mkp.webhooks.create(
            WebhookCreate(url=receiver.url("/hooks"), type=WebhookType.CUSTOMER_CREATED)
        )
        await mkp.customers.create(CustomerCreate(**customer()))
        await portal.deliveries_settled()
    [call_] = receiver.calls
    [delivery] = portal.webhook_deliveries
    assert hook.secret is not None
    expected = {
        "secret": hook.secret,
        "hmac-sha256": hmac.new(hook.secret.encode(), call_.body, hashlib.sha256).hexdigest(),
    }[scheme]
    assert call_.headers["X-Webhook-Signature"] == expected
    assert delivery.signature == scheme
    assert hook.secret not in repr(delivery)


async def test_the_signature_scheme_can_be_switched_and_is_checked(receiver: Receiver) -> None:
    async with FakePortal() as portal, portal.client() as mkp:
        assert portal.webhook_signature == "secret"
        portal.webhook_signature = "hmac-sha256"
        hook = await mkp.webhooks.create(
            WebhookCreate(url=receiver.url("/hooks"), type=WebhookType.CUSTOMER_CREATED)
        )
        await mkp.customers.create(CustomerCreate(**customer()))
        await portal.deliveries_settled()
        with pytest.raises(ValueError, match="secret, hmac-sha256"):
            portal.webhook_signature = "md5"
    assert receiver.calls[0].headers["X-Webhook-Signature"] != hook.secret
    assert portal.webhook_deliveries[0].signature == "hmac-sha256"
    with pytest.raises(ValueError, match="webhook_signature"):
        FakePortal(webhook_signature="sha1")
    with pytest.raises(ValueError, match="webhook_timeout"):
        FakePortal(webhook_timeout=0)


async def test_the_api_answers_before_the_receiver_does(receiver: Receiver) -> None:
    """A delivery leaves after the handler's answer and never holds it up (the receiver may
    itself call the API)."""
    receiver.stall = True
    async with FakePortal() as portal, portal.client() as mkp:
        await mkp.webhooks.create(
            WebhookCreate(url=receiver.url("/hooks"), type=WebhookType.CUSTOMER_CREATED)
        )
        created = await mkp.customers.create(CustomerCreate(**customer()))
        finished_before_the_receiver_answered = len(portal.webhook_deliveries)
        assert finished_before_the_receiver_answered == 0
        receiver.release.set()
        await portal.deliveries_settled()
    [delivery] = portal.webhook_deliveries
    assert (delivery.status, delivery.payload["data"]["id"]) == (204, created.id)


async def test_a_failing_receiver_is_recorded_not_raised(receiver: Receiver) -> None:
    receiver.status = 500
    async with FakePortal() as portal, portal.client() as mkp:
        await mkp.webhooks.create(
            WebhookCreate(url=receiver.url("/hooks"), type=WebhookType.CUSTOMER_CREATED)
        )
        await mkp.customers.create(CustomerCreate(**customer()))
        await portal.deliveries_settled()
    [delivery] = portal.webhook_deliveries
    assert (delivery.status, delivery.ok, delivery.error) == (500, False, None)
    assert delivery.response_body == "thanks"


async def test_a_receiver_that_does_not_answer_times_out_and_is_recorded(
    receiver: Receiver,
) -> None:
    receiver.stall = True  # released only at teardown
    async with FakePortal(webhook_timeout=0.1) as portal, portal.client() as mkp:
        await mkp.webhooks.create(
            WebhookCreate(url=receiver.url("/hooks"), type=WebhookType.CUSTOMER_CREATED)
        )
        await mkp.customers.create(CustomerCreate(**customer()))
        await portal.deliveries_settled()
    [delivery] = portal.webhook_deliveries
    assert (delivery.status, delivery.error) == (None, "timed out after 0.1 s")
    assert len(receiver.calls) == 1


async def test_a_closed_port_and_a_host_that_is_not_loopback_are_recorded_as_not_reached(
    receiver: Receiver,
) -> None:
    async with FakePortal() as portal, portal.client() as mkp:
        gone = TestServer(web.Application(), host="127.0.0.1")
        await gone.start_server()
        closed_url = str(gone.make_url("/hooks"))
        await gone.close()
        for url in (closed_url, "https://example.org/hooks"):
            await mkp.webhooks.create(WebhookCreate(url=url, type=WebhookType.CUSTOMER_CREATED))
        await mkp.customers.create(CustomerCreate(**customer()))
        await portal.deliveries_settled()
    refused, elsewhere = portal.webhook_deliveries
    assert refused.status is None
    assert refused.error is not None
    assert "Connect" in refused.error
    assert elsewhere.status is None
    assert elsewhere.error == (
        "not sent: the FakePortal calls loopback hosts only, not example.org"
    )


async def test_at_most_16_calls_are_in_flight_and_the_rest_wait_their_turn(
    receiver: Receiver,
) -> None:
    receiver.stall = True
    async with FakePortal(rate_limit=None) as portal, portal.client(rate_limit=None) as mkp:
        await mkp.webhooks.create(
            WebhookCreate(url=receiver.url("/hooks"), type=WebhookType.CUSTOMER_CREATED)
        )
        for number in range(20):
            await mkp.customers.create(CustomerCreate(**customer(company_name=f"C{number}")))
        await receiver.calls_arrived(16)  # the receiver holds them
        with pytest.raises(TimeoutError):  # a 17th would arrive within this time
            await asyncio.wait_for(receiver.calls_arrived(17), 0.2)
        held = len(receiver.calls)
        receiver.release.set()
        await portal.deliveries_settled()
    assert held == 16
    assert len(receiver.calls) == 20
    assert all(delivery.ok for delivery in portal.webhook_deliveries)


async def test_closing_the_portal_finishes_the_deliveries_under_way(receiver: Receiver) -> None:
    async with FakePortal() as portal, portal.client() as mkp:
        await mkp.webhooks.create(
            WebhookCreate(url=receiver.url("/hooks"), type=WebhookType.CUSTOMER_CREATED)
        )
        await mkp.customers.create(CustomerCreate(**customer()))
    assert [delivery.status for delivery in portal.webhook_deliveries] == [204]


@attrs.define
class _ThreadedReceiver:
    bodies: list[bytes] = attrs.Factory(list)


@pytest.fixture
def threaded_receiver() -> Iterator[tuple[str, _ThreadedReceiver]]:
    """A plain-HTTP receiver on a thread of its own (no event loop needed)."""
    seen = _ThreadedReceiver()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            seen.bodies.append(self.rfile.read(int(self.headers["Content-Length"])))
            self.send_response(204)
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hooks", seen
    server.shutdown()
    server.server_close()
    thread.join()


def test_a_change_made_from_a_test_thread_is_delivered_from_the_portal_s_loop(
    threaded_receiver: tuple[str, _ThreadedReceiver],
) -> None:
    url, seen = threaded_receiver

    async def register(portal: FakePortal) -> None:
        async with portal.client() as mkp:
            await mkp.webhooks.create(WebhookCreate(url=url, type=WebhookType.TICKET_CREATED))

    with serve_in_thread() as portal:
        asyncio.run(register(portal))
        ticket = portal.add_ticket(title="Invoice issue", message="<p>Help</p>")
    [delivery] = portal.webhook_deliveries  # closing the portal finished it
    assert (delivery.type, delivery.status) == ("ticket-created", 204)
    assert seen.bodies == [delivery.body]
    assert delivery.payload["data"]["id"] == ticket["id"]


async def test_a_change_while_the_portal_does_not_serve_is_recorded_as_not_sent(
    receiver: Receiver,
) -> None:
    portal = FakePortal()
    portal.state.store.add(
        "webhooks",
        {"id": "wbh_1", "type": "ticket-created", "url": receiver.url("/h"), "secret": "s"},
    )
    portal.add_ticket(title="Before", message="<p>Help</p>")
    async with portal:
        portal.add_ticket(title="While", message="<p>Help</p>")
    portal.add_ticket(title="After", message="<p>Help</p>")
    before, during, after = portal.webhook_deliveries
    not_serving = (None, "not sent: the FakePortal was not serving")
    assert (before.status, before.error) == (after.status, after.error) == not_serving
    assert during.status == 204
    assert len(receiver.calls) == 1
