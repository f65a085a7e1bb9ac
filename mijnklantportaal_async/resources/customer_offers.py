"""`mkp.customer_offers`: the Customer Offers API (create with PDF or lines, get, list, bulk)."""

from __future__ import annotations

from mijnklantportaal_async._core import natural_keys
from mijnklantportaal_async.bulk import BulkKind
from mijnklantportaal_async.models import (
    CustomerOffer,
    CustomerOfferCreate,
    ManualCustomerOfferCreate,
)
from mijnklantportaal_async.pagination import AsyncPaginator
from mijnklantportaal_async.resources._base import BulkResource, checked_item, expect_model, path_id

AnyOfferCreate = CustomerOfferCreate | ManualCustomerOfferCreate


class CustomerOffers(BulkResource[AnyOfferCreate, CustomerOffer]):
    """The Customer Offers API; reached as ``mkp.customer_offers``.

    Bulk creation (``create_many``) takes file and manual offers mixed and knows an offer by
    its ``offer_number``.
    """

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
        expect_model(
            "mkp.customer_offers.create()",
            data,
            (CustomerOfferCreate,),
            hints={ManualCustomerOfferCreate: "use mkp.customer_offers.create_manual() for it"},
        )
        return await self._post(
            "/customer-offers",
            "create-customer-offer",
            CustomerOffer,
            body=data,
            multipart=True,
            natural_key=data.natural_key(),
        )

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
        expect_model(
            "mkp.customer_offers.create_manual()",
            data,
            (ManualCustomerOfferCreate,),
            hints={CustomerOfferCreate: "use mkp.customer_offers.create() for an offer with a PDF"},
        )
        return await self._post(
            "/customer-offers/manual",
            "create-customer-offer-manual",
            CustomerOffer,
            body=data,
            natural_key=data.natural_key(),
        )

    async def get(self, offer_id: str) -> CustomerOffer:
        """Get one customer offer by ID (``off_...``).

        Operation ``get-customer-offer``: ``GET /customer-offers/{offerId}``.
        Docs: ``/api-reference/customer-offers-api/get-customer-offer``.

        Raises:
            NotFoundError: no offer with that ID.
        """
        return await self._get(
            f"/customer-offers/{path_id('offer_id', offer_id)}",
            "get-customer-offer",
            CustomerOffer,
        )

    def list(self) -> AsyncPaginator[CustomerOffer]:
        """Every customer offer, as an async iterator over pages of 15 fetched as needed.

        Operation ``list-customer-offers``: ``GET /customer-offers``.
        Docs: ``/api-reference/customer-offers-api/list-customer-offers``.
        """
        return self._list("/customer-offers", "list-customer-offers", CustomerOffer)

    async def _create_any(self, data: AnyOfferCreate) -> CustomerOffer:
        if isinstance(data, ManualCustomerOfferCreate):
            return await self.create_manual(data)
        return await self.create(data)

    def _kind(self) -> BulkKind[AnyOfferCreate, CustomerOffer]:
        return BulkKind(
            name="customer_offers",
            create=self._create_any,
            scan=self.list,
            check_item=checked_item(
                "mkp.customer_offers.create_many()", CustomerOfferCreate, ManualCustomerOfferCreate
            ),
            natural_key=natural_keys.CUSTOMER_OFFER,
            id_of=lambda offer: offer.id,
        )
