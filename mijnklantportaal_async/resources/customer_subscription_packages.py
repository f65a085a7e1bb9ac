"""`mkp.customer_subscription_packages`: the Customer Subscription Packages API."""

from __future__ import annotations

from mijnklantportaal_async.resources._base import Resource


class CustomerSubscriptionPackages(Resource):
    """The Customer Subscription Packages API; reached as ``mkp.customer_subscription_packages``.

    Operations: list-, create-, get-, change-customer-subscription-package,
    sign-up-customer-subscription-package.
    """

    area = "customer_subscription_packages"
