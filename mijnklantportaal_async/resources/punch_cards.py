"""`mkp.punch_cards`: the Punch Cards API (cards: list, create, get, update; issued cards:
list, issue, get, stamp)."""

from __future__ import annotations

from mijnklantportaal_async._core import operations as ops
from mijnklantportaal_async.models import (
    IssuedPunchCard,
    IssuedPunchCardCreate,
    PunchCard,
    PunchCardCreate,
    PunchCardStamp,
    PunchCardUpdate,
)
from mijnklantportaal_async.pagination import AsyncPaginator
from mijnklantportaal_async.resources._base import Resource
from mijnklantportaal_async.resources._raw import RawResponses, raw, raw_list


class PunchCards(Resource):
    """The Punch Cards API; reached as ``mkp.punch_cards``.

    A punch card (``pcd_...``) is the template: a number of punches of some unit, maybe for
    sale, maybe expiring. Issuing it to a customer makes an issued punch card (``pcb_...``),
    which is stamped as the customer uses it. Punch cards have no natural key, so there is no
    bulk creation: after an ``AmbiguousWriteError`` list the cards (or issued cards) to see
    whether the write was stored before sending it again.
    """

    area = "punch_cards"

    def list(self) -> AsyncPaginator[PunchCard]:
        """Every punch card, as an async iterator; pages of 15 are fetched as iteration needs
        them.

        Operation ``list-punch-cards``: ``GET /punch-cards``.
        Docs: ``/api-reference/punch-cards-api/list-punch-cards``.

        Raises (while iterating):
            RateLimitError, APIConnectionError, ...: as any call.
        """
        return self._list("list", ops.LIST_PUNCH_CARDS)

    async def create(self, data: PunchCardCreate) -> PunchCard:
        """Create a punch card; returns it as stored (ID ``pcd_...``; ``price`` in EUR incl.
        VAT).

        Operation ``create-punch-card``: ``POST /punch-cards`` (JSON).
        Docs: ``/api-reference/punch-cards-api/create-punch-card``.

        Raises:
            UnprocessableEntityError: the API rejected a field (``.errors`` names it).
            AmbiguousWriteError: sent, outcome unknown (no natural key: list the cards to see
                whether it was stored before creating it again).
            TypeError: ``data`` is not a PunchCardCreate (nothing is sent).
        """
        return await self._call("create", ops.CREATE_PUNCH_CARD, data=data)

    async def get(self, punch_card_id: str) -> PunchCard:
        """Get one punch card by ID (``pcd_...``).

        Operation ``get-punch-card``: ``GET /punch-cards/{punchCardId}``.
        Docs: ``/api-reference/punch-cards-api/get-punch-card``.

        Raises:
            NotFoundError: no punch card with that ID.
            RequestValidationError: ``punch_card_id`` is empty (nothing is sent).
        """
        return await self._call("get", ops.GET_PUNCH_CARD, punch_card_id)

    async def update(self, punch_card_id: str, data: PunchCardUpdate) -> PunchCard:
        """Change a punch card's sale settings (``for_sale``, ``price`` in EUR incl. VAT,
        ``vat_rate``); returns the card as stored after the change. For example
        ``await mkp.punch_cards.update("pcd_...", PunchCardUpdate(for_sale=False))``.

        Operation ``edit-punch-card``: ``PATCH /punch-cards/{punchCardId}`` (JSON).
        Docs: ``/api-reference/punch-cards-api/edit-punch-card``.

        Raises:
            NotFoundError: no punch card with that ID.
            UnprocessableEntityError: the API rejected a field (``.errors`` names it).
            AmbiguousWriteError: sent, outcome unknown; ``get`` the card to see its settings
                (sending the same change again is harmless).
            RequestValidationError: ``punch_card_id`` is empty (nothing is sent).
            TypeError: ``data`` is not a PunchCardUpdate (nothing is sent).
        """
        return await self._call("update", ops.EDIT_PUNCH_CARD, punch_card_id, data=data)

    def list_issued(self, punch_card_id: str) -> AsyncPaginator[IssuedPunchCard]:
        """Every card issued from punch card ``punch_card_id`` (``pcd_...``), as an async
        iterator; pages of 15 are fetched as iteration needs them.

        Operation ``list-bought-punch-cards``: ``GET /punch-cards/{punchCardId}/issued``.
        Docs: ``/api-reference/punch-cards-api/list-issued-cards-for-punch-card``.

        Raises:
            RequestValidationError: ``punch_card_id`` is empty (now, nothing is sent).
            NotFoundError (while iterating): no punch card with that ID (the docs list no
                404 here; a Laravel route with an unknown ID answers one).
        """
        return self._list("list_issued", ops.LIST_BOUGHT_PUNCH_CARDS, punch_card_id)

    async def issue(self, punch_card_id: str, *, customer_id: str) -> IssuedPunchCard:
        """Issue punch card ``punch_card_id`` to customer ``customer_id`` (``cst_...``);
        returns the issued card (ID ``pcb_...``) with all its punches left.

        Operation ``issue-new-punch-card``: ``POST /punch-cards/{punchCardId}/issued`` (JSON
        ``{"customerId"}``). The method and path are not visible in the docs; the merged spec
        infers them. Docs: ``/api-reference/punch-cards-api/issue-new-punch-card``.

        Raises:
            NotFoundError: no punch card with that ID.
            UnprocessableEntityError: the API refused the customer (unknown ID).
            AmbiguousWriteError: sent, outcome unknown (no natural key: ``list_issued`` shows
                whether the customer got the card before issuing it again).
            RequestValidationError: an ID is empty (nothing is sent).
        """
        return await self._call(
            "issue",
            ops.ISSUE_NEW_PUNCH_CARD,
            punch_card_id,
            data=IssuedPunchCardCreate(customer_id=customer_id),
        )

    async def get_issued(self, punch_card_id: str, issued_punch_card_id: str) -> IssuedPunchCard:
        """Get one issued punch card (``pcb_...``) of punch card ``punch_card_id``
        (``pcd_...``).

        Operation ``get-bought-punch-card``:
        ``GET /punch-cards/{punchCardId}/issued/{issuedPunchCardId}`` (the docs garble the
        second parameter's name as ``punchCaissuedPunchCardIdrdId``).
        Docs: ``/api-reference/punch-cards-api/get-an-issued-punch-card``.

        Raises:
            NotFoundError: no such punch card, or no such issued card of it.
            RequestValidationError: an ID is empty (nothing is sent).
        """
        return await self._call(
            "get_issued", ops.GET_BOUGHT_PUNCH_CARD, punch_card_id, issued_punch_card_id
        )

    async def stamp(
        self, punch_card_id: str, issued_punch_card_id: str, *, stamps: int
    ) -> IssuedPunchCard:
        """Stamp ``stamps`` punches (an int of at least 1) on an issued punch card; returns
        it with ``punches_left`` lowered (and ``status`` ``fully_used`` at 0).

        Operation ``stamp-issued-punch-card``:
        ``POST /punch-cards/{punchCardId}/issued/{issuedPunchCardId}/stamp`` (JSON
        ``{"stamps"}``). Docs: ``/api-reference/punch-cards-api/stamp-an-issued-punch-card``.

        Raises:
            NotFoundError: no such punch card, or no such issued card of it.
            UnprocessableEntityError: the API refused the stamps (more than the punches left,
                or the card has expired).
            AmbiguousWriteError: sent, outcome unknown. Do NOT simply stamp again: a stamp is
                not idempotent; ``get_issued`` shows ``punches_left``.
            RequestValidationError: an ID is empty, or ``stamps`` is not an int of at least 1
                (nothing is sent).
        """
        return await self._call(
            "stamp",
            ops.STAMP_ISSUED_PUNCH_CARD,
            punch_card_id,
            issued_punch_card_id,
            data=PunchCardStamp(stamps=stamps),
        )

    @property
    def with_raw_response(self) -> PunchCardsWithRawResponse:
        """This area's methods again, each answering a :class:`RawResponse`: the HTTP
        ``status``, ``headers`` and ``rate_limit``, and ``parse()`` for what it returns."""
        return PunchCardsWithRawResponse(self)


class PunchCardsWithRawResponse(RawResponses[PunchCards]):
    """``with_raw_response`` of :class:`PunchCards`: each method answers a
    :class:`RawResponse` whose ``parse()`` gives what the method returns (``_raw.py``)."""

    list = raw_list(PunchCards.list)
    create = raw(PunchCards.create)
    get = raw(PunchCards.get)
    update = raw(PunchCards.update)
    list_issued = raw_list(PunchCards.list_issued)
    issue = raw(PunchCards.issue)
    get_issued = raw(PunchCards.get_issued)
    stamp = raw(PunchCards.stamp)
