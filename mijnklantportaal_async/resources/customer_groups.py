"""`mkp.customer_groups`: the Customer Groups API."""

from __future__ import annotations

from mijnklantportaal_async.resources._base import Resource


class CustomerGroups(Resource):
    """The Customer Groups API; reached as ``mkp.customer_groups``.

    Operations: list-, create-, get-, edit-customer-group, add-customers-to-customer-group.
    """

    area = "customer_groups"
