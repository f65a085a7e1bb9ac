"""Tickets API models: ``TicketMessageCreate`` (request), ``Ticket`` with its ``TicketMessage``
and ``TicketAttachment`` items (responses), ``TicketStatus`` and ``TicketSource``.

Operations: list-tickets, get-ticket, add-ticket-message, close-ticket. Tickets are opened by
customers (portal, e-mail, live chat); the API has no operation that creates one.
"""

from __future__ import annotations

import enum
from datetime import datetime

import attrs

from mijnklantportaal_async._core.wire import object_id
from mijnklantportaal_async.models._validators import name_errors, request_model, text

__all__ = [
    "Ticket",
    "TicketAttachment",
    "TicketMessage",
    "TicketMessageCreate",
    "TicketSource",
    "TicketStatus",
]


class TicketStatus(enum.StrEnum):
    """A ticket's status: ``OPEN``, or ``CLOSED`` by ``close-ticket`` (a reply reopens it)."""

    OPEN = "open"
    CLOSED = "closed"


class TicketSource(enum.StrEnum):
    """Where the customer opened the ticket. ``CHAT`` (live chat) tickets cannot be replied
    to through the API."""

    PORTAL = "portal"
    EMAIL = "email"
    CHAT = "chat"


@request_model
@attrs.frozen(kw_only=True, field_transformer=name_errors)
class TicketMessageCreate:
    """The body of ``add-ticket-message`` (``POST /tickets/{ticketId}``, JSON): ``message``,
    a non-empty string, HTML allowed (``"<p>We will look into it!</p>"``).
    ``mkp.tickets.reply(ticket_id, message)`` builds it.

    Raises:
        RequestValidationError: ``message`` is missing, not a string or empty.
    """

    message: str = attrs.field(converter=text)


@attrs.frozen(kw_only=True)
class TicketAttachment:
    """A file attached to a ticket message (ID ``tma_...``): ``name``, ``size`` in bytes and
    ``mime`` (its content type). Every field but ``id`` may be missing."""

    id: str = object_id("tma_")
    name: str | None = None
    size: int | None = None
    mime: str | None = None


@attrs.frozen(kw_only=True)
class TicketMessage:
    """One message of a ticket (ID ``tim_...``): ``message`` (HTML), who posted it
    (``posted_by``, a name; ``is_posted_by_customer``), ``posted_at`` (aware) and its
    ``attachments``. Every field but ``id`` may be missing."""

    id: str = object_id("tim_")
    posted_by: str | None = None
    is_posted_by_customer: bool | None = None
    message: str | None = None
    posted_at: datetime | None = None
    attachments: tuple[TicketAttachment, ...] = ()


@attrs.frozen(kw_only=True)
class Ticket:
    """A ticket as the API returns it (ID ``tic_...``).

    ``customer_id`` is None when no customer is linked; ``created_at`` is aware. ``messages``
    holds the conversation, oldest first, on a ticket from ``get``, ``reply`` and ``close``;
    list-tickets does not include messages, so a listed ticket's ``messages`` is empty (get
    the ticket for them). Every field but ``id`` may be missing.
    """

    id: str = object_id("tic_")
    customer_id: str | None = None
    title: str | None = None
    source: TicketSource | None = None
    status: TicketStatus | None = None
    created_at: datetime | None = None
    messages: tuple[TicketMessage, ...] = ()
