"""`mkp.tickets`: the Tickets API (list, get, reply, close)."""

from __future__ import annotations

from mijnklantportaal_async._core import operations as ops
from mijnklantportaal_async.models import Ticket, TicketMessageCreate
from mijnklantportaal_async.pagination import AsyncPaginator
from mijnklantportaal_async.resources._base import Resource
from mijnklantportaal_async.resources._raw import RawResponses, raw, raw_list


class Tickets(Resource):
    """The Tickets API; reached as ``mkp.tickets``.

    Operations: list-tickets, get-ticket, add-ticket-message, close-ticket. Customers open
    tickets (in the portal, by e-mail or in live chat); the API has no operation that creates
    one.
    """

    area = "tickets"

    def list(self) -> AsyncPaginator[Ticket]:
        """Every ticket, as an async iterator; pages of 15 are fetched as iteration needs them.
        A listed :class:`Ticket` has no ``messages`` (empty): :meth:`get` it for them.

        Operation ``list-tickets``: ``GET /tickets``.
        Docs: ``/api-reference/tickets-api/list-ticket-records``.
        The order is the server's and is not documented.
        """
        return self._list("list", ops.LIST_TICKETS)

    async def get(self, ticket_id: str) -> Ticket:
        """Get one ticket by ID (``tic_...``) with its messages, oldest first.

        Operation ``get-ticket``: ``GET /tickets/{ticketId}``.
        Docs: ``/api-reference/tickets-api/get-ticket-record``.

        Raises:
            NotFoundError: no ticket with that ID.
            RequestValidationError: ``ticket_id`` is empty (nothing is sent).
        """
        return await self._call("get", ops.GET_TICKET, ticket_id)

    async def reply(self, ticket_id: str, message: str) -> Ticket:
        """Add a message (HTML allowed, e.g. ``"<p>We will look into it!</p>"``) to a ticket;
        returns the ticket with its messages. Replying to a closed ticket reopens it.

        Operation ``add-ticket-message``: ``POST /tickets/{ticketId}`` (JSON
        ``{"message": ...}``). Docs: ``/api-reference/tickets-api/add-message-to-the-ticket``.

        Raises:
            NotFoundError: no ticket with that ID.
            UnprocessableEntityError: the API refused the message; also for a ticket opened in
                live chat (``source`` ``chat``), which cannot be replied to through the API.
            AmbiguousWriteError: sent, outcome unknown. The message is never sent again on its
                own (it would be posted twice): ``get`` the ticket to see whether it is there.
            RequestValidationError: ``message`` is missing or empty, or ``ticket_id`` is empty
                (``.field`` names it; nothing is sent).
        """
        return await self._call(
            "reply", ops.ADD_TICKET_MESSAGE, ticket_id, data=TicketMessageCreate(message=message)
        )

    async def close(self, ticket_id: str) -> Ticket:
        """Close a ticket; returns it with its messages and ``status`` ``closed``.

        Operation ``close-ticket``: ``PATCH /tickets/{ticketId}`` (no body).
        Docs: ``/api-reference/tickets-api/close-the-ticket``.

        Raises:
            NotFoundError: no ticket with that ID.
            AmbiguousWriteError: sent, outcome unknown; ``get`` the ticket (closing it again is
                harmless).
            RequestValidationError: ``ticket_id`` is empty (nothing is sent).
        """
        return await self._call("close", ops.CLOSE_TICKET, ticket_id)

    @property
    def with_raw_response(self) -> TicketsWithRawResponse:
        """This area's methods again, each answering a :class:`RawResponse`: the HTTP
        ``status``, ``headers`` and ``rate_limit``, and ``parse()`` for what it returns."""
        return TicketsWithRawResponse(self)


class TicketsWithRawResponse(RawResponses[Tickets]):
    """``with_raw_response`` of :class:`Tickets`: each method answers a
    :class:`RawResponse` whose ``parse()`` gives what the method returns (``_raw.py``)."""

    list = raw_list(Tickets.list)
    get = raw(Tickets.get)
    reply = raw(Tickets.reply)
    close = raw(Tickets.close)
