"""Uploads whose source cannot give the bytes (a one-shot stream already used, a file deleted
or failing to read) are refused with RequestValidationError naming the field: never an
AmbiguousWriteError, never resent, and nothing sent when it is known before sending."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from loopback import FakeSleep, core_factory, serving
from write_portal import Portal, post, reply

from mijnklantportaal_async import Upload, UploadConsumedError
from mijnklantportaal_async._core.http import FormBody, HTTPCore
from mijnklantportaal_async.errors import RequestValidationError

PDF = b"%PDF-1.4\n" + bytes(range(256)) * 64 + b"\n%%EOF\n"


class CountingLimiter:
    def __init__(self) -> None:
        self.acquired = 0

    async def acquire(self) -> None:
        self.acquired += 1

    def observe(self, status: int, headers: Any) -> None:
        pass

    def settle(self) -> None:
        pass


@pytest.fixture
async def serve() -> AsyncIterator[Callable[..., Awaitable[Portal]]]:
    async with serving(Portal) as start:
        yield start


@pytest.fixture
async def make_core(sleep: FakeSleep) -> AsyncIterator[Callable[..., HTTPCore]]:
    async with core_factory(seed=7, sleep=sleep) as make:
        yield make


async def _stream() -> AsyncIterator[bytes]:
    yield b"%PDF-1.4 streamed "
    yield b"once"


async def test_a_one_shot_upload_used_by_an_earlier_call_is_refused_before_sending(
    serve: Callable[..., Awaitable[Portal]], make_core: Callable[..., HTTPCore]
) -> None:
    portal = await serve(reply(201, {"id": "inv_1"}))
    limiter = CountingLimiter()
    core = make_core(portal.base_url, limiter=limiter)
    upload = Upload(_stream(), filename="stream.pdf")
    await core.request(post(body=FormBody({"pdf": upload})))
    with pytest.raises(UploadConsumedError) as info:
        await core.request(post(body=FormBody({"pdf": upload})))
    assert isinstance(info.value, RequestValidationError)
    assert info.value.field == "pdf"
    assert "stream.pdf" in str(info.value)
    assert len(portal.seen) == 1  # the second call sent nothing ...
    assert limiter.acquired == 1  # ... and took no rate-limit slot


async def test_a_file_deleted_before_the_call_names_its_field_and_sends_nothing(
    tmp_path: Path, serve: Callable[..., Awaitable[Portal]], make_core: Callable[..., HTTPCore]
) -> None:
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    first.write_bytes(PDF)
    portal = await serve(reply(201, {}))
    core = make_core(portal.base_url)
    form = {"name": "Contract", "documents": [Upload(first), Upload(second)]}
    with pytest.raises(RequestValidationError) as info:
        await core.request(post(body=FormBody(form)))
    assert info.value.field == "documents[1]"
    assert "b.pdf" in str(info.value)
    assert isinstance(info.value.__cause__, FileNotFoundError)
    assert portal.seen == []


async def test_a_file_deleted_between_retries_is_not_resent(
    tmp_path: Path, serve: Callable[..., Awaitable[Portal]], make_core: Callable[..., HTTPCore]
) -> None:
    path = tmp_path / "2024-001.pdf"
    path.write_bytes(PDF)

    async def delete_while_waiting(delay: float) -> None:
        path.unlink()

    portal = await serve(reply(429, headers={"Retry-After": "1"}), reply(201, {}))
    core = make_core(portal.base_url, sleep=delete_while_waiting)
    with pytest.raises(RequestValidationError) as info:
        await core.request(post(body=FormBody({"pdf": Upload(path)})))
    assert info.value.field == "pdf"
    assert len(portal.seen) == 1  # the 429'd attempt only


class FailingFile(io.BytesIO):
    """A seekable file whose read fails after the first chunk (a network share that went)."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.reads = 0

    def read(self, size: int | None = -1, /) -> bytes:
        self.reads += 1
        if self.reads > 1:
            raise OSError(5, "Input/output error")
        return super().read(size)


async def test_a_file_that_fails_mid_upload_is_a_validation_error_not_an_ambiguous_write(
    serve: Callable[..., Awaitable[Portal]],
    make_core: Callable[..., HTTPCore],
    sleep: FakeSleep,
) -> None:
    portal = await serve(reply(201, {}))
    core = make_core(portal.base_url)
    source = FailingFile(PDF * 8)  # more than one 256 KiB chunk
    with pytest.raises(RequestValidationError) as info:
        await core.request(post(body=FormBody({"pdf": Upload(source, filename="a.pdf")})))
    assert info.value.field == "pdf"
    assert "Input/output error" in str(info.value)
    assert isinstance(info.value.__cause__, OSError)
    assert portal.seen == []  # the server never got a complete body
    assert sleep.delays == []  # and it was not retried
    assert source.reads == 2
