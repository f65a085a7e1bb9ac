"""Upload: each source kind's bytes, filename, content type and size; replay rules; peek;
closing files; signature_data_uri."""

from __future__ import annotations

import array
import asyncio
import base64
import copy
import io
import os
from collections.abc import AsyncIterator
from contextlib import aclosing
from pathlib import Path

import pytest
from model_examples import agreement

from mijnklantportaal_async.errors import MijnKlantportaalError, RequestValidationError
from mijnklantportaal_async.models import AgreementCreate
from mijnklantportaal_async.uploads import Upload, UploadConsumedError, signature_data_uri

PDF = b"%PDF-1.4\n" + bytes(range(256)) * 1000 + b"\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17
needs_proc = pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc/self/fd")


def open_fds(path: Path) -> int:
    """How many of this process's file descriptors point at ``path`` (even once deleted)."""
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target == str(path) or target == f"{path} (deleted)":
            count += 1
    return count


def replace_file(path: Path, data: bytes) -> None:
    path.unlink()
    path.write_bytes(data)


async def collect(upload: Upload, chunk_size: int = 64 * 1024) -> bytes:
    return b"".join([chunk async for chunk in upload.chunks(chunk_size)])


async def agen(*parts: bytes) -> AsyncIterator[bytes]:
    for part in parts:
        yield part


@pytest.fixture
def pdf_path(tmp_path: Path) -> Path:
    path = tmp_path / "2024-001.pdf"
    path.write_bytes(PDF)
    return path


@pytest.mark.parametrize("as_str", [True, False])
async def test_path_gives_file_bytes_basename_pdf_type_and_stat_size(
    pdf_path: Path, as_str: bool
) -> None:
    upload = Upload(str(pdf_path) if as_str else pdf_path)
    assert await collect(upload) == PDF
    assert (upload.filename, upload.content_type, upload.size) == (
        "2024-001.pdf",
        "application/pdf",
        len(PDF),
    )
    assert upload.replayable
    assert not upload.started


@pytest.mark.parametrize("source", [PDF, bytearray(PDF), memoryview(PDF)])
async def test_in_memory_bytes_give_same_bytes_in_bounded_chunks(source: bytes) -> None:
    upload = Upload(source, filename="a.pdf")
    chunks = [chunk async for chunk in upload.chunks(1000)]
    assert b"".join(chunks) == PDF
    assert max(len(c) for c in chunks) == 1000
    assert (upload.size, upload.content_type, upload.replayable) == (
        len(PDF),
        "application/pdf",
        True,
    )


async def test_memoryview_of_wider_items_counts_bytes_not_items() -> None:
    ints = array.array("i", [1, 2, 3])
    upload = Upload(memoryview(ints))
    assert upload.size == 3 * ints.itemsize
    assert await collect(upload) == ints.tobytes()


def test_bytes_without_filename_fall_back_to_upload_bin_octet_stream() -> None:
    upload = Upload(b"data")
    assert (upload.filename, upload.content_type) == ("upload.bin", "application/octet-stream")


def test_content_type_is_guessed_case_insensitively_and_explicit_wins() -> None:
    assert Upload(b"", filename="FACTUUR.PDF").content_type == "application/pdf"
    assert Upload(b"", filename="x.pdf", content_type="application/x-pdf").content_type == (
        "application/x-pdf"
    )


async def test_file_object_sends_from_its_position_and_is_named_after_its_file(
    pdf_path: Path,
) -> None:
    with pdf_path.open("rb") as fh:
        fh.seek(9)
        upload = Upload(fh)
        assert (upload.filename, upload.size) == ("2024-001.pdf", len(PDF) - 9)
        assert await collect(upload) == PDF[9:]


async def test_file_object_is_rewound_for_each_attempt_and_never_closed() -> None:
    fh = io.BytesIO(b"junk" + PDF)
    fh.seek(4)
    upload = Upload(fh, filename="a.pdf")
    assert await collect(upload) == PDF
    assert await collect(upload) == PDF
    assert not fh.closed
    assert upload.replayable
    assert not upload.started


async def test_async_source_is_sent_once_then_refused() -> None:
    upload = Upload(agen(b"%PDF-", b"1.4", b""), filename="s.pdf")
    assert (upload.size, upload.replayable, upload.started) == (None, False, False)
    assert await collect(upload) == b"%PDF-1.4"
    assert upload.started
    with pytest.raises(UploadConsumedError, match=r"s\.pdf") as caught:
        upload.chunks()
    assert isinstance(caught.value, MijnKlantportaalError)


async def test_async_source_not_yet_iterated_can_still_be_sent() -> None:
    upload = Upload(agen(b"abc"))
    unused = upload.chunks()  # e.g. a body built for an attempt that never connected
    await unused.aclose()
    assert not upload.started
    assert await collect(upload) == b"abc"


async def test_two_iterations_of_one_async_source_cannot_both_run() -> None:
    upload = Upload(agen(b"abc"))
    first, second = upload.chunks(), upload.chunks()
    assert [c async for c in first] == [b"abc"]
    with pytest.raises(UploadConsumedError):
        await anext(second)


async def test_unseekable_file_object_is_one_shot() -> None:
    read_fd, write_fd = os.pipe()
    os.write(write_fd, b"%PDF-pipe")
    os.close(write_fd)
    with os.fdopen(read_fd, "rb") as fh:
        upload = Upload(fh, filename="p.pdf")
        assert (upload.size, upload.replayable, upload.peek(5)) == (None, False, None)
        assert await collect(upload) == b"%PDF-pipe"
        with pytest.raises(UploadConsumedError):
            upload.chunks()


@needs_proc
async def test_path_is_reopened_for_each_attempt_and_closed_after(pdf_path: Path) -> None:
    upload = Upload(pdf_path)
    chunks = upload.chunks(1024)
    assert (await anext(chunks))[:5] == b"%PDF-"
    assert open_fds(pdf_path) == 1
    rest = b"".join([c async for c in chunks])
    assert len(rest) == len(PDF) - 1024
    assert open_fds(pdf_path) == 0
    replace_file(pdf_path, b"%PDF-new")  # a new file at the same path: only a reopen sees it
    assert await collect(upload) == b"%PDF-new"
    assert open_fds(pdf_path) == 0


@needs_proc
async def test_cancelling_a_consumer_mid_file_closes_the_file(pdf_path: Path) -> None:
    got_one = asyncio.Event()

    async def consume() -> None:
        async with aclosing(Upload(pdf_path).chunks(1024)) as chunks:
            async for _ in chunks:
                got_one.set()
                await asyncio.Event().wait()  # a stalled network write

    task = asyncio.create_task(consume())
    await got_one.wait()
    assert open_fds(pdf_path) == 1
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert open_fds(pdf_path) == 0


def test_peek_does_not_consume_anything(pdf_path: Path) -> None:
    assert Upload(pdf_path).peek(5) == b"%PDF-"
    assert Upload(PDF).peek(5) == b"%PDF-"
    fh = io.BytesIO(b"xx" + PDF)
    fh.seek(2)
    upload = Upload(fh)
    fh.seek(20)
    assert upload.peek(5) == b"%PDF-"  # read from where the upload starts ...
    assert fh.tell() == 20  # ... and the user's position is put back
    assert Upload(agen(b"%PDF-")).peek(5) is None


def test_peek_of_missing_path_raises_oserror(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        Upload(tmp_path / "missing.pdf").peek(5)


def test_coerce_keeps_an_upload_and_fills_only_what_it_lacks() -> None:
    explicit = Upload(b"x", filename="a.txt", content_type="text/plain")
    assert Upload.coerce(explicit, content_type="application/pdf") is explicit
    guessed = Upload(b"%PDF-")
    coerced = Upload.coerce(guessed, default_filename="pdf.pdf", content_type="application/pdf")
    assert (coerced.filename, coerced.content_type) == ("pdf.pdf", "application/pdf")
    assert (guessed.filename, guessed.content_type) == ("upload.bin", "application/octet-stream")
    assert Upload.coerce(b"%PDF-", default_filename="pdf.pdf").filename == "pdf.pdf"
    assert Upload.coerce(Path("/tmp/x.pdf"), default_filename="pdf.pdf").filename == "x.pdf"


async def test_coerced_copy_shares_the_one_shot_state() -> None:
    original = Upload(agen(b"abc"))
    copy = Upload.coerce(original, default_filename="a.pdf")
    assert copy is not original
    assert await collect(copy) == b"abc"
    with pytest.raises(UploadConsumedError):
        original.chunks()


def test_repr_shows_kind_filename_size_and_never_the_bytes() -> None:
    text = repr(Upload(b"TOP-SECRET-CONTENT", filename="a.pdf"))
    assert "TOP-SECRET" not in text
    assert text == (
        "Upload(kind='bytes', filename='a.pdf', content_type='application/pdf', size=18)"
    )


def test_upload_is_immutable_and_rejects_bad_sources() -> None:
    upload = Upload(b"x")
    with pytest.raises(AttributeError):
        upload._source = b"y"
    with pytest.raises(TypeError, match="text mode"):
        Upload(io.StringIO("x"))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="int"):
        Upload(42)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="content_type"):
        Upload(b"x", content_type="pdf\r\nX-Injected: 1")


def test_signature_data_uri_from_bytes_and_path(tmp_path: Path) -> None:
    uri = signature_data_uri(PNG)
    assert uri.startswith("data:image/png;base64,")
    assert base64.b64decode(uri.split(",", 1)[1]) == PNG
    path = tmp_path / "sig.png"
    path.write_bytes(PNG)
    assert signature_data_uri(path) == uri
    assert signature_data_uri(str(path)) == uri
    assert signature_data_uri(uri) == uri


@pytest.mark.parametrize(
    "bad", [b"GIF89a....", b"", "/nonexistent/missing.png", "data:image/png;base64,!!"]
)
def test_signature_data_uri_rejects_what_is_not_a_png(bad: bytes | str) -> None:
    with pytest.raises(RequestValidationError) as caught:
        signature_data_uri(bad)
    assert caught.value.field == "signer_signature_data"


@pytest.mark.parametrize(
    ("uri", "reason"),
    [
        ("data:image/png;base64,!!", "has a payload that is not valid base64"),
        (
            "data:image/png;base64," + base64.b64encode(b"GIF89a....").decode(),
            "does not hold a PNG image (its first 8 bytes are not the PNG signature)",
        ),
    ],
)
def test_a_bad_signature_is_refused_alike_by_the_builder_and_the_model(
    uri: str, reason: str
) -> None:
    with pytest.raises(RequestValidationError) as built:
        signature_data_uri(uri)
    with pytest.raises(RequestValidationError) as modelled:
        AgreementCreate(**agreement(signer_signature_data=uri))
    for caught in (built, modelled):
        assert (caught.value.field, caught.value.reason) == ("signer_signature_data", reason)


def test_a_copy_of_an_upload_is_the_upload_itself() -> None:
    upload = Upload(agen(b"once"), filename="s.pdf")
    assert copy.copy(upload) is upload
    assert copy.deepcopy({"pdf": [upload]})["pdf"][0] is upload  # one-shot state stays shared
