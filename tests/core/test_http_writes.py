"""Writes on a real loopback server: exactly once (docs/architecture.md). A write is repeated
only when the server cannot have processed it; when it may have, AmbiguousWriteError names what
to look up.
Every test counts the requests the server actually saw."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
from aiohttp import web
from loopback import FakeSleep, serving, unused_port
from write_portal import NATURAL_KEY, Portal, drop_connection, post, reply

from mijnklantportaal_async._core.http import FormBody, HTTPCore, RetryPolicy, Timeouts
from mijnklantportaal_async.errors import (
    AmbiguousWriteError,
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    RateLimitError,
    ServerError,
)
from mijnklantportaal_async.uploads import Upload


@pytest.fixture
def release() -> asyncio.Event:
    return asyncio.Event()


@pytest.fixture
async def serve(release: asyncio.Event) -> AsyncIterator[Callable[..., Awaitable[Portal]]]:
    async with serving(Portal) as start:
        yield start
        release.set()  # let any handler that hangs on purpose finish, so the server closes now


async def test_a_post_answered_503_without_retry_after_is_ambiguous_and_sent_once(
    serve: Callable[..., Awaitable[Portal]], make_core: Callable[..., HTTPCore]
) -> None:
    """Without Retry-After a 503 may come after processing (500/502/504 and every operation:
    tests/core/test_operations.py)."""
    status = 503
    portal = await serve(reply(status, {"message": "Server Error"}))
    core = make_core(portal.base_url)
    with pytest.raises(AmbiguousWriteError) as info:
        await core.request(post())
    assert len(portal.seen) == 1
    assert info.value.natural_key == NATURAL_KEY
    assert isinstance(info.value.cause, ServerError)
    assert info.value.cause.status == status
    assert info.value.__cause__ is info.value.cause
    assert "invoice_number='2024-001'" in str(info.value)


async def test_a_post_whose_connection_drops_after_the_body_was_read_is_ambiguous(
    serve: Callable[..., Awaitable[Portal]], make_core: Callable[..., HTTPCore]
) -> None:
    portal = await serve(drop_connection)
    core = make_core(portal.base_url)
    with pytest.raises(AmbiguousWriteError) as info:
        await core.request(post())
    assert len(portal.seen) == 1
    assert portal.seen[0].json == {"invoiceNumber": "2024-001", "amount": "12.95"}
    assert isinstance(info.value.cause, APIConnectionError)
    assert info.value.cause.sent is True


async def test_a_post_that_times_out_waiting_for_the_answer_is_ambiguous(
    serve: Callable[..., Awaitable[Portal]],
    make_core: Callable[..., HTTPCore],
    release: asyncio.Event,
) -> None:
    async def hang(request: web.Request) -> web.StreamResponse:
        await release.wait()  # set only at teardown: the client's read timeout fires first
        return web.json_response({}, status=201)

    portal = await serve(hang)
    core = make_core(portal.base_url, timeouts=Timeouts(connect=5.0, read=0.2))
    with pytest.raises(AmbiguousWriteError) as info:
        await core.request(post())
    assert len(portal.seen) == 1
    assert isinstance(info.value.cause, APITimeoutError)
    assert info.value.cause.sent is True


async def test_a_post_on_connection_refused_is_retried_then_raises_not_sent(
    make_core: Callable[..., HTTPCore], sleep: FakeSleep
) -> None:
    sock, port = unused_port()
    with sock:
        core = make_core(f"http://127.0.0.1:{port}/v1", retry=RetryPolicy(max_retries=2))
        with pytest.raises(APIConnectionError) as info:
            await core.request(post())
    assert info.value.sent is False  # not ambiguous: it never left
    assert len(sleep.delays) == 2


async def test_a_post_answered_503_with_retry_after_is_resent_with_the_same_idempotency_key(
    serve: Callable[..., Awaitable[Portal]], make_core: Callable[..., HTTPCore], sleep: FakeSleep
) -> None:
    portal = await serve(
        reply(503, {"message": "down"}, headers={"Retry-After": "5"}),
        reply(201, {"id": "inv_1"}),
    )
    core = make_core(portal.base_url)
    response = await core.request(post())
    assert response.body == {"id": "inv_1"}
    assert len(portal.seen) == 2
    keys = {seen.headers["Idempotency-Key"] for seen in portal.seen}
    assert len(keys) == 1
    assert len(keys.pop()) == 36
    assert sleep.delays == [5.0]


async def test_each_call_gets_its_own_idempotency_key(
    serve: Callable[..., Awaitable[Portal]], make_core: Callable[..., HTTPCore]
) -> None:
    portal = await serve(reply(201, {}))
    core = make_core(portal.base_url)
    await core.request(post())
    await core.request(post())
    assert portal.seen[0].headers["Idempotency-Key"] != portal.seen[1].headers["Idempotency-Key"]


async def test_a_post_answered_429_is_resent(
    serve: Callable[..., Awaitable[Portal]], make_core: Callable[..., HTTPCore], sleep: FakeSleep
) -> None:
    portal = await serve(
        reply(429, {"code": 429, "message": "Too many requests."}, headers={"retry-after": "1"}),
        reply(201, {"id": "inv_1"}),
    )
    core = make_core(portal.base_url)
    await core.request(post())
    assert len(portal.seen) == 2
    assert sleep.delays == [1.0]


@pytest.mark.parametrize(("status", "raised"), [(307, APIStatusError), (302, AmbiguousWriteError)])
async def test_a_post_never_follows_a_redirect(
    status: int,
    raised: type[Exception],
    serve: Callable[..., Awaitable[Portal]],
    make_core: Callable[..., HTTPCore],
) -> None:
    target = await serve(reply(201, {"id": "inv_elsewhere"}))
    portal = await serve(reply(status, headers={"Location": f"{target.base_url}/x"}))
    core = make_core(portal.base_url)
    with pytest.raises(raised):
        await core.request(post())
    assert len(portal.seen) == 1
    assert target.seen == []  # the body was never resent elsewhere


async def test_a_multipart_path_upload_is_resent_in_full_after_a_429(
    tmp_path: Path,
    serve: Callable[..., Awaitable[Portal]],
    make_core: Callable[..., HTTPCore],
) -> None:
    pdf = b"%PDF-1.4\n" + bytes(range(256)) * 1024 + b"\n%%EOF\n"
    path = tmp_path / "2024-001.pdf"
    path.write_bytes(pdf)
    portal = await serve(reply(429, headers={"Retry-After": "1"}), reply(201, {"id": "inv_1"}))
    core = make_core(portal.base_url)
    form = {"invoiceNumber": "2024-001", "sendNotification": True, "pdf": Upload(path)}
    await core.request(post(body=FormBody(form)))
    assert len(portal.seen) == 2
    for seen in portal.seen:
        assert seen.parts == [
            ("invoiceNumber", None, None, b"2024-001"),
            ("sendNotification", None, None, b"1"),
            ("pdf", "2024-001.pdf", "application/pdf", pdf),
        ]
    assert portal.seen[0].headers["Content-Length"] == portal.seen[1].headers["Content-Length"]


async def test_a_seekable_file_object_is_rewound_for_the_retry(
    serve: Callable[..., Awaitable[Portal]], make_core: Callable[..., HTTPCore]
) -> None:
    fh = io.BytesIO(b"%PDF-1.7 file object bytes")
    portal = await serve(reply(503, headers={"Retry-After": "0"}), reply(201, {}))
    core = make_core(portal.base_url)
    await core.request(post(body=FormBody({"pdf": Upload(fh, filename="a.pdf")})))
    assert [s.parts[0][3] for s in portal.seen] == [b"%PDF-1.7 file object bytes"] * 2
    assert not fh.closed  # the user's file object is never closed by the library


async def _one_shot() -> AsyncIterator[bytes]:
    yield b"%PDF-1.4 streamed "
    yield b"once"


async def test_a_started_one_shot_upload_is_never_resent_after_a_429(
    serve: Callable[..., Awaitable[Portal]], make_core: Callable[..., HTTPCore], sleep: FakeSleep
) -> None:
    portal = await serve(reply(429, headers={"Retry-After": "1"}), reply(201, {}))
    core = make_core(portal.base_url)
    upload = Upload(_one_shot(), filename="stream.pdf")
    with pytest.raises(RateLimitError):  # refused before processing: failed, not ambiguous
        await core.request(post(body=FormBody({"pdf": upload})))
    assert len(portal.seen) == 1
    assert portal.seen[0].parts[0][3] == b"%PDF-1.4 streamed once"
    assert sleep.delays == []


async def test_a_one_shot_upload_cut_after_it_started_is_ambiguous(
    serve: Callable[..., Awaitable[Portal]], make_core: Callable[..., HTTPCore]
) -> None:
    portal = await serve(drop_connection)
    core = make_core(portal.base_url)
    upload = Upload(_one_shot(), filename="stream.pdf")
    with pytest.raises(AmbiguousWriteError):
        await core.request(post(body=FormBody({"pdf": upload})))
    assert len(portal.seen) == 1
    assert upload.started


async def test_a_one_shot_upload_that_never_started_may_be_retried_on_connection_refused(
    make_core: Callable[..., HTTPCore], sleep: FakeSleep
) -> None:
    sock, port = unused_port()
    with sock:
        core = make_core(f"http://127.0.0.1:{port}/v1", retry=RetryPolicy(max_retries=1))
        upload = Upload(_one_shot(), filename="stream.pdf")
        with pytest.raises(APIConnectionError) as info:
            await core.request(post(body=FormBody({"pdf": upload})))
    assert info.value.sent is False
    assert not upload.started  # no byte was read from the source, so the retry was safe
    assert len(sleep.delays) == 1
