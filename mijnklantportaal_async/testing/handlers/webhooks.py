"""FakePortal handlers for the Webhooks API: create-webhook, list-webhooks, get-webhook.

Docs: /api-reference/webhooks-api/*. What the docs leave open and this portal decides: ``url``
must be an absolute http(s) URL of at most 255 characters (Laravel's ``url`` rule); ``type`` one
of the 23 documented event types; the ``secret`` is 20 random letters and digits, like the docs'
``OUJX2prdBbJxR77BZlGz``; the same URL may be registered more than once. The portal calls the
stored records when its state changes: see ``testing/webhooks.py``.
"""

from __future__ import annotations

import secrets
import string
from typing import Any

import yarl

from mijnklantportaal_async.testing.handlers._common import (
    Call,
    Handler,
    Reply,
    not_found,
    paginate,
)
from mijnklantportaal_async.testing.state import atom
from mijnklantportaal_async.testing.validation import Validator

__all__ = ["EVENT_TYPES", "HANDLERS", "create_webhook", "get_webhook", "list_webhooks"]

EVENT_TYPES = (
    "appointment-created",
    "appointment-canceled",
    "customer-created",
    "customer-deleted",
    "offer-created",
    "offer-deleted",
    "offer-accepted",
    "offer-rejected",
    "invoice-created",
    "invoice-chargeback",
    "invoice-paid",
    "invoice-deleted",
    "payment-link-created",
    "payment-link-expired",
    "payment-link-paid",
    "ticket-created",
    "ticket-reply-customer",
    "ticket-reply-employee",
    "subscription-created",
    "subscription-updated",
    "subscription-deleted",
    "subscription-payment-created",
    "subscription-payment-updated",
)
"""The documented event types (api/NOTES.md section 6), in the docs' order."""

_SECRET_ALPHABET = string.ascii_letters + string.digits
_SECRET_LENGTH = 20


def _is_url(value: str) -> bool:
    try:
        url = yarl.URL(value)
    except (TypeError, ValueError):
        return False
    return url.scheme in ("http", "https") and bool(url.host)


async def create_webhook(call: Call) -> Reply:
    """POST /webhooks (create-webhook), JSON. Required: url (an http(s) URL, at most 255
    characters), type (a documented event type). 201 + Webhook with its ``secret``; 422."""
    body = await call.body()
    state = call.state
    check = Validator(body.data)
    url = check.string("url", required=True)
    if url is not None and not _is_url(url):
        check.fail("url", "The :attribute field must be a valid URL.")
    event_type = check.string("type", required=True)
    if event_type is not None and event_type not in EVENT_TYPES:
        check.fail("type", "The selected :attribute is invalid.")
    check.check()
    webhook: dict[str, Any] = {
        "id": state.store.new_id("webhooks"),
        "type": event_type,
        "url": url,
        "secret": "".join(secrets.choice(_SECRET_ALPHABET) for _ in range(_SECRET_LENGTH)),
        "createdAt": atom(state.now()),
    }
    state.store.add("webhooks", webhook)
    return Reply(201, webhook, stored_id=webhook["id"])


async def list_webhooks(call: Call) -> Reply:
    """GET /webhooks (list-webhooks): the paginated webhook records, oldest first."""
    state = call.state
    return Reply(200, paginate(state, "/webhooks", state.store.all("webhooks"), call))


async def get_webhook(call: Call) -> Reply:
    """GET /webhooks/{webhookId} (get-webhook): the Webhook, or 404."""
    webhook = call.state.store.get("webhooks", call.params["webhookId"])
    if webhook is None:
        raise not_found("Webhook")
    return Reply(200, webhook)


HANDLERS: dict[str, Handler] = {
    "create-webhook": create_webhook,
    "list-webhooks": list_webhooks,
    "get-webhook": get_webhook,
}
"""This module's handlers by operationId (``testing/routes.py`` joins them to the table)."""
