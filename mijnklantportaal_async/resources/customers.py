"""`mkp.customers`: the Customers API (create, get, list, bulk create)."""

from __future__ import annotations

from mijnklantportaal_async._core import operations as ops
from mijnklantportaal_async.models import Customer, CustomerCreate
from mijnklantportaal_async.pagination import AsyncPaginator
from mijnklantportaal_async.resources._base import BulkResource


class Customers(BulkResource[CustomerCreate, Customer]):
    """The Customers API; reached as ``mkp.customers``.

    Bulk creation (``create_many``) knows a customer by (``primary_email``, ``company_name``).
    """

    area = "customers"
    create_operation = ops.CREATE_CUSTOMER

    async def create(self, data: CustomerCreate) -> Customer:
        """Create a customer; returns the stored :class:`Customer` (ID ``cst_...``).

        Operation ``create-customer``: ``POST /customers`` (JSON).
        Docs: ``/api-reference/customers-api/create-customer``.
        ``country_code`` falls back to ``NL`` on the server when not given.

        Raises:
            UnprocessableEntityError: the API rejected a field (``.errors`` names it).
            AmbiguousWriteError: the request was sent but its outcome is unknown; look the
                customer up by e-mail before creating it again.
            RateLimitError, APIConnectionError, AuthenticationError: as for every call.
            TypeError: ``data`` is not a CustomerCreate (nothing is sent).
        """
        return await self._call("create", ops.CREATE_CUSTOMER, data=data)

    async def get(self, customer_id: str) -> Customer:
        """Get one customer by ID (``cst_...``).

        Operation ``get-customer``: ``GET /customers/{customerId}``.
        Docs: ``/api-reference/customers-api/get-customer``.

        Raises:
            NotFoundError: no customer with that ID.
        """
        return await self._call("get", ops.GET_CUSTOMER, customer_id)

    def list(self) -> AsyncPaginator[Customer]:
        """Every customer, as an async iterator; pages of 15 are fetched as iteration needs them.

        Operation ``list-customers``: ``GET /customers``.
        Docs: ``/api-reference/customers-api/list-customers``.
        The order is the server's and is not documented.
        """
        return self._list("list", ops.LIST_CUSTOMERS)
