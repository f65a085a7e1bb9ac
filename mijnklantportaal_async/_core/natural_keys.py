"""Natural keys: what identifies an object of one kind without its ID, declared once per kind.

The API documents no idempotency keys, so a create whose answer was lost is found again by its
natural key (an invoice's number, a customer's e-mail and company name). One
:class:`NaturalKey` per kind says which fields make the key and how two keys are compared; the
operations table (``_core/operations.py``) names it on the create operation, the request
models' ``natural_key()`` read it, and the bulk engine (reconcile, duplicate refusal, journal)
and the import command (duplicate rows) all match keys through it. See
``docs/architecture.md``, "Exactly once".

Beside the key, each kind declares the fields that must agree before an object found by its key
is taken for the request (:class:`Compared`, :meth:`NaturalKey.differences`): an older invoice
that only shares the number is not the invoice being imported.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import attrs

__all__ = [
    "AGREEMENT",
    "CUSTOMER",
    "CUSTOMER_GROUP",
    "CUSTOMER_INVOICE",
    "CUSTOMER_OFFER",
    "Compared",
    "NaturalKey",
    "canonical_key",
]


def _json_text(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def _plain(value: Any) -> Any:
    """Sequences as tuples, sets as sorted tuples; everything else unchanged."""
    if isinstance(value, list | tuple):
        return tuple(_plain(v) for v in value)
    if isinstance(value, set | frozenset):
        return tuple(sorted((_plain(v) for v in value), key=_json_text))
    return value


def canonical_key(key: Mapping[str, Any]) -> str:
    """Canonical JSON text of a (normalised) natural key: sorted field names, no spaces,
    tuples as arrays, non-JSON values (dates, Decimals) as their ``str``. Equal keys give equal
    text, also after a JSON round trip (how the journal matches items)."""
    return _json_text({name: _plain(value) for name, value in key.items()})


def _loose(value: Any) -> Any:
    """Text compared as a person reads it: case and runs of whitespace ignored."""
    return " ".join(value.split()).casefold() if isinstance(value, str) else value


def _same(requested: Any, stored: Any) -> bool:
    """Equal after :func:`_loose` (``Decimal("12.9") == Decimal("12.90")``; dates as dates)."""
    return bool(_loose(requested) == _loose(stored))


def _attribute(name: str) -> Callable[[Any], Any]:
    def read(obj: Any) -> Any:
        return getattr(obj, name, None)

    return read


@attrs.frozen
class Compared:
    """One field that must agree between a request and a stored object found by its key.

    ``name`` is the field as shown (snake_case); ``request`` and ``stored`` read its value off
    each (default: the attribute ``name``); ``same(requested, stored)`` says whether they agree
    (default: equal, text without regard to case and spacing). A request value of None is not
    given (the portal's default applies), so it is not compared.
    """

    name: str
    request: Callable[[Any], Any] | None = None
    stored: Callable[[Any], Any] | None = None
    same: Callable[[Any, Any], bool] = _same

    def values(self, request: Any, stored: Any) -> tuple[Any, Any]:
        """``(the request's value, the stored object's value)``."""
        read_request = self.request or _attribute(self.name)
        read_stored = self.stored or _attribute(self.name)
        return read_request(request), read_stored(stored)


@attrs.frozen
class NaturalKey:
    """The fields that identify an object of one kind, and how two keys are matched.

    Attributes:
        fields: the snake_case field names, in the order they are shown.
        lower: fields compared case-insensitively (e-mail addresses).
        unordered: fields holding sequences whose order does not matter.
        derived: for a key field that is not an attribute of the objects, how to read it off a
            request or a stored object (an agreement's ``signer_emails`` from its signers).
        compared: the other fields that must agree before a stored object with this key is
            taken for a request (:meth:`differences`).

    Every string is compared without surrounding whitespace.
    """

    fields: tuple[str, ...]
    lower: frozenset[str] = frozenset()
    unordered: frozenset[str] = frozenset()
    derived: Mapping[str, Callable[[Any], Any]] = attrs.field(factory=dict)
    compared: tuple[Compared, ...] = ()

    def differences(self, request: Any, stored: Any) -> dict[str, tuple[Any, Any]]:
        """Each :attr:`compared` field on which ``request`` and the ``stored`` object (of the
        same key) disagree: ``{"amount": (Decimal("12.95"), Decimal("99.00"))}``, as
        ``(requested, stored)``; empty when the stored object is the one requested."""
        out: dict[str, tuple[Any, Any]] = {}
        for field in self.compared:
            requested, found = field.values(request, stored)
            if requested is not None and not field.same(requested, found):
                out[field.name] = (requested, found)
        return out

    def of(self, obj: Any) -> dict[str, Any]:
        """The key of ``obj``, a request model or a stored object, as it holds it:
        ``{"invoice_number": "2024-001"}`` (match keys through :meth:`normalize` or
        :meth:`text`). A missing attribute reads as None."""
        key: dict[str, Any] = {}
        for name in self.fields:
            read = self.derived.get(name)
            key[name] = read(obj) if read is not None else getattr(obj, name, None)
        return key

    def normalize(self, key: Mapping[str, Any]) -> dict[str, Any]:
        """``key`` in the form used for matching: strings stripped, ``lower`` fields lower
        case, sequences as tuples, ``unordered`` ones sorted."""
        out: dict[str, Any] = {}
        for name, raw in key.items():
            value = _plain(raw)
            lower = name in self.lower
            if isinstance(value, tuple):
                items = tuple(_text(v, lower) for v in value)
                if name in self.unordered:
                    items = tuple(sorted(items, key=_json_text))
                out[name] = items
            else:
                out[name] = _text(value, lower)
        return out

    def text(self, key: Mapping[str, Any]) -> str:
        """The canonical text of the normalised ``key``: equal for keys that match."""
        return canonical_key(self.normalize(key))


def _text(value: Any, lower: bool) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value.lower() if lower else value
    return value


def _signer_emails(obj: Any) -> tuple[str | None, ...]:
    return tuple(getattr(signer, "email", None) for signer in getattr(obj, "signers", ()) or ())


_CENT = Decimal("0.01")


@attrs.frozen
class LinesTotal:
    """What a manual invoice's or offer's ``lines`` add up to, excluding and including VAT
    (VAT rounded half up to cents per line); shown as such in a conflict."""

    excl_vat: Decimal
    incl_vat: Decimal

    def __str__(self) -> str:
        return f"lines totalling {self.excl_vat} excl. VAT ({self.incl_vat} incl.)"


def _lines_total(request: Any) -> LinesTotal | None:
    lines = getattr(request, "lines", None)
    if not lines:
        return None
    excl = sum((line.amount_excl_vat for line in lines), Decimal(0))
    vat = sum(
        (
            (line.amount_excl_vat * line.vat_rate / 100).quantize(_CENT, rounding=ROUND_HALF_UP)
            for line in lines
        ),
        Decimal(0),
    )
    return LinesTotal(excl, excl + vat)


def _lines_agree(total: LinesTotal, amount: Any) -> bool:
    # A stored invoice or offer has no lines, only an amount; the API does not say whether a
    # manual one's amount includes VAT, so either total agrees.
    return amount is not None and amount in (total.excl_vat, total.incl_vat)


def _signers(obj: Any) -> dict[str, tuple[Any, Any, Any]] | None:
    """Signers by e-mail (any case): ``(first name, last name, should identify)``."""
    signers = getattr(obj, "signers", None)
    if signers is None:
        return None
    return {
        str(getattr(s, "email", "") or "").strip().lower(): (
            _loose(getattr(s, "first_name", None)),
            _loose(getattr(s, "last_name", None)),
            getattr(s, "should_identify", None),
        )
        for s in signers
    }


def _signers_agree(requested: dict[str, tuple[Any, ...]], stored: Any) -> bool:
    if not isinstance(stored, dict) or requested.keys() != stored.keys():
        return False
    for email, (first, last, identify) in requested.items():
        got_first, got_last, got_identify = stored[email]
        if (first, last) != (got_first, got_last):
            return False
        if got_identify is not None and identify != got_identify:  # not every answer says
            return False
    return True


def _document_count(obj: Any) -> int | None:
    documents = getattr(obj, "documents", None)
    return None if documents is None else len(documents)


_DOCUMENT = (
    Compared("customer_id", same=lambda a, b: a == b),
    Compared("issued_at"),
    Compared("amount"),
    Compared("lines", request=_lines_total, stored=_attribute("amount"), same=_lines_agree),
)

CUSTOMER = NaturalKey(
    ("primary_email", "company_name"),
    lower=frozenset({"primary_email"}),
    compared=(
        Compared("address"),
        Compared(
            "zip_code",
            same=lambda a, b: _same(str(a).replace(" ", ""), str(b or "").replace(" ", "")),
        ),
        Compared("city"),
        Compared("country_code"),
    ),
)
"""A customer: its primary e-mail (any case) and company name; its address, zip code, city
and country must agree."""

CUSTOMER_GROUP = NaturalKey(("name",))
"""A customer group: its name (nothing else of it is stored)."""

CUSTOMER_INVOICE = NaturalKey(("invoice_number",), compared=(*_DOCUMENT, Compared("due_at")))
"""A customer invoice (uploaded or manual): its invoice number; its customer, dates and
amount (for a manual one: its lines' total) must agree."""

CUSTOMER_OFFER = NaturalKey(("offer_number",), compared=(*_DOCUMENT, Compared("expires_at")))
"""A customer offer (uploaded or manual): its offer number; its customer, dates and amount
(for a manual one: its lines' total) must agree."""

AGREEMENT = NaturalKey(
    ("name", "signer_emails"),
    lower=frozenset({"signer_emails"}),
    unordered=frozenset({"signer_emails"}),
    derived={"signer_emails": _signer_emails},
    compared=(
        Compared("signer_name"),
        Compared("signers", request=_signers, stored=_signers, same=_signers_agree),
        # an agreement has at least one document: none at all is a list that left them out
        Compared(
            "documents",
            request=_document_count,
            stored=_document_count,
            same=lambda requested, stored: not stored or requested == stored,
        ),
    ),
)
"""An agreement: its name and its signers' e-mails (any case, any order); its signer name,
each signer's name and identification, and how many documents it has must agree."""
