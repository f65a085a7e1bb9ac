"""How each kind of upload source gives its bytes: size, peek, and the chunk readers.

The plain functions behind :class:`~mijnklantportaal_async.uploads.Upload`, one per kind of
source: a path (reopened for every read, stat'ed for its size), in-memory bytes (sliced), a
binary file object (read from its start position, never closed) and an async iterable (read
once). Disk reads run in a worker thread so the event loop never waits on the disk. Also the
filename and content-type rules every Upload follows.
"""

from __future__ import annotations

import asyncio
import io
import mimetypes
import os
import stat
from collections.abc import AsyncGenerator, AsyncIterable, Callable
from typing import Any, BinaryIO

__all__ = [
    "as_bytes",
    "bytes_chunks",
    "check_content_type",
    "check_name",
    "file_chunks",
    "file_size",
    "guess_content_type",
    "open_rb",
    "path_chunks",
    "path_size",
    "peek_file",
    "stream_chunks",
]

# Fixed answers for what portal users upload most, so they do not depend on the machine's
# mime.types; anything else goes to ``mimetypes``.
_CONTENT_TYPES = {".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg"}


def open_rb(path: str) -> BinaryIO:
    """Open ``path`` for binary reading: one quick syscall; reads, the slow part, are run in
    a worker thread by the callers."""
    return open(path, "rb")


def guess_content_type(filename: str) -> str:
    """``application/pdf`` for ``.pdf`` (and fixed answers for ``.png``/``.jpg``), else what
    ``mimetypes`` says, else ``application/octet-stream``."""
    ext = os.path.splitext(filename)[1].lower()
    known = _CONTENT_TYPES.get(ext)
    if known is not None:
        return known
    return mimetypes.guess_type(filename, strict=True)[0] or "application/octet-stream"


def check_name(what: str, name: object) -> None:
    """Raise ``ValueError`` naming ``what`` unless ``name`` is None or a non-empty str."""
    if name is not None and (not isinstance(name, str) or not name):
        raise ValueError(f"{what} must be a non-empty str")


def check_content_type(content_type: object) -> None:
    """Raise ``ValueError`` unless ``content_type`` is None or looks like ``type/subtype``
    (no control characters, which could end a part header)."""
    if content_type is not None and (
        not isinstance(content_type, str)
        or "/" not in content_type
        or any(ord(c) < 0x20 or ord(c) == 0x7F for c in content_type)
    ):
        raise ValueError(f"content_type must look like 'type/subtype', not {content_type!r}")


def as_bytes(data: Any) -> bytes:
    """What a source's ``read()`` or iteration gave, as bytes. Raises ``OSError`` for None
    (a non-blocking stream with no data yet), ``TypeError`` for anything not bytes-like."""
    if isinstance(data, bytes):
        return data
    if isinstance(data, bytearray | memoryview):
        return bytes(data)
    if data is None:
        raise OSError("the file object returned None: non-blocking streams are not supported")
    raise TypeError(f"expected bytes from the upload source, got {type(data).__name__}")


def path_size(path: str) -> int | None:
    """Bytes in the regular file at ``path`` now; None for a special file (a pipe). Raises
    ``OSError`` when it is missing, ``IsADirectoryError`` for a directory."""
    st = os.stat(path)
    if stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError(f"{path} is a directory")
    return st.st_size if stat.S_ISREG(st.st_mode) else None


def file_size(fh: BinaryIO, start: int) -> int:
    """Bytes from ``start`` to the end of the seekable ``fh``; its position is put back."""
    here = fh.tell()
    try:
        end: int = fh.seek(0, os.SEEK_END)
    finally:
        fh.seek(here)
    return max(0, end - start)


def peek_file(fh: BinaryIO, start: int, n: int) -> bytes:
    """The first ``n`` bytes of the seekable ``fh`` from ``start``; its position is put back."""
    here = fh.tell()
    try:
        fh.seek(start)
        parts: list[bytes] = []
        left = n
        while left > 0:
            data = as_bytes(fh.read(left))
            if not data:
                break
            parts.append(data)
            left -= len(data)
        return b"".join(parts)
    finally:
        fh.seek(here)


async def path_chunks(path: str, chunk_size: int) -> AsyncGenerator[bytes, None]:
    """The file at ``path``, opened at the first step and closed when the iteration ends,
    fails, is closed or is cancelled."""
    fh = open_rb(path)
    try:
        while data := await asyncio.to_thread(fh.read, chunk_size):
            yield data
    finally:
        # Buffered readers are thread-safe: if a cancelled read is still running in its
        # worker thread, close() waits for that one read instead of racing it.
        fh.close()


async def bytes_chunks(
    source: bytes | bytearray | memoryview, chunk_size: int
) -> AsyncGenerator[bytes, None]:
    """In-memory bytes in slices (a small ``bytes`` is yielded as is, without a copy)."""
    if isinstance(source, bytes) and len(source) <= chunk_size:
        if source:
            yield source
        return
    with memoryview(source) as view:
        for offset in range(0, len(view), chunk_size):
            yield bytes(view[offset : offset + chunk_size])


async def file_chunks(
    fh: BinaryIO, start: int | None, chunk_size: int, begin_one_shot: Callable[[], None]
) -> AsyncGenerator[bytes, None]:
    """A file object from ``start`` (rewound there first), or, when it cannot seek
    (``start`` None), from where it is after ``begin_one_shot()`` marked it used. Never
    closed here: it belongs to the caller."""
    if start is None:
        begin_one_shot()
    else:
        fh.seek(start)
    in_memory = isinstance(fh, io.BytesIO)
    while True:
        raw = fh.read(chunk_size) if in_memory else await asyncio.to_thread(fh.read, chunk_size)
        data = as_bytes(raw)
        if not data:
            return
        yield data


async def stream_chunks(
    source: AsyncIterable[Any], begin_one_shot: Callable[[], None]
) -> AsyncGenerator[bytes, None]:
    """An async iterable's non-empty chunks, after ``begin_one_shot()`` marked it used."""
    begin_one_shot()
    async for item in source:
        data = as_bytes(item)
        if data:
            yield data
