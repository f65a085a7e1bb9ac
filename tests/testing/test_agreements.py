"""The FakePortal's download-agreement-document on the wire: the link, what it serves, the 404s."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any

import aiohttp
import pytest
from test_fakeportal_support import PDF, SIGNATURE, FakeClock, call

from mijnklantportaal_async.testing import FakePortal


@pytest.fixture
async def portal() -> AsyncIterator[FakePortal]:
    async with FakePortal(rate_limit=None, clock=FakeClock()) as portal:
        yield portal


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def an_agreement(session: aiohttp.ClientSession, portal: FakePortal) -> dict[str, Any]:
    data = aiohttp.MultipartWriter("form-data")
    fields = {
        "name": "Service contract",
        "signerName": "John Doe",
        "signerSignatureData": SIGNATURE,
        "signers[0][firstName]": "Dirk Jan",
        "signers[0][lastName]": "Bakker",
        "signers[0][email]": "dj.bakker@domain.com",
        "signers[0][shouldIdentify]": "0",
    }
    for name, value in fields.items():
        data.append(value).set_content_disposition("form-data", quote_fields=False, name=name)
    part = data.append(PDF, {"Content-Type": "application/pdf"})
    part.set_content_disposition(
        "form-data", quote_fields=False, name="documents[0]", filename="Contract.pdf"
    )
    status, agreement, _ = await call(session, portal, "POST", "/agreements", data=data)
    assert status == 201, agreement
    result: dict[str, Any] = agreement
    return result


async def test_the_answer_is_a_link_to_the_document_valid_five_minutes(
    portal: FakePortal, session: aiohttp.ClientSession
) -> None:
    agreement = await an_agreement(session, portal)
    document = agreement["documents"][0]

    status, answer, _ = await call(
        session,
        portal,
        "GET",
        f"/agreements/{agreement['id']}/documents/{document['id']}/download",
    )

    assert status == 200
    assert set(answer) == {"link", "expiresAt"}
    assert datetime.fromisoformat(answer["expiresAt"]) == portal.now() + timedelta(minutes=5)
    async with session.get(answer["link"]) as fetched:
        assert fetched.status == 200
        assert fetched.headers["Content-Type"] == "application/pdf"
        assert 'filename="Contract.pdf"' in fetched.headers["Content-Disposition"]
        assert await fetched.read() == PDF


@pytest.mark.parametrize("which", ["agreement", "document"])
async def test_an_unknown_agreement_or_document_is_the_documented_404(
    portal: FakePortal, session: aiohttp.ClientSession, which: str
) -> None:
    agreement = await an_agreement(session, portal)
    agreement_id = agreement["id"] if which == "document" else "agr_unknown0000000"
    document_id = agreement["documents"][0]["id"] if which == "agreement" else "agd_x"

    status, answer, _ = await call(
        session, portal, "GET", f"/agreements/{agreement_id}/documents/{document_id}/download"
    )

    assert (status, answer["message"]) == (404, "No Record can be found for the given ID")
    assert portal.storage.objects == {}
