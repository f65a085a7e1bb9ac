"""FakePortal Agreements API on the wire: PHP bracket names, limits of 5, 5 MB, balance, licence."""

from __future__ import annotations

import hashlib
from typing import Any

import aiohttp
import pytest
from test_fakeportal_support import PDF, SIGNATURE, FakeClock, call, form

from mijnklantportaal_async.testing import FakePortal

FIVE_MB = 5 * 1024 * 1024


def signer_fields(count: int, identify: str = "0") -> list[tuple[str, str]]:
    fields = []
    for n in range(count):
        fields += [
            (f"signers[{n}][firstName]", "Dirk Jan"),
            (f"signers[{n}][lastName]", f"Bakker {n}"),
            (f"signers[{n}][email]", f"signer{n}@domain.com"),
            (f"signers[{n}][shouldIdentify]", identify),
        ]
    return fields


def agreement_form(
    *,
    signers: int = 1,
    identify: str = "0",
    documents: list[tuple[str, str, bytes]] | None = None,
    extra: list[tuple[str, str]] | None = None,
) -> aiohttp.MultipartWriter:
    head = [
        ("name", "Service contract"),
        ("signerName", "John Doe"),
        ("signerSignatureData", SIGNATURE),
    ]
    files = documents if documents is not None else [("documents[0]", "Contract.pdf", PDF)]
    return form(head + signer_fields(signers, identify) + (extra or []), files)


async def post(portal: FakePortal, data: aiohttp.MultipartWriter) -> tuple[int, Any]:
    async with aiohttp.ClientSession() as session:
        status, body, _ = await call(session, portal, "POST", "/agreements", data=data)
    return status, body


async def test_create_agreement_reads_bracket_names_and_answers_with_details() -> None:
    async with FakePortal(clock=FakeClock()) as portal:
        status, body = await post(portal, agreement_form(signers=2, identify="true"))
    assert status == 201
    assert body["id"].startswith("agr_")
    assert (body["name"], body["status"], body["signerName"]) == (
        "Service contract",
        "sent",
        "John Doe",
    )
    assert body["signerSignature"] == SIGNATURE
    assert len(body["signerSignatureHash"]) == 64
    assert body["createdAt"] == "2024-04-28T21:00:00+02:00"
    first = body["signers"][0]
    assert first["id"].startswith("ags_")
    assert {k: first[k] for k in ("firstName", "lastName", "email", "shouldIdentify")} == {
        "firstName": "Dirk Jan",
        "lastName": "Bakker 0",
        "email": "signer0@domain.com",
        "shouldIdentify": True,
    }
    assert (first["signature"], first["signatureHash"], first["signedAt"]) == (None, None, None)
    [document] = body["documents"]
    assert document["id"].startswith("agd_")
    assert document == {
        "id": document["id"],
        "documentName": "Contract.pdf",
        "fileSize": len(PDF),
        "fileHash": hashlib.sha256(PDF).hexdigest(),
    }
    assert portal.files[document["id"]].sha256 == document["fileHash"]
    assert portal.agreements[body["id"]] == body
    assert [n.to for n in portal.notifications] == ["signer0@domain.com", "signer1@domain.com"]


@pytest.mark.parametrize(
    ("value", "expected"), [("1", True), ("0", False), ("true", True), ("false", False)]
)
async def test_should_identify_takes_1_0_true_false(value: str, expected: bool) -> None:
    async with FakePortal() as portal:
        status, body = await post(portal, agreement_form(identify=value))
    assert status == 201
    assert body["signers"][0]["shouldIdentify"] is expected


async def test_documents_may_be_sent_as_documents_brackets_appending() -> None:
    documents = [("documents[]", f"part{n}.pdf", PDF) for n in range(3)]
    async with FakePortal() as portal:
        status, body = await post(portal, agreement_form(documents=documents))
    assert status == 201
    assert [d["documentName"] for d in body["documents"]] == ["part0.pdf", "part1.pdf", "part2.pdf"]


async def test_six_signers_or_six_documents_are_refused() -> None:
    six_documents = [(f"documents[{n}]", f"d{n}.pdf", PDF) for n in range(6)]
    async with FakePortal() as portal:
        status, body = await post(portal, agreement_form(signers=6))
        assert (status, body["errors"]) == (
            422,
            {"signers": ["The signers field must not have more than 5 items."]},
        )
        status, body = await post(portal, agreement_form(documents=six_documents))
        assert (status, body["errors"]) == (
            422,
            {"documents": ["The documents field must not have more than 5 items."]},
        )
        assert portal.agreements == {}


async def test_documents_may_total_5_mb_but_not_a_byte_more() -> None:
    half = FIVE_MB // 2
    exact = [("documents[0]", "a.pdf", b"a" * half), ("documents[1]", "b.pdf", b"b" * half)]
    over = [("documents[0]", "a.pdf", b"a" * half), ("documents[1]", "b.pdf", b"b" * (half + 1))]
    async with FakePortal() as portal:
        status, _ = await post(portal, agreement_form(documents=exact))
        assert status == 201
        status, body = await post(portal, agreement_form(documents=over))
        assert (status, body["errors"]) == (
            422,
            {"documents": ["The documents must not be greater than 5 MB in total."]},
        )
        assert len(portal.agreements) == 1


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        (
            [("signers[0][email]", "not-mail")],
            "signers.0.email",
            "The signers.0.email field must be a valid email address.",
        ),
        (
            [("signers[0][shouldIdentify]", "ja")],
            "signers.0.shouldIdentify",
            "The signers.0.should identify field must be true or false.",
        ),
        (
            [("signerSignatureData", "data:image/jpeg;base64,AAAA")],
            "signerSignatureData",
            "The signer signature data field must be a base64 PNG data URI.",
        ),
        ([("name", " ")], "name", "The name field is required."),
    ],
)
async def test_agreement_field_rules(
    extra: list[tuple[str, str]], field: str, message: str
) -> None:
    async with FakePortal() as portal:
        status, body = await post(portal, agreement_form(extra=extra))
    assert (status, body["errors"]) == (422, {field: [message]})


async def test_signers_and_documents_are_required() -> None:
    data = form(
        [("name", "Contract"), ("signerName", "John Doe"), ("signerSignatureData", SIGNATURE)]
    )
    async with FakePortal() as portal:
        status, body = await post(portal, data)
    assert (status, body["errors"]) == (
        422,
        {
            "signers": ["The signers field is required."],
            "documents": ["The documents field is required."],
        },
    )


async def test_identification_costs_balance_and_402_when_it_runs_out() -> None:
    async with FakePortal(balance=3) as portal:
        status, _ = await post(portal, agreement_form(signers=2, identify="1"))
        assert (status, portal.balance) == (201, 1)
        status, body = await post(portal, agreement_form(signers=2, identify="1"))
        assert (status, body) == (
            402,
            {"message": "The portal has not enough balance for this agreement and its options."},
        )
        assert (len(portal.agreements), portal.balance) == (1, 1)
        status, _ = await post(portal, agreement_form(signers=3, identify="0"))
        assert (status, portal.balance) == (201, 1)


async def test_agreements_outside_the_licence_get_426() -> None:
    async with FakePortal(agreements_enabled=False) as portal:
        status, body = await post(portal, agreement_form())
    assert (status, body) == (
        426,
        {"message": "Agreements is not available in the current license."},
    )


async def test_list_shows_list_items_and_get_shows_details() -> None:
    async with FakePortal() as portal, aiohttp.ClientSession() as session:
        _, created = await post(portal, agreement_form())
        status, page, _ = await call(session, portal, "GET", "/agreements")
        assert status == 200
        assert page["data"] == [
            {key: created[key] for key in ("id", "name", "status", "createdAt")}
        ]
        status, body, _ = await call(session, portal, "GET", f"/agreements/{created['id']}")
        assert (status, body) == (200, created)
        status, body, _ = await call(session, portal, "GET", "/agreements/agr_nope")
        assert (status, body) == (404, {"message": "No Agreement can be found for the given ID"})


def json_signers_form(signers: str) -> aiohttp.MultipartWriter:
    fields = [
        ("name", "Service contract"),
        ("signerName", "John Doe"),
        ("signerSignatureData", SIGNATURE),
        ("signers", signers),
    ]
    return form(fields, [("documents[]", "Contract.pdf", PDF)])


async def test_signers_as_a_json_string_as_the_docs_curl_example_sends_them() -> None:
    signers = (
        '[{"firstName": "Dirk Jan", "lastName": "Bakker", "email": "dj.bakker@domain.com",'
        ' "shouldIdentify": true}, {"firstName": "Anna", "lastName": "de Vries",'
        ' "email": "anna@domain.com", "shouldIdentify": "0"}]'
    )
    async with FakePortal(clock=FakeClock()) as portal:
        status, body = await post(portal, json_signers_form(signers))
    assert status == 201, body
    assert [(s["firstName"], s["email"], s["shouldIdentify"]) for s in body["signers"]] == [
        ("Dirk Jan", "dj.bakker@domain.com", True),
        ("Anna", "anna@domain.com", False),
    ]
    assert portal.requests[-1].body["signers"] == signers  # the log keeps what was sent


@pytest.mark.parametrize(
    ("signers", "message"),
    [
        ("[{firstName: 'Dirk'}]", "The signers field must be a valid JSON string."),
        ('{"firstName": "Dirk"}', "The signers field must be an array."),
        ("[]", "The signers field is required."),
        ('[{"firstName": "Dirk"}]', None),  # decoded, then each signer's fields are checked
    ],
)
async def test_a_signers_string_that_is_not_a_json_array_of_signers_is_422(
    signers: str, message: str | None
) -> None:
    async with FakePortal() as portal:
        status, body = await post(portal, json_signers_form(signers))
    assert status == 422
    if message is None:
        assert set(body["errors"]) == {
            "signers.0.lastName",
            "signers.0.email",
            "signers.0.shouldIdentify",
        }
    else:
        assert body["errors"] == {"signers": [message]}
    assert portal.agreements == {}
