"""Customer Offers API models: ``CustomerOfferCreate`` (with a PDF),
``ManualCustomerOfferCreate`` with its ``OfferLine`` items and ``CustomerOfferUpdate`` (marking
it accepted or rejected) (requests), ``CustomerOffer`` and its ``CustomerOfferLinks``
(response)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import attrs

from mijnklantportaal_async._core import natural_keys
from mijnklantportaal_async._core.wire import object_id
from mijnklantportaal_async.errors import RequestValidationError
from mijnklantportaal_async.models._file_fields import offer_pdf
from mijnklantportaal_async.models._validators import (
    check_not_before,
    day,
    flag,
    ip_address,
    ip_address_update,
    moment,
    moment_update,
    money,
    name_errors,
    nested,
    non_negative_money,
    request_model,
    text,
    text_update,
    update_model,
    vat_rate,
)
from mijnklantportaal_async.models.common import UNSET, Link, Unset
from mijnklantportaal_async.uploads import Upload

__all__ = [
    "CustomerOffer",
    "CustomerOfferCreate",
    "CustomerOfferLinks",
    "CustomerOfferUpdate",
    "ManualCustomerOfferCreate",
    "OfferLine",
]


@request_model
@attrs.frozen(kw_only=True, field_transformer=name_errors)
class CustomerOfferCreate:
    """A new customer offer with its PDF, for ``create-customer-offer``
    (``POST /customer-offers``, multipart/form-data).

    Docs: ``/api-reference/customer-offers-api/create-customer-offer``.

    Fields:
        customer_id, offer_number: non-empty strings (``offer_number`` is the natural key).
        issued_at, expires_at: ``datetime.date`` or ``"YYYY-mm-dd"``; expires not before issued.
        amount: EUR, ``Decimal``/int/decimal string, at most 2 decimals, not negative.
        pdf: the offer PDF (as for invoices: starts with ``%PDF-``; ``offer.pdf`` by default).
        send_notification: optional bool.
        accepted_at, rejected_at: optional ``datetime.datetime`` or ``"YYYY-mm-dd HH:MM:SS"``;
            an offer is accepted or rejected, so not both.
        accepted_via_ip: optional IPv4/IPv6 address (normalised); only with ``accepted_at``.
        accepted_via_user_agent: optional string; only with ``accepted_at``.

    Raises:
        RequestValidationError: a field is missing or invalid (``.field`` names it).
    """

    customer_id: str = attrs.field(converter=text)
    offer_number: str = attrs.field(converter=text)
    issued_at: date = attrs.field(converter=day)
    expires_at: date = attrs.field(converter=day)
    amount: Decimal = attrs.field(converter=non_negative_money)
    pdf: Upload = attrs.field(converter=offer_pdf)
    send_notification: bool | None = attrs.field(
        default=None, converter=attrs.converters.optional(flag)
    )
    accepted_at: datetime | None = attrs.field(
        default=None, converter=attrs.converters.optional(moment)
    )
    accepted_via_ip: str | None = attrs.field(
        default=None, converter=attrs.converters.optional(ip_address)
    )
    accepted_via_user_agent: str | None = attrs.field(
        default=None, converter=attrs.converters.optional(text)
    )
    rejected_at: datetime | None = attrs.field(
        default=None, converter=attrs.converters.optional(moment)
    )

    def __attrs_post_init__(self) -> None:
        check_not_before("expires_at", self.expires_at, "issued_at", self.issued_at)
        if self.accepted_at is None:
            for name in ("accepted_via_ip", "accepted_via_user_agent"):
                if getattr(self, name) is not None:
                    raise RequestValidationError(
                        name, "is only allowed together with accepted_at (the API omits it)"
                    )
        elif self.rejected_at is not None:
            raise RequestValidationError(
                "rejected_at", "cannot be set together with accepted_at: accepted or rejected"
            )

    def natural_key(self) -> dict[str, Any]:
        """What identifies this offer for bulk reconciliation: its offer number."""
        return natural_keys.CUSTOMER_OFFER.of(self)


@request_model
@attrs.frozen(kw_only=True, field_transformer=name_errors)
class OfferLine:
    """One product/service line of a manual offer.

    Fields:
        description: a non-empty string.
        amount_excl_vat: EUR excluding VAT, ``Decimal``/int/decimal string, at most 2
            decimals; negative is allowed (a discount line).
        vat_rate: the VAT percentage, the int 0, 9 or 21.

    Raises:
        RequestValidationError: a field is missing or invalid.
    """

    description: str = attrs.field(converter=text)
    amount_excl_vat: Decimal = attrs.field(converter=money)
    vat_rate: int = attrs.field(converter=vat_rate)


def offer_lines(value: Iterable[OfferLine | Mapping[str, Any]]) -> tuple[OfferLine, ...]:
    """At least one :class:`OfferLine` (or a mapping of its fields), stored as a tuple."""
    return nested(value, OfferLine, "offer lines", minimum=1, maximum=None)


@request_model
@attrs.frozen(kw_only=True, field_transformer=name_errors)
class ManualCustomerOfferCreate:
    """A customer offer built from lines, for ``create-customer-offer-manual``
    (``POST /customer-offers/manual``, JSON); the portal makes the PDF.

    Docs: ``/api-reference/customer-offers-api/create-manual-customer-offer``.

    Fields:
        customer_id, offer_number: non-empty strings (``offer_number`` is the natural key).
        issued_at, expires_at: dates as for :class:`CustomerOfferCreate`.
        lines: one or more :class:`OfferLine` (any iterable; mappings of OfferLine fields
            are built into OfferLines), stored as a tuple. Errors name ``lines[i].<field>``.
        send_notification: optional bool.

    Raises:
        RequestValidationError: a field is missing or invalid (``.field`` names it).
    """

    customer_id: str = attrs.field(converter=text)
    offer_number: str = attrs.field(converter=text)
    issued_at: date = attrs.field(converter=day)
    expires_at: date = attrs.field(converter=day)
    lines: tuple[OfferLine, ...] = attrs.field(converter=offer_lines)
    send_notification: bool | None = attrs.field(
        default=None, converter=attrs.converters.optional(flag)
    )

    def __attrs_post_init__(self) -> None:
        check_not_before("expires_at", self.expires_at, "issued_at", self.issued_at)

    def natural_key(self) -> dict[str, Any]:
        """What identifies this offer for bulk reconciliation: its offer number."""
        return natural_keys.CUSTOMER_OFFER.of(self)


@update_model
@attrs.frozen(kw_only=True, field_transformer=name_errors)
class CustomerOfferUpdate:
    """Marking a customer offer accepted or rejected, for
    ``mark-customer-offer-accepted-or-rejected`` (``PATCH /customer-offers/{offerId}``,
    JSON); ``mkp.customer_offers.mark_accepted`` / ``mark_rejected`` build it.

    Docs: ``/api-reference/customer-offers-api/mark-customer-offer-accepted-or-rejected``.

    Set one of ``accepted_at`` and ``rejected_at``; a field left out (:data:`UNSET`) is not
    sent. None is refused: the docs let no field be cleared.

    Fields:
        accepted_at, rejected_at: ``datetime.datetime`` (aware, or naive in Europe/Amsterdam
            time) or ``"YYYY-mm-dd HH:MM:SS"``, sent in portal local time; exactly one.
        accepted_via_ip: an IPv4/IPv6 address (normalised); only with ``accepted_at`` (the
            API ignores it otherwise).
        accepted_via_user_agent: the browser's User-Agent, a non-empty string; only with
            ``accepted_at``.

    Raises:
        RequestValidationError: a value is invalid or None, a keyword unknown, no field set
            (``.field == "data"``), neither or both of ``accepted_at`` and ``rejected_at``
            set, or an ``accepted_via_*`` field set without ``accepted_at``.
    """

    accepted_at: datetime | Unset = attrs.field(default=UNSET, converter=moment_update)
    accepted_via_ip: str | Unset = attrs.field(default=UNSET, converter=ip_address_update)
    accepted_via_user_agent: str | Unset = attrs.field(default=UNSET, converter=text_update)
    rejected_at: datetime | Unset = attrs.field(default=UNSET, converter=moment_update)

    def __attrs_post_init__(self) -> None:
        if self.accepted_at is UNSET:
            for name in ("accepted_via_ip", "accepted_via_user_agent"):
                if getattr(self, name) is not UNSET:
                    raise RequestValidationError(
                        name, "is only allowed together with accepted_at (the API ignores it)"
                    )
            if self.rejected_at is UNSET:
                raise RequestValidationError(
                    "accepted_at",
                    "is required unless rejected_at is set: an offer is marked accepted or "
                    "rejected",
                )
        elif self.rejected_at is not UNSET:
            raise RequestValidationError(
                "rejected_at", "cannot be set together with accepted_at: accepted or rejected"
            )


@attrs.frozen(kw_only=True)
class CustomerOfferLinks:
    """An offer's ``links``: ``customer``, the Get Customer endpoint."""

    customer: Link | None = None


@attrs.frozen(kw_only=True)
class CustomerOffer:
    """A customer offer as the API returns it (ID ``off_...``).

    Every field but ``id`` may be missing (None). ``issued_at``/``expires_at`` are dates,
    ``amount`` a ``Decimal`` in ``currency``; ``accepted_at``, ``rejected_at`` and
    ``created_at`` aware datetimes. ``accepted_via_ip`` is passed on as the API sends it
    (its own docs show an invalid address). ``acceptance_signature`` is a PNG data URI.
    """

    id: str = object_id("off_")
    customer_id: str | None = None
    offer_number: str | None = None
    issued_at: date | None = None
    expires_at: date | None = None
    currency: str | None = None
    amount: Decimal | None = None
    accepted_at: datetime | None = None
    accepted_via_ip: str | None = None
    accepted_via_user_agent: str | None = None
    acceptance_signature: str | None = None
    rejected_at: datetime | None = None
    created_at: datetime | None = None
    links: CustomerOfferLinks | None = None
