"""``mkp.tickets``: list, get, reply (which reopens) and close, against the FakePortal, whose
``add_ticket`` stands in for the customer who opens a ticket (the API cannot create one)."""

from __future__ import annotations

import pytest
from model_examples import customer

from mijnklantportaal_async import (
    AmbiguousWriteError,
    CustomerCreate,
    MijnKlantportaal,
    NotFoundError,
    RequestValidationError,
    RetryPolicy,
    TicketSource,
    TicketStatus,
    UnprocessableEntityError,
)
from mijnklantportaal_async.testing import FakePortal, FaultKind

pytestmark = pytest.mark.fake_portal(rate_limit=None)


async def test_a_ticket_opened_by_a_customer_is_listed_and_read(
    fake_portal: FakePortal, mkp: MijnKlantportaal
) -> None:
    owner = await mkp.customers.create(CustomerCreate(**customer()))
    opened = fake_portal.add_ticket(
        title="Invoice issue", message="<p>Help me with my invoice</p>", customer_id=owner.id
    )

    [listed] = [ticket async for ticket in mkp.tickets.list()]
    ticket = await mkp.tickets.get(opened["id"])

    assert listed.id == ticket.id == opened["id"]
    assert listed.messages == ()  # the list carries no messages
    assert (ticket.customer_id, ticket.title) == (owner.id, "Invoice issue")
    assert (ticket.source, ticket.status) == (TicketSource.PORTAL, TicketStatus.OPEN)
    [message] = ticket.messages
    assert message.id.startswith("tim_")
    assert (message.posted_by, message.is_posted_by_customer) == (owner.company_name, True)
    assert message.message == "<p>Help me with my invoice</p>"


async def test_the_list_is_paginated(fake_portal: FakePortal, mkp: MijnKlantportaal) -> None:
    opened = [fake_portal.add_ticket(title=f"T{n}", message="?")["id"] for n in range(17)]

    assert [ticket.id async for ticket in mkp.tickets.list()] == opened
    assert [r.query for r in fake_portal.requests] == [{}, {"page": "2"}]


async def test_a_reply_adds_a_message_a_later_get_returns(
    fake_portal: FakePortal, mkp: MijnKlantportaal
) -> None:
    opened = fake_portal.add_ticket(title="Invoice issue", message="<p>Help</p>")

    replied = await mkp.tickets.reply(opened["id"], "<p>We will look into it!</p>")

    assert [m.message for m in replied.messages] == ["<p>Help</p>", "<p>We will look into it!</p>"]
    reply = replied.messages[-1]
    assert reply.id.startswith("tim_")
    assert reply.is_posted_by_customer is False
    assert await mkp.tickets.get(opened["id"]) == replied
    assert fake_portal.requests[0].body == {"message": "<p>We will look into it!</p>"}


async def test_a_closed_ticket_reports_closed_and_a_reply_reopens_it(
    fake_portal: FakePortal, mkp: MijnKlantportaal
) -> None:
    opened = fake_portal.add_ticket(title="Invoice issue", message="<p>Help</p>")

    closed = await mkp.tickets.close(opened["id"])

    assert closed.status is TicketStatus.CLOSED
    assert (await mkp.tickets.get(opened["id"])).status is TicketStatus.CLOSED
    assert [t.status async for t in mkp.tickets.list()] == [TicketStatus.CLOSED]
    close = fake_portal.requests[0]
    assert (close.method, close.body) == ("PATCH", None)  # close-ticket has no body
    assert (await mkp.tickets.close(opened["id"])).status is TicketStatus.CLOSED  # again: same

    reopened = await mkp.tickets.reply(opened["id"], "Is it solved now?")

    assert reopened.status is TicketStatus.OPEN
    assert len(reopened.messages) == 2
    assert fake_portal.objects("tickets")[opened["id"]]["status"] == "open"


async def test_a_live_chat_ticket_cannot_be_replied_to(
    fake_portal: FakePortal, mkp: MijnKlantportaal
) -> None:
    chat = fake_portal.add_ticket(title="Chat", message="Hi!", source="chat")

    with pytest.raises(UnprocessableEntityError, match="live chat"):
        await mkp.tickets.reply(chat["id"], "Hello")

    assert len((await mkp.tickets.get(chat["id"])).messages) == 1
    assert (await mkp.tickets.close(chat["id"])).status is TicketStatus.CLOSED


async def test_bad_input_is_refused_naming_the_field_before_anything_is_sent(
    fake_portal: FakePortal, mkp: MijnKlantportaal
) -> None:
    with pytest.raises(RequestValidationError) as info:
        await mkp.tickets.reply("tic_abc12345def678", "   ")
    assert info.value.field == "message"
    with pytest.raises(RequestValidationError) as info:
        await mkp.tickets.close("")
    assert info.value.field == "ticket_id"
    assert fake_portal.requests == ()


async def test_an_unknown_ticket_is_not_found(mkp: MijnKlantportaal) -> None:
    unknown = "tic_unknown0000000"
    with pytest.raises(NotFoundError, match="No Ticket can be found"):
        await mkp.tickets.get(unknown)
    with pytest.raises(NotFoundError, match="No Ticket can be found"):
        await mkp.tickets.reply(unknown, "Hello")
    with pytest.raises(NotFoundError, match="No Ticket can be found"):
        await mkp.tickets.close(unknown)


async def test_a_reply_whose_answer_is_lost_is_ambiguous_and_never_resent(
    fake_portal: FakePortal,
) -> None:
    opened = fake_portal.add_ticket(title="Invoice issue", message="<p>Help</p>")
    fake_portal.faults.script("add-ticket-message", [FaultKind.RESET_AFTER_STORE])
    async with fake_portal.client(rate_limit=None, retry=RetryPolicy(max_retries=3)) as mkp:
        with pytest.raises(AmbiguousWriteError):
            await mkp.tickets.reply(opened["id"], "Posted once")
        ticket = await mkp.tickets.get(opened["id"])
    assert [m.message for m in ticket.messages].count("Posted once") == 1
    assert [r.operation_id for r in fake_portal.requests].count("add-ticket-message") == 1
