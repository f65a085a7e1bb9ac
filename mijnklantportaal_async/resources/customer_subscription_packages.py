"""`mkp.customer_subscription_packages`: the Customer Subscription Packages API (list, create,
get, change, and signing a customer up)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from mijnklantportaal_async._core import operations as ops
from mijnklantportaal_async.models import (
    CustomerSubscription,
    CustomerSubscriptionCreate,
    CustomerSubscriptionPackage,
    CustomerSubscriptionPackageCreate,
    CustomerSubscriptionPackageSignUp,
    CustomerSubscriptionPackageUpdate,
    CustomerSubscriptionUpdate,
)
from mijnklantportaal_async.pagination import AsyncPaginator
from mijnklantportaal_async.resources._base import Resource
from mijnklantportaal_async.resources._raw import RawResponses, raw, raw_list


class CustomerSubscriptionPackages(Resource):
    """The Customer Subscription Packages API; reached as ``mkp.customer_subscription_packages``.

    Operations: list-, create-, get-, change-customer-subscription-package,
    sign-up-customer-subscription-package. Packages have no natural key the docs give, so
    there is no bulk create and an ambiguous create or sign-up is never sent again by the client.
    """

    area = "customer_subscription_packages"
    hints: ClassVar[Mapping[str, Mapping[type[Any], str]]] = {
        "create": {CustomerSubscriptionCreate: "use mkp.customer_subscriptions.create() for it"},
        "update": {CustomerSubscriptionUpdate: "use mkp.customer_subscriptions.update() for it"},
        "sign_up": {
            CustomerSubscriptionCreate: (
                "use mkp.customer_subscriptions.create() for a subscription without a package"
            )
        },
    }

    def list(self) -> AsyncPaginator[CustomerSubscriptionPackage]:
        """Every subscription package, as an async iterator; pages of 15 are fetched as
        iteration needs them. The order is the server's (not documented).

        Operation ``list-customer-subscription-packages``: ``GET /customer-subscription-packages``.
        Docs:
        ``/api-reference/customer-subscription-packages-api/list-customer-subscription-packages``

        Raises (while iterating):
            RateLimitError, APIConnectionError, AuthenticationError: as for every call.
            APIResponseValidationError: a page could not be read.
        """
        return self._list("list", ops.LIST_CUSTOMER_SUBSCRIPTION_PACKAGES)

    async def create(self, data: CustomerSubscriptionPackageCreate) -> CustomerSubscriptionPackage:
        """Add a subscription package; returns it as stored (ID ``spg_...``). ``amount`` is
        EUR per ``interval``.

        Operation ``create-customer-subscription-package``:
        ``POST /customer-subscription-packages`` (JSON).
        Docs:
        ``/api-reference/customer-subscription-packages-api/create-customer-subscription-package``

        Raises:
            UnprocessableEntityError: the API rejected a field (``.errors`` names it).
            AmbiguousWriteError: sent, outcome unknown; it is never sent again (there is no
                natural key to look it up by): ``list()`` the packages to see whether it
                exists before creating it once more.
            RateLimitError, APIConnectionError, AuthenticationError: as for every call.
            TypeError: ``data`` is not a CustomerSubscriptionPackageCreate (nothing is sent).
        """
        return await self._call("create", ops.CREATE_CUSTOMER_SUBSCRIPTION_PACKAGE, data=data)

    async def get(self, package_id: str) -> CustomerSubscriptionPackage:
        """Get one subscription package by ID (``spg_...``).

        Operation ``get-customer-subscription-package``:
        ``GET /customer-subscription-packages/{packageId}``.
        Docs:
        ``/api-reference/customer-subscription-packages-api/get-customer-subscription-package``

        Raises:
            NotFoundError: no package with that ID.
            RequestValidationError: ``package_id`` is empty (nothing is sent).
            RateLimitError, APIConnectionError, AuthenticationError: as for every call.
        """
        return await self._call("get", ops.GET_CUSTOMER_SUBSCRIPTION_PACKAGE, package_id)

    async def update(
        self, package_id: str, data: CustomerSubscriptionPackageUpdate
    ) -> CustomerSubscriptionPackage:
        """Change a package; returns it as stored after the change. Only the fields set on
        ``data`` are sent; the others keep their value. For example
        ``await mkp.customer_subscription_packages.update("spg_...",
        CustomerSubscriptionPackageUpdate(available_for_sale=False))``.

        Operation ``change-customer-subscription-package``:
        ``PATCH /customer-subscription-packages/{packageId}`` (JSON).
        Docs:
        ``/api-reference/customer-subscription-packages-api/change-customer-subscription-package``

        Raises:
            NotFoundError: no package with that ID.
            UnprocessableEntityError: the API rejected a field (``.errors`` names it).
            AmbiguousWriteError: sent, outcome unknown; ``get`` the package to see which
                values it holds (sending the same change again is harmless).
            RequestValidationError: ``package_id`` is empty (nothing is sent).
            TypeError: ``data`` is not a CustomerSubscriptionPackageUpdate (nothing is sent).
        """
        return await self._call(
            "update", ops.CHANGE_CUSTOMER_SUBSCRIPTION_PACKAGE, package_id, data=data
        )

    async def sign_up(
        self, package_id: str, data: CustomerSubscriptionPackageSignUp
    ) -> CustomerSubscription:
        """Sign a customer up for a package: the portal creates a customer subscription with
        the package's interval, amount (EUR) and VAT rate, starting on ``data.start_date``.
        Returns that new subscription (ID ``sub_...``), which ``mkp.customer_subscriptions``
        then lists and gets.

        Operation ``sign-up-customer-subscription-package``:
        ``POST /customer-subscription-packages/{packageId}/sign-up`` (JSON).
        Docs:
        ``/api-reference/customer-subscription-packages-api/sign-up-a-customer-for-a-customer-subscription-package``

        Raises:
            NotFoundError: no package with that ID.
            UnprocessableEntityError: the API rejected a field (an unknown ``customer_id``
                too; ``.errors`` names it).
            AmbiguousWriteError: sent, outcome unknown; it is never sent again: list the
                customer subscriptions to see whether it exists before signing up once more.
            RequestValidationError: ``package_id`` is empty (nothing is sent).
            TypeError: ``data`` is not a CustomerSubscriptionPackageSignUp (nothing is sent).
        """
        return await self._call(
            "sign_up", ops.SIGN_UP_CUSTOMER_SUBSCRIPTION_PACKAGE, package_id, data=data
        )

    @property
    def with_raw_response(self) -> CustomerSubscriptionPackagesWithRawResponse:
        """This area's methods again, each answering a :class:`RawResponse`: the HTTP
        ``status``, ``headers`` and ``rate_limit``, and ``parse()`` for what it returns."""
        return CustomerSubscriptionPackagesWithRawResponse(self)


class CustomerSubscriptionPackagesWithRawResponse(RawResponses[CustomerSubscriptionPackages]):
    """``with_raw_response`` of :class:`CustomerSubscriptionPackages`: each method answers a
    :class:`RawResponse` whose ``parse()`` gives what the method returns (``_raw.py``)."""

    list = raw_list(CustomerSubscriptionPackages.list)
    create = raw(CustomerSubscriptionPackages.create)
    get = raw(CustomerSubscriptionPackages.get)
    update = raw(CustomerSubscriptionPackages.update)
    sign_up = raw(CustomerSubscriptionPackages.sign_up)
