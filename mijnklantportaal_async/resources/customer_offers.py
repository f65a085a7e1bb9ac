"""`mkp.customer_offers`: the Customer Offers API (create with PDF or lines, get, list, mark
accepted or rejected, bulk)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, ClassVar

from mijnklantportaal_async._core import operations as ops
from mijnklantportaal_async.models import (
    UNSET,
    CustomerOffer,
    CustomerOfferCreate,
    CustomerOfferUpdate,
    ManualCustomerOfferCreate,
    Unset,
)
from mijnklantportaal_async.pagination import AsyncPaginator
from mijnklantportaal_async.resources._base import BulkResource
from mijnklantportaal_async.resources._raw import RawResponses, raw, raw_list

AnyOfferCreate = CustomerOfferCreate | ManualCustomerOfferCreate


class CustomerOffers(BulkResource[AnyOfferCreate, CustomerOffer]):
    """The Customer Offers API; reached as ``mkp.customer_offers``.

    Bulk creation (``create_many``) takes file and manual offers mixed and knows an offer by
    its ``offer_number``.
    """

    area = "customer_offers"
    create_operation = ops.CREATE_CUSTOMER_OFFER
    also_creates: ClassVar[Mapping[str, ops.Operation[Any, Any]]] = {
        "create_manual": ops.CREATE_CUSTOMER_OFFER_MANUAL
    }
    hints: ClassVar[Mapping[str, Mapping[type[Any], str]]] = {
        "create": {ManualCustomerOfferCreate: "use mkp.customer_offers.create_manual() for it"},
        "create_manual": {
            CustomerOfferCreate: "use mkp.customer_offers.create() for an offer with a PDF"
        },
    }

    async def create(self, data: CustomerOfferCreate) -> CustomerOffer:
        """Add a customer offer with its PDF; returns the stored offer (ID ``off_...``).

        The PDF is streamed as ``multipart/form-data`` (Content-Length when the size is known).

        Operation ``create-customer-offer``: ``POST /customer-offers`` (multipart).
        Docs: ``/api-reference/customer-offers-api/create-customer-offer``.

        Raises:
            UnprocessableEntityError: the API rejected a field.
            LicenseLimitError: this month's offer limit of the license is reached (426).
            AmbiguousWriteError: sent, outcome unknown; carries ``{"offer_number": ...}``.
            RateLimitError, APIConnectionError, AuthenticationError: as for every call.
            TypeError: ``data`` is not a CustomerOfferCreate (a ManualCustomerOfferCreate goes
                to :meth:`create_manual`); nothing is sent.
        """
        return await self._call("create", ops.CREATE_CUSTOMER_OFFER, data=data)

    async def create_manual(self, data: ManualCustomerOfferCreate) -> CustomerOffer:
        """Create a customer offer from product/service lines (amounts in EUR excl. VAT).

        Operation ``create-customer-offer-manual``: ``POST /customer-offers/manual`` (JSON).
        Docs: ``/api-reference/customer-offers-api/create-manual-customer-offer``.

        Raises:
            UnprocessableEntityError, LicenseLimitError, AmbiguousWriteError: as for
                :meth:`create`.
            TypeError: ``data`` is not a ManualCustomerOfferCreate (a CustomerOfferCreate with
                a PDF goes to :meth:`create`); nothing is sent.
        """
        return await self._call("create_manual", ops.CREATE_CUSTOMER_OFFER_MANUAL, data=data)

    async def get(self, offer_id: str) -> CustomerOffer:
        """Get one customer offer by ID (``off_...``).

        Operation ``get-customer-offer``: ``GET /customer-offers/{offerId}``.
        Docs: ``/api-reference/customer-offers-api/get-customer-offer``.

        Raises:
            NotFoundError: no offer with that ID.
        """
        return await self._call("get", ops.GET_CUSTOMER_OFFER, offer_id)

    async def mark_accepted(
        self,
        offer_id: str,
        accepted_at: datetime | str,
        *,
        accepted_via_ip: str | Unset = UNSET,
        accepted_via_user_agent: str | Unset = UNSET,
    ) -> CustomerOffer:
        """Mark a customer offer accepted; returns the offer as stored after the change.

        ``accepted_at`` is when: a ``datetime`` (aware, or naive in Europe/Amsterdam time) or
        ``"YYYY-mm-dd HH:MM:SS"``, sent in portal local time. ``accepted_via_ip`` (an IPv4 or
        IPv6 address) and ``accepted_via_user_agent`` record how, and are sent only when
        given (:class:`CustomerOfferUpdate`). The API also updates the portal's connected
        integration.

        Operation ``mark-customer-offer-accepted-or-rejected``:
        ``PATCH /customer-offers/{offerId}`` (JSON).
        Docs: ``/api-reference/customer-offers-api/mark-customer-offer-accepted-or-rejected``.

        Raises:
            NotFoundError: no offer with that ID.
            UnprocessableEntityError: the API rejected a field (``.errors`` names it); the
                FakePortal also answers 422 for an offer that was already rejected.
            AmbiguousWriteError: sent, outcome unknown; ``get`` the offer to see whether it
                is accepted (sending the same acceptance again is harmless).
            RequestValidationError: ``offer_id`` is empty or a value is invalid (nothing is
                sent).
        """
        return await self._call(
            "mark_accepted",
            ops.MARK_CUSTOMER_OFFER_ACCEPTED_OR_REJECTED,
            offer_id,
            data=CustomerOfferUpdate(
                accepted_at=accepted_at,
                accepted_via_ip=accepted_via_ip,
                accepted_via_user_agent=accepted_via_user_agent,
            ),
        )

    async def mark_rejected(self, offer_id: str, rejected_at: datetime | str) -> CustomerOffer:
        """Mark a customer offer rejected; returns the offer as stored after the change.

        ``rejected_at`` is when: a ``datetime`` (aware, or naive in Europe/Amsterdam time) or
        ``"YYYY-mm-dd HH:MM:SS"``, sent as ``{"rejectedAt": ...}`` in portal local time. The
        API also updates the portal's connected integration.

        Operation ``mark-customer-offer-accepted-or-rejected``:
        ``PATCH /customer-offers/{offerId}`` (JSON).
        Docs: ``/api-reference/customer-offers-api/mark-customer-offer-accepted-or-rejected``.

        Raises:
            NotFoundError: no offer with that ID.
            UnprocessableEntityError: the API rejected a field (``.errors`` names it); the
                FakePortal also answers 422 for an offer that was already accepted.
            AmbiguousWriteError: sent, outcome unknown; ``get`` the offer to see whether it
                is rejected (sending the same rejection again is harmless).
            RequestValidationError: ``offer_id`` is empty or ``rejected_at`` is invalid
                (nothing is sent).
        """
        return await self._call(
            "mark_rejected",
            ops.MARK_CUSTOMER_OFFER_ACCEPTED_OR_REJECTED,
            offer_id,
            data=CustomerOfferUpdate(rejected_at=rejected_at),
        )

    def list(self) -> AsyncPaginator[CustomerOffer]:
        """Every customer offer, as an async iterator over pages of 15 fetched as needed.

        Operation ``list-customer-offers``: ``GET /customer-offers``.
        Docs: ``/api-reference/customer-offers-api/list-customer-offers``.
        """
        return self._list("list", ops.LIST_CUSTOMER_OFFERS)

    @property
    def with_raw_response(self) -> CustomerOffersWithRawResponse:
        """This area's methods again, each answering a :class:`RawResponse`: the HTTP
        ``status``, ``headers`` and ``rate_limit``, and ``parse()`` for what it returns."""
        return CustomerOffersWithRawResponse(self)


class CustomerOffersWithRawResponse(RawResponses[CustomerOffers]):
    """``with_raw_response`` of :class:`CustomerOffers`: each method answers a
    :class:`RawResponse` whose ``parse()`` gives what the method returns (``_raw.py``)."""

    create = raw(CustomerOffers.create)
    create_manual = raw(CustomerOffers.create_manual)
    get = raw(CustomerOffers.get)
    mark_accepted = raw(CustomerOffers.mark_accepted)
    mark_rejected = raw(CustomerOffers.mark_rejected)
    list = raw_list(CustomerOffers.list)
