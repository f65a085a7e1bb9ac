"""FakePortal handlers for the Punch Cards API: list-, create-, get-, edit-punch-card,
list-bought-punch-cards, issue-new-punch-card, get-bought-punch-card,
stamp-issued-punch-card.

Docs: /api-reference/punch-cards-api/. Only the first part of those pages was visible, so the
rules below are the documented ones plus these choices, each a guess the docs leave open:

- a card that never expires is answered with ``expiryPeriode: null`` and no ``expiryValue``
  (the docs type ``expiryValue`` as a non-nullable integer, ``expiryPeriode`` as nullable);
- ``price`` and ``vatRate`` are answered as null when the card is not for sale (documented),
  so a value sent with ``forSale: false`` is dropped;
- an issued card expires ``expiryValue`` days/months/years after it is issued (a month or
  year later on a day the month lacks: its last day); its ``status`` is ``fully_used`` at 0
  punches left (even once past its expiry), else ``expired`` from ``expiresAt`` on, else
  ``active``; it is worked out from the portal's clock on each answer;
- stamping more than the punches left answers 422 with ``errors.stamps`` (Laravel's ``max``
  message), stamping an expired card 422 ``This punch card has expired.``;
- an unknown punch card is 404 on every operation under it (also list-bought-punch-cards,
  whose page lists no 404), an unknown issued card or one of another card 404 too; an unknown
  customer on issue-new-punch-card is 422 (Laravel's ``exists`` rule).
"""

from __future__ import annotations

import calendar
from datetime import datetime, timedelta
from typing import Any

from mijnklantportaal_async.testing.handlers._common import (
    ApiError,
    Call,
    Handler,
    Reply,
    not_found,
    paginate,
    stored,
)
from mijnklantportaal_async.testing.handlers._documents import check_customer
from mijnklantportaal_async.testing.state import PortalState, atom, money
from mijnklantportaal_async.testing.validation import Validator, humanize

__all__ = [
    "HANDLERS",
    "create_punch_card",
    "edit_punch_card",
    "get_bought_punch_card",
    "get_punch_card",
    "issue_new_punch_card",
    "list_bought_punch_cards",
    "list_punch_cards",
    "stamp_issued_punch_card",
]

PERIODS = ("days", "months", "years")
"""The expiry units (``expirePeriod`` on create, ``expiryPeriode`` in answers)."""


# -- rules ------------------------------------------------------------------------------------


def _integer(
    check: Validator, field: str, *, required: bool = False, minimum: int | None = None
) -> int | None:
    """Laravel's ``integer`` (an int, or its digits as a string) and ``min``."""
    value = check.value(field)
    if value is None or value == "":
        if required:
            check.fail(field, "The :attribute field is required.")
        return None
    if isinstance(value, str) and value.lstrip("-").isascii() and value.lstrip("-").isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        check.fail(field, "The :attribute field must be an integer.")
        return None
    if minimum is not None and value < minimum:
        check.fail(field, f"The :attribute field must be at least {minimum}.")
        return None
    return value


def _sale(check: Validator, for_sale: bool) -> tuple[str | None, int | None]:
    """``price`` (EUR string, not negative) and ``vatRate`` (0, 9, 21), both required when
    ``forSale`` is true (``required_if``). Returns the price as the API writes it and the
    rate; both None when not for sale (the card then has neither)."""
    for field in ("price", "vatRate"):
        if for_sale and check.value(field) in (None, ""):
            check.fail(field, "The :attribute field is required when for sale is true.")
    price = None if check.failed("price") else check.money("price")
    if price is not None and price < 0:
        check.fail("price", "The :attribute field must be at least 0.")
    rate = None if check.failed("vatRate") else check.vat_rate("vatRate")
    if not for_sale or price is None or rate is None:
        return None, None
    return money(price), rate


def _stored_card(call: Call) -> dict[str, Any]:
    return stored(call, "punch_cards", "punchCardId", "Punch Card")


def _stored_issued(call: Call, card: dict[str, Any]) -> dict[str, Any]:
    issued = call.state.store.get("issued_punch_cards", call.params["issuedPunchCardId"])
    if issued is None or issued["punchCardId"] != card["id"]:
        raise not_found("Issued Punch Card")
    return _with_status(call.state, issued)


def _expiry(start: datetime, value: int, unit: str) -> datetime | None:
    """``value`` ``unit`` after ``start`` (local time kept); None past the year 9999, which
    this fake cannot write (the card is then answered as never expiring)."""
    try:
        if unit == "days":
            return start + timedelta(days=value)
        total = start.month - 1 + (value if unit == "months" else 12 * value)
        year, month = start.year + total // 12, total % 12 + 1
        day = min(start.day, calendar.monthrange(year, month)[1])
        return start.replace(year=year, month=month, day=day)
    except (OverflowError, ValueError):
        return None


def _with_status(state: PortalState, issued: dict[str, Any]) -> dict[str, Any]:
    """``issued`` with its ``status`` brought up to the portal's clock."""
    expires_at = issued["expiresAt"]
    if issued["punchesLeft"] <= 0:
        issued["status"] = "fully_used"
    elif expires_at is not None and state.now() >= datetime.fromisoformat(expires_at):
        issued["status"] = "expired"
    else:
        issued["status"] = "active"
    return issued


# -- punch cards ------------------------------------------------------------------------------


async def list_punch_cards(call: Call) -> Reply:
    """GET /punch-cards (list-punch-cards): the paginated punch cards, oldest first."""
    cards = call.state.store.all("punch_cards")
    return Reply(200, paginate(call.state, "/punch-cards", cards, call))


async def create_punch_card(call: Call) -> Reply:
    """POST /punch-cards (create-punch-card), JSON.

    Required: name, punches (integer >= 1), punchLabel. Optional: description, forSale
    (boolean, default false), price (EUR string) and vatRate (0/9/21), both required when
    forSale; expiryValue (integer >= 1, a string on the docs) and expirePeriod (days, months,
    years), each required with the other. 201 + PunchCard; 422.
    """
    body = await call.body()
    state = call.state
    check = Validator(body.data)
    name = check.string("name", required=True)
    punches = _integer(check, "punches", required=True, minimum=1)
    label = check.string("punchLabel", required=True)
    description = check.string("description", max_length=65535)
    for_sale = check.boolean("forSale")
    price, rate = _sale(check, bool(for_sale))
    expiry_value = _integer(check, "expiryValue", minimum=1)
    period = check.string("expirePeriod")
    if period is not None and period not in PERIODS:
        check.fail("expirePeriod", "The selected :attribute is invalid.")
    for field, other in (("expiryValue", "expirePeriod"), ("expirePeriod", "expiryValue")):
        if check.value(field) is None and check.value(other) is not None:
            when = f"when {humanize(other)} is present"
            check.fail(field, f"The :attribute field is required {when}.")
    check.check()
    card: dict[str, Any] = {
        "id": state.store.new_id("punch_cards"),
        "name": name,
        "description": description,
        "punches": punches,
        "punchLabel": label,
        "forSale": bool(for_sale),
        "price": price,
        "vatRate": rate,
    }
    if expiry_value is not None:
        card["expiryValue"] = expiry_value
    card["expiryPeriode"] = period
    card["createdAt"] = atom(state.now())
    state.store.add("punch_cards", card)
    return Reply(201, card, stored_id=card["id"])


async def get_punch_card(call: Call) -> Reply:
    """GET /punch-cards/{punchCardId} (get-punch-card). 200 + PunchCard; 404."""
    return Reply(200, _stored_card(call))


async def edit_punch_card(call: Call) -> Reply:
    """PATCH /punch-cards/{punchCardId} (edit-punch-card), JSON: forSale (required boolean);
    price and vatRate required when it is true, dropped (null) when false.
    200 + the changed PunchCard; 404; 422."""
    card = _stored_card(call)
    body = await call.body()
    check = Validator(body.data)
    for_sale = check.boolean("forSale", required=True)
    price, rate = _sale(check, bool(for_sale))
    check.check()
    card.update({"forSale": bool(for_sale), "price": price, "vatRate": rate})
    return Reply(200, card)


# -- issued punch cards -----------------------------------------------------------------------


async def list_bought_punch_cards(call: Call) -> Reply:
    """GET /punch-cards/{punchCardId}/issued (list-bought-punch-cards): the cards issued from
    it, paginated, oldest first; 404 for an unknown punch card."""
    card = _stored_card(call)
    state = call.state
    issued = [
        _with_status(state, item)
        for item in state.store.all("issued_punch_cards")
        if item["punchCardId"] == card["id"]
    ]
    return Reply(200, paginate(state, f"/punch-cards/{card['id']}/issued", issued, call))


async def issue_new_punch_card(call: Call) -> Reply:
    """POST /punch-cards/{punchCardId}/issued (issue-new-punch-card), JSON: customerId (a
    stored customer). The issued card starts with all the card's punches and expires as the
    card says. 201 + PunchCardBought; 404; 422."""
    card = _stored_card(call)
    body = await call.body()
    state = call.state
    check = Validator(body.data)
    customer_id = check_customer(check, state)
    check.check()
    now = state.now()
    value, unit = card.get("expiryValue"), card.get("expiryPeriode")
    expires_at = _expiry(now, value, unit) if value is not None and unit is not None else None
    issued: dict[str, Any] = {
        "id": state.store.new_id("issued_punch_cards"),
        "punchCardId": card["id"],
        "customerId": customer_id,
        "punchesLeft": card["punches"],
        "status": "active",
        "expiresAt": atom(expires_at) if expires_at is not None else None,
        "issuedAt": atom(now),
    }
    state.store.add("issued_punch_cards", _with_status(state, issued))
    return Reply(201, issued, stored_id=issued["id"])


async def get_bought_punch_card(call: Call) -> Reply:
    """GET /punch-cards/{punchCardId}/issued/{issuedPunchCardId} (get-bought-punch-card).
    200 + PunchCardBought; 404."""
    return Reply(200, _stored_issued(call, _stored_card(call)))


async def stamp_issued_punch_card(call: Call) -> Reply:
    """POST /punch-cards/{punchCardId}/issued/{issuedPunchCardId}/stamp
    (stamp-issued-punch-card), JSON: stamps (integer >= 1, at most the punches left).
    200 + the stamped PunchCardBought; 404; 422 (too many stamps, or the card has expired)."""
    issued = _stored_issued(call, _stored_card(call))
    body = await call.body()
    check = Validator(body.data)
    stamps = _integer(check, "stamps", required=True, minimum=1)
    check.check()
    assert stamps is not None
    if issued["status"] == "expired":
        raise ApiError(422, "This punch card has expired.")
    left = issued["punchesLeft"]
    if stamps > left:
        check.fail("stamps", f"The :attribute field must not be greater than {left}.")
        check.check()
    issued["punchesLeft"] = left - stamps
    return Reply(200, _with_status(call.state, issued))


HANDLERS: dict[str, Handler] = {
    "list-punch-cards": list_punch_cards,
    "create-punch-card": create_punch_card,
    "get-punch-card": get_punch_card,
    "edit-punch-card": edit_punch_card,
    "list-bought-punch-cards": list_bought_punch_cards,
    "issue-new-punch-card": issue_new_punch_card,
    "get-bought-punch-card": get_bought_punch_card,
    "stamp-issued-punch-card": stamp_issued_punch_card,
}
"""This module's handlers by operationId (``testing/routes.py`` joins them to the table)."""
