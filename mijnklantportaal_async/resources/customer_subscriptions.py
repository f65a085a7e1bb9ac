"""`mkp.customer_subscriptions`: the Customer Subscriptions API."""

from __future__ import annotations

from mijnklantportaal_async.resources._base import Resource


class CustomerSubscriptions(Resource):
    """The Customer Subscriptions API; reached as ``mkp.customer_subscriptions``.

    Operations: list-, create-, get-, change-customer-subscription.
    """

    area = "customer_subscriptions"
