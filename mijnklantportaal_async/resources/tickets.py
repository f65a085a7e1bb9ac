"""`mkp.tickets`: the Tickets API."""

from __future__ import annotations

from mijnklantportaal_async.resources._base import Resource


class Tickets(Resource):
    """The Tickets API; reached as ``mkp.tickets``.

    Operations: list-tickets, get-ticket, add-ticket-message, close-ticket.
    """

    area = "tickets"
