"""Invoices API models: ``MijnKlantportaalInvoice`` and its ``MijnKlantportaalInvoiceLine``
(responses; the API creates none of these, so there are no request models).

These are the portal owner's own bills FROM MijnKlantportaal (licence fees, other costs; IDs
``fac_...``, lines ``fcl_...``), not the invoices the portal owner sends to customers (those are
``CustomerInvoice``, ``inv_...``, in ``mkp.customer_invoices``).

Operations: list-mijnklantportaal-invoices, get-mijnklantportaal-invoice.

Two things differ from the rest of the API (api/NOTES.md section 8):

- amounts arrive as JSON numbers (``12.95``), although the docs type the invoice totals as
  strings. Each is read into a ``Decimal`` through the shortest text of the number
  (``str(12.95) == "12.95"``), which is exactly the number the API wrote for any amount of up
  to 15 significant digits (every EUR amount in cents below 10**13); a string (``"12.95"``,
  as the docs say) is read the same way.
- ``issuedAt`` is ISO 8601 with milliseconds and ``Z`` (``2025-04-12T00:00:00.000Z``), read as
  an aware datetime in UTC.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import attrs

from mijnklantportaal_async._core.wire import object_id

__all__ = ["MijnKlantportaalInvoice", "MijnKlantportaalInvoiceLine"]


@attrs.frozen(kw_only=True)
class MijnKlantportaalInvoiceLine:
    """One line of a bill from MijnKlantportaal (ID ``fcl_...``): what was charged.

    Every field but ``id`` may be missing (None). ``quantity`` is an int; ``amount_excl_vat``,
    ``vat_amount`` and ``amount_incl_vat`` are ``Decimal`` amounts in ``currency``
    (``"EUR"``); ``vat_rate`` is the VAT percentage (an int, e.g. 21).
    """

    id: str = object_id("fcl_")
    description: str | None = None
    quantity: int | None = None
    currency: str | None = None
    amount_excl_vat: Decimal | None = None
    vat_rate: int | None = None
    vat_amount: Decimal | None = None
    amount_incl_vat: Decimal | None = None


@attrs.frozen(kw_only=True)
class MijnKlantportaalInvoice:
    """A bill FROM MijnKlantportaal to the portal owner (licence fees, other costs; ID
    ``fac_...``), not an invoice to a customer (that is ``CustomerInvoice``).

    Every field but ``id`` may be missing (None; ``lines`` then ``()``).
    ``invoice_number`` is MijnKlantportaal's (``"MKP-2025.0010"``); ``lines`` the
    :class:`MijnKlantportaalInvoiceLine` items; ``subtotal_amount`` (excluding VAT),
    ``vat_amount`` and ``total_amount`` (including VAT) are ``Decimal`` amounts in
    ``currency`` (``"EUR"``), read exactly from the JSON numbers the API sends;
    ``issued_at`` is an aware datetime (UTC, as sent: take
    ``.astimezone(ZoneInfo("Europe/Amsterdam")).date()`` for the Dutch calendar date);
    ``is_paid`` whether it has been paid.
    """

    id: str = object_id("fac_")
    invoice_number: str | None = None
    lines: tuple[MijnKlantportaalInvoiceLine, ...] = ()
    currency: str | None = None
    subtotal_amount: Decimal | None = None
    vat_amount: Decimal | None = None
    total_amount: Decimal | None = None
    issued_at: datetime | None = None
    is_paid: bool | None = None
