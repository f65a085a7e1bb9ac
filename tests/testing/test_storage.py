"""The FakePortal's object store (``testing/storage.py``): the links ``link_for`` makes and
how ``/storage/{token}`` answers them, over loopback with a plain aiohttp session and the
portal's fake clock (no sleeps)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path

import aiohttp
import pytest
from test_fakeportal_support import ATOM, CUSTOMER, FakeClock

from mijnklantportaal_async.testing import FakePortal

DATA = bytes(range(256)) * 1000  # 256,000 bytes: several 64 KiB chunks


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def portal(clock: FakeClock) -> AsyncIterator[FakePortal]:
    async with FakePortal(clock=clock, rate_limit=1) as portal:
        yield portal


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def test_link_for_answers_as_the_api_a_link_on_the_portal_valid_300_seconds(
    portal: FakePortal,
) -> None:
    answer = portal.storage.link_for(b"%PDF-1.4", filename="inv.pdf")

    assert set(answer) == {"link", "expiresAt"}
    origin = portal.url.removesuffix("/v1")
    assert answer["link"].startswith(origin + "/storage/")
    token = answer["link"].rsplit("/", 1)[1]
    assert len(token) >= 32
    assert ATOM.match(answer["expiresAt"])
    assert datetime.fromisoformat(answer["expiresAt"]) == portal.now() + timedelta(seconds=300)
    assert portal.storage.link_for(b"x")["link"] != answer["link"]  # a fresh token each time


async def test_a_link_serves_its_bytes_with_length_type_and_attachment_name(
    portal: FakePortal, session: aiohttp.ClientSession
) -> None:
    answer = portal.storage.link_for(
        DATA, filename="factuur 2024-001 €.pdf", content_type="application/pdf"
    )

    async with session.get(answer["link"]) as response:
        body = await response.read()
        headers = response.headers

    assert response.status == 200
    assert body == DATA
    assert headers["Content-Length"] == str(len(DATA))
    assert headers["Content-Type"] == "application/pdf"
    assert headers["Content-Disposition"] == (
        'attachment; filename="factuur 2024-001 _.pdf"; '
        "filename*=UTF-8''factuur%202024-001%20%E2%82%AC.pdf"
    )
    (record,) = portal.storage.requests
    assert (record.method, record.status, record.authorization) == ("GET", 200, False)
    assert record.token == answer["link"].rsplit("/", 1)[1]


async def test_a_file_is_served_from_disk_named_after_it(
    portal: FakePortal, session: aiohttp.ClientSession, tmp_path: Path
) -> None:
    path = tmp_path / "contract.pdf"
    path.write_bytes(DATA)
    answer = portal.storage.link_for(path, content_type="application/pdf")

    async with session.get(answer["link"]) as response:
        assert await response.read() == DATA
        assert 'filename="contract.pdf"' in response.headers["Content-Disposition"]


async def test_a_request_with_an_authorization_header_is_refused_with_400(
    portal: FakePortal, session: aiohttp.ClientSession
) -> None:
    answer = portal.storage.link_for(DATA)

    headers = {"Authorization": f"Bearer {portal.api_key}"}
    async with session.get(answer["link"], headers=headers) as response:
        text = await response.text()

    assert response.status == 400
    assert response.content_type == "application/xml"
    assert "<Code>InvalidArgument</Code>" in text
    (record,) = portal.storage.requests
    assert (record.status, record.authorization) == (400, True)
    assert portal.api_key not in repr(record)  # the header's value is never kept


async def test_a_link_expires_after_300_seconds_on_the_portals_clock(
    portal: FakePortal, session: aiohttp.ClientSession, clock: FakeClock
) -> None:
    answer = portal.storage.link_for(DATA)

    clock.advance(299)
    async with session.get(answer["link"]) as response:
        assert response.status == 200
        await response.read()
    clock.advance(1)
    async with session.get(answer["link"]) as response:
        text = await response.text()

    assert response.status == 403
    assert "<Code>AccessDenied</Code><Message>Request has expired</Message>" in text
    assert [r.status for r in portal.storage.requests] == [200, 403]


async def test_an_unknown_token_is_404(portal: FakePortal, session: aiohttp.ClientSession) -> None:
    portal.storage.link_for(DATA)

    async with session.get(portal.url.removesuffix("/v1") + "/storage/nope") as response:
        text = await response.text()

    assert response.status == 404
    assert "<Code>NoSuchKey</Code>" in text


async def test_storage_is_neither_behind_the_api_key_nor_the_rate_limit(
    portal: FakePortal, session: aiohttp.ClientSession
) -> None:
    api = {"Authorization": f"Bearer {portal.api_key}"}
    async with session.post(portal.url + "/customers", json=CUSTOMER, headers=api) as response:
        assert response.status == 201  # the only request rate_limit=1 allows this minute
    answer = portal.storage.link_for(DATA)

    for _ in range(3):
        async with session.get(answer["link"]) as response:
            assert response.status == 200
            await response.read()
    async with session.get(portal.url + "/customers", headers=api) as response:
        assert response.status == 429  # the API's window is still spent

    assert len(portal.storage.requests) == 3
    assert [r.path for r in portal.requests] == ["/v1/customers", "/v1/customers"]


async def test_cut_after_sends_that_many_bytes_then_cuts_the_connection(
    portal: FakePortal, session: aiohttp.ClientSession
) -> None:
    answer = portal.storage.link_for(DATA, cut_after=100_000)

    received = bytearray()

    async def take_all(response: aiohttp.ClientResponse) -> None:
        async for chunk in response.content.iter_any():
            received.extend(chunk)

    async with session.get(answer["link"]) as response:
        assert response.headers["Content-Length"] == str(len(DATA))
        with pytest.raises(aiohttp.ClientPayloadError):
            await take_all(response)

    assert bytes(received) == DATA[:100_000]


async def test_link_for_needs_a_started_portal() -> None:
    portal = FakePortal()

    with pytest.raises(RuntimeError, match="not started"):
        portal.storage.link_for(b"x")
