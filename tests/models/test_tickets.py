"""The Tickets API's models: the reply's body and reading a ticket with its messages."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from model_examples import refused
from operation_examples import TICKET, TICKET_LISTED

from mijnklantportaal_async import (
    Ticket,
    TicketAttachment,
    TicketMessageCreate,
    TicketSource,
    TicketStatus,
)
from mijnklantportaal_async._core.wire import from_wire, to_wire


def test_a_reply_is_its_message_stripped_html_and_all() -> None:
    reply = TicketMessageCreate(message="  <p>We will look into it!</p>\n")
    assert to_wire(reply) == {"message": "<p>We will look into it!</p>"}


@pytest.mark.parametrize(
    ("message", "reason"), [("   ", "must not be empty"), (None, "is required"), (5, "string")]
)
def test_an_empty_or_missing_reply_is_refused(message: Any, reason: str) -> None:
    error = refused(TicketMessageCreate, message=message)
    assert error.field == "message"
    assert reason in error.reason


def test_a_ticket_is_read_with_its_messages_and_attachments() -> None:
    ticket = from_wire(Ticket, TICKET)
    assert (ticket.source, ticket.status) == (TicketSource.PORTAL, TicketStatus.OPEN)
    [message] = ticket.messages
    assert message.id == "tim_abc12345def678"
    assert message.is_posted_by_customer is True
    assert message.posted_at == datetime.fromisoformat("2024-04-29T21:00:00+02:00")
    assert message.attachments == (
        TicketAttachment(
            id="tma_abc12345def678", name="Screenshot.png", size=1256, mime="image/png"
        ),
    )


def test_a_listed_ticket_has_no_messages() -> None:
    assert from_wire(Ticket, TICKET_LISTED).messages == ()


def test_a_status_the_docs_do_not_list_makes_the_answer_unreadable() -> None:
    with pytest.raises(ValueError, match="Ticket"):
        from_wire(Ticket, {**TICKET_LISTED, "status": "archived"})
