"""Customer Subscription Packages API models: ``CustomerSubscriptionPackageCreate``,
``CustomerSubscriptionPackageUpdate`` and ``CustomerSubscriptionPackageSignUp`` (requests),
``CustomerSubscriptionPackage`` (response). A sign-up answers with a ``CustomerSubscription``
(``models/customer_subscriptions.py``, which also holds ``SubscriptionInterval``).

Operations: list-, create-, get-, change-customer-subscription-package,
sign-up-customer-subscription-package.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs

from mijnklantportaal_async._core.wire import object_id
from mijnklantportaal_async.models._validators import (
    day,
    flag,
    flag_update,
    name_errors,
    non_negative_money,
    non_negative_money_update,
    request_model,
    text,
    text_update,
    update_model,
    vat_rate,
    vat_rate_update,
)
from mijnklantportaal_async.models.common import UNSET, Unset
from mijnklantportaal_async.models.customer_subscriptions import (
    SubscriptionInterval,
    interval,
    interval_update,
)

__all__ = [
    "CustomerSubscriptionPackage",
    "CustomerSubscriptionPackageCreate",
    "CustomerSubscriptionPackageSignUp",
    "CustomerSubscriptionPackageUpdate",
]


@request_model
@attrs.frozen(kw_only=True, field_transformer=name_errors)
class CustomerSubscriptionPackageCreate:
    """A new subscription package (a subscription customers can be signed up for), for
    ``create-customer-subscription-package`` (``POST /customer-subscription-packages``, JSON).

    Docs:
    ``/api-reference/customer-subscription-packages-api/create-customer-subscription-package``

    Fields:
        name: non-empty string.
        interval: a :class:`SubscriptionInterval` or its string (``"1 year"``).
        amount: EUR per interval, ``Decimal``/int/decimal string, at most 2 decimals, not
            negative (sent as ``"12.95"``).
        vat_rate: 0, 9 or 21 (percent).
        description: optional non-empty string (the package's terms).
        available_for_sale: optional bool: sold in the customer portal and on the public page.

    Raises:
        RequestValidationError: a field is missing or invalid (``.field`` names it).
    """

    name: str = attrs.field(converter=text)
    interval: SubscriptionInterval = attrs.field(converter=interval)
    amount: Decimal = attrs.field(converter=non_negative_money)
    vat_rate: int = attrs.field(converter=vat_rate)
    description: str | None = attrs.field(default=None, converter=attrs.converters.optional(text))
    available_for_sale: bool | None = attrs.field(
        default=None, converter=attrs.converters.optional(flag)
    )


@update_model
@attrs.frozen(kw_only=True, field_transformer=name_errors)
class CustomerSubscriptionPackageUpdate:
    """Changes to a package, for ``change-customer-subscription-package``
    (``PATCH /customer-subscription-packages/{packageId}``, JSON).

    Docs:
    ``/api-reference/customer-subscription-packages-api/change-customer-subscription-package``

    Set only what changes: a field left out (or :data:`UNSET`) is not sent and keeps its
    value. The fields and their rules are those of :class:`CustomerSubscriptionPackageCreate`;
    the docs document none of them as clearable, so None is refused. Whether a change reaches
    the subscriptions already signed up is not documented.

    ``CustomerSubscriptionPackageUpdate(available_for_sale=False)`` sends
    ``{"availableForSale": false}``.

    Raises:
        RequestValidationError: a value is invalid or None (``.field`` names it), a keyword
            is unknown, or no field is set (``.field == "data"``).
    """

    name: str | Unset = attrs.field(default=UNSET, converter=text_update)
    description: str | Unset = attrs.field(default=UNSET, converter=text_update)
    interval: SubscriptionInterval | Unset = attrs.field(default=UNSET, converter=interval_update)
    amount: Decimal | Unset = attrs.field(default=UNSET, converter=non_negative_money_update)
    vat_rate: int | Unset = attrs.field(default=UNSET, converter=vat_rate_update)
    available_for_sale: bool | Unset = attrs.field(default=UNSET, converter=flag_update)


@request_model
@attrs.frozen(kw_only=True, field_transformer=name_errors)
class CustomerSubscriptionPackageSignUp:
    """Signing a customer up for a package, for ``sign-up-customer-subscription-package``
    (``POST /customer-subscription-packages/{packageId}/sign-up``, JSON): the portal creates a
    customer subscription from the package.

    Docs:
    ``/api-reference/customer-subscription-packages-api/sign-up-a-customer-for-a-customer-subscription-package``

    Fields:
        customer_id: the customer's ID (``cst_...``); the portal refuses an unknown one (422).
        start_date: the subscription's first day, ``datetime.date`` or ``"YYYY-mm-dd"``.
        mandate_id: optional payment mandate ID (``mdt_...``) to collect the payments with.
        create_invoice: optional bool: create invoices in the bookkeeping integration.
        invoice_text: optional non-empty text for the invoices (the docs allow null: None,
            the default, sends nothing, which leaves it unset as well).

    Raises:
        RequestValidationError: a field is missing or invalid (``.field`` names it).
    """

    customer_id: str = attrs.field(converter=text)
    start_date: date = attrs.field(converter=day)
    mandate_id: str | None = attrs.field(default=None, converter=attrs.converters.optional(text))
    create_invoice: bool | None = attrs.field(
        default=None, converter=attrs.converters.optional(flag)
    )
    invoice_text: str | None = attrs.field(default=None, converter=attrs.converters.optional(text))


@attrs.frozen(kw_only=True)
class CustomerSubscriptionPackage:
    """A subscription package as the API returns it (ID ``spg_...``).

    ``amount`` is in ``currency`` (always ``"EUR"``) per ``interval``, ``vat_rate`` a
    percentage; ``available_for_sale`` says whether customers can buy it in the portal and on
    the public page. Every field but ``id`` may be missing (None).
    """

    id: str = object_id("spg_")
    name: str | None = None
    description: str | None = None
    interval: SubscriptionInterval | None = None
    currency: str | None = None
    amount: Decimal | None = None
    vat_rate: int | None = None
    available_for_sale: bool | None = None
