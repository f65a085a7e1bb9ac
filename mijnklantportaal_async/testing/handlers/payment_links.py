"""FakePortal handlers for the Payment Links API: list-, create-, get-payment-link,
close-payment-link, list-payment-link-payment. Docs: /api-reference/payment-links-api/.

A stored link's ``status`` is ``open`` until it is closed (``closed``), paid when single use
(``paid``) or read after the end of its ``expiresAt`` day, portal time (``expired``); its
``checkoutUrl`` (``<portal>/payment-link/<id>``, as the docs' ``demo.mijnklantportaal.nl``
examples) is null once it cannot be paid. Nothing pays a link through the API: a test records a
payment with :func:`record_payment` (``plp_...``, listed by list-payment-link-payment).
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, time, timedelta
from typing import Any

from mijnklantportaal_async.testing.handlers._common import (
    ApiError,
    Call,
    Handler,
    Reply,
    not_found,
    paginate,
)
from mijnklantportaal_async.testing.state import AMSTERDAM, PortalState, atom, money
from mijnklantportaal_async.testing.validation import Validator
from mijnklantportaal_async.testing.webhooks import deliver

__all__ = [
    "ALREADY_CLOSED",
    "HANDLERS",
    "close_payment_link",
    "create_payment_link",
    "get_payment_link",
    "list_payment_link_payments",
    "list_payment_links",
    "record_payment",
]

ALREADY_CLOSED = "Payment Link is already closed"
"""close-payment-link's documented 422 message for a link closed before."""


async def create_payment_link(call: Call) -> Reply:
    """POST /payment-links (create-payment-link), JSON.

    Required: description (string, at most 255 characters), amount (EUR string, at most 2
    decimals, more than 0). Optional: expiresAt (``YYYY-mm-dd``, not before the portal's today),
    reusable (boolean, default false). 201 + PaymentLink (status ``open``); 422 on bad input.
    """
    body = await call.body()
    state = call.state
    check = Validator(body.data)
    description = check.string("description", required=True)
    amount = check.money("amount", required=True)
    if amount is not None and amount <= 0:
        check.fail("amount", "The :attribute field must be greater than 0.")
    expires_at = check.date("expiresAt")
    check.after_or_equal("expiresAt", expires_at, "today", state.now().date())
    reusable = check.boolean("reusable")
    check.check()
    assert description is not None
    assert amount is not None
    link_id = state.store.new_id("payment_links")
    link: dict[str, Any] = {
        "id": link_id,
        "description": description,
        "currency": "EUR",
        "amount": money(amount),
        "reusable": bool(reusable),
        "expiresAt": atom(_end_of(expires_at)) if expires_at is not None else None,
        "status": "open",
        "checkoutUrl": _checkout_url(state, link_id),
        "createdAt": atom(state.now()),
    }
    state.store.add("payment_links", link)
    deliver(state, "payment-link-created", link)
    return Reply(201, link, stored_id=link_id)


async def list_payment_links(call: Call) -> Reply:
    """GET /payment-links (list-payment-links): the paginated links, oldest first."""
    state = call.state
    links = [_current(state, link) for link in state.store.all("payment_links")]
    return Reply(200, paginate(state, "/payment-links", links, call))


async def get_payment_link(call: Call) -> Reply:
    """GET /payment-links/{linkId} (get-payment-link): the PaymentLink, or 404."""
    return Reply(200, _link(call.state, call.params["linkId"]))


async def close_payment_link(call: Call) -> Reply:
    """DELETE /payment-links/{linkId} (close-payment-link): status ``closed``, checkoutUrl
    null; 200 + the updated PaymentLink (the link is kept, not deleted). 404 for an unknown
    ID; 422 ``{"message": "Payment Link is already closed"}`` when it was closed before."""
    link = _link(call.state, call.params["linkId"])
    if link["status"] == "closed":
        raise ApiError(422, ALREADY_CLOSED)
    link.update(status="closed", checkoutUrl=None)
    return Reply(200, link)


async def list_payment_link_payments(call: Call) -> Reply:
    """GET /payment-links/{linkId}/payments (list-payment-link-payment): the link's payments,
    paginated, oldest first; 404 for an unknown link (not on the docs page; Laravel's answer
    for an unknown ID)."""
    state = call.state
    link = _link(state, call.params["linkId"])
    payments = [
        payment
        for payment in state.store.all("payment_link_payments")
        if payment["paymentLinkId"] == link["id"]
    ]
    return Reply(200, paginate(state, f"/payment-links/{link['id']}/payments", payments, call))


def record_payment(
    state: PortalState,
    link_id: str,
    *,
    payers_name: str = "John Doe",
    status: str = "paid",
) -> dict[str, Any]:
    """Record a payment of the link's amount made through its checkout page, as the payment
    provider (Mollie) would report it, and return the stored PaymentLinkPayment (``plp_...``).

    A tool for tests (the API has no operation that pays a link): ``record_payment(
    portal.state, link.id, payers_name="Jan Jansen")``. A ``paid`` payment of a single use link
    makes the link ``paid`` (checkoutUrl null); a reusable link stays ``open``.

    Raises:
        KeyError: no payment link with that ID.
        ValueError: the link cannot be paid now (closed, expired, or a paid single use link).
    """
    link = state.store.get("payment_links", link_id)
    if link is None:
        raise KeyError(f"no payment link {link_id!r}")
    current = _current(state, link)
    if current["status"] != "open":
        raise ValueError(f"payment link {link_id} is {current['status']}: it cannot be paid")
    payment_id = state.store.new_id("payment_link_payments")
    payment = {
        "id": payment_id,
        "paymentLinkId": link_id,
        "currency": link["currency"],
        "amount": link["amount"],
        "status": status,
        "payersName": payers_name,
        "integration": "mollie",
        "integrationId": "tr_" + hashlib.sha256(payment_id.encode()).hexdigest()[:10],
        "createdAt": atom(state.now()),
    }
    state.store.add("payment_link_payments", payment)
    if status == "paid" and not link["reusable"]:
        link.update(status="paid", checkoutUrl=None)
    if status == "paid":
        deliver(state, "payment-link-paid", link)
    return payment


def _link(state: PortalState, link_id: str) -> dict[str, Any]:
    """The stored link, brought up to date (expiry), or the documented 404."""
    link = state.store.get("payment_links", link_id)
    if link is None:
        raise not_found("Payment Link")
    return _current(state, link)


def _current(state: PortalState, link: dict[str, Any]) -> dict[str, Any]:
    """``link`` marked ``expired`` (checkoutUrl null) once the portal's clock is past its
    ``expiresAt``, as the real portal does when the ``payment-link-expired`` webhook fires."""
    expires = link["expiresAt"]
    open_ = link["status"] == "open"
    if open_ and expires is not None and state.now() > datetime.fromisoformat(expires):
        link.update(status="expired", checkoutUrl=None)
        deliver(state, "payment-link-expired", link)
    return link


def _end_of(day: date) -> datetime:
    """The last second of ``day`` in portal time: a link expiring on a date can be paid all
    that day."""
    return datetime.combine(day + timedelta(days=1), time(), tzinfo=AMSTERDAM) - timedelta(
        seconds=1
    )


def _checkout_url(state: PortalState, link_id: str) -> str:
    return f"{state.site_root}/payment-link/{link_id}"


HANDLERS: dict[str, Handler] = {
    "list-payment-links": list_payment_links,
    "create-payment-link": create_payment_link,
    "get-payment-link": get_payment_link,
    "close-payment-link": close_payment_link,
    "list-payment-link-payment": list_payment_link_payments,
}
"""This module's handlers by operationId (``testing/routes.py`` joins them to the table)."""
