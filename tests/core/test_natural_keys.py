"""Natural keys (``_core/natural_keys.py``): how a key is read off an object, normalised and
turned into the canonical text that the bulk engine, its journal and its look-ups match on."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from mijnklantportaal_async._core.natural_keys import (
    AGREEMENT,
    CUSTOMER,
    CUSTOMER_INVOICE,
    NaturalKey,
    canonical_key,
)


def test_normalize_strips_lowers_the_lower_fields_and_sorts_the_unordered_ones() -> None:
    key = NaturalKey(
        ("name", "emails"), lower=frozenset({"emails"}), unordered=frozenset({"emails"})
    )
    assert key.normalize({"name": " X ", "emails": ["b@x.nl", " A@x.nl"]}) == {
        "name": "X",
        "emails": ("a@x.nl", "b@x.nl"),
    }


def test_normalize_keeps_the_case_and_order_of_other_fields() -> None:
    key = NaturalKey(("name", "codes"))
    assert key.normalize({"name": " Mixed Case ", "codes": ["b", "A"]}) == {
        "name": "Mixed Case",
        "codes": ("b", "A"),
    }


def test_normalize_leaves_values_that_are_not_strings_alone() -> None:
    key = NaturalKey(("number", "day", "none"))
    raw = {"number": Decimal("1.50"), "day": date(2024, 4, 29), "none": None}
    assert key.normalize(raw) == raw


def test_keys_that_match_have_equal_text_whatever_their_field_order_or_sequence_type() -> None:
    assert AGREEMENT.text({"name": "C", "signer_emails": ["b@x.nl", "A@x.nl"]}) == AGREEMENT.text(
        {"signer_emails": ("a@x.nl ", "B@X.NL"), "name": "C"}
    )
    assert CUSTOMER.text({"primary_email": "Jo@X.nl", "company_name": "X BV"}) == CUSTOMER.text(
        {"company_name": "X BV", "primary_email": " jo@x.nl"}
    )
    assert CUSTOMER.text({"primary_email": "jo@x.nl", "company_name": "X BV"}) != CUSTOMER.text(
        {"primary_email": "jo@x.nl", "company_name": "x bv"}  # only the e-mail ignores case
    )


def test_canonical_key_is_sorted_compact_json_that_survives_a_json_round_trip() -> None:
    norm = AGREEMENT.normalize({"name": "Contract", "signer_emails": ("b@x.nl", "a@x.nl")})
    text = canonical_key(norm)
    assert text == '{"name":"Contract","signer_emails":["a@x.nl","b@x.nl"]}'
    assert canonical_key(json.loads(json.dumps(norm))) == text  # as the journal reads it back
    assert canonical_key({"n": Decimal("12.50"), "d": date(2024, 4, 29)}) == (
        '{"d":"2024-04-29","n":"12.50"}'
    )
    assert canonical_key({"e": "é"}) == '{"e":"é"}'


def test_of_reads_the_fields_a_missing_one_as_none() -> None:
    assert CUSTOMER_INVOICE.of(SimpleNamespace(invoice_number="2024-001", amount=1)) == {
        "invoice_number": "2024-001"
    }
    assert CUSTOMER.of(SimpleNamespace(primary_email="jo@x.nl")) == {
        "primary_email": "jo@x.nl",
        "company_name": None,
    }


def test_an_agreements_signer_emails_are_read_off_its_signers_as_given() -> None:
    signers = [SimpleNamespace(email="Zed@Domain.com"), SimpleNamespace(email="anna@domain.com")]
    agreement = SimpleNamespace(name="Service contract", signers=signers)
    assert AGREEMENT.of(agreement) == {
        "name": "Service contract",
        "signer_emails": ("Zed@Domain.com", "anna@domain.com"),
    }
    assert AGREEMENT.of(SimpleNamespace(name="No signers", signers=None)) == {
        "name": "No signers",
        "signer_emails": (),
    }
