"""`mkp.payment_links`: the Payment Links API (list, create, get, close, list payments)."""

from __future__ import annotations

from mijnklantportaal_async._core import operations as ops
from mijnklantportaal_async.models import PaymentLink, PaymentLinkCreate, PaymentLinkPayment
from mijnklantportaal_async.pagination import AsyncPaginator
from mijnklantportaal_async.resources._base import Resource
from mijnklantportaal_async.resources._raw import RawResponses, raw, raw_list


class PaymentLinks(Resource):
    """The Payment Links API; reached as ``mkp.payment_links``.

    Operations: list-, create-, get-payment-link, close-payment-link, list-payment-link-payment.
    A payment link has no natural key, so there is no bulk create: an ambiguous create raises
    ``AmbiguousWriteError`` and is never sent again by the client.
    """

    area = "payment_links"

    def list(self) -> AsyncPaginator[PaymentLink]:
        """Every payment link, as an async iterator of :class:`PaymentLink`; pages of 15 are
        fetched as iteration needs them.

        Operation ``list-payment-links``: ``GET /payment-links``.
        Docs: ``/api-reference/payment-links-api/list-payment-links``.
        The order is the server's and is not documented.
        """
        return self._list("list", ops.LIST_PAYMENT_LINKS)

    async def create(self, data: PaymentLinkCreate) -> PaymentLink:
        """Create a payment link for ``data.amount`` EUR; returns the stored
        :class:`PaymentLink` (ID ``plk_...``, status ``open``) with the ``checkout_url`` to
        give the payer.

        Operation ``create-payment-link``: ``POST /payment-links`` (JSON).
        Docs: ``/api-reference/payment-links-api/create-payment-link``.

        Raises:
            UnprocessableEntityError: the API rejected a field (``.errors`` names it).
            AmbiguousWriteError: the request was sent but its outcome is unknown; a payment
                link has no natural key (its ``natural_key`` is empty), so look for it in
                :meth:`list` (same description and amount) before creating it again.
            RateLimitError, APIConnectionError, AuthenticationError: as for every call.
            TypeError: ``data`` is not a PaymentLinkCreate (nothing is sent).
        """
        return await self._call("create", ops.CREATE_PAYMENT_LINK, data=data)

    async def get(self, link_id: str) -> PaymentLink:
        """Get one payment link by ID (``plk_...``).

        Operation ``get-payment-link``: ``GET /payment-links/{linkId}``.
        Docs: ``/api-reference/payment-links-api/get-payment-link``.

        Raises:
            NotFoundError: no payment link with that ID.
            RequestValidationError: ``link_id`` is empty (nothing is sent).
        """
        return await self._call("get", ops.GET_PAYMENT_LINK, link_id)

    async def close(self, link_id: str) -> PaymentLink:
        """Close a payment link so it can no longer be paid (useful for reusable links);
        returns the link as stored after closing (status ``closed``).

        Operation ``close-payment-link``: ``DELETE /payment-links/{linkId}``; it answers 200
        with the updated link (not 204) and deletes nothing.
        Docs: ``/api-reference/payment-links-api/close-payment-link``.

        Raises:
            NotFoundError: no payment link with that ID.
            UnprocessableEntityError: the link is already closed (the API's message:
                ``"Payment Link is already closed"``).
            AmbiguousWriteError: sent, outcome unknown; it is never sent again (a second
                close answers 422): :meth:`get` the link, status ``closed`` means it is done.
            RequestValidationError: ``link_id`` is empty (nothing is sent).
        """
        return await self._call("close", ops.CLOSE_PAYMENT_LINK, link_id)

    def list_payments(self, link_id: str) -> AsyncPaginator[PaymentLinkPayment]:
        """The payments made through one payment link, as an async iterator of
        :class:`PaymentLinkPayment` (IDs ``plp_...``); pages of 15 are fetched as iteration
        needs them. The ID is checked now; nothing is sent until iteration starts.

        Operation ``list-payment-link-payment`` (singular, as the docs name it):
        ``GET /payment-links/{linkId}/payments``.
        Docs: ``/api-reference/payment-links-api/list-payment-link-payments``.

        Raises:
            NotFoundError: no payment link with that ID (while iterating; not documented,
                what a Laravel API answers for an unknown ID).
            RequestValidationError: ``link_id`` is empty (at the call, nothing is sent).
        """
        return self._list("list_payments", ops.LIST_PAYMENT_LINK_PAYMENT, link_id)

    @property
    def with_raw_response(self) -> PaymentLinksWithRawResponse:
        """This area's methods again, each answering a :class:`RawResponse`: the HTTP
        ``status``, ``headers`` and ``rate_limit``, and ``parse()`` for what it returns."""
        return PaymentLinksWithRawResponse(self)


class PaymentLinksWithRawResponse(RawResponses[PaymentLinks]):
    """``with_raw_response`` of :class:`PaymentLinks`: each method answers a
    :class:`RawResponse` whose ``parse()`` gives what the method returns (``_raw.py``)."""

    list = raw_list(PaymentLinks.list)
    create = raw(PaymentLinks.create)
    get = raw(PaymentLinks.get)
    close = raw(PaymentLinks.close)
    list_payments = raw_list(PaymentLinks.list_payments)
