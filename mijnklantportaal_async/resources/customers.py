"""`mkp.customers`: the Customers API (create, get, update, list, bulk create)."""

from __future__ import annotations

from mijnklantportaal_async._core import operations as ops
from mijnklantportaal_async.models import Customer, CustomerCreate, CustomerUpdate
from mijnklantportaal_async.pagination import AsyncPaginator
from mijnklantportaal_async.resources._base import BulkResource
from mijnklantportaal_async.resources._raw import RawResponses, raw, raw_list


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

    async def update(self, customer_id: str, data: CustomerUpdate) -> Customer:
        """Change a customer's fields; returns the customer as stored after the change.

        Only the fields set on ``data`` are sent; the others keep their value. For example
        ``await mkp.customers.update("cst_...", CustomerUpdate(city="Utrecht"))``.

        Operation ``edit-customer``: ``PATCH /customers/{customerId}`` (JSON).
        Docs: ``/api-reference/customers-api/edit-customer``.

        Raises:
            NotFoundError: no customer with that ID.
            UnprocessableEntityError: the API rejected a field (``.errors`` names it).
            AmbiguousWriteError: sent, outcome unknown; ``get`` the customer to see which
                values it holds (sending the same change again is harmless).
            RequestValidationError: ``customer_id`` is empty (nothing is sent).
            TypeError: ``data`` is not a CustomerUpdate (nothing is sent).
        """
        return await self._call("update", ops.EDIT_CUSTOMER, customer_id, data=data)

    def list(self) -> AsyncPaginator[Customer]:
        """Every customer, as an async iterator; pages of 15 are fetched as iteration needs them.

        Operation ``list-customers``: ``GET /customers``.
        Docs: ``/api-reference/customers-api/list-customers``.
        The order is the server's and is not documented.
        """
        return self._list("list", ops.LIST_CUSTOMERS)

    @property
    def with_raw_response(self) -> CustomersWithRawResponse:
        """This area's methods again, each answering a :class:`RawResponse`: the HTTP
        ``status``, ``headers`` and ``rate_limit``, and ``parse()`` for what it returns."""
        return CustomersWithRawResponse(self)


class CustomersWithRawResponse(RawResponses[Customers]):
    """``with_raw_response`` of :class:`Customers`: each method answers a
    :class:`RawResponse` whose ``parse()`` gives what the method returns (``_raw.py``)."""

    create = raw(Customers.create)
    get = raw(Customers.get)
    update = raw(Customers.update)
    list = raw_list(Customers.list)
