"""Customer Invoices API models: ``CustomerInvoiceCreate`` (with a PDF),
``ManualCustomerInvoiceCreate`` with its ``InvoiceLine`` items and ``CustomerInvoiceUpdate``
(marking it paid) (requests), ``CustomerInvoice`` and its ``CustomerInvoiceLinks`` (response)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import attrs

from mijnklantportaal_async._core import natural_keys
from mijnklantportaal_async._core.wire import object_id
from mijnklantportaal_async.models._file_fields import invoice_pdf
from mijnklantportaal_async.models._validators import (
    check_not_before,
    day,
    flag,
    moment,
    money,
    name_errors,
    nested,
    request_model,
    text,
)
from mijnklantportaal_async.models.common import Link
from mijnklantportaal_async.models.customer_offers import OfferLine
from mijnklantportaal_async.uploads import Upload

__all__ = [
    "CustomerInvoice",
    "CustomerInvoiceCreate",
    "CustomerInvoiceLinks",
    "CustomerInvoiceUpdate",
    "InvoiceLine",
    "ManualCustomerInvoiceCreate",
]


@request_model
@attrs.frozen(kw_only=True, field_transformer=name_errors)
class CustomerInvoiceCreate:
    """A new customer invoice with its PDF, for ``create-customer-invoice``
    (``POST /customer-invoices``, multipart/form-data).

    Docs: ``/api-reference/customer-invoices-api/create-customer-invoice``.

    Fields:
        customer_id: the customer's ID (``cst_...``).
        invoice_number: the invoice number, a non-empty string (its natural key).
        issued_at: a ``datetime.date`` or ``"YYYY-mm-dd"`` (a real date).
        amount: EUR, a ``Decimal``, an int or a decimal string, at most 2 decimals; never a
            float. Negative amounts are allowed: credit invoices exist in bookkeeping.
        pdf: the invoice PDF: a path, bytes, a binary file object, an async byte iterable or
            an :class:`Upload`; it must start with ``%PDF-`` where that can be checked
            without consuming a one-shot source. Named ``invoice.pdf`` when the source has
            no name; always sent as ``application/pdf``.
        due_at: optional date, not before ``issued_at``.
        paid_at: optional ``datetime.datetime`` (aware, or naive in Europe/Amsterdam time)
            or ``"YYYY-mm-dd HH:MM:SS"``; leave it out while the invoice is due.
        send_notification: optional bool: whether the portal e-mails the customer.

    Raises:
        RequestValidationError: a field is missing or invalid (``.field`` names it).
    """

    customer_id: str = attrs.field(converter=text)
    invoice_number: str = attrs.field(converter=text)
    issued_at: date = attrs.field(converter=day)
    amount: Decimal = attrs.field(converter=money)
    pdf: Upload = attrs.field(converter=invoice_pdf)
    due_at: date | None = attrs.field(default=None, converter=attrs.converters.optional(day))
    paid_at: datetime | None = attrs.field(
        default=None, converter=attrs.converters.optional(moment)
    )
    send_notification: bool | None = attrs.field(
        default=None, converter=attrs.converters.optional(flag)
    )

    def __attrs_post_init__(self) -> None:
        if self.due_at is not None:
            check_not_before("due_at", self.due_at, "issued_at", self.issued_at)

    def natural_key(self) -> dict[str, Any]:
        """What identifies this invoice for bulk reconciliation: its invoice number."""
        return natural_keys.CUSTOMER_INVOICE.of(self)


@request_model
@attrs.frozen(kw_only=True)
class InvoiceLine(OfferLine):
    """One product/service line of a manual invoice: ``description``, ``amount_excl_vat`` (EUR
    excluding VAT, at most 2 decimals) and ``vat_rate`` (0, 9 or 21); the API's ``ManualLine``,
    checked as :class:`OfferLine` is."""


def invoice_lines(value: Iterable[InvoiceLine | Mapping[str, Any]]) -> tuple[InvoiceLine, ...]:
    """At least one :class:`InvoiceLine` (or a mapping of its fields), stored as a tuple."""
    return nested(value, InvoiceLine, "invoice lines", minimum=1, maximum=None)


@request_model
@attrs.frozen(kw_only=True, field_transformer=name_errors)
class ManualCustomerInvoiceCreate:
    """A customer invoice built from lines, for ``create-manual-customer-invoice``
    (``POST /customer-invoices/manual``, JSON); the portal makes the PDF and totals the lines.

    Docs: ``/api-reference/customer-invoices-api/create-manual-customer-invoice``.

    Fields:
        customer_id, invoice_number: non-empty strings (``invoice_number`` is the natural key).
        issued_at: a date (``datetime.date`` or ``"YYYY-mm-dd"``).
        lines: one or more :class:`InvoiceLine` (or mappings of its fields); errors name
            ``lines[i].<field>``.
        due_at: optional date, not before ``issued_at`` (as on the invoice with a PDF; the docs
            page of this operation does not show it).
        send_notification: optional bool: whether the portal e-mails the customer.

    Raises:
        RequestValidationError: a field is missing or invalid (``.field`` names it).
    """

    customer_id: str = attrs.field(converter=text)
    invoice_number: str = attrs.field(converter=text)
    issued_at: date = attrs.field(converter=day)
    lines: tuple[InvoiceLine, ...] = attrs.field(converter=invoice_lines)
    due_at: date | None = attrs.field(default=None, converter=attrs.converters.optional(day))
    send_notification: bool | None = attrs.field(
        default=None, converter=attrs.converters.optional(flag)
    )

    def __attrs_post_init__(self) -> None:
        if self.due_at is not None:
            check_not_before("due_at", self.due_at, "issued_at", self.issued_at)

    def natural_key(self) -> dict[str, Any]:
        """What identifies this invoice for bulk reconciliation: its invoice number."""
        return natural_keys.CUSTOMER_INVOICE.of(self)


@request_model
@attrs.frozen(kw_only=True, field_transformer=name_errors)
class CustomerInvoiceUpdate:
    """Marking a customer invoice paid, for ``mark-customer-invoice-paid``
    (``PATCH /customer-invoices/{invoiceId}``, JSON); ``mkp.customer_invoices.mark_paid``
    builds it.

    Docs: ``/api-reference/customer-invoices-api/mark-customer-invoice-paid``.

    Fields:
        paid_at: required: when the invoice was paid, a ``datetime.datetime`` (aware, or
            naive in Europe/Amsterdam time) or ``"YYYY-mm-dd HH:MM:SS"``, sent as
            ``paidAt`` in portal local time like :attr:`CustomerInvoiceCreate.paid_at`. The
            docs page shows no other field (and an impossible example date, 2024-04-31).

    Raises:
        RequestValidationError: ``paid_at`` is missing or invalid (``.field`` names it).
    """

    paid_at: datetime = attrs.field(converter=moment)


@attrs.frozen(kw_only=True)
class CustomerInvoiceLinks:
    """An invoice's ``links``: ``customer`` (the Get Customer endpoint, JSON) and
    ``online_payment_link`` (the payment page, HTML; returned even without a payment
    integration)."""

    customer: Link | None = None
    online_payment_link: Link | None = None


@attrs.frozen(kw_only=True)
class CustomerInvoice:
    """A customer invoice as the API returns it (ID ``inv_...``).

    Every field but ``id`` may be missing (None). ``issued_at``/``due_at`` are dates,
    ``amount`` a ``Decimal`` in ``currency`` (``"EUR"``), ``paid_at``/``created_at`` aware
    datetimes.
    """

    id: str = object_id("inv_")
    customer_id: str | None = None
    invoice_number: str | None = None
    issued_at: date | None = None
    due_at: date | None = None
    currency: str | None = None
    amount: Decimal | None = None
    paid_at: datetime | None = None
    created_at: datetime | None = None
    links: CustomerInvoiceLinks | None = None
