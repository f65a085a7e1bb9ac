"""Customers API models: ``CustomerCreate`` and ``CustomerUpdate`` (requests) and ``Customer``
(response)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import attrs

from mijnklantportaal_async._core import natural_keys
from mijnklantportaal_async._core.wire import object_id
from mijnklantportaal_async.models._validators import (
    country_code,
    country_code_update,
    email,
    email_update,
    name_errors,
    request_model,
    text,
    text_update,
    update_model,
)
from mijnklantportaal_async.models.common import UNSET, Unset

__all__ = ["Customer", "CustomerCreate", "CustomerUpdate"]


@request_model
@attrs.frozen(kw_only=True, field_transformer=name_errors)
class CustomerCreate:
    """A new customer, for ``create-customer`` (``POST /customers``, JSON).

    Docs: ``/api-reference/customers-api/create-customer``.

    Fields (strings are stripped of surrounding whitespace):
        company_name, address, zip_code, city: non-empty strings.
        primary_email: an e-mail address (one ``@``, a domain with a dot); the portal sends
            its notifications there.
        country_code: an assigned ISO 3166-1 alpha-2 code in upper case (``"NL"``); lower
            case (``"nl"``) is refused rather than guessed. Left out, the server uses ``NL``.

    Raises:
        RequestValidationError: a field is missing, empty or invalid (``.field`` names it).
    """

    company_name: str = attrs.field(converter=text)
    address: str = attrs.field(converter=text)
    zip_code: str = attrs.field(converter=text)
    city: str = attrs.field(converter=text)
    primary_email: str = attrs.field(converter=email)
    country_code: str | None = attrs.field(
        default=None, converter=attrs.converters.optional(country_code)
    )

    def natural_key(self) -> dict[str, Any]:
        """What identifies this customer for bulk reconciliation: e-mail and company name."""
        return natural_keys.CUSTOMER.of(self)


@update_model
@attrs.frozen(kw_only=True, field_transformer=name_errors)
class CustomerUpdate:
    """Changes to a customer, for ``edit-customer`` (``PATCH /customers/{customerId}``, JSON).

    Docs: ``/api-reference/customers-api/edit-customer``.

    Set only what changes: a field left out (or given :data:`UNSET`) is not sent and keeps
    its value on the portal. The fields and their rules are those of :class:`CustomerCreate`
    (strings stripped and not empty, ``primary_email`` an e-mail address, ``country_code``
    an assigned upper-case ISO 3166-1 alpha-2 code). The API documents none of them as
    clearable, so None is refused; ``country_code`` on PATCH is not confirmed by the docs.

    ``CustomerUpdate(city="Utrecht")`` sends ``{"city": "Utrecht"}``.

    Raises:
        RequestValidationError: a value is invalid or None (``.field`` names it), a keyword
            is unknown, or no field is set (``.field == "data"``, "an update needs at least
            one field").
    """

    company_name: str | Unset = attrs.field(default=UNSET, converter=text_update)
    address: str | Unset = attrs.field(default=UNSET, converter=text_update)
    zip_code: str | Unset = attrs.field(default=UNSET, converter=text_update)
    city: str | Unset = attrs.field(default=UNSET, converter=text_update)
    primary_email: str | Unset = attrs.field(default=UNSET, converter=email_update)
    country_code: str | Unset = attrs.field(default=UNSET, converter=country_code_update)


@attrs.frozen(kw_only=True)
class Customer:
    """A customer as the API returns it (ID ``cst_...``).

    Every field but ``id`` may be missing (None). ``created_at`` is an aware datetime;
    ``customer_groups`` holds Customer Group IDs (``cug_...``). ``integration`` and
    ``integration_id`` name a linked bookkeeping integration and the customer's ID in it.
    """

    id: str = object_id("cst_")
    company_name: str | None = None
    address: str | None = None
    zip_code: str | None = None
    city: str | None = None
    country_code: str | None = None
    primary_email: str | None = None
    phone: str | None = None
    integration: str | None = None
    integration_id: str | None = None
    customer_groups: tuple[str, ...] = ()
    created_at: datetime | None = None
