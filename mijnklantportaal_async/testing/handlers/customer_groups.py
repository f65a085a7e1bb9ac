"""FakePortal handlers for the Customer Groups API: list-, create-, get-, edit-customer-group,
add-customers-to-customer-group.

Docs: /api-reference/customer-groups-api/{list-customer-groups,create-customer-group,
get-customer-group,edit-customer-group,add-customers-to-customer-group}. A group is stored as
the API returns it (``id``, ``name``, ``createdAt``); its members are not on it but on each
customer, whose ``customerGroups`` lists the ``cug_`` IDs of its groups (the Customer schema).
Unknown or invalid customer IDs are silently ignored, as the docs say (api/NOTES.md section 5).
"""

from __future__ import annotations

from typing import Any

from mijnklantportaal_async.testing.handlers._common import (
    Call,
    Handler,
    Reply,
    paginate,
    stored,
)
from mijnklantportaal_async.testing.state import PortalState, atom
from mijnklantportaal_async.testing.validation import Validator

__all__ = [
    "HANDLERS",
    "add_customers_to_customer_group",
    "create_customer_group",
    "edit_customer_group",
    "get_customer_group",
    "list_customer_groups",
]


def _group(call: Call) -> dict[str, Any]:
    """The stored group of the path's ``customerGroupId``, or the documented 404."""
    return stored(call, "customer_groups", "customerGroupId", "Customer Group")


def _join(state: PortalState, group_id: str, customer_ids: list[Any]) -> None:
    """Put each known customer of ``customer_ids`` in the group (once); anything else in the
    list (an unknown ID, a number, ...) is ignored without an error, as the API does."""
    for customer_id in customer_ids:
        if not isinstance(customer_id, str):
            continue
        customer = state.store.get("customers", customer_id)
        if customer is None:
            continue
        groups = customer.setdefault("customerGroups", [])
        if group_id not in groups:
            groups.append(group_id)


def members(state: PortalState, group_id: str) -> list[dict[str, Any]]:
    """The group's customers, in the order the customers were created."""
    return [
        customer
        for customer in state.store.all("customers")
        if group_id in (customer.get("customerGroups") or [])
    ]


async def list_customer_groups(call: Call) -> Reply:
    """GET /customer-groups (list-customer-groups): the paginated groups, oldest first."""
    state = call.state
    return Reply(200, paginate(state, "/customer-groups", state.store.all("customer_groups"), call))


async def create_customer_group(call: Call) -> Reply:
    """POST /customer-groups (create-customer-group), JSON: ``name`` required (a string of at
    most 255 characters), ``customers`` optional (an array of customer IDs; unknown ones are
    ignored). 201 + CustomerGroup; 422."""
    body = await call.body()
    check = Validator(body.data)
    name = check.string("name", required=True)
    customer_ids = check.array("customers")
    check.check()
    assert name is not None
    state = call.state
    group: dict[str, Any] = {
        "id": state.store.new_id("customer_groups"),
        "name": name,
        "createdAt": atom(state.now()),
    }
    state.store.add("customer_groups", group)
    _join(state, group["id"], customer_ids or [])
    return Reply(201, group, stored_id=group["id"])


async def get_customer_group(call: Call) -> Reply:
    """GET /customer-groups/{customerGroupId} (get-customer-group): the group, or 404."""
    return Reply(200, _group(call))


async def edit_customer_group(call: Call) -> Reply:
    """PATCH /customer-groups/{customerGroupId} (edit-customer-group), JSON: ``name``
    required, as on create. 200 + the renamed CustomerGroup; 404; 422."""
    group = _group(call)
    body = await call.body()
    check = Validator(body.data)
    name = check.string("name", required=True)
    check.check()
    group["name"] = name
    return Reply(200, group)


async def add_customers_to_customer_group(call: Call) -> Reply:
    """POST /customer-groups/{customerGroupId}/customers (add-customers-to-customer-group),
    JSON: ``customers`` required, a non-empty array of customer IDs; unknown ones are ignored.
    200 + ``{"data": [...]}``, every customer of the group (not paginated); 404; 422."""
    group = _group(call)
    body = await call.body()
    check = Validator(body.data)
    customer_ids = check.array("customers", required=True)
    check.check()
    state = call.state
    _join(state, group["id"], customer_ids or [])
    return Reply(200, {"data": members(state, group["id"])})


HANDLERS: dict[str, Handler] = {
    "list-customer-groups": list_customer_groups,
    "create-customer-group": create_customer_group,
    "get-customer-group": get_customer_group,
    "edit-customer-group": edit_customer_group,
    "add-customers-to-customer-group": add_customers_to_customer_group,
}
"""This module's handlers by operationId (``testing/routes.py`` joins them to the table)."""
