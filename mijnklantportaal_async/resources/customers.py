"""`mkp.customers`: the Customers API (create, get, list, bulk create)."""

from __future__ import annotations

from mijnklantportaal_async._core import natural_keys
from mijnklantportaal_async.bulk import BulkKind
from mijnklantportaal_async.models import Customer, CustomerCreate
from mijnklantportaal_async.pagination import AsyncPaginator
from mijnklantportaal_async.resources._base import BulkResource, checked_item, expect_model, path_id


class Customers(BulkResource[CustomerCreate, Customer]):
    """The Customers API; reached as ``mkp.customers``.

    Bulk creation (``create_many``) knows a customer by (``primary_email``, ``company_name``).
    """

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
        expect_model("mkp.customers.create()", data, (CustomerCreate,))
        return await self._post(
            "/customers",
            "create-customer",
            Customer,
            body=data,
            natural_key=data.natural_key(),
        )

    async def get(self, customer_id: str) -> Customer:
        """Get one customer by ID (``cst_...``).

        Operation ``get-customer``: ``GET /customers/{customerId}``.
        Docs: ``/api-reference/customers-api/get-customer``.

        Raises:
            NotFoundError: no customer with that ID.
        """
        return await self._get(
            f"/customers/{path_id('customer_id', customer_id)}",
            "get-customer",
            Customer,
        )

    def list(self) -> AsyncPaginator[Customer]:
        """Every customer, as an async iterator; pages of 15 are fetched as iteration needs them.

        Operation ``list-customers``: ``GET /customers``.
        Docs: ``/api-reference/customers-api/list-customers``.
        The order is the server's and is not documented.
        """
        return self._list("/customers", "list-customers", Customer)

    def _kind(self) -> BulkKind[CustomerCreate, Customer]:
        return BulkKind(
            name="customers",
            create=self.create,
            scan=self.list,
            check_item=checked_item("mkp.customers.create_many()", CustomerCreate),
            natural_key=natural_keys.CUSTOMER,
            id_of=lambda c: c.id,
        )
