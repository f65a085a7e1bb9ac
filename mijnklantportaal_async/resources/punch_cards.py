"""`mkp.punch_cards`: the Punch Cards API."""

from __future__ import annotations

from mijnklantportaal_async.resources._base import Resource


class PunchCards(Resource):
    """The Punch Cards API; reached as ``mkp.punch_cards``.

    Operations: list-, create-, get-, edit-punch-card, list-bought-punch-cards,
    issue-new-punch-card, get-bought-punch-card, stamp-issued-punch-card.
    """

    area = "punch_cards"
