"""`mkp.customer_groups`: the Customer Groups API (list, create, get, rename, add customers,
bulk create)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from mijnklantportaal_async._core import operations as ops
from mijnklantportaal_async.models import (
    Customer,
    CustomerGroup,
    CustomerGroupCreate,
    CustomerGroupCustomersAdd,
    CustomerGroupUpdate,
)
from mijnklantportaal_async.pagination import AsyncPaginator
from mijnklantportaal_async.resources._base import BulkResource
from mijnklantportaal_async.resources._raw import RawResponses, raw, raw_list

ADD_CUSTOMERS_TAKES = "a list of customer IDs"
"""What ``add_customers`` takes, as its TypeError says."""


class CustomerGroups(BulkResource[CustomerGroupCreate, CustomerGroup]):
    """The Customer Groups API; reached as ``mkp.customer_groups``.

    Bulk creation (``create_many``) knows a customer group by its ``name``.
    """

    area = "customer_groups"
    create_operation = ops.CREATE_CUSTOMER_GROUP

    def list(self) -> AsyncPaginator[CustomerGroup]:
        """Every customer group, as an async iterator; pages of 15 are fetched as iteration
        needs them.

        Operation ``list-customer-groups``: ``GET /customer-groups``.
        Docs: ``/api-reference/customer-groups-api/list-customer-groups``.
        The order is the server's and is not documented.
        """
        return self._list("list", ops.LIST_CUSTOMER_GROUPS)

    async def create(self, data: CustomerGroupCreate) -> CustomerGroup:
        """Create a customer group, optionally with customers in it; returns the stored
        :class:`CustomerGroup` (ID ``cug_...``).

        Operation ``create-customer-group``: ``POST /customer-groups`` (JSON), answered 201.
        Docs: ``/api-reference/customer-groups-api/create-customer-group``.
        Customer IDs in ``data.customers`` that the API does not know are silently ignored.

        Raises:
            UnprocessableEntityError: the API rejected a field (``.errors`` names it).
            AmbiguousWriteError: the request was sent but its outcome is unknown; it carries
                ``{"name": ...}``: look the group up by name before creating it again
                (``create_many`` does).
            RateLimitError, APIConnectionError, AuthenticationError: as for every call.
            TypeError: ``data`` is not a CustomerGroupCreate (nothing is sent).
        """
        return await self._call("create", ops.CREATE_CUSTOMER_GROUP, data=data)

    async def get(self, customer_group_id: str) -> CustomerGroup:
        """Get one customer group by ID (``cug_...``).

        Operation ``get-customer-group``: ``GET /customer-groups/{customerGroupId}``.
        Docs: ``/api-reference/customer-groups-api/get-customer-group``.

        Raises:
            NotFoundError: no customer group with that ID.
            RequestValidationError: ``customer_group_id`` is empty (nothing is sent).
        """
        return await self._call("get", ops.GET_CUSTOMER_GROUP, customer_group_id)

    async def update(self, customer_group_id: str, data: CustomerGroupUpdate) -> CustomerGroup:
        """Rename a customer group; returns the group as stored after the change. For example
        ``await mkp.customer_groups.update("cug_...", CustomerGroupUpdate(name="VIP"))``.

        Operation ``edit-customer-group``: ``PATCH /customer-groups/{customerGroupId}`` (JSON).
        Docs: ``/api-reference/customer-groups-api/edit-customer-group``.

        Raises:
            NotFoundError: no customer group with that ID.
            UnprocessableEntityError: the API rejected the name (``.errors`` names it).
            AmbiguousWriteError: sent, outcome unknown; ``get`` the group to see its name
                (sending the same rename again is harmless).
            RequestValidationError: ``customer_group_id`` is empty (nothing is sent).
            TypeError: ``data`` is not a CustomerGroupUpdate (nothing is sent).
        """
        return await self._call("update", ops.EDIT_CUSTOMER_GROUP, customer_group_id, data=data)

    async def add_customers(
        self, customer_group_id: str, customers: Iterable[str]
    ) -> tuple[Customer, ...]:
        """Add customers (a list of IDs, ``cst_...``) to a customer group; returns the group's
        customers after the change (all of them, not only those added), as :class:`Customer`
        objects whose ``customer_groups`` include this group. For example
        ``await mkp.customer_groups.add_customers(group.id, [alice.id, bob.id])``.

        IDs the API does not know are silently ignored (no error): compare the answer with
        what you sent to find them. Adding a customer that is already in the group is
        harmless.

        Operation ``add-customers-to-customer-group``:
        ``POST /customer-groups/{customerGroupId}/customers`` (JSON ``{"customers": [...]}``),
        answered with a plain ``{"data": [...]}`` list, not paginated.
        Docs: ``/api-reference/customer-groups-api/add-customers-to-customer-group``.

        Raises:
            NotFoundError: no customer group with that ID.
            UnprocessableEntityError: the API rejected the list (``.errors`` names it).
            AmbiguousWriteError: sent, outcome unknown; sending the same IDs again is
                harmless (a customer is in a group once).
            RequestValidationError: ``customer_group_id`` is empty, the list is empty or an
                item is not a non-empty ID string (``.field``, e.g. ``customers[1]``; nothing
                is sent).
            TypeError: ``customers`` is not a list of IDs (None, one string, a mapping, a
                model; nothing is sent).
        """
        return await self._data_list(
            "add_customers",
            ops.ADD_CUSTOMERS_TO_CUSTOMER_GROUP,
            customer_group_id,
            data=_adding(customers),
        )

    @property
    def with_raw_response(self) -> CustomerGroupsWithRawResponse:
        """This area's methods again, each answering a :class:`RawResponse`: the HTTP
        ``status``, ``headers`` and ``rate_limit``, and ``parse()`` for what it returns."""
        return CustomerGroupsWithRawResponse(self)


def _adding(customers: Iterable[str]) -> CustomerGroupCustomersAdd:
    """The add-customers body for ``customers``, refusing what is not a list of IDs at all
    with a TypeError (a bad item is the model's RequestValidationError)."""
    single = (str, bytes, bytearray, Mapping)
    if isinstance(customers, single) or not isinstance(customers, Iterable):
        name = type(customers).__name__
        got = "None" if customers is None else f"an {name}" if name[:1] in "AEIOU" else f"a {name}"
        call = "mkp.customer_groups.add_customers()"
        raise TypeError(f"customers: {call} takes {ADD_CUSTOMERS_TAKES}, got {got}")
    return CustomerGroupCustomersAdd(customers=customers)


class CustomerGroupsWithRawResponse(RawResponses[CustomerGroups]):
    """``with_raw_response`` of :class:`CustomerGroups`: each method answers a
    :class:`RawResponse` whose ``parse()`` gives what the method returns (``_raw.py``)."""

    list = raw_list(CustomerGroups.list)
    create = raw(CustomerGroups.create)
    get = raw(CustomerGroups.get)
    update = raw(CustomerGroups.update)
    add_customers = raw(CustomerGroups.add_customers)
