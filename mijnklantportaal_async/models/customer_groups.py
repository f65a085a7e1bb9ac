"""Customer Groups API models: ``CustomerGroupCreate``, ``CustomerGroupUpdate`` and
``CustomerGroupCustomersAdd`` (requests), ``CustomerGroup`` (response).

Operations: list-, create-, get-, edit-customer-group, add-customers-to-customer-group (which
answers the group's customers as :class:`~mijnklantportaal_async.models.customers.Customer`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import attrs

from mijnklantportaal_async._core import natural_keys
from mijnklantportaal_async._core.wire import object_id
from mijnklantportaal_async.models._validators import (
    Invalid,
    check_collection,
    name_errors,
    request_model,
    text,
    text_update,
    type_name,
    update_model,
)
from mijnklantportaal_async.models.common import UNSET, Unset

__all__ = [
    "CustomerGroup",
    "CustomerGroupCreate",
    "CustomerGroupCustomersAdd",
    "CustomerGroupUpdate",
]


def customer_ids(value: Iterable[str], *, minimum: int = 0) -> tuple[str, ...]:
    """A list of customer IDs (``cst_...``), each a non-empty string, stripped, in the given
    order (duplicates are kept: the API adds a customer to a group once). Errors name the item:
    ``customers[1]``. A ``Customer`` given where its ID belongs is refused with a hint."""
    check_collection(value, "customer IDs")
    items = list(value)
    if len(items) < minimum:
        raise Invalid(f"must hold at least {minimum} customer ID, not {len(items)}")
    out: list[str] = []
    for index, item in enumerate(items):
        if not isinstance(item, str):
            hint = " (pass customer.id)" if hasattr(item, "primary_email") else ""
            raise Invalid(
                f"must be a customer ID string (cst_...), not {type_name(item)}{hint}",
                f"[{index}]",
            )
        try:
            out.append(text(item))
        except Invalid as exc:
            raise Invalid(exc.reason, f"[{index}]") from None
    return tuple(out)


def _some_customer_ids(value: Iterable[str]) -> tuple[str, ...]:
    return customer_ids(value, minimum=1)


@request_model
@attrs.frozen(kw_only=True, field_transformer=name_errors)
class CustomerGroupCreate:
    """A new customer group, for ``create-customer-group`` (``POST /customer-groups``, JSON).

    Docs: ``/api-reference/customer-groups-api/create-customer-group``.

    Fields:
        name: the group's name, a non-empty string (stripped); the natural key of a group.
        customers: optional customer IDs (``cst_...``) to put in the group at once. The API
            silently ignores IDs it does not know (no error), so check
            ``Customer.customer_groups`` or add them later with ``add_customers``, whose answer
            lists the group's customers. Left out (None), nothing is sent for it.

    Raises:
        RequestValidationError: a field is missing or invalid (``.field`` names it, e.g.
            ``customers[0]``).
    """

    name: str = attrs.field(converter=text)
    customers: tuple[str, ...] | None = attrs.field(
        default=None, converter=attrs.converters.optional(customer_ids)
    )

    def natural_key(self) -> dict[str, Any]:
        """What identifies this group for bulk reconciliation: its name."""
        return natural_keys.CUSTOMER_GROUP.of(self)


@update_model
@attrs.frozen(kw_only=True, field_transformer=name_errors)
class CustomerGroupUpdate:
    """A new name for a customer group, for ``edit-customer-group``
    (``PATCH /customer-groups/{customerGroupId}``, JSON).

    Docs: ``/api-reference/customer-groups-api/edit-customer-group``.

    ``name`` is the only field the docs show (and they mark it required), so an update without
    it is refused before sending; None is refused (a group's name cannot be cleared).

    Raises:
        RequestValidationError: ``name`` is empty or None (``.field == "name"``), or not set
            (``.field == "data"``).
    """

    name: str | Unset = attrs.field(default=UNSET, converter=text_update)


@request_model
@attrs.frozen(kw_only=True, field_transformer=name_errors)
class CustomerGroupCustomersAdd:
    """The body of ``add-customers-to-customer-group``
    (``POST /customer-groups/{customerGroupId}/customers``, JSON): ``customers``, one or more
    customer IDs (``cst_...``). ``mkp.customer_groups.add_customers(group_id, [ids])`` builds
    it; the API silently ignores IDs it does not know.

    Raises:
        RequestValidationError: ``customers`` is empty or holds something other than
            non-empty ID strings (``.field`` names the item, e.g. ``customers[2]``).
    """

    customers: tuple[str, ...] = attrs.field(converter=_some_customer_ids)


@attrs.frozen(kw_only=True)
class CustomerGroup:
    """A customer group as the API returns it (ID ``cug_...``).

    Every field but ``id`` may be missing (None); ``created_at`` is an aware datetime. The
    group's members are not part of it: each ``Customer`` lists its ``customer_groups``.
    """

    id: str = object_id("cug_")
    name: str | None = None
    created_at: datetime | None = None
