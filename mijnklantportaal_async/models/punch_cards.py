"""Punch Cards API models: ``PunchCardCreate``, ``PunchCardUpdate``, ``IssuedPunchCardCreate``
and ``PunchCardStamp`` (requests), ``PunchCard`` and ``IssuedPunchCard`` (responses), with the
value sets ``ExpiryPeriod`` and ``IssuedPunchCardStatus``.

Operations: list-, create-, get-, edit-punch-card, list-bought-punch-cards,
issue-new-punch-card, get-bought-punch-card, stamp-issued-punch-card.

The docs spell the expiry unit two ways: a create sends ``expirePeriod``
(:attr:`PunchCardCreate.expire_period`), a punch card answers ``expiryPeriode``
(:attr:`PunchCard.expiry_period`, the one wire name ``_core/wire.py`` overrides). Punch cards
have no natural key: nothing but the ID tells two cards (or two issued cards) apart.
"""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

import attrs

from mijnklantportaal_async._core.wire import object_id
from mijnklantportaal_async.errors import RequestValidationError
from mijnklantportaal_async.models._validators import (
    Invalid,
    flag,
    flag_update,
    name_errors,
    non_negative_money,
    non_negative_money_update,
    one_of,
    request_model,
    text,
    type_name,
    update_model,
    vat_rate,
    vat_rate_update,
)
from mijnklantportaal_async.models.common import UNSET, Unset

__all__ = [
    "ExpiryPeriod",
    "IssuedPunchCard",
    "IssuedPunchCardCreate",
    "IssuedPunchCardStatus",
    "PunchCard",
    "PunchCardCreate",
    "PunchCardStamp",
    "PunchCardUpdate",
]


class ExpiryPeriod(enum.StrEnum):
    """The unit of a punch card's expiry (``expiry_value`` of them after issuing)."""

    DAYS = "days"
    MONTHS = "months"
    YEARS = "years"


class IssuedPunchCardStatus(enum.StrEnum):
    """An issued punch card's status: ``active``, ``expired`` or ``fully_used`` (no punches
    left)."""

    ACTIVE = "active"
    EXPIRED = "expired"
    FULLY_USED = "fully_used"


# -- converters of this area's values ---------------------------------------------------------


def count(value: int) -> int:
    """A whole number of at least 1: an ``int`` (not a bool, not a float)."""
    if value is None:
        raise Invalid("is required")
    if isinstance(value, bool) or not isinstance(value, int):
        raise Invalid(f"must be a whole number (an int), not {type_name(value)} {value!r}")
    if value < 1:
        raise Invalid(f"must be at least 1, not {value}")
    return value


def count_text(value: int | str) -> str:
    """A whole number of at least 1, from an int or its ASCII digits, kept as its digits
    (``3`` -> ``"3"``): the docs type ``expiryValue`` as a string on create."""
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value.strip())
    elif isinstance(value, str):
        raise Invalid(f"must be a whole number (an int or its digits), not {value!r}")
    return str(count(value))


def expiry_period(value: ExpiryPeriod | str) -> ExpiryPeriod:
    """An :class:`ExpiryPeriod`, or its value (``"days"``, ``"months"``, ``"years"``)."""
    return one_of(ExpiryPeriod, value)


def _check_sale(for_sale: bool | Unset | None, price: object, rate: object) -> None:
    """``price`` and ``vat_rate`` are required when for sale, and only then: the API answers
    both as null for a card that is not for sale, so a value sent then would be lost."""
    if for_sale is True:
        for name, value in (("price", price), ("vat_rate", rate)):
            if value is None or value is UNSET:
                raise RequestValidationError(name, "is required when for_sale is True")
        return
    for name, value in (("price", price), ("vat_rate", rate)):
        if value is not None and value is not UNSET:
            raise RequestValidationError(
                name,
                "is only taken with for_sale=True (a card not for sale has no price or VAT "
                "rate; the API answers them as null)",
            )


# -- requests ---------------------------------------------------------------------------------


@request_model
@attrs.frozen(kw_only=True, field_transformer=name_errors)
class PunchCardCreate:
    """A new punch card, for ``create-punch-card`` (``POST /punch-cards``, JSON).

    Docs: ``/api-reference/punch-cards-api/create-punch-card``.

    Fields (strings are stripped of surrounding whitespace):
        name: non-empty string (``"Driving lessons"``).
        punches: how many punches the card holds, an int of at least 1.
        punch_label: non-empty string, the unit of a punch (``"lessons"``).
        description: optional string shown in the portal.
        for_sale: optional bool: buyable online in the portal (the API's default: False).
        price: EUR including VAT, ``Decimal``/int/decimal string, at most 2 decimals, not
            negative; required when ``for_sale`` is True, refused otherwise.
        vat_rate: 0, 9 or 21 (percent); required when ``for_sale`` is True, refused otherwise.
        expiry_value, expire_period: optional, together: the card expires ``expiry_value``
            (an int of at least 1, or its digits; sent as a string, ``"3"``, as the docs type
            it) :class:`ExpiryPeriod` units after it is issued. Left out, it never expires.
            ``expire_period`` is sent as ``expirePeriod``; a card answers it as
            ``expiryPeriode`` (:attr:`PunchCard.expiry_period`).

    Raises:
        RequestValidationError: a field is missing or invalid (``.field`` names it).
    """

    name: str = attrs.field(converter=text)
    punches: int = attrs.field(converter=count)
    punch_label: str = attrs.field(converter=text)
    description: str | None = attrs.field(default=None, converter=attrs.converters.optional(text))
    for_sale: bool | None = attrs.field(default=None, converter=attrs.converters.optional(flag))
    price: Decimal | None = attrs.field(
        default=None, converter=attrs.converters.optional(non_negative_money)
    )
    vat_rate: int | None = attrs.field(default=None, converter=attrs.converters.optional(vat_rate))
    expiry_value: str | None = attrs.field(
        default=None, converter=attrs.converters.optional(count_text)
    )
    expire_period: ExpiryPeriod | None = attrs.field(
        default=None, converter=attrs.converters.optional(expiry_period)
    )

    def __attrs_post_init__(self) -> None:
        _check_sale(self.for_sale, self.price, self.vat_rate)
        if self.expiry_value is not None and self.expire_period is None:
            raise RequestValidationError("expire_period", "is required with expiry_value")
        if self.expire_period is not None and self.expiry_value is None:
            raise RequestValidationError("expiry_value", "is required with expire_period")


@update_model
@attrs.frozen(kw_only=True, field_transformer=name_errors)
class PunchCardUpdate:
    """The sale settings of a punch card, for ``edit-punch-card``
    (``PATCH /punch-cards/{punchCardId}``, JSON).

    Docs: ``/api-reference/punch-cards-api/edit-punch-card``.

    Only these can be changed. ``for_sale`` is always required (the API requires it on every
    edit); ``price`` (EUR including VAT, at most 2 decimals, not negative) and ``vat_rate``
    (0, 9 or 21) are required with ``for_sale=True`` and refused with ``for_sale=False`` (a
    card not for sale has neither). Fields left :data:`UNSET` are not sent; None is refused.

    ``PunchCardUpdate(for_sale=True, price="199.95", vat_rate=21)``;
    ``PunchCardUpdate(for_sale=False)`` takes a card off sale.

    Raises:
        RequestValidationError: ``for_sale`` is missing, a value is invalid or None, or
            ``price``/``vat_rate`` do not fit ``for_sale`` (``.field`` names it); no field is
            set (``.field == "data"``).
    """

    for_sale: bool | Unset = attrs.field(default=UNSET, converter=flag_update)
    price: Decimal | Unset = attrs.field(default=UNSET, converter=non_negative_money_update)
    vat_rate: int | Unset = attrs.field(default=UNSET, converter=vat_rate_update)

    def __attrs_post_init__(self) -> None:
        if self.for_sale is UNSET:
            raise RequestValidationError(
                "for_sale", "is required: edit-punch-card always takes forSale"
            )
        _check_sale(self.for_sale, self.price, self.vat_rate)


@request_model
@attrs.frozen(kw_only=True, field_transformer=name_errors)
class IssuedPunchCardCreate:
    """The body of ``issue-new-punch-card`` (``POST /punch-cards/{punchCardId}/issued``,
    JSON): ``customer_id``, the customer (``cst_...``) the card is issued to.
    ``mkp.punch_cards.issue(card_id, customer_id=...)`` builds it.

    Raises:
        RequestValidationError: ``customer_id`` is missing or empty.
    """

    customer_id: str = attrs.field(converter=text)


@request_model
@attrs.frozen(kw_only=True, field_transformer=name_errors)
class PunchCardStamp:
    """The body of ``stamp-issued-punch-card``
    (``POST /punch-cards/{punchCardId}/issued/{issuedPunchCardId}/stamp``, JSON): ``stamps``,
    how many punches to stamp (an int of at least 1).
    ``mkp.punch_cards.stamp(card_id, issued_id, stamps=...)`` builds it.

    Raises:
        RequestValidationError: ``stamps`` is missing, not an int or below 1.
    """

    stamps: int = attrs.field(converter=count)


# -- responses --------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class PunchCard:
    """A punch card as the API returns it (ID ``pcd_...``).

    Every field but ``id`` may be missing (None). ``punches`` is how many punches an issued
    card starts with, ``punch_label`` their unit; ``price`` is a ``Decimal`` in EUR including
    VAT and ``vat_rate`` a percentage, both None when the card is not ``for_sale``;
    ``expiry_value`` (an int) :class:`ExpiryPeriod` units (``expiry_period``, the API's
    ``expiryPeriode``) after issuing a card expires, None for a card that never expires;
    ``created_at`` an aware datetime.
    """

    id: str = object_id("pcd_")
    name: str | None = None
    description: str | None = None
    punches: int | None = None
    punch_label: str | None = None
    for_sale: bool | None = None
    price: Decimal | None = None
    vat_rate: int | None = None
    expiry_value: int | None = None
    expiry_period: ExpiryPeriod | None = None
    created_at: datetime | None = None


@attrs.frozen(kw_only=True)
class IssuedPunchCard:
    """A punch card issued to (or bought by) a customer, as the API returns it (ID
    ``pcb_...``; the API's ``PunchCardBought``).

    Every field but ``id`` may be missing (None). ``punch_card_id`` (``pcd_...``) is the card
    it was issued from, ``customer_id`` (``cst_...``) its owner; ``punches_left`` counts down
    as it is stamped; ``status`` is an :class:`IssuedPunchCardStatus`; ``expires_at`` (an
    aware datetime) is None when it never expires; ``issued_at`` an aware datetime.
    """

    id: str = object_id("pcb_")
    punch_card_id: str | None = None
    customer_id: str | None = None
    punches_left: int | None = None
    status: IssuedPunchCardStatus | None = None
    expires_at: datetime | None = None
    issued_at: datetime | None = None
