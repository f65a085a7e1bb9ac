"""Downloading a pre-signed link (``_core/downloads.py``) from the FakePortal's object store
over loopback: the file and its chunks, no credentials sent to storage, one fresh link for an
expired one and never two, cut connections, constant memory and the typed errors. Links
expire by advancing the portal's fake clock, never by sleeping."""

from __future__ import annotations

import asyncio
import gc
import hashlib
import tracemalloc
from collections.abc import AsyncIterator, Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import aiohttp
import pytest
from aiohttp import web
from loopback import ScriptedPortal, serving, unused_port
from test_fakeportal_support import FakeClock

from mijnklantportaal_async._core.downloads import DownloadLink, download_to, iter_download
from mijnklantportaal_async._core.http import ApiRequest, HTTPCore
from mijnklantportaal_async._core.settings import Timeouts
from mijnklantportaal_async._core.wire import from_wire
from mijnklantportaal_async.errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    ClientClosedError,
    NotFoundError,
    PermissionDeniedError,
)
from mijnklantportaal_async.testing import FakePortal

DATA = bytes(range(256)) * 1000  # 256,000 bytes: several 64 KiB chunks
Mode = Literal["path", "chunks"]
MODES: tuple[Mode, ...] = ("path", "chunks")


class LinkSource:
    """A ``fetch_link`` that asks the portal's storage for a new link on each call, as the
    API does; ``links`` are those it handed out. ``after`` runs after each (to move the
    portal's clock past the link's expiry)."""

    def __init__(self, portal: FakePortal, data: bytes | Path = DATA, **options: Any) -> None:
        self.portal = portal
        self.data = data
        self.options = options
        self.links: list[DownloadLink] = []
        self.after: Callable[[], None] = lambda: None

    @property
    def calls(self) -> int:
        return len(self.links)

    def tokens(self) -> list[str]:
        return [link.link.rsplit("/", 1)[1] for link in self.links]

    async def __call__(self) -> DownloadLink:
        answer = self.portal.storage.link_for(self.data, **self.options)
        self.links.append(from_wire(DownloadLink, answer))
        self.after()
        return self.links[-1]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def portal(clock: FakeClock) -> AsyncIterator[FakePortal]:
    async with FakePortal(clock=clock) as portal:
        yield portal


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def fetch(
    mode: Mode, session: aiohttp.ClientSession, source: Any, where: Path, **kwargs: Any
) -> bytes:
    """The file via :func:`download_to` (to ``where / "out.pdf"``) or :func:`iter_download`."""
    if mode == "path":
        target = where / "out.pdf"
        size = await download_to(session, source, target, **kwargs)
        assert size == target.stat().st_size
        return target.read_bytes()
    return b"".join([chunk async for chunk in iter_download(session, source, **kwargs)])


# -- the link -------------------------------------------------------------------------------


def test_the_api_answer_reads_as_a_download_link_with_an_aware_expiry() -> None:
    link = from_wire(
        DownloadLink,
        {
            "link": "https://files.example/inv.pdf?X-Amz-Signature=abc",
            "expiresAt": "2025-04-29T21:00:00+02:00",
        },
    )

    assert link.link == "https://files.example/inv.pdf?X-Amz-Signature=abc"
    assert link.expires_at == datetime.fromisoformat("2025-04-29T19:00:00+00:00")
    assert link.expires_at is not None
    assert link.expires_at.utcoffset() == timedelta(hours=2)
    assert "abc" not in repr(link)  # the query is the signature
    assert from_wire(DownloadLink, {"link": "https://files.example/x"}).expires_at is None


@pytest.mark.parametrize("link", ["file:///etc/passwd", "ftp://files.example/x", "/relative", ""])
def test_only_absolute_http_links_are_read(link: str) -> None:
    with pytest.raises(ValueError, match="cannot read DownloadLink"):
        from_wire(DownloadLink, {"link": link, "expiresAt": "2025-04-29T21:00:00+02:00"})


# -- downloading ----------------------------------------------------------------------------


async def test_download_to_writes_the_whole_file_and_no_temporary_file_remains(
    portal: FakePortal, session: aiohttp.ClientSession, tmp_path: Path
) -> None:
    target = tmp_path / "invoice.pdf"
    target.write_bytes(b"an older version")

    source = LinkSource(portal)

    size = await download_to(session, source, target, now=portal.now)

    assert size == len(DATA)
    assert source.calls == 1
    assert target.read_bytes() == DATA
    assert _listing(tmp_path) == [target]


async def test_iter_download_yields_the_file_in_chunks_of_at_most_chunk_size(
    portal: FakePortal, session: aiohttp.ClientSession
) -> None:
    source = LinkSource(portal)
    downloading = iter_download(session, source, chunk_size=10_000, now=portal.now)

    chunks = [chunk async for chunk in downloading]

    assert b"".join(chunks) == DATA
    assert len(chunks) >= len(DATA) // 10_000
    assert all(0 < len(chunk) <= 10_000 for chunk in chunks)


async def test_the_clients_own_session_sends_no_authorization_to_storage(
    portal: FakePortal, tmp_path: Path
) -> None:
    # HTTPCore sends the key per request (RequestHeaders), never as a session default, so the
    # session it made for an API call can fetch a link without the key.
    core = HTTPCore(api_key=portal.api_key, base_url=portal.url)
    try:
        await core.request(
            ApiRequest(method="GET", path="/customers", operation_id="list-customers")
        )
        session = core.session()  # what a resource passes
        await download_to(session, LinkSource(portal), tmp_path / "x.pdf", now=portal.now)
    finally:
        await core.aclose()

    assert [r.status for r in portal.requests] == [200]  # the API call did authenticate
    (record,) = portal.storage.requests
    assert (record.status, record.authorization) == (200, False)
    assert "Idempotency-Key" not in record.headers


async def test_a_session_with_credential_headers_is_not_used_for_storage(
    portal: FakePortal, tmp_path: Path
) -> None:
    headers = {"Authorization": f"Bearer {portal.api_key}", "Idempotency-Key": "k-1"}
    async with aiohttp.ClientSession(headers=headers) as session:
        assert await fetch("path", session, LinkSource(portal), tmp_path, now=portal.now) == DATA

    (record,) = portal.storage.requests
    assert (record.status, record.authorization) == (200, False)
    assert "Idempotency-Key" not in record.headers


@pytest.mark.parametrize("mode", MODES)
async def test_a_link_expired_on_the_clock_is_replaced_before_it_is_tried(
    mode: Mode,
    portal: FakePortal,
    session: aiohttp.ClientSession,
    clock: FakeClock,
    tmp_path: Path,
) -> None:
    source = LinkSource(portal)
    source.after = lambda: clock.advance(300) if source.calls == 1 else None

    assert await fetch(mode, session, source, tmp_path, now=portal.now) == DATA

    assert source.calls == 2
    assert [r.token for r in portal.storage.requests] == source.tokens()[1:]  # not the old one


@pytest.mark.parametrize("mode", MODES)
async def test_a_link_the_storage_says_expired_is_fetched_once_more_and_succeeds(
    mode: Mode,
    portal: FakePortal,
    session: aiohttp.ClientSession,
    clock: FakeClock,
    tmp_path: Path,
) -> None:
    # The local clock lags the storage host's: the link looks valid here, the host says 403.
    lagging = portal.now()
    source = LinkSource(portal)
    source.after = lambda: clock.advance(300) if source.calls == 1 else None

    assert await fetch(mode, session, source, tmp_path, now=lambda: lagging) == DATA

    assert source.calls == 2
    assert [(r.token, r.status) for r in portal.storage.requests] == list(
        zip(source.tokens(), [403, 200], strict=True)
    )


@pytest.mark.parametrize("mode", MODES)
async def test_a_link_that_keeps_expiring_raises_after_one_fresh_link_never_two(
    mode: Mode,
    portal: FakePortal,
    session: aiohttp.ClientSession,
    clock: FakeClock,
    tmp_path: Path,
) -> None:
    lagging = portal.now()
    source = LinkSource(portal)
    source.after = lambda: clock.advance(300)

    with pytest.raises(PermissionDeniedError) as caught:
        await fetch(mode, session, source, tmp_path, now=lambda: lagging)

    assert source.calls == 2
    assert [r.status for r in portal.storage.requests] == [403, 403]
    assert caught.value.status == 403
    assert "Request has expired" in str(caught.value)
    assert caught.value.method == "GET"
    assert caught.value.path == source.links[-1].link
    assert _listing(tmp_path) == []


@pytest.mark.parametrize("mode", MODES)
async def test_a_fresh_link_is_tried_even_when_the_local_clock_says_it_expired(
    mode: Mode, portal: FakePortal, session: aiohttp.ClientSession, tmp_path: Path
) -> None:
    # A local clock far ahead would call every link expired: the host decides on the second.
    ahead = portal.now() + timedelta(hours=1)
    source = LinkSource(portal)

    assert await fetch(mode, session, source, tmp_path, now=lambda: ahead) == DATA

    assert source.calls == 2
    assert [r.token for r in portal.storage.requests] == source.tokens()[1:]


@pytest.mark.parametrize("mode", MODES)
async def test_an_unknown_object_is_not_found_without_a_fresh_link(
    mode: Mode, portal: FakePortal, session: aiohttp.ClientSession, tmp_path: Path
) -> None:
    source = LinkSource(portal)
    source.after = lambda: portal.storage.objects.clear()

    with pytest.raises(NotFoundError) as caught:
        await fetch(mode, session, source, tmp_path, now=portal.now)

    assert source.calls == 1
    assert caught.value.status == 404
    assert "NoSuchKey" in str(caught.value.body)
    assert _listing(tmp_path) == []


async def test_a_connection_cut_mid_body_leaves_no_file_and_raises_connection_error(
    portal: FakePortal, session: aiohttp.ClientSession, tmp_path: Path
) -> None:
    source = LinkSource(portal, cut_after=100_000)
    target = tmp_path / "invoice.pdf"

    with pytest.raises(APIConnectionError) as caught:
        await download_to(session, source, target, now=portal.now)

    assert not isinstance(caught.value, APITimeoutError)
    assert caught.value.sent is True
    assert caught.value.__cause__ is None
    assert caught.value.__context__ is None
    assert _listing(tmp_path) == []  # neither the file nor its temporary part
    assert source.calls == 1  # not an expiry: no fresh link


async def test_iter_download_yields_what_arrived_then_raises_when_the_connection_is_cut(
    portal: FakePortal, session: aiohttp.ClientSession
) -> None:
    source = LinkSource(portal, cut_after=100_000)
    received = bytearray()

    async def take_all() -> None:
        async for chunk in iter_download(session, source, chunk_size=1000, now=portal.now):
            received.extend(chunk)

    with pytest.raises(APIConnectionError):
        await take_all()

    assert len(received) > 0  # what arrived was yielded before the error
    assert bytes(received) == DATA[: len(received)]
    assert len(received) <= 100_000


async def test_memory_stays_constant_for_a_large_file(clock: FakeClock, tmp_path: Path) -> None:
    size = 50 * 1024 * 1024
    served = tmp_path / "served.bin"
    with served.open("wb") as out:
        block = hashlib.sha256(b"seed").digest() * 2048  # 64 KiB, not all zeros
        for _ in range(size // len(block)):
            out.write(block)
    target = tmp_path / "out" / "copy.bin"
    target.parent.mkdir()

    async with FakePortal(clock=clock) as portal, aiohttp.ClientSession() as session:
        source = LinkSource(portal, served)
        gc.collect()
        tracemalloc.start()
        try:
            written = await download_to(session, source, target, now=portal.now)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()

    assert written == size
    assert _sha256(target) == _sha256(served)
    assert peak < 4 * 1024 * 1024, f"peak {peak} bytes for a {size}-byte download"


def _listing(directory: Path) -> list[Path]:
    return sorted(directory.iterdir())


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


async def test_a_missing_directory_fails_before_any_link_is_asked_for(
    portal: FakePortal, session: aiohttp.ClientSession, tmp_path: Path
) -> None:
    source = LinkSource(portal)

    with pytest.raises(FileNotFoundError):
        await download_to(session, source, tmp_path / "missing" / "x.pdf", now=portal.now)

    assert source.calls == 0


async def test_stopping_early_releases_the_download(
    portal: FakePortal, session: aiohttp.ClientSession
) -> None:
    chunks = iter_download(session, LinkSource(portal), chunk_size=1000, now=portal.now)
    first = await anext(chunks)
    await chunks.aclose()

    assert first == DATA[:1000]
    # the session still works: the cut-short connection was closed, not reused half-read
    assert await fetch("chunks", session, LinkSource(portal), Path(), now=portal.now) == DATA


async def test_a_closed_session_raises_client_closed_error(
    portal: FakePortal, tmp_path: Path
) -> None:
    session = aiohttp.ClientSession()
    await session.close()
    source = LinkSource(portal)

    target = tmp_path / "never-written.pdf"

    with pytest.raises(ClientClosedError):
        await download_to(session, source, target)

    assert source.calls == 0
    assert _listing(tmp_path) == []


# -- other storage hosts (scripted loopback servers) ----------------------------------------


@pytest.fixture
async def serve() -> AsyncIterator[Callable[..., Any]]:
    async with serving(RecordingStorage) as start:
        yield start


class RecordingStorage(ScriptedPortal):
    """A storage host answering from a script; ``seen`` keeps each request's path and
    headers."""

    def __init__(self, *script: Any) -> None:
        super().__init__(*script)
        self.seen: list[tuple[str, dict[str, str]]] = []

    async def record(self, request: web.Request) -> None:
        self.seen.append((request.path_qs, dict(request.headers)))


class SameLink:
    """A ``fetch_link`` answering the same link on ``host`` each time, counting the calls."""

    def __init__(
        self, host: RecordingStorage, path: str = "/bucket/inv.pdf?X-Amz-Signature=s3cr3t"
    ) -> None:
        self.link = DownloadLink(str(host.server.make_url("/")).rstrip("/") + path)
        self.calls = 0

    async def __call__(self) -> DownloadLink:
        self.calls += 1
        return self.link


@pytest.mark.parametrize("status", [400, 401])
async def test_a_400_or_401_saying_expired_gets_one_fresh_link(
    status: int, serve: Any, session: aiohttp.ClientSession
) -> None:
    expired = (
        "<Error><Code>ExpiredToken</Code><Message>The provided token has expired.</Message></Error>"
    )

    async def refuse(_request: web.Request) -> web.Response:
        return web.Response(status=status, text=expired, content_type="application/xml")

    async def serve_file(_request: web.Request) -> web.Response:
        return web.Response(body=DATA)

    host = await serve(refuse, serve_file)
    fetch_link = SameLink(host)

    assert await fetch("chunks", session, fetch_link, Path()) == DATA
    assert fetch_link.calls == 2


@pytest.mark.parametrize("status", [400, 401, 500])
async def test_other_storage_errors_are_raised_at_once_as_typed_errors(
    status: int, serve: Any, session: aiohttp.ClientSession
) -> None:
    async def refuse(_request: web.Request) -> web.Response:
        return web.Response(status=status, text="<Error><Code>Nope</Code></Error>")

    host = await serve(refuse)
    fetch_link = SameLink(host)

    with pytest.raises(APIStatusError) as caught:
        await fetch("chunks", session, fetch_link, Path())

    assert caught.value.status == status
    assert fetch_link.calls == 1
    assert "s3cr3t" not in str(caught.value)  # the signature is masked
    assert caught.value.path.endswith("/bucket/inv.pdf?***")


async def test_a_signed_link_is_sent_exactly_as_given_and_redirects_are_followed(
    serve: Any, session: aiohttp.ClientSession
) -> None:
    signed = "/bucket/a%2Fb.pdf?X-Amz-Credential=AKIA%2F20250429%2Fs3&X-Amz-Signature=ab%2Bcd"

    async def moved(_request: web.Request) -> web.Response:
        return web.Response(status=307, headers={"Location": "/eu-west-1" + signed})

    async def serve_file(_request: web.Request) -> web.Response:
        return web.Response(body=DATA)

    host = await serve(moved, serve_file)

    assert await fetch("chunks", session, SameLink(host, signed), Path()) == DATA
    first, second = (path for path, _ in host.seen)
    assert first == signed  # not re-encoded: the signature covers it
    assert second.startswith("/eu-west-1/bucket/a%2Fb.pdf?")
    assert all("Authorization" not in headers for _, headers in host.seen)


async def test_a_storage_host_that_goes_silent_raises_a_timeout(
    serve: Any, session: aiohttp.ClientSession
) -> None:
    release = asyncio.Event()

    async def silent(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Length": str(len(DATA))})
        await response.prepare(request)
        await response.write(DATA[:1000])
        await release.wait()  # never set: the body stops after 1000 bytes
        return response

    host = await serve(silent)
    try:
        with pytest.raises(APITimeoutError) as caught:
            await fetch("chunks", session, SameLink(host), Path(), timeouts=Timeouts(read=0.1))
    finally:
        release.set()

    assert caught.value.sent is True
    assert "s3cr3t" not in str(caught.value)


async def test_a_refused_connection_is_a_connection_error_saying_not_sent(
    session: aiohttp.ClientSession,
) -> None:
    sock, port = unused_port()
    try:

        async def fetch_link() -> DownloadLink:
            return DownloadLink(f"http://127.0.0.1:{port}/inv.pdf?X-Amz-Signature=s3cr3t")

        with pytest.raises(APIConnectionError) as caught:
            await fetch("chunks", session, fetch_link, Path())
    finally:
        sock.close()

    assert caught.value.sent is False
    assert "s3cr3t" not in str(caught.value)
    assert caught.value.__cause__ is None
    assert caught.value.__context__ is None
