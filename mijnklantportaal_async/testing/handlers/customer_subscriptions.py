"""FakePortal handlers for the Customer Subscriptions API: list-, create-, get-,
change-customer-subscription. Docs: /api-reference/customer-subscriptions-api/.

A subscription is stored as the API returns it. Its ``status`` and ``renewsAt`` depend on the
portal's clock, so they are brought up to date whenever one is answered (:func:`current`).
The docs list the statuses without their rules; the FakePortal's reading: ``ended`` once
``terminatedAt`` has passed, ``terminated`` while a termination is set for later,
``planned`` before ``startsAt``, ``in_progress`` otherwise. ``renewsAt`` is the first renewal
(``startsAt`` plus whole intervals, month ends clamped) after today, or after the termination
day when that is earlier.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime
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
from mijnklantportaal_async.testing.state import AMSTERDAM, PortalState, atom, money
from mijnklantportaal_async.testing.validation import Validator
from mijnklantportaal_async.testing.webhooks import deliver

__all__ = [
    "HANDLERS",
    "INTERVALS",
    "change_customer_subscription",
    "check_interval",
    "check_price",
    "create_customer_subscription",
    "current",
    "get_customer_subscription",
    "list_customer_subscriptions",
    "renewal_after",
    "store_subscription",
]

INTERVALS: dict[str, tuple[int, int]] = {
    "14 days": (0, 14),
    "1 month": (1, 0),
    "2 months": (2, 0),
    "6 months": (6, 0),
    "1 year": (12, 0),
}
"""The documented ``interval`` values, each as (months, days) per renewal."""


def check_interval(check: Validator, field: str, *, required: bool = False) -> str | None:
    """``field`` is one of :data:`INTERVALS` (Laravel's ``in`` rule)."""
    value = check.string(field, required=required)
    if value is not None and value not in INTERVALS:
        check.fail(field, "The selected :attribute is invalid.")
        return None
    return value


def check_price(check: Validator, *, required: bool = False) -> tuple[Decimal | None, int | None]:
    """``amount`` (EUR string, at most 2 decimals, not negative) and ``vatRate`` (0/9/21)."""
    amount = check.money("amount", required=required)
    if amount is not None and amount < 0:
        check.fail("amount", "The :attribute field must be at least 0.")
        amount = None
    return amount, check.vat_rate("vatRate", required=required)


def _shift(start: date, months: int, days: int, times: int) -> date:
    """``start`` plus ``times`` intervals of (months, days); a month end is clamped
    (31 January + 1 month is 28 or 29 February), counted from ``start`` so it never drifts."""
    if days:
        return date.fromordinal(start.toordinal() + days * times)
    month_index = start.month - 1 + months * times
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def renewal_after(starts_at: date, interval: str, day: date) -> date:
    """The first renewal (``starts_at`` plus one or more intervals) after ``day``."""
    months, days = INTERVALS[interval]
    if days:
        times = max(1, (day - starts_at).days // days + 1)
    else:
        elapsed = (day.year - starts_at.year) * 12 + day.month - starts_at.month
        times = max(1, elapsed // months)
    while _shift(starts_at, months, days, times) <= day:
        times += 1
    return _shift(starts_at, months, days, times)


def current(state: PortalState, subscription: dict[str, Any]) -> dict[str, Any]:
    """Bring ``status`` and ``renewsAt`` of the stored ``subscription`` up to the portal's
    clock; returns it."""
    now = state.now()
    starts_at = date.fromisoformat(subscription["startsAt"])
    terminated = subscription.get("terminatedAt")
    reference = now.date()
    if terminated is not None:
        end = datetime.fromisoformat(terminated)
        status = "ended" if end <= now else "terminated"
        reference = min(reference, end.astimezone(AMSTERDAM).date())
    else:
        status = "planned" if starts_at > now.date() else "in_progress"
    subscription["status"] = status
    renews_at = renewal_after(starts_at, subscription["interval"], reference)
    subscription["renewsAt"] = renews_at.isoformat()
    return subscription


def store_subscription(
    state: PortalState,
    *,
    customer_id: str,
    description: str,
    starts_at: date,
    interval: str,
    amount: Decimal,
    vat_rate: int,
    options: dict[str, Any],
) -> dict[str, Any]:
    """Store a new subscription (``sub_...``) and return it, up to date."""
    subscription: dict[str, Any] = {
        "id": state.store.new_id("customer_subscriptions"),
        "customerId": customer_id,
        "description": description,
        "startsAt": starts_at.isoformat(),
        "interval": interval,
        "currency": "EUR",
        "amount": money(amount),
        "vatRate": vat_rate,
        "options": options,
        "terminatedAt": None,
        "createdAt": atom(state.now()),
    }
    state.store.add("customer_subscriptions", subscription)
    deliver(state, "subscription-created", current(state, subscription))
    return subscription


def options(
    *,
    create_invoice: bool | None,
    create_payment: bool | None,
    invoice_description: str | None,
    mandate_id: str | None,
    follow_up: bool | None,
) -> dict[str, Any]:
    """A subscription's ``options``: the booleans default to false; the texts are left out
    when not given (the spec types them string, not null); ``paymentIntegration`` is
    ``mollie`` (the docs' example) when payments are made."""
    made: dict[str, Any] = {
        "createInvoice": bool(create_invoice),
        "createPayment": bool(create_payment),
        "followUpFailedPayment": bool(follow_up),
    }
    if invoice_description is not None:
        made["invoiceDescription"] = invoice_description
    if create_payment:
        made["paymentIntegration"] = "mollie"
    if mandate_id is not None:
        made["paymentIntegrationMandateId"] = mandate_id
    return made


async def create_customer_subscription(call: Call) -> Reply:
    """POST /customer-subscriptions (create-customer-subscription), JSON.

    Required: customerId (a stored customer, else 422), description, startDate
    (``YYYY-mm-dd``), interval (one of :data:`INTERVALS`), amount (EUR string, not negative),
    vatRate (0/9/21). Optional: createInvoice, createPayment, invoiceDescription,
    paymentIntegrationMandateId, followUpFailedPayment. 201 + CustomerSubscription; 422.
    """
    body = await call.body()
    state = call.state
    check = Validator(body.data)
    customer_id = check_customer(check, state)
    description = check.string("description", required=True)
    starts_at = check.date("startDate", required=True)
    interval = check_interval(check, "interval", required=True)
    amount, vat_rate = check_price(check, required=True)
    create_invoice = check.boolean("createInvoice")
    create_payment = check.boolean("createPayment")
    invoice_description = check.string("invoiceDescription")
    mandate_id = check.string("paymentIntegrationMandateId")
    follow_up = check.boolean("followUpFailedPayment")
    check.check()
    assert customer_id is not None
    assert description is not None
    assert starts_at is not None
    assert interval is not None
    assert amount is not None
    assert vat_rate is not None
    subscription = store_subscription(
        state,
        customer_id=customer_id,
        description=description,
        starts_at=starts_at,
        interval=interval,
        amount=amount,
        vat_rate=vat_rate,
        options=options(
            create_invoice=create_invoice,
            create_payment=create_payment,
            invoice_description=invoice_description,
            mandate_id=mandate_id,
            follow_up=follow_up,
        ),
    )
    return Reply(201, subscription, stored_id=subscription["id"])


async def list_customer_subscriptions(call: Call) -> Reply:
    """GET /customer-subscriptions (list-customer-subscriptions): paginated, oldest first;
    created directly or by a package sign-up."""
    state = call.state
    subscriptions = [current(state, s) for s in state.store.all("customer_subscriptions")]
    return Reply(200, paginate(state, "/customer-subscriptions", subscriptions, call))


def _stored(call: Call) -> dict[str, Any]:
    return stored(call, "customer_subscriptions", "subscriptionId", "Customer Subscription")


async def get_customer_subscription(call: Call) -> Reply:
    """GET /customer-subscriptions/{subscriptionId} (get-customer-subscription): 200, 404."""
    return Reply(200, current(call.state, _stored(call)))


_CHANGEABLE = ("description", "interval", "amount", "vatRate", "terminatedAt")


async def change_customer_subscription(call: Call) -> Reply:
    """PATCH /customer-subscriptions/{subscriptionId} (change-customer-subscription), JSON.

    Any of description, interval, amount, vatRate (each checked as on create) and
    terminatedAt (``YYYY-mm-dd HH:mm:ss``, portal time), at least one. 200 + the changed
    CustomerSubscription; 404; 422 (then nothing changes).
    """
    subscription = _stored(call)
    body = await call.body()
    check = Validator(body.data)
    amount, vat_rate = check_price(check)
    terminated_at = check.datetime("terminatedAt")
    changes = {
        "description": check.string("description"),
        "interval": check_interval(check, "interval"),
        "amount": money(amount) if amount is not None else None,
        "vatRate": vat_rate,
        "terminatedAt": atom(terminated_at.replace(tzinfo=AMSTERDAM)) if terminated_at else None,
    }
    given = {field: value for field, value in changes.items() if value is not None}
    if not given and not check.errors:
        check.fail("description", f"At least one of {', '.join(_CHANGEABLE)} is required.")
    check.check()
    subscription.update(given)
    deliver(call.state, "subscription-updated", current(call.state, subscription))
    return Reply(200, subscription)


HANDLERS: dict[str, Handler] = {
    "list-customer-subscriptions": list_customer_subscriptions,
    "create-customer-subscription": create_customer_subscription,
    "get-customer-subscription": get_customer_subscription,
    "change-customer-subscription": change_customer_subscription,
}
"""This module's handlers by operationId (``testing/routes.py`` joins them to the table)."""
