"""FakePortal handlers for the Customer Offers API.

create-customer-offer (POST /customer-offers, multipart with ``pdf``; seed page),
create-customer-offer-manual (POST /customer-offers/manual, JSON with ``lines``; seed page),
list-customer-offers, get-customer-offer and mark-customer-offer-accepted-or-rejected (PATCH).
Docs: /api-reference/customer-offers-api/.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import attrs

from mijnklantportaal_async.testing.handlers._common import (
    Call,
    Handler,
    Reply,
    customer_link,
    paginate,
    stored,
)
from mijnklantportaal_async.testing.handlers._documents import (
    check_customer,
    check_license,
    check_lines,
    notify,
)
from mijnklantportaal_async.testing.state import AMSTERDAM, PortalState, atom, money
from mijnklantportaal_async.testing.validation import Validator
from mijnklantportaal_async.testing.webhooks import deliver

__all__ = [
    "HANDLERS",
    "create_customer_offer",
    "create_manual_customer_offer",
    "get_customer_offer",
    "list_customer_offers",
    "mark_customer_offer_accepted_or_rejected",
]


@attrs.frozen
class _Offer:
    customer_id: str
    number: str
    issued_at: date
    expires_at: date
    amount: Decimal
    accepted_at: datetime | None = None
    accepted_via_ip: str | None = None
    accepted_via_user_agent: str | None = None
    rejected_at: datetime | None = None


def _check_head(
    check: Validator, state: PortalState
) -> tuple[str | None, str | None, date | None, date | None]:
    customer_id = check_customer(check, state)
    number = check.string("offerNumber", required=True)
    issued_at = check.date("issuedAt", required=True)
    expires_at = check.date("expiresAt", required=True)
    check.after_or_equal("expiresAt", expires_at, "issuedAt", issued_at)
    return customer_id, number, issued_at, expires_at


async def create_customer_offer(call: Call) -> Reply:
    """POST /customer-offers (create-customer-offer), multipart/form-data.

    Required: customerId, offerNumber, issuedAt and expiresAt (``YYYY-mm-dd``, expiresAt not
    before issuedAt), amount (EUR string), pdf (``%PDF-``). Optional: sendNotification,
    acceptedAt / rejectedAt (``YYYY-mm-dd HH:mm:ss``), acceptedViaIp, acceptedViaUserAgent
    (kept only with acceptedAt). 201 + CustomerOffer; 422; 426 at the licence limit.
    """
    body = await call.body()
    state = call.state
    check = Validator(body.data)
    customer_id, number, issued_at, expires_at = _check_head(check, state)
    amount = check.money("amount", required=True)
    send = check.boolean("sendNotification")
    accepted_at = check.datetime("acceptedAt")
    via_ip = check.string("acceptedViaIp")
    via_agent = check.string("acceptedViaUserAgent", max_length=1024)
    rejected_at = check.datetime("rejectedAt")
    pdf = check.file("pdf", required=True, pdf=True)
    check.check()
    assert customer_id is not None
    assert number is not None
    assert issued_at is not None
    assert expires_at is not None
    assert amount is not None
    assert pdf is not None
    check_license(state, "offers")
    offer = _store(
        state,
        _Offer(
            customer_id,
            number,
            issued_at,
            expires_at,
            amount,
            accepted_at,
            via_ip if accepted_at else None,
            via_agent if accepted_at else None,
            rejected_at,
        ),
    )
    state.store.files[offer["id"]] = pdf
    notify(call, "offer", offer, send)
    return Reply(201, offer, stored_id=offer["id"])


async def create_manual_customer_offer(call: Call) -> Reply:
    """POST /customer-offers/manual (create-customer-offer-manual), JSON.

    Required: customerId, offerNumber, issuedAt, expiresAt and ``lines`` (each description,
    amountExclVat, vatRate 0/9/21); optional sendNotification. The amount is the total
    including VAT. 201 + CustomerOffer; 422; 426 at the licence limit.
    """
    body = await call.body()
    state = call.state
    check = Validator(body.data)
    customer_id, number, issued_at, expires_at = _check_head(check, state)
    total = check_lines(check)
    send = check.boolean("sendNotification")
    check.check()
    assert customer_id is not None
    assert number is not None
    assert issued_at is not None
    assert expires_at is not None
    assert total is not None
    check_license(state, "offers")
    offer = _store(state, _Offer(customer_id, number, issued_at, expires_at, total))
    notify(call, "offer", offer, send)
    return Reply(201, offer, stored_id=offer["id"])


def _local(moment: datetime | None) -> str | None:
    return atom(moment.replace(tzinfo=AMSTERDAM)) if moment else None


def _store(state: PortalState, offer: _Offer) -> dict[str, Any]:
    wire = {
        "id": state.store.new_id("customer_offers"),
        "customerId": offer.customer_id,
        "offerNumber": offer.number,
        "issuedAt": offer.issued_at.isoformat(),
        "expiresAt": offer.expires_at.isoformat(),
        "currency": "EUR",
        "amount": money(offer.amount),
        "acceptedAt": _local(offer.accepted_at),
        "acceptedViaIp": offer.accepted_via_ip,
        "acceptedViaUserAgent": offer.accepted_via_user_agent,
        "acceptanceSignature": None,
        "rejectedAt": _local(offer.rejected_at),
        "createdAt": atom(state.now()),
        "links": {"customer": customer_link(state, offer.customer_id)},
    }
    state.store.add("customer_offers", wire)
    state.license.count("offers", state.month())
    deliver(state, "offer-created", wire)
    return wire


async def list_customer_offers(call: Call) -> Reply:
    """GET /customer-offers (list-customer-offers): paginated, oldest first."""
    state = call.state
    offers = state.store.all("customer_offers")
    return Reply(200, paginate(state, "/customer-offers", offers, call))


def _offer(call: Call) -> dict[str, Any]:
    return stored(call, "customer_offers", "offerId", "Customer Offer")


async def get_customer_offer(call: Call) -> Reply:
    """GET /customer-offers/{offerId} (get-customer-offer): the offer, or 404."""
    return Reply(200, _offer(call))


async def mark_customer_offer_accepted_or_rejected(call: Call) -> Reply:
    """PATCH /customer-offers/{offerId} (mark-customer-offer-accepted-or-rejected), JSON.

    One of acceptedAt and rejectedAt (``YYYY-mm-dd HH:mm:ss``, portal local time) is
    required, not both. acceptedViaIp and acceptedViaUserAgent (strings, as on create) are
    read only with acceptedAt (the docs: ignored without it). 200 + the CustomerOffer; 404;
    422.

    The offer holds one decision. Accepting sets acceptedAt and both acceptedVia* fields (null
    when not given: they describe this acceptance); rejecting sets rejectedAt. The same
    decision again replaces its moment (so resending a request changes nothing); the other
    decision on a decided offer is refused with 422 ("The offer is already accepted.").
    """
    offer = _offer(call)
    body = await call.body()
    check = Validator(body.data)
    accepted_at = check.datetime("acceptedAt")
    rejected_at = check.datetime("rejectedAt")
    via_ip = via_agent = None
    if check.value("acceptedAt") is not None:
        via_ip = check.string("acceptedViaIp")
        via_agent = check.string("acceptedViaUserAgent", max_length=1024)
    if accepted_at is not None and rejected_at is not None:
        check.fail("rejectedAt", "The :attribute field is prohibited when accepted at is present.")
    elif not check.errors:
        if accepted_at is None and rejected_at is None:
            check.fail(
                "acceptedAt", "The :attribute field is required when rejected at is not present."
            )
        elif accepted_at is not None and offer["rejectedAt"] is not None:
            check.fail("acceptedAt", "The offer is already rejected.")
        elif rejected_at is not None and offer["acceptedAt"] is not None:
            check.fail("rejectedAt", "The offer is already accepted.")
    check.check()
    if accepted_at is not None:
        offer["acceptedAt"] = _local(accepted_at)
        offer["acceptedViaIp"] = via_ip
        offer["acceptedViaUserAgent"] = via_agent
    else:
        offer["rejectedAt"] = _local(rejected_at)
    deliver(call.state, "offer-accepted" if accepted_at else "offer-rejected", offer)
    return Reply(200, offer)


HANDLERS: dict[str, Handler] = {
    "create-customer-offer": create_customer_offer,
    "create-customer-offer-manual": create_manual_customer_offer,
    "list-customer-offers": list_customer_offers,
    "get-customer-offer": get_customer_offer,
    "mark-customer-offer-accepted-or-rejected": mark_customer_offer_accepted_or_rejected,
}
"""This module's handlers by operationId (``testing/routes.py`` joins them to the table)."""
