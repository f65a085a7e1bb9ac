"""Customer Subscriptions API models: ``CustomerSubscriptionCreate`` and
``CustomerSubscriptionUpdate`` (requests), ``CustomerSubscription`` with its
``CustomerSubscriptionOptions`` (response), and the value sets ``SubscriptionInterval`` and
``SubscriptionStatus`` (shared with the Customer Subscription Packages API).

Operations: list-, create-, get-, change-customer-subscription.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

import attrs

from mijnklantportaal_async._core.wire import object_id
from mijnklantportaal_async.models._validators import (
    day,
    flag,
    moment_update,
    name_errors,
    non_negative_money,
    non_negative_money_update,
    one_of,
    request_model,
    text,
    text_update,
    unless_unset,
    update_model,
    vat_rate,
    vat_rate_update,
)
from mijnklantportaal_async.models.common import UNSET, Unset

__all__ = [
    "CustomerSubscription",
    "CustomerSubscriptionCreate",
    "CustomerSubscriptionOptions",
    "CustomerSubscriptionUpdate",
    "SubscriptionInterval",
    "SubscriptionStatus",
]


class SubscriptionInterval(enum.StrEnum):
    """How often a subscription renews (and is charged): the API's ``interval`` values.

    A member is its wire string (``SubscriptionInterval.ONE_YEAR == "1 year"``), so request
    models take either the member or that exact string.
    """

    FOURTEEN_DAYS = "14 days"
    ONE_MONTH = "1 month"
    TWO_MONTHS = "2 months"
    SIX_MONTHS = "6 months"
    ONE_YEAR = "1 year"


class SubscriptionStatus(enum.StrEnum):
    """A subscription's ``status`` as the API reports it.

    ``planned``: it starts later; ``in_progress``: running; ``terminated``: a termination is
    set; ``ended``: it is over. The docs list the four values without saying when each holds.
    """

    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    TERMINATED = "terminated"
    ENDED = "ended"


def interval(value: SubscriptionInterval | str) -> SubscriptionInterval:
    """A :class:`SubscriptionInterval`, or its exact wire string (``"1 month"``)."""
    return one_of(SubscriptionInterval, value)


# The same checks for an update model's fields: UNSET passes, None is refused.


def interval_update(value: SubscriptionInterval | str | Unset) -> SubscriptionInterval | Unset:
    """:func:`interval` for an update model's field."""
    return unless_unset(interval, value)


@request_model
@attrs.frozen(kw_only=True, field_transformer=name_errors)
class CustomerSubscriptionCreate:
    """A new subscription of a customer, for ``create-customer-subscription``
    (``POST /customer-subscriptions``, JSON).

    Docs: ``/api-reference/customer-subscriptions-api/create-customer-subscription``.

    Fields:
        customer_id: the customer's ID (``cst_...``); the portal refuses an unknown one (422).
        description: non-empty string.
        start_date: the first day, ``datetime.date`` or ``"YYYY-mm-dd"`` (wire ``startDate``).
        interval: a :class:`SubscriptionInterval` or its string (``"1 month"``).
        amount: EUR per interval, ``Decimal``/int/decimal string, at most 2 decimals, not
            negative (sent as ``"12.95"``).
        vat_rate: 0, 9 or 21 (percent).
        create_invoice: optional bool: create an invoice in the connected bookkeeping
            integration at each renewal (only when one is connected).
        create_payment: optional bool: collect a payment through the payment integration.
        invoice_description: optional text for the invoices.
        payment_integration_mandate_id: optional mandate ID at the payment integration
            (``mdt_...``), for the payments.
        follow_up_failed_payment: optional bool: follow up failed payments.

    The last three are in the newer revision of the docs page only; the docs do not say how
    they depend on each other, so none is refused for the others' values.

    Raises:
        RequestValidationError: a field is missing or invalid (``.field`` names it).
    """

    customer_id: str = attrs.field(converter=text)
    description: str = attrs.field(converter=text)
    start_date: date = attrs.field(converter=day)
    interval: SubscriptionInterval = attrs.field(converter=interval)
    amount: Decimal = attrs.field(converter=non_negative_money)
    vat_rate: int = attrs.field(converter=vat_rate)
    create_invoice: bool | None = attrs.field(
        default=None, converter=attrs.converters.optional(flag)
    )
    create_payment: bool | None = attrs.field(
        default=None, converter=attrs.converters.optional(flag)
    )
    invoice_description: str | None = attrs.field(
        default=None, converter=attrs.converters.optional(text)
    )
    payment_integration_mandate_id: str | None = attrs.field(
        default=None, converter=attrs.converters.optional(text)
    )
    follow_up_failed_payment: bool | None = attrs.field(
        default=None, converter=attrs.converters.optional(flag)
    )


@update_model
@attrs.frozen(kw_only=True, field_transformer=name_errors)
class CustomerSubscriptionUpdate:
    """Changes to a subscription, for ``change-customer-subscription``
    (``PATCH /customer-subscriptions/{subscriptionId}``, JSON), including terminating it.

    Docs: ``/api-reference/customer-subscriptions-api/change-customer-subscription``.

    Set only what changes: a field left out (or :data:`UNSET`) is not sent and keeps its
    value. ``description``, ``interval``, ``amount`` and ``vat_rate`` follow the rules of
    :class:`CustomerSubscriptionCreate`. ``terminated_at`` ends the subscription at that moment:
    a ``datetime.datetime`` (aware, or naive in portal time, Europe/Amsterdam) or
    ``"YYYY-mm-dd HH:MM:SS"``, sent in portal time. The docs document no way to clear a field
    (nor to undo a termination), so None is refused.

    ``CustomerSubscriptionUpdate(amount="14.95")`` sends ``{"amount": "14.95"}``.

    Raises:
        RequestValidationError: a value is invalid or None (``.field`` names it), a keyword
            is unknown, or no field is set (``.field == "data"``).
    """

    description: str | Unset = attrs.field(default=UNSET, converter=text_update)
    interval: SubscriptionInterval | Unset = attrs.field(default=UNSET, converter=interval_update)
    amount: Decimal | Unset = attrs.field(default=UNSET, converter=non_negative_money_update)
    vat_rate: int | Unset = attrs.field(default=UNSET, converter=vat_rate_update)
    terminated_at: datetime | Unset = attrs.field(default=UNSET, converter=moment_update)


@attrs.frozen(kw_only=True)
class CustomerSubscriptionOptions:
    """A subscription's ``options``: what happens at each renewal.

    ``create_invoice`` (in the bookkeeping integration), ``create_payment`` (through the
    payment integration named by ``payment_integration``, e.g. ``"mollie"``, with the mandate
    ``payment_integration_mandate_id``), ``invoice_description`` (the invoices' text) and
    ``follow_up_failed_payment``. Any may be missing (None).
    """

    create_invoice: bool | None = None
    create_payment: bool | None = None
    invoice_description: str | None = None
    payment_integration: str | None = None
    payment_integration_mandate_id: str | None = None
    follow_up_failed_payment: bool | None = None


@attrs.frozen(kw_only=True)
class CustomerSubscription:
    """A customer's subscription as the API returns it (ID ``sub_...``; the docs' examples
    show ``sub__...`` with two underscores, which is read as it comes).

    ``starts_at`` and ``renews_at`` (the next renewal) are dates; ``amount`` is in
    ``currency`` (always ``"EUR"``) per ``interval``, ``vat_rate`` a percentage;
    ``terminated_at`` (an aware datetime) is None until the subscription is terminated;
    ``created_at`` is an aware datetime. Every field but ``id`` may be missing (None).
    """

    id: str = object_id("sub_")
    customer_id: str | None = None
    description: str | None = None
    starts_at: date | None = None
    interval: SubscriptionInterval | None = None
    renews_at: date | None = None
    currency: str | None = None
    amount: Decimal | None = None
    vat_rate: int | None = None
    status: SubscriptionStatus | None = None
    options: CustomerSubscriptionOptions | None = None
    terminated_at: datetime | None = None
    created_at: datetime | None = None
