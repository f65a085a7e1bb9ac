"""The FakePortal's Tickets API on the wire, and ``FakePortal.add_ticket``, the stand-in for a
customer opening a ticket (the API has no create-ticket operation)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from test_fakeportal_support import FakeClock, call, create_customer

from mijnklantportaal_async.testing import FakePortal
from mijnklantportaal_async.testing.handlers.tickets import API_AUTHOR, CHAT_REPLY_REFUSED


@pytest.fixture
async def wire() -> AsyncIterator[tuple[FakePortal, aiohttp.ClientSession]]:
    async with (
        FakePortal(rate_limit=None, clock=FakeClock()) as portal,
        aiohttp.ClientSession() as session,
    ):
        yield portal, session


async def test_add_ticket_stores_what_a_customer_opens(
    wire: tuple[FakePortal, aiohttp.ClientSession],
) -> None:
    portal, session = wire
    owner = await create_customer(session, portal)
    ticket = portal.add_ticket(
        title="Invoice issue", message="<p>Help</p>", customer_id=owner["id"], source="email"
    )
    assert re.fullmatch(r"tic_[a-z0-9]{14}", ticket["id"])
    assert ticket == {
        "id": ticket["id"],
        "customerId": owner["id"],
        "title": "Invoice issue",
        "source": "email",
        "status": "open",
        "createdAt": "2024-04-28T21:00:00+02:00",
        "messages": [
            {
                "id": ticket["messages"][0]["id"],
                "postedBy": owner["companyName"],
                "isPostedByCustomer": True,
                "message": "<p>Help</p>",
                "postedAt": "2024-04-28T21:00:00+02:00",
                "attachments": [],
            }
        ],
    }
    ticket["title"] = "changed"  # a copy: the portal keeps its own
    status, got, _ = await call(session, portal, "GET", f"/tickets/{ticket['id']}")
    assert (status, got["title"]) == (200, "Invoice issue")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"source": "phone"}, "source must be one of portal, email, chat, not 'phone'"),
        ({"status": "pending"}, "status must be one of open, closed, not 'pending'"),
        ({"customer_id": "cst_missing0000000"}, "no stored customer 'cst_missing0000000'"),
    ],
)
def test_add_ticket_refuses_what_the_docs_do_not_know(fields: dict[str, Any], message: str) -> None:
    portal = FakePortal()
    with pytest.raises(ValueError, match=re.escape(message)):
        portal.add_ticket(title="T", message="M", **fields)
    assert len(portal.objects("tickets")) == 0


async def test_a_reply_is_the_api_s_and_reopens_the_ticket(
    wire: tuple[FakePortal, aiohttp.ClientSession],
) -> None:
    portal, session = wire
    ticket = portal.add_ticket(title="T", message="M", status="closed")
    path = f"/tickets/{ticket['id']}"
    status, answer, _ = await call(session, portal, "POST", path, json={"message": "<b>Hi</b>"})
    assert (status, answer["status"]) == (200, "open")
    reply = answer["messages"][-1]
    assert re.fullmatch(r"tim_[a-z0-9]{14}", reply["id"])
    assert (reply["postedBy"], reply["isPostedByCustomer"]) == (API_AUTHOR, False)
    assert reply["message"] == "<b>Hi</b>"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "The message field is required."),
        ({"message": "   "}, "The message field is required."),
        ({"message": 5}, "The message field must be a string."),
        ({"message": "x" * 65536}, "The message field must not be greater than 65535 characters."),
    ],
)
async def test_a_bad_message_is_a_422_naming_it(
    wire: tuple[FakePortal, aiohttp.ClientSession], body: dict[str, Any], message: str
) -> None:
    portal, session = wire
    ticket = portal.add_ticket(title="T", message="M")
    status, answer, _ = await call(session, portal, "POST", f"/tickets/{ticket['id']}", json=body)
    assert (status, answer["errors"]) == (422, {"message": [message]})
    assert len(portal.objects("tickets")[ticket["id"]]["messages"]) == 1


async def test_a_live_chat_ticket_refuses_a_reply_with_a_422(
    wire: tuple[FakePortal, aiohttp.ClientSession],
) -> None:
    portal, session = wire
    ticket = portal.add_ticket(title="T", message="M", source="chat", status="closed")
    path = f"/tickets/{ticket['id']}"
    status, answer, _ = await call(session, portal, "POST", path, json={"message": "Hello"})
    assert (status, answer) == (422, {"message": CHAT_REPLY_REFUSED})
    assert portal.objects("tickets")[ticket["id"]] == ticket  # not reopened, nothing added


async def test_close_takes_no_body_and_unknown_tickets_are_404(
    wire: tuple[FakePortal, aiohttp.ClientSession],
) -> None:
    portal, session = wire
    ticket = portal.add_ticket(title="T", message="M")
    status, answer, _ = await call(session, portal, "PATCH", f"/tickets/{ticket['id']}")
    assert (status, answer["status"]) == (200, "closed")
    for method in ("GET", "POST", "PATCH"):
        status, answer, _ = await call(
            session, portal, method, "/tickets/tic_missing0000000", json={"message": "x"}
        )
        assert (status, answer) == (404, {"message": "No Ticket can be found for the given ID"})


async def test_the_list_leaves_the_messages_out(
    wire: tuple[FakePortal, aiohttp.ClientSession],
) -> None:
    portal, session = wire
    ticket = portal.add_ticket(title="T", message="M")
    status, page, _ = await call(session, portal, "GET", "/tickets")
    assert status == 200
    assert page["data"] == [{k: v for k, v in ticket.items() if k != "messages"}]
