"""Payment Links API models: ``PaymentLinkCreate`` (request), ``PaymentLink`` with its
``PaymentLinkStatus`` and ``PaymentLinkPayment`` (responses).

Operations: list-, create-, get-payment-link, close-payment-link, list-payment-link-payment.
A payment link is a checkout page (``checkout_url``) where anyone with the URL pays a fixed
amount in EUR; a reusable link takes many payments until it is closed or expires.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

import attrs

from mijnklantportaal_async._core.wire import object_id
from mijnklantportaal_async.models._validators import (
    Invalid,
    MoneyInput,
    day,
    flag,
    money,
    name_errors,
    request_model,
    text,
)

__all__ = ["PaymentLink", "PaymentLinkCreate", "PaymentLinkPayment", "PaymentLinkStatus"]


def positive_money(value: MoneyInput) -> Decimal:
    """Like :func:`~mijnklantportaal_async.models._validators.money`, refusing zero and
    negative amounts: nobody can pay a link of EUR 0.00 or less."""
    amount = money(value)
    if amount <= 0:
        raise Invalid(f"must be more than 0 (EUR), not {amount}")
    return amount


@request_model
@attrs.frozen(kw_only=True, field_transformer=name_errors)
class PaymentLinkCreate:
    """A new payment link, for ``create-payment-link`` (``POST /payment-links``, JSON).

    Docs: ``/api-reference/payment-links-api/create-payment-link``.

    Fields:
        description: non-empty string; the payer also sees it on their bank statement.
        amount: EUR with at most 2 decimals, more than 0 (``Decimal``, ``int`` or ``"12.95"``;
            a float is refused); sent as ``"12.95"``.
        expires_at: optional date (``datetime.date`` or ``"YYYY-mm-dd"``) after which the link
            can no longer be paid; without it the link does not expire.
        reusable: optional bool: True lets the link be paid many times; the API's default is
            single use.

    A payment link has no natural key: nothing but its ID tells two links apart, so an
    ambiguous create (``AmbiguousWriteError``) is never sent again by the client.

    Raises:
        RequestValidationError: a field is missing or invalid (``.field`` names it).
    """

    description: str = attrs.field(converter=text)
    amount: Decimal = attrs.field(converter=positive_money)
    expires_at: date | None = attrs.field(default=None, converter=attrs.converters.optional(day))
    reusable: bool | None = attrs.field(default=None, converter=attrs.converters.optional(flag))


class PaymentLinkStatus(enum.StrEnum):
    """A payment link's ``status``, as documented: ``open`` (can be paid), ``paid`` (a single
    use link that was paid), ``expired`` (its ``expires_at`` has passed) or ``closed``
    (closed through ``close-payment-link``)."""

    OPEN = "open"
    PAID = "paid"
    EXPIRED = "expired"
    CLOSED = "closed"


@attrs.frozen(kw_only=True)
class PaymentLink:
    """A payment link as the API returns it (ID ``plk_...``).

    Every field but ``id`` may be missing (None). ``amount`` is a ``Decimal`` in ``currency``
    (``"EUR"``); ``expires_at`` (None: it never expires) and ``created_at`` are aware
    datetimes; ``checkout_url`` is the page the payer opens, None when the link can no longer
    be paid (closed, expired, or a single use link that was paid). A ``status`` outside the
    documented :class:`PaymentLinkStatus` values makes the answer unreadable
    (``APIResponseValidationError``).
    """

    id: str = object_id("plk_")
    description: str | None = None
    currency: str | None = None
    amount: Decimal | None = None
    reusable: bool | None = None
    expires_at: datetime | None = None
    status: PaymentLinkStatus | None = None
    checkout_url: str | None = None
    created_at: datetime | None = None


@attrs.frozen(kw_only=True)
class PaymentLinkPayment:
    """A payment made through a payment link (ID ``plp_...``), as listed by
    ``list-payment-link-payment``.

    Every field but ``id`` may be missing (None). ``payment_link_id`` is the link's ``plk_``
    ID; ``amount`` a ``Decimal`` in ``currency`` (``"EUR"``); ``status`` the payment's status
    as text (``"paid"``; the docs list no value set); ``payers_name`` the payer's name;
    ``integration`` the payment provider (``"mollie"``) and ``integration_id`` the payment's
    ID there (``tr_...``); ``created_at`` an aware datetime.
    """

    id: str = object_id("plp_")
    payment_link_id: str | None = None
    currency: str | None = None
    amount: Decimal | None = None
    status: str | None = None
    payers_name: str | None = None
    integration: str | None = None
    integration_id: str | None = None
    created_at: datetime | None = None
