"""Rules shared by invoices and offers: the customer they belong to, manual lines, the licence."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from mijnklantportaal_async.testing.handlers._common import ApiError, Call
from mijnklantportaal_async.testing.state import Notification, PortalState
from mijnklantportaal_async.testing.validation import Validator

__all__ = ["check_customer", "check_license", "check_lines", "notify"]

_CENT = Decimal("0.01")


def check_customer(check: Validator, state: PortalState) -> str | None:
    """``customerId`` is required and must name a stored customer (else 422, Laravel's
    ``exists`` rule: ``The selected customer id is invalid.``)."""
    customer_id = check.string("customerId", required=True)
    if customer_id is not None and state.store.get("customers", customer_id) is None:
        check.fail("customerId", "The selected :attribute is invalid.")
        return None
    return customer_id


def check_lines(check: Validator) -> Decimal | None:
    """``lines``: at least one line, each with ``description``, ``amountExclVat`` (EUR string)
    and ``vatRate`` (0, 9 or 21). Returns the total including VAT (VAT rounded half up to
    cents per line), or None when a line failed."""
    lines = check.array("lines", required=True, min_items=1)
    if lines is None:
        return None
    total = Decimal("0.00")
    valid = True
    for index, line in enumerate(lines):
        prefix = f"lines.{index}"
        if not isinstance(line, dict):
            check.fail(prefix, "The :attribute field must be an array.")
            valid = False
            continue
        check.string(f"{prefix}.description", required=True)
        amount = check.money(f"{prefix}.amountExclVat", required=True)
        rate = check.vat_rate(f"{prefix}.vatRate", required=True)
        if amount is None or rate is None:
            valid = False
            continue
        vat = (amount * rate / 100).quantize(_CENT, rounding=ROUND_HALF_UP)
        total += amount + vat
    return total if valid else None


def check_license(state: PortalState, kind: str) -> None:
    """426 when this month's ``kind`` (``invoices``/``offers``) reached the licence limit."""
    if not state.license.allows(kind, state.month()):
        raise ApiError(426, f"The amount of {kind} this month reached the license's limit.")


def notify(call: Call, kind: str, obj: dict[str, Any], send: bool | None) -> None:
    """Record the e-mail the portal would send to the customer when ``sendNotification``."""
    if send:
        customer = call.state.store.get("customers", obj["customerId"])
        if customer is not None:
            call.state.store.notifications.append(
                Notification(kind, obj["id"], customer["primaryEmail"])
            )
