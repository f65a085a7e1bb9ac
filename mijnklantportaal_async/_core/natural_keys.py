"""Natural keys: what identifies an object of one kind without its ID, declared once per kind.

The API documents no idempotency keys, so a create whose answer was lost is found again by its
natural key (an invoice's number, a customer's e-mail and company name). One
:class:`NaturalKey` per kind says which fields make the key and how two keys are compared; the
operations table (``_core/operations.py``) names it on the create operation, the request
models' ``natural_key()`` read it, and the bulk engine (reconcile, duplicate refusal, journal)
and the import command (duplicate rows) all match keys through it. See
``docs/architecture.md``, "Exactly once".
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

import attrs

__all__ = [
    "AGREEMENT",
    "CUSTOMER",
    "CUSTOMER_GROUP",
    "CUSTOMER_INVOICE",
    "CUSTOMER_OFFER",
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


@attrs.frozen
class NaturalKey:
    """The fields that identify an object of one kind, and how two keys are matched.

    Attributes:
        fields: the snake_case field names, in the order they are shown.
        lower: fields compared case-insensitively (e-mail addresses).
        unordered: fields holding sequences whose order does not matter.
        derived: for a key field that is not an attribute of the objects, how to read it off a
            request or a stored object (an agreement's ``signer_emails`` from its signers).

    Every string is compared without surrounding whitespace.
    """

    fields: tuple[str, ...]
    lower: frozenset[str] = frozenset()
    unordered: frozenset[str] = frozenset()
    derived: Mapping[str, Callable[[Any], Any]] = attrs.field(factory=dict)

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


CUSTOMER = NaturalKey(("primary_email", "company_name"), lower=frozenset({"primary_email"}))
"""A customer: its primary e-mail (any case) and company name."""

CUSTOMER_GROUP = NaturalKey(("name",))
"""A customer group: its name."""

CUSTOMER_INVOICE = NaturalKey(("invoice_number",))
"""A customer invoice (uploaded or manual): its invoice number."""

CUSTOMER_OFFER = NaturalKey(("offer_number",))
"""A customer offer (uploaded or manual): its offer number."""

AGREEMENT = NaturalKey(
    ("name", "signer_emails"),
    lower=frozenset({"signer_emails"}),
    unordered=frozenset({"signer_emails"}),
    derived={"signer_emails": _signer_emails},
)
"""An agreement: its name and its signers' e-mails (any case, any order)."""
