"""FakePortal handlers for the Invoices API: the portal owner's own bills FROM MijnKlantportaal
(licence fees, other costs; ``fac_...`` with lines ``fcl_...``), not customer invoices:
list-mijnklantportaal-invoices, get-mijnklantportaal-invoice.
Docs: /api-reference/invoices-api/.

The API has no operation that creates such a bill, so a test puts one in the portal's state
with :func:`add_invoice` (``portal.add_mijnklantportaal_invoice(...)``). Stored as the API
sends them (api/NOTES.md section 8): every amount a JSON number (``12.95``, although the docs
type the totals as strings), ``issuedAt`` ISO 8601 with milliseconds and ``Z``
(``2025-04-12T00:00:00.000Z``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from mijnklantportaal_async.testing.handlers._common import (
    Call,
    Handler,
    Reply,
    paginate,
    stored,
)
from mijnklantportaal_async.testing.state import AMSTERDAM, ObjectView, PortalState

__all__ = [
    "DEFAULT_LINES",
    "HANDLERS",
    "add_invoice",
    "get_mijnklantportaal_invoice",
    "list_mijnklantportaal_invoices",
]

_CENT = Decimal("0.01")

DEFAULT_LINES: tuple[Mapping[str, Any], ...] = (
    {"description": "Pro subscription", "amountExclVat": "12.95", "vatRate": 21},
)
"""The one line of the docs' example bill: EUR 12.95 + 21% VAT (2.72) = 15.67."""


def add_invoice(
    state: PortalState,
    lines: Iterable[Mapping[str, Any]] = DEFAULT_LINES,
    *,
    invoice_number: str | None = None,
    issued_at: date | datetime | None = None,
    is_paid: bool = False,
) -> dict[str, Any]:
    """Store a bill from MijnKlantportaal and return a copy of it as the API sends it.

    Args:
        lines: one or more lines, each a mapping of ``description`` (str), ``amountExclVat``
            (the line's amount in EUR excluding VAT, quantity included: a ``Decimal``, int or
            string such as ``"12.95"``; a float is refused), optional ``vatRate`` (0, 9 or 21;
            default 21) and ``quantity`` (default 1). Each line gets an ``fcl_`` ID, its VAT
            (rounded half up to cents) and its amount including VAT; the invoice totals them.
        invoice_number: default ``MKP-<year>.<number>`` (``MKP-2025.0001``, counting the
            bills stored).
        issued_at: a date (sent as midnight UTC, ``2025-04-12T00:00:00.000Z``, as the docs'
            example), an aware datetime (sent in UTC), a naive one (taken as portal time);
            default: the portal's today.
        is_paid: whether MijnKlantportaal has been paid.

    Raises:
        ValueError: no lines, or a line with a missing or invalid value (it names it).
    """
    stored_lines = [_line(state, index, line) for index, line in enumerate(lines)]
    if not stored_lines:
        raise ValueError("a MijnKlantportaal invoice needs at least one line")
    issued = _issued(state, issued_at)
    count = len(state.store.objects["mijnklantportaal_invoices"]) + 1
    subtotal = sum((Decimal(str(line["amountExclVat"])) for line in stored_lines), Decimal(0))
    vat = sum((Decimal(str(line["vatAmount"])) for line in stored_lines), Decimal(0))
    invoice: dict[str, Any] = {
        "id": state.store.new_id("mijnklantportaal_invoices"),
        "invoiceNumber": invoice_number or f"MKP-{issued[:4]}.{count:04d}",
        "lines": stored_lines,
        "currency": "EUR",
        "subtotalAmount": _number(subtotal),
        "vatAmount": _number(vat),
        "totalAmount": _number(subtotal + vat),
        "issuedAt": issued,
        "isPaid": is_paid,
    }
    state.store.add("mijnklantportaal_invoices", invoice)
    return ObjectView(state.store.objects["mijnklantportaal_invoices"])[invoice["id"]]


def _line(state: PortalState, index: int, line: Mapping[str, Any]) -> dict[str, Any]:
    where = f"lines[{index}]"
    description = line.get("description")
    if not isinstance(description, str) or not description:
        raise ValueError(f"{where}.description: a non-empty string is required")
    raw = line.get("amountExclVat")
    if isinstance(raw, float | bool) or not isinstance(raw, Decimal | int | str):
        raise ValueError(f"{where}.amountExclVat: a Decimal, int or string, not {raw!r}")
    try:
        amount = Decimal(raw)
    except InvalidOperation:
        raise ValueError(f"{where}.amountExclVat: not a decimal amount: {raw!r}") from None
    if not amount.is_finite() or amount != amount.quantize(_CENT):
        raise ValueError(f"{where}.amountExclVat: at most 2 decimals, not {raw!r}")
    rate = line.get("vatRate", 21)
    if rate not in (0, 9, 21) or isinstance(rate, bool):
        raise ValueError(f"{where}.vatRate: must be 0, 9 or 21, not {rate!r}")
    quantity = line.get("quantity", 1)
    if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
        raise ValueError(f"{where}.quantity: must be a positive int, not {quantity!r}")
    vat = (amount * rate / 100).quantize(_CENT, rounding=ROUND_HALF_UP)
    return {
        "id": state.store.new_id("mijnklantportaal_invoice_lines"),
        "description": description,
        "quantity": quantity,
        "currency": "EUR",
        "amountExclVat": _number(amount),
        "vatRate": rate,
        "vatAmount": _number(vat),
        "amountInclVat": _number(amount + vat),
    }


def _number(amount: Decimal) -> float:
    """An amount as the JSON number the API writes (``12.95``): a float whose shortest text is
    the amount's (exact for cents below 10**13)."""
    return float(amount)


def _issued(state: PortalState, issued_at: date | datetime | None) -> str:
    """``issuedAt`` as the Invoices API writes it: ``2025-04-12T00:00:00.000Z``."""
    if issued_at is None:
        issued_at = state.now().date()
    if not isinstance(issued_at, datetime):
        issued_at = datetime.combine(issued_at, datetime.min.time(), tzinfo=UTC)
    elif issued_at.tzinfo is None:
        issued_at = issued_at.replace(tzinfo=AMSTERDAM)
    moment = issued_at.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


async def list_mijnklantportaal_invoices(call: Call) -> Reply:
    """GET /invoices (list-mijnklantportaal-invoices): the paginated bills, oldest first."""
    state = call.state
    invoices = state.store.all("mijnklantportaal_invoices")
    return Reply(200, paginate(state, "/invoices", invoices, call))


async def get_mijnklantportaal_invoice(call: Call) -> Reply:
    """GET /invoices/{invoiceId} (get-mijnklantportaal-invoice): the Invoice, or 404."""
    invoice = stored(call, "mijnklantportaal_invoices", "invoiceId", "Invoice")
    return Reply(200, invoice)


HANDLERS: dict[str, Handler] = {
    "list-mijnklantportaal-invoices": list_mijnklantportaal_invoices,
    "get-mijnklantportaal-invoice": get_mijnklantportaal_invoice,
}
"""This module's handlers by operationId (``testing/routes.py`` joins them to the table)."""
