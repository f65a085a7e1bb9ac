"""`mkp.customer_subscriptions`: the Customer Subscriptions API (list, create, get, change)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from mijnklantportaal_async._core import operations as ops
from mijnklantportaal_async.models import (
    CustomerSubscription,
    CustomerSubscriptionCreate,
    CustomerSubscriptionPackageSignUp,
    CustomerSubscriptionPackageUpdate,
    CustomerSubscriptionUpdate,
)
from mijnklantportaal_async.pagination import AsyncPaginator
from mijnklantportaal_async.resources._base import Resource
from mijnklantportaal_async.resources._raw import RawResponses, raw, raw_list


class CustomerSubscriptions(Resource):
    """The Customer Subscriptions API; reached as ``mkp.customer_subscriptions``.

    Operations: list-, create-, get-, change-customer-subscription. A subscription has no
    natural key the docs give (one customer may hold several alike), so there is no bulk create
    and an ambiguous create is never sent again by the client.
    """

    area = "customer_subscriptions"
    hints: ClassVar[Mapping[str, Mapping[type[Any], str]]] = {
        "create": {
            CustomerSubscriptionPackageSignUp: (
                "use mkp.customer_subscription_packages.sign_up(package_id, ...) for it"
            )
        },
        "update": {
            CustomerSubscriptionPackageUpdate: (
                "use mkp.customer_subscription_packages.update() for it"
            )
        },
    }

    def list(self) -> AsyncPaginator[CustomerSubscription]:
        """Every customer subscription, as an async iterator; pages of 15 are fetched as
        iteration needs them. The order is the server's (not documented).

        Operation ``list-customer-subscriptions``: ``GET /customer-subscriptions``.
        Docs: ``/api-reference/customer-subscriptions-api/list-customer-subscriptions``.

        Raises (while iterating):
            RateLimitError, APIConnectionError, AuthenticationError: as for every call.
            APIResponseValidationError: a page could not be read.
        """
        return self._list("list", ops.LIST_CUSTOMER_SUBSCRIPTIONS)

    async def create(self, data: CustomerSubscriptionCreate) -> CustomerSubscription:
        """Add a subscription for a customer; returns it as stored (ID ``sub_...``) with its
        ``status`` and next renewal date ``renews_at``. ``amount`` is EUR per ``interval``.

        Operation ``create-customer-subscription``: ``POST /customer-subscriptions`` (JSON).
        Docs: ``/api-reference/customer-subscriptions-api/create-customer-subscription``.

        Raises:
            UnprocessableEntityError: the API rejected a field (an unknown ``customer_id``
                too; ``.errors`` names it).
            AmbiguousWriteError: sent, outcome unknown; it is never sent again (there is no
                natural key to look it up by): ``list()`` the subscriptions to see whether
                it exists before creating it once more.
            RateLimitError, APIConnectionError, AuthenticationError: as for every call.
            TypeError: ``data`` is not a CustomerSubscriptionCreate (nothing is sent).
        """
        return await self._call("create", ops.CREATE_CUSTOMER_SUBSCRIPTION, data=data)

    async def get(self, subscription_id: str) -> CustomerSubscription:
        """Get one customer subscription by ID (``sub_...``).

        Operation ``get-customer-subscription``: ``GET /customer-subscriptions/{subscriptionId}``.
        Docs: ``/api-reference/customer-subscriptions-api/get-customer-subscription``.

        Raises:
            NotFoundError: no subscription with that ID.
            RequestValidationError: ``subscription_id`` is empty (nothing is sent).
            RateLimitError, APIConnectionError, AuthenticationError: as for every call.
        """
        return await self._call("get", ops.GET_CUSTOMER_SUBSCRIPTION, subscription_id)

    async def update(
        self, subscription_id: str, data: CustomerSubscriptionUpdate
    ) -> CustomerSubscription:
        """Change a subscription, or terminate it (``terminated_at``); returns it as stored
        after the change. Only the fields set on ``data`` are sent; the others keep their
        value. For example ``await mkp.customer_subscriptions.update("sub_...",
        CustomerSubscriptionUpdate(terminated_at=datetime(2025, 6, 30, 23, 59, 59)))``.

        Operation ``change-customer-subscription``:
        ``PATCH /customer-subscriptions/{subscriptionId}`` (JSON).
        Docs: ``/api-reference/customer-subscriptions-api/change-customer-subscription``.

        Raises:
            NotFoundError: no subscription with that ID.
            UnprocessableEntityError: the API rejected a field (``.errors`` names it).
            AmbiguousWriteError: sent, outcome unknown; ``get`` the subscription to see which
                values it holds (sending the same change again is harmless).
            RequestValidationError: ``subscription_id`` is empty (nothing is sent).
            TypeError: ``data`` is not a CustomerSubscriptionUpdate (nothing is sent).
        """
        return await self._call(
            "update", ops.CHANGE_CUSTOMER_SUBSCRIPTION, subscription_id, data=data
        )

    @property
    def with_raw_response(self) -> CustomerSubscriptionsWithRawResponse:
        """This area's methods again, each answering a :class:`RawResponse`: the HTTP
        ``status``, ``headers`` and ``rate_limit``, and ``parse()`` for what it returns."""
        return CustomerSubscriptionsWithRawResponse(self)


class CustomerSubscriptionsWithRawResponse(RawResponses[CustomerSubscriptions]):
    """``with_raw_response`` of :class:`CustomerSubscriptions`: each method answers a
    :class:`RawResponse` whose ``parse()`` gives what the method returns (``_raw.py``)."""

    list = raw_list(CustomerSubscriptions.list)
    create = raw(CustomerSubscriptions.create)
    get = raw(CustomerSubscriptions.get)
    update = raw(CustomerSubscriptions.update)
