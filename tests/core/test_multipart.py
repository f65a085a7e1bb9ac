"""multipart/form-data on the wire: bracket names, 1/0 booleans, file parts, Content-Length vs
chunked, non-ASCII filenames, checked by aiohttp's own multipart reader on a loopback server;
plus the pure flatten_form rules and MultipartBody's write contract."""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
from collections.abc import AsyncIterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from mijnklantportaal_async._core.multipart import MultipartBody, encode_multipart, flatten_form
from mijnklantportaal_async.errors import RequestValidationError
from mijnklantportaal_async.uploads import Upload, UploadConsumedError

PDF = b"%PDF-1.4\n" + bytes(range(256)) * 2000 + b"\n%%EOF\n"
Part = tuple[str | None, str | None, str | None, bytes]


class Received:
    """What the loopback server saw of the last request."""

    parts: list[Part]
    content_length: int | None
    transfer_encoding: str | None
    body_bytes: int


@pytest.fixture
async def server() -> AsyncIterator[tuple[str, Received]]:
    seen = Received()

    async def receive(request: web.Request) -> web.Response:
        seen.content_length = request.content_length
        seen.transfer_encoding = request.headers.get("Transfer-Encoding")
        seen.parts = []
        reader = await request.multipart()
        async for part in reader:
            assert isinstance(part, aiohttp.BodyPartReader)
            content = bytes(await part.read())
            seen.parts.append((part.name, part.filename, part.headers.get("Content-Type"), content))
        assert await request.content.read() == b""
        seen.body_bytes = request.content.total_bytes
        return web.Response(status=201)

    app = web.Application()
    app.router.add_post("/upload", receive)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    yield f"http://127.0.0.1:{runner.addresses[0][1]}/upload", seen
    await runner.cleanup()


async def post(url: str, body: MultipartBody) -> None:
    async with aiohttp.ClientSession() as session, session.post(url, data=body) as response:
        assert response.status == 201


async def agen(*parts: bytes) -> AsyncIterator[bytes]:
    for part in parts:
        yield part


async def test_agreement_form_arrives_with_bracket_names_and_exact_files(
    server: tuple[str, Received], tmp_path: Path
) -> None:
    url, seen = server
    doc = tmp_path / "contract.pdf"
    doc.write_bytes(PDF)
    body = encode_multipart(
        {
            "name": "Service contract",
            "signerSignatureData": "data:image/png;base64,iVBORw0KGgo=",
            "signers": [
                {"firstName": "Dirk Jan", "lastName": "Bakker", "shouldIdentify": True},
                {"firstName": "Ann", "lastName": "de Vries", "shouldIdentify": False},
            ],
            "documents": [Upload(doc), Upload(b"%PDF-annex", filename="annex.pdf")],
        }
    )
    await post(url, body)
    assert seen.parts == [
        ("name", None, None, b"Service contract"),
        ("signerSignatureData", None, None, b"data:image/png;base64,iVBORw0KGgo="),
        ("signers[0][firstName]", None, None, b"Dirk Jan"),
        ("signers[0][lastName]", None, None, b"Bakker"),
        ("signers[0][shouldIdentify]", None, None, b"1"),
        ("signers[1][firstName]", None, None, b"Ann"),
        ("signers[1][lastName]", None, None, b"de Vries"),
        ("signers[1][shouldIdentify]", None, None, b"0"),
        ("documents[0]", "contract.pdf", "application/pdf", PDF),
        ("documents[1]", "annex.pdf", "application/pdf", b"%PDF-annex"),
    ]


async def test_known_sizes_send_content_length_equal_to_the_bytes_received(
    server: tuple[str, Received], tmp_path: Path
) -> None:
    url, seen = server
    path = tmp_path / "2024-001.pdf"
    path.write_bytes(PDF)
    fh = io.BytesIO(PDF)
    body = encode_multipart({"invoiceNumber": "2024-001", "pdf": Upload(path), "copy": Upload(fh)})
    await post(url, body)
    assert seen.transfer_encoding is None
    assert seen.content_length == body.size == seen.body_bytes
    assert [p[3] for p in seen.parts] == [b"2024-001", PDF, PDF]


async def test_an_async_source_makes_the_body_chunked(server: tuple[str, Received]) -> None:
    url, seen = server
    body = encode_multipart(
        {"invoiceNumber": "2024-002", "pdf": Upload(agen(b"%PDF-", b"1.4"), filename="s.pdf")}
    )
    assert body.size is None
    await post(url, body)
    assert seen.transfer_encoding == "chunked"
    assert seen.content_length is None
    assert seen.parts[-1] == ("pdf", "s.pdf", "application/pdf", b"%PDF-1.4")
    assert body.consumed


@pytest.mark.parametrize(
    ("filename", "parsed"),
    [
        ("factuur-é.pdf", "factuur-é.pdf"),
        ("offerte «2024» ü.pdf", "offerte «2024» ü.pdf"),
        ('a"quoted"\\name.pdf', 'a"quoted"\\name.pdf'),
        ("line\r\nX-Injected: 1.pdf", "line%0D%0AX-Injected: 1.pdf"),
    ],
)
async def test_filenames_round_trip_through_aiohttp_reader(
    server: tuple[str, Received], filename: str, parsed: str
) -> None:
    url, seen = server
    await post(url, encode_multipart({"pdf": Upload(b"%PDF-", filename=filename), "after": "x"}))
    assert seen.parts == [
        ("pdf", parsed, "application/pdf", b"%PDF-"),
        ("after", None, None, b"x"),
    ]


async def test_the_same_upload_can_be_sent_again_in_a_fresh_body(
    server: tuple[str, Received], tmp_path: Path
) -> None:
    url, seen = server
    path = tmp_path / "a.pdf"
    path.write_bytes(PDF)
    uploads = {"path": Upload(path), "file": Upload(io.BytesIO(PDF)), "bytes": Upload(PDF)}
    for _attempt in range(2):
        await post(url, encode_multipart(uploads))
        assert [p[3] for p in seen.parts] == [PDF, PDF, PDF]


async def test_a_started_async_source_is_not_sent_again() -> None:
    upload = Upload(agen(b"%PDF-"))
    first = encode_multipart({"pdf": upload})
    assert b"%PDF-" in await first.as_bytes()
    with pytest.raises(UploadConsumedError) as info:
        encode_multipart({"pdf": upload})  # refused when the body is built, before any I/O
    assert info.value.field == "pdf"


def test_flatten_form_owns_brackets_booleans_and_omissions() -> None:
    pdf = Upload(b"%PDF-")
    assert flatten_form(
        {
            "a": "x",
            "n": 3,
            "amount": Decimal("12.95"),
            "big": Decimal("1E+3"),
            "yes": True,
            "no": False,
            "gone": None,
            "empty": [],
            "rows": [{"k": "v", "skip": None, "deep": {"x": [1, 2]}}],
            "files": [pdf],
            "pdf": pdf,
        }
    ) == [
        ("a", "x"),
        ("n", "3"),
        ("amount", "12.95"),
        ("big", "1000"),
        ("yes", "1"),
        ("no", "0"),
        ("rows[0][k]", "v"),
        ("rows[0][deep][x][0]", "1"),
        ("rows[0][deep][x][1]", "2"),
        ("files[0]", pdf),
        ("pdf", pdf),
    ]


@pytest.mark.parametrize(("value", "hint"), [(date(2024, 4, 30), "date"), (b"%PDF-", "Upload")])
def test_flatten_form_refuses_values_it_cannot_encode(value: Any, hint: str) -> None:
    with pytest.raises(TypeError, match=rf"rows\[0\]\[x\].*{hint}"):
        flatten_form({"rows": [{"x": value}]})


class Collect:
    """A stand-in for aiohttp's StreamWriter: keeps what is written; can stall on a call."""

    def __init__(self, stall_on: int | None = None) -> None:
        self.data = bytearray()
        self.calls = 0
        self.stall_on = stall_on
        self.stalled = asyncio.Event()

    async def write(self, chunk: bytes) -> None:
        self.calls += 1
        if self.calls == self.stall_on:
            self.stalled.set()
            await asyncio.Event().wait()
        self.data += chunk


async def test_size_matches_the_bytes_written_and_content_length_caps_them() -> None:
    body = encode_multipart({"a": "x", "pdf": Upload(PDF, filename="a.pdf")}, boundary="b0und")
    whole = Collect()
    await body.write(whole)  # type: ignore[arg-type]
    assert body.size == len(whole.data)
    assert whole.data.endswith(b"\r\n--b0und--\r\n")
    assert body.decode("latin-1").encode("latin-1") == whole.data
    capped = Collect()
    await body.write_with_length(capped, 100)  # type: ignore[arg-type]
    assert capped.data == whole.data[:100]
    assert not body.consumed  # replayable parts only: aiohttp may resend it


def test_content_type_carries_the_boundary_and_bad_boundaries_are_refused() -> None:
    assert encode_multipart({}, boundary="abc").content_type == "multipart/form-data; boundary=abc"
    quoted = encode_multipart({}, boundary="a b:c").content_type
    assert quoted == 'multipart/form-data; boundary="a b:c"'
    for bad in ["", "x" * 71, "ends with space ", "crlf\r\n"]:
        with pytest.raises(ValueError, match="boundary"):
            encode_multipart({}, boundary=bad)


def test_decode_refuses_to_read_a_file_on_the_event_loop(tmp_path: Path) -> None:
    path = tmp_path / "a.pdf"
    path.write_bytes(PDF)
    with pytest.raises(TypeError, match="as_bytes"):
        encode_multipart({"pdf": Upload(path)}).decode()


@pytest.mark.parametrize("change", [b"grown", None])
async def test_a_file_that_changes_size_after_encoding_fails_the_write(
    tmp_path: Path, change: bytes | None
) -> None:
    path = tmp_path / "a.pdf"
    path.write_bytes(PDF)
    body = encode_multipart({"pdf": Upload(path)})
    if change is None:
        path.write_bytes(PDF[:-10])
    else:
        with path.open("ab") as fh:
            fh.write(change)
    with pytest.raises(OSError, match="changed size"):
        await body.write(Collect())  # type: ignore[arg-type]


def test_a_missing_file_fails_when_encoding_naming_its_form_field(tmp_path: Path) -> None:
    present = tmp_path / "a.pdf"
    present.write_bytes(PDF)
    with pytest.raises(RequestValidationError) as info:
        encode_multipart({"documents": [Upload(present), Upload(tmp_path / "missing.pdf")]})
    assert info.value.field == "documents[1]"
    assert isinstance(info.value.__cause__, FileNotFoundError)
    with pytest.raises(RequestValidationError, match=r"^pdf: cannot read .* is a directory"):
        encode_multipart({"pdf": Upload(tmp_path)})  # a directory


async def test_a_source_that_fails_while_writing_is_recorded_as_a_validation_error(
    tmp_path: Path,
) -> None:
    path = tmp_path / "a.pdf"
    path.write_bytes(PDF)
    body = encode_multipart({"pdf": Upload(path)})
    assert body.source_error is None
    path.unlink()
    with pytest.raises(FileNotFoundError):
        await body.write(Collect())  # type: ignore[arg-type]
    assert body.source_error is not None
    assert body.source_error.field == "pdf"
    assert isinstance(body.source_error.__cause__, FileNotFoundError)


def open_fds(path: Path) -> int:
    """How many of this process's file descriptors point at ``path``."""
    targets = []
    for fd in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):
            targets.append(os.readlink(f"/proc/self/fd/{fd}"))
    return targets.count(str(path))


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc/self/fd")
async def test_cancelling_an_upload_mid_file_closes_the_file(tmp_path: Path) -> None:
    path = tmp_path / "a.pdf"
    path.write_bytes(PDF * 4)
    body = encode_multipart({"pdf": Upload(path)})
    writer = Collect(stall_on=3)  # part head, first chunk, then a stalled socket
    task = asyncio.create_task(body.write(writer))  # type: ignore[arg-type]
    await writer.stalled.wait()
    assert open_fds(path) == 1
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert open_fds(path) == 0


def test_a_file_closed_after_the_model_was_built_fails_before_sending(tmp_path: Path) -> None:
    path = tmp_path / "a.pdf"
    path.write_bytes(PDF)
    with path.open("rb") as fh:
        upload = Upload(fh)
    with pytest.raises(
        RequestValidationError, match=r"^documents\[0\]: the file object is closed$"
    ):
        encode_multipart({"documents": [upload]})
