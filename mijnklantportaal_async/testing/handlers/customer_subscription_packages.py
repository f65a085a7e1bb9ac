"""FakePortal handlers for the Customer Subscription Packages API: list-, create-, get-,
change-customer-subscription-package, sign-up-customer-subscription-package.
Docs: /api-reference/customer-subscription-packages-api/.

A sign-up stores a customer subscription (``customer_subscriptions``) made from the package:
its description is the package's name, its interval, amount and VAT rate are the package's.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from mijnklantportaal_async.testing.handlers._common import (
    Call,
    Handler,
    Reply,
    paginate,
    stored,
)
from mijnklantportaal_async.testing.handlers._documents import check_customer
from mijnklantportaal_async.testing.handlers.customer_subscriptions import (
    check_interval,
    check_price,
    options,
    store_subscription,
)
from mijnklantportaal_async.testing.state import money
from mijnklantportaal_async.testing.validation import Validator

__all__ = [
    "HANDLERS",
    "change_customer_subscription_package",
    "create_customer_subscription_package",
    "get_customer_subscription_package",
    "list_customer_subscription_packages",
    "sign_up_customer_subscription_package",
]


async def create_customer_subscription_package(call: Call) -> Reply:
    """POST /customer-subscription-packages (create-customer-subscription-package), JSON.

    Required: name, interval, amount (EUR string, not negative), vatRate (0/9/21). Optional:
    description (left out of the answer when not given) and availableForSale (default false).
    201 + CustomerSubscriptionPackage; 422.
    """
    body = await call.body()
    state = call.state
    check = Validator(body.data)
    name = check.string("name", required=True)
    description = check.string("description")
    interval = check_interval(check, "interval", required=True)
    amount, vat_rate = check_price(check, required=True)
    for_sale = check.boolean("availableForSale")
    check.check()
    assert name is not None
    assert interval is not None
    assert amount is not None
    assert vat_rate is not None
    package: dict[str, Any] = {"id": state.store.new_id("customer_subscription_packages")}
    package["name"] = name
    if description is not None:
        package["description"] = description
    package |= {
        "interval": interval,
        "currency": "EUR",
        "amount": money(amount),
        "vatRate": vat_rate,
        "availableForSale": bool(for_sale),
    }
    state.store.add("customer_subscription_packages", package)
    return Reply(201, package, stored_id=package["id"])


async def list_customer_subscription_packages(call: Call) -> Reply:
    """GET /customer-subscription-packages (list-customer-subscription-packages): paginated,
    oldest first."""
    state = call.state
    packages = state.store.all("customer_subscription_packages")
    return Reply(200, paginate(state, "/customer-subscription-packages", packages, call))


def _stored(call: Call) -> dict[str, Any]:
    return stored(
        call, "customer_subscription_packages", "packageId", "Customer Subscription Package"
    )


async def get_customer_subscription_package(call: Call) -> Reply:
    """GET /customer-subscription-packages/{packageId}: 200, or 404."""
    return Reply(200, _stored(call))


_CHANGEABLE = ("name", "description", "interval", "amount", "vatRate", "availableForSale")


async def change_customer_subscription_package(call: Call) -> Reply:
    """PATCH /customer-subscription-packages/{packageId} (change-customer-subscription-package),
    JSON: any of the create fields, at least one, each checked as on create. 200 + the changed
    package; 404; 422 (then nothing changes). Subscriptions signed up earlier keep their terms.
    """
    package = _stored(call)
    body = await call.body()
    check = Validator(body.data)
    amount, vat_rate = check_price(check)
    changes = {
        "name": check.string("name"),
        "description": check.string("description"),
        "interval": check_interval(check, "interval"),
        "amount": money(amount) if amount is not None else None,
        "vatRate": vat_rate,
        "availableForSale": check.boolean("availableForSale"),
    }
    given = {field: value for field, value in changes.items() if value is not None}
    if not given and not check.errors:
        check.fail("name", f"At least one of {', '.join(_CHANGEABLE)} is required.")
    check.check()
    package.update(given)
    return Reply(200, package)


async def sign_up_customer_subscription_package(call: Call) -> Reply:
    """POST /customer-subscription-packages/{packageId}/sign-up, JSON.

    404 for an unknown package (before the body is read, as Laravel's route binding does).
    Required: customerId (a stored customer, else 422), startDate (``YYYY-mm-dd``). Optional:
    mandateId (then the subscription's payments go through the payment integration),
    createInvoice, invoiceText (null allowed). 201 + the new CustomerSubscription.
    """
    package = _stored(call)
    body = await call.body()
    state = call.state
    check = Validator(body.data)
    customer_id = check_customer(check, state)
    starts_at = check.date("startDate", required=True)
    mandate_id = check.string("mandateId")
    create_invoice = check.boolean("createInvoice")
    invoice_text = check.string("invoiceText")
    check.check()
    assert customer_id is not None
    assert starts_at is not None
    subscription = store_subscription(
        state,
        customer_id=customer_id,
        description=package["name"],
        starts_at=starts_at,
        interval=package["interval"],
        amount=Decimal(package["amount"]),
        vat_rate=package["vatRate"],
        options=options(
            create_invoice=create_invoice,
            create_payment=mandate_id is not None,
            invoice_description=invoice_text,
            mandate_id=mandate_id,
            follow_up=None,
        ),
    )
    return Reply(201, subscription, stored_id=subscription["id"])


HANDLERS: dict[str, Handler] = {
    "list-customer-subscription-packages": list_customer_subscription_packages,
    "create-customer-subscription-package": create_customer_subscription_package,
    "get-customer-subscription-package": get_customer_subscription_package,
    "change-customer-subscription-package": change_customer_subscription_package,
    "sign-up-customer-subscription-package": sign_up_customer_subscription_package,
}
"""This module's handlers by operationId (``testing/routes.py`` joins them to the table)."""
