"""FakePortal handlers for the Tickets API: list-tickets, get-ticket, add-ticket-message,
close-ticket; and :func:`store_ticket`, behind ``FakePortal.add_ticket``.

Docs: /api-reference/tickets-api/*. The API has no operation that creates a ticket (customers
open them in the portal, by e-mail or in live chat), so tests add them with
``portal.add_ticket(...)``. What the docs leave open and this portal decides: a reply through
the API is posted by ``"API"`` (not by the customer) with no attachments; a reply to a live-chat
ticket (``source`` ``chat``) is refused with 422 and a message saying so, after the body is
checked; closing a closed ticket is answered 200 and changes nothing; a message may be up to
65535 characters (a TEXT column).
"""

from __future__ import annotations

from typing import Any

from mijnklantportaal_async.testing.handlers._common import (
    ApiError,
    Call,
    Handler,
    Reply,
    paginate,
    stored,
)
from mijnklantportaal_async.testing.state import PortalState, atom
from mijnklantportaal_async.testing.validation import Validator
from mijnklantportaal_async.testing.webhooks import deliver

__all__ = [
    "API_AUTHOR",
    "CHAT_REPLY_REFUSED",
    "HANDLERS",
    "add_ticket_message",
    "close_ticket",
    "get_ticket",
    "list_tickets",
    "store_ticket",
]

SOURCES = ("portal", "email", "chat")
STATUSES = ("open", "closed")
MESSAGE_MAX_LENGTH = 65535
API_AUTHOR = "API"
"""``postedBy`` of a message added through the API."""
CHAT_REPLY_REFUSED = "Tickets created from live chat cannot be replied to through the API."
"""The 422 message for a reply to a live-chat ticket."""


def _message(state: PortalState, text: str, *, posted_by: str, by_customer: bool) -> dict[str, Any]:
    return {
        "id": state.store.new_id("ticket_messages"),
        "postedBy": posted_by,
        "isPostedByCustomer": by_customer,
        "message": text,
        "postedAt": atom(state.now()),
        "attachments": [],
    }


def store_ticket(
    state: PortalState,
    *,
    title: str,
    message: str,
    customer_id: str | None = None,
    source: str = "portal",
    status: str = "open",
    posted_by: str | None = None,
) -> dict[str, Any]:
    """Store a ticket as a customer opens one: ``title`` and the customer's first ``message``
    (HTML), posted by ``posted_by`` (default: the customer's company name, else
    ``"Customer"``). Returns the stored TicketWithMessages wire dict (not a copy).

    Raises:
        ValueError: ``source`` or ``status`` is not documented, or ``customer_id`` names no
            stored customer.
    """
    if source not in SOURCES:
        raise ValueError(f"source must be one of {', '.join(SOURCES)}, not {source!r}")
    if status not in STATUSES:
        raise ValueError(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
    author = posted_by or "Customer"
    if customer_id is not None:
        customer = state.store.get("customers", customer_id)
        if customer is None:
            raise ValueError(f"no stored customer {customer_id!r}")
        author = posted_by or customer["companyName"]
    ticket: dict[str, Any] = {
        "id": state.store.new_id("tickets"),
        "customerId": customer_id,
        "title": title,
        "source": source,
        "status": status,
        "createdAt": atom(state.now()),
        "messages": [_message(state, message, posted_by=author, by_customer=True)],
    }
    state.store.add("tickets", ticket)
    deliver(state, "ticket-created", ticket)
    return ticket


def _ticket(call: Call) -> dict[str, Any]:
    return stored(call, "tickets", "ticketId", "Ticket")


async def list_tickets(call: Call) -> Reply:
    """GET /tickets (list-tickets): the paginated tickets, oldest first, without messages."""
    state = call.state
    items = [
        {key: value for key, value in ticket.items() if key != "messages"}
        for ticket in state.store.all("tickets")
    ]
    return Reply(200, paginate(state, "/tickets", items, call))


async def get_ticket(call: Call) -> Reply:
    """GET /tickets/{ticketId} (get-ticket): the ticket with its messages, or 404."""
    return Reply(200, _ticket(call))


async def add_ticket_message(call: Call) -> Reply:
    """POST /tickets/{ticketId} (add-ticket-message), JSON ``message`` (required, HTML
    allowed): adds the message and reopens a closed ticket. 200 + the ticket with its
    messages; 404; 422 for a missing message or a live-chat ticket."""
    ticket = _ticket(call)
    body = await call.body()
    check = Validator(body.data)
    text = check.string("message", required=True, max_length=MESSAGE_MAX_LENGTH)
    if text is not None and not text.strip():
        check.fail("message", "The :attribute field is required.")
    check.check()
    assert text is not None
    if ticket["source"] == "chat":
        raise ApiError(422, CHAT_REPLY_REFUSED)
    state = call.state
    ticket["messages"].append(_message(state, text, posted_by=API_AUTHOR, by_customer=False))
    ticket["status"] = "open"
    deliver(state, "ticket-reply-employee", ticket)
    return Reply(200, ticket)


async def close_ticket(call: Call) -> Reply:
    """PATCH /tickets/{ticketId} (close-ticket), no body: the ticket is closed (again: no
    change). 200 + the ticket with its messages; 404."""
    ticket = _ticket(call)
    ticket["status"] = "closed"
    return Reply(200, ticket)


HANDLERS: dict[str, Handler] = {
    "list-tickets": list_tickets,
    "get-ticket": get_ticket,
    "add-ticket-message": add_ticket_message,
    "close-ticket": close_ticket,
}
"""This module's handlers by operationId (``testing/routes.py`` joins them to the table)."""
