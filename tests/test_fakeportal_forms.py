"""How the FakePortal reads bodies: PHP bracket names, Laravel booleans, streamed file parts."""

from __future__ import annotations

import hashlib
from typing import Any

import aiohttp
import pytest
from test_fakeportal_support import call, create_customer, form, invoice_fields

from mijnklantportaal_async.testing import FakePortal
from mijnklantportaal_async.testing.forms import nest_fields, normalise, parse_bool


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        ([("name", "x")], {"name": "x"}),
        (
            [
                ("signers[0][firstName]", "A"),
                ("signers[0][email]", "a@x.nl"),
                ("signers[1][firstName]", "B"),
            ],
            {"signers": [{"firstName": "A", "email": "a@x.nl"}, {"firstName": "B"}]},
        ),
        ([("documents[]", "a"), ("documents[]", "b")], {"documents": ["a", "b"]}),
        ([("documents[1]", "b"), ("documents[0]", "a")], {"documents": ["a", "b"]}),
        ([("meta[key]", "v")], {"meta": {"key": "v"}}),
        ([("a", "1"), ("a", "2")], {"a": "2"}),
        ([("broken[name", "v")], {"broken[name": "v"}),
    ],
)
def test_bracket_names_nest_like_php(
    pairs: list[tuple[str, Any]], expected: dict[str, Any]
) -> None:
    assert nest_fields(pairs) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", True),
        ("0", False),
        ("true", True),
        ("false", False),
        ("TRUE", True),
        (True, True),
        (0, False),
        ("yes", None),
        (2, None),
        ("", None),
    ],
)
def test_laravel_booleans(value: object, expected: bool | None) -> None:
    assert parse_bool(value) is expected


def test_strings_are_trimmed_and_empty_ones_become_none() -> None:
    assert normalise({"a": "  x ", "b": "", "c": ["", " y"], "d": 3}) == {
        "a": "x",
        "b": None,
        "c": [None, "y"],
        "d": 3,
    }


# aiohttp's own multipart reader calls its deprecated StreamReader.unread_data() internally
# when a read ends just short of a boundary; that is aiohttp's business, not the portal's.
@pytest.mark.filterwarnings("ignore:unread_data:DeprecationWarning")
async def test_a_large_upload_is_hashed_not_kept_and_only_its_head_is_stored() -> None:
    content = b"%PDF-1.7\n" + bytes(range(256)) * (24 * 1024)  # ~6 MB
    async with FakePortal() as portal, aiohttp.ClientSession() as session:
        customer = await create_customer(session, portal)
        data = form(invoice_fields(customer["id"]), [("pdf", "big.pdf", content)])
        status, invoice, _ = await call(session, portal, "POST", "/customer-invoices", data=data)
        assert status == 201
        stored = portal.files[invoice["id"]]
    assert (stored.size, stored.sha256) == (len(content), hashlib.sha256(content).hexdigest())
    assert stored.head == content[:1024]
    assert stored.data is None
    assert "big.pdf" in repr(stored)
    assert "PDF-1.7" not in repr(stored)


async def test_keep_files_keeps_bytes_up_to_the_cap_only() -> None:
    small, large = b"%PDF-" + b"s" * 100, b"%PDF-" + b"l" * 5000
    async with (
        FakePortal(keep_files=True, keep_files_max=1000) as portal,
        aiohttp.ClientSession() as session,
    ):
        customer = await create_customer(session, portal)
        ids = []
        for content in (small, large):
            data = form(invoice_fields(customer["id"]), [("pdf", "x.pdf", content)])
            _, invoice, _ = await call(session, portal, "POST", "/customer-invoices", data=data)
            ids.append(invoice["id"])
        assert portal.files[ids[0]].data == small
        assert portal.files[ids[1]].data is None
        assert portal.files[ids[1]].size == len(large)


async def test_json_endpoints_also_accept_form_bodies_like_laravel() -> None:
    async with FakePortal() as portal, aiohttp.ClientSession() as session:
        fields = {
            "companyName": "Form BV",
            "address": "Street 1",
            "zipCode": "1000AA",
            "city": "Amsterdam",
            "primaryEmail": "form@example.com",
        }
        status, body, _ = await call(session, portal, "POST", "/customers", data=fields)
        assert (status, body["companyName"]) == (201, "Form BV")
        assert portal.requests[-1].form == tuple(fields.items())
