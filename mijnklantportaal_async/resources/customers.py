"""`mkp.customers`: the Customers API (create, get, list, bulk create)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mijnklantportaal_async.bulk import BulkKind
from mijnklantportaal_async.bulk.keyindex import make_normalizer
from mijnklantportaal_async.models import Customer, CustomerCreate
from mijnklantportaal_async.pagination import AsyncPaginator
from mijnklantportaal_async.resources._base import BulkResource, checked_key, expect_model, path_id

normalize_customer_key = make_normalizer(lower={"primary_email"})
"""How two natural keys of a customer are matched: e-mail compared case-insensitively,
surrounding spaces ignored."""


def customer_key(customer: Customer) -> Mapping[str, Any]:
    """The natural key of a stored customer: its primary e-mail and company name."""
    return {"primary_email": customer.primary_email, "company_name": customer.company_name}


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
            key_of_request=checked_key("mkp.customers.create_many()", CustomerCreate),
            key_of_object=customer_key,
            id_of=lambda c: c.id,
            normalize_key=normalize_customer_key,
        )
