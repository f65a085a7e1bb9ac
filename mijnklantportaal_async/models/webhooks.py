"""Webhooks API models: ``WebhookCreate`` (request), ``Webhook`` (response) and
``WebhookType``, the 23 documented event types.

Operations: create-webhook, list-webhooks, get-webhook. A webhook record has one event type;
the portal calls its ``url`` when such an event happens, with the record's ``secret`` in the
``X-Webhook-Signature`` header (:func:`mijnklantportaal_async.parse_webhook` checks it). The
``secret`` is never shown in a repr.
"""

from __future__ import annotations

import enum
from datetime import datetime

import attrs
import yarl

from mijnklantportaal_async._core.settings import is_loopback
from mijnklantportaal_async.models._validators import (
    Invalid,
    name_errors,
    one_of,
    request_model,
    text,
)

__all__ = ["Webhook", "WebhookCreate", "WebhookType"]


class WebhookType(enum.StrEnum):
    """The event a webhook record is called for; its value is the wire string
    (``WebhookType.INVOICE_PAID == "invoice-paid"``). One type per webhook record: register a
    record per event type you want."""

    APPOINTMENT_CREATED = "appointment-created"
    APPOINTMENT_CANCELED = "appointment-canceled"
    CUSTOMER_CREATED = "customer-created"
    CUSTOMER_DELETED = "customer-deleted"
    OFFER_CREATED = "offer-created"
    OFFER_DELETED = "offer-deleted"
    OFFER_ACCEPTED = "offer-accepted"
    OFFER_REJECTED = "offer-rejected"
    INVOICE_CREATED = "invoice-created"
    INVOICE_CHARGEBACK = "invoice-chargeback"
    INVOICE_PAID = "invoice-paid"
    INVOICE_DELETED = "invoice-deleted"
    PAYMENT_LINK_CREATED = "payment-link-created"
    PAYMENT_LINK_EXPIRED = "payment-link-expired"
    PAYMENT_LINK_PAID = "payment-link-paid"
    TICKET_CREATED = "ticket-created"
    TICKET_REPLY_CUSTOMER = "ticket-reply-customer"
    TICKET_REPLY_EMPLOYEE = "ticket-reply-employee"
    SUBSCRIPTION_CREATED = "subscription-created"
    SUBSCRIPTION_UPDATED = "subscription-updated"
    SUBSCRIPTION_DELETED = "subscription-deleted"
    SUBSCRIPTION_PAYMENT_CREATED = "subscription-payment-created"
    SUBSCRIPTION_PAYMENT_UPDATED = "subscription-payment-updated"


def webhook_type(value: WebhookType | str) -> WebhookType:
    """A :class:`WebhookType`, or its exact wire string (``"invoice-paid"``)."""
    return one_of(WebhookType, value, example="invoice-paid")


def webhook_url(value: str) -> str:
    """An absolute https URL with a host and no credentials; plain http only on a loopback
    host (the signature header may carry the secret itself, so it must not travel in clear)."""
    address = text(value)
    try:
        url = yarl.URL(address)
    except (TypeError, ValueError):
        raise Invalid("is not a URL") from None
    if not url.is_absolute() or not url.host:
        raise Invalid("must be an absolute URL such as 'https://example.org/hooks'")
    if url.user is not None or url.password is not None:
        raise Invalid("must not carry a user name or password")
    if url.scheme == "https" or (url.scheme == "http" and is_loopback(url.host)):
        return address
    raise Invalid(f"must be https (plain http only for loopback hosts), not {url.scheme}://")


@request_model
@attrs.frozen(kw_only=True, field_transformer=name_errors)
class WebhookCreate:
    """A new webhook record, for ``create-webhook`` (``POST /webhooks``, JSON ``{url, type}``).

    Docs: ``/api-reference/webhooks-api/create-webhook-record``.

    Fields:
        url: the URL the portal calls, absolute https (plain http only on a loopback host such
            as ``http://127.0.0.1:8080/hooks``).
        type: the one event type it is called for: a :class:`WebhookType` or its string
            (``"invoice-paid"``).

    A webhook record has no documented natural key, so an ambiguous create
    (``AmbiguousWriteError``) is never sent again by the client: list the webhooks and look
    for the ``url`` and ``type``.

    Raises:
        RequestValidationError: a field is missing or invalid (``.field`` names it).
    """

    url: str = attrs.field(converter=webhook_url)
    type: WebhookType = attrs.field(converter=webhook_type)


@attrs.frozen(kw_only=True)
class Webhook:
    """A webhook record as the API returns it (ID ``wbh_...``).

    ``secret`` is the random string the portal puts in the ``X-Webhook-Signature`` header of
    each call to ``url`` (pass it to :func:`~mijnklantportaal_async.parse_webhook`); it is
    left out of the repr, so logging a ``Webhook`` never shows it. Store it as you would a
    password. ``created_at`` is aware. Every field but ``id`` may be missing.
    """

    id: str
    type: WebhookType | None = None
    url: str | None = None
    secret: str | None = attrs.field(default=None, repr=False)
    created_at: datetime | None = None
