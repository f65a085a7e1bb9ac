"""multipart/form-data encoding: PHP bracket names, ``1``/``0`` booleans, streamed file parts.

The portal is PHP/Laravel, so a wire dict such as ``{"signers": [{"firstName": "Dirk Jan",
"shouldIdentify": True}], "documents": [upload]}`` travels as the form fields
``signers[0][firstName]=Dirk Jan``, ``signers[0][shouldIdentify]=1`` and a file part
``documents[0]``. :func:`flatten_form` is the ONE place that knows this encoding.

:class:`MultipartBody` is an :class:`aiohttp.payload.Payload` that writes the parts as the
request is sent, reading file parts through :meth:`Upload.chunks` (never whole). Its ``size``
is exact when every file's size is known, so aiohttp sends ``Content-Length``; otherwise it is
None and aiohttp sends the body chunked. :func:`encode_multipart` builds one for ONE attempt.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncGenerator, Iterable, Mapping
from contextlib import aclosing
from decimal import Decimal
from typing import Any

from aiohttp.abc import AbstractStreamWriter
from aiohttp.payload import Payload

from mijnklantportaal_async.errors import RequestValidationError
from mijnklantportaal_async.uploads import Upload, UploadConsumedError

__all__ = ["FILE_CHUNK_SIZE", "MultipartBody", "encode_multipart", "flatten_form"]

FILE_CHUNK_SIZE = 256 * 1024
"""Bytes read from a file per step (one worker-thread hop per chunk; see uploads.py)."""

FormField = tuple[str, "str | Upload"]

# RFC 2046 section 5.1.1: 1 to 70 bchars, not ending in a space.
_BOUNDARY = re.compile(r"[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]")
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")


def flatten_form(data: Mapping[str, Any]) -> list[FormField]:
    """Turn a wire dict into ordered form fields with PHP bracket names.

    ``data`` has wire (camelCase) keys, already unstructured by ``wire.py``. Nested mappings and
    lists/tuples become ``key[sub]`` / ``key[0]`` names (``signers[0][firstName]``,
    ``documents[0]``); ``True``/``False`` become ``"1"``/``"0"``; ``str``, ``int``, ``float``
    and ``Decimal`` (fixed-point, never exponent notation) become text; ``None`` and empty
    lists/mappings are omitted (a form cannot say "null"); an :class:`Upload` stays a file
    part. Raises ``TypeError`` naming the field for any other value (dates must have been
    formatted by ``wire.py``; raw bytes must be wrapped in an Upload).
    """
    out: list[FormField] = []
    for key, value in data.items():
        _flatten(str(key), value, out)
    return out


def _flatten(name: str, value: Any, out: list[FormField]) -> None:
    if value is None:
        return
    if isinstance(value, Upload):
        out.append((name, value))
    elif isinstance(value, bool):
        out.append((name, "1" if value else "0"))
    elif isinstance(value, str):
        out.append((name, value))
    elif isinstance(value, Decimal):
        out.append((name, format(value, "f")))
    elif isinstance(value, int | float):
        out.append((name, str(value)))
    elif isinstance(value, Mapping):
        for key, item in value.items():
            _flatten(f"{name}[{key}]", item, out)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _flatten(f"{name}[{index}]", item, out)
    else:
        hint = " (wrap file bytes in Upload)" if isinstance(value, bytes | bytearray) else ""
        raise TypeError(f"form field {name!r}: cannot encode {type(value).__name__}{hint}")


def _quote(value: str) -> str:
    """A quoted-string parameter value: raw UTF-8 (what browsers send and PHP reads), with
    ``\\`` and ``"`` backslash-escaped and control characters percent-encoded so they can
    never end the header line."""
    out: list[str] = []
    for ch in value:
        if ch in '\\"':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"%{ord(ch):02X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _part_head(boundary: bytes, name: str, upload: Upload | None) -> bytes:
    disposition = f"form-data; name={_quote(name)}"
    if upload is None:
        return b"--" + boundary + b"\r\nContent-Disposition: " + disposition.encode() + b"\r\n\r\n"
    disposition += f"; filename={_quote(upload.filename)}"
    return (
        b"--"
        + boundary
        + b"\r\nContent-Disposition: "
        + disposition.encode()
        + b"\r\nContent-Type: "
        + upload.content_type.encode()
        + b"\r\n\r\n"
    )


class _FilePart:
    """A file part's bytes in the body: its field name, the Upload and the size it was
    counted with. Built before anything is sent, so a file that is missing now, or a one-shot
    source already used, is a :class:`RequestValidationError` naming the field."""

    __slots__ = ("name", "size", "upload")

    def __init__(self, name: str, upload: Upload) -> None:
        if not upload.replayable and upload.started:
            raise UploadConsumedError(name, upload._consumed_reason())
        if upload.closed:  # closed after the request model was built
            raise RequestValidationError(name, "the file object is closed")
        self.name = name
        self.upload = upload
        try:
            self.size = upload.size
        except OSError as exc:
            raise _unreadable(name, upload, exc) from exc


def _unreadable(name: str, upload: Upload, exc: BaseException) -> RequestValidationError:
    """The error for a file part whose bytes could not be read (named by its form field)."""
    if isinstance(exc, UploadConsumedError):
        return UploadConsumedError(name, exc.reason)
    if isinstance(exc, OSError):
        detail = exc.strerror or str(exc)
        return RequestValidationError(name, f"cannot read the file {upload.filename!r}: {detail}")
    return RequestValidationError(
        name, f"reading the upload {upload.filename!r} failed: {type(exc).__name__}: {exc}"
    )


class MultipartBody(Payload):
    """A ``multipart/form-data`` request body for ONE attempt, streamed as aiohttp sends it.

    ``fields`` are ``(name, text | Upload)`` pairs (see :func:`flatten_form`). Text parts
    carry only ``Content-Disposition: form-data; name="..."``; file parts add
    ``filename="..."`` and ``Content-Type``. Names and filenames are sent as UTF-8 quoted
    strings (RFC 7578 section 4.2, as browsers do; ``filename*=`` is not used: RFC 7578 forbids
    it and PHP ignores it). ``size`` (bytes) is exact when every Upload's size is known, else
    None. File sizes are taken once, here: a file whose size changes before it is sent makes
    the write fail with ``OSError`` (and sets :attr:`source_error`) rather than send a body
    that disagrees with its Content-Length. ``consumed`` becomes True when writing starts if a
    part is one-shot.

    Raises:
        RequestValidationError: a file that is missing or not a regular file now (``field``
            is the form name: ``pdf``, ``documents[1]``); :class:`UploadConsumedError` for a
            one-shot source that already started sending.
        ValueError: a malformed ``boundary``.
    """

    _autoclose = True  # files are opened only while write() runs, and closed by it

    def __init__(self, fields: Iterable[FormField], *, boundary: str | None = None) -> None:
        boundary = uuid.uuid4().hex if boundary is None else boundary
        if not _BOUNDARY.fullmatch(boundary):
            raise ValueError("boundary must be 1-70 RFC 2046 characters, not ending in a space")
        shown = boundary if _TOKEN.fullmatch(boundary) else f'"{boundary}"'
        super().__init__(None, content_type=f"multipart/form-data; boundary={shown}")
        self._consumed = False  # aiohttp < 3.12 has no Payload.consumed: kept here for all
        self._boundary = boundary
        raw = boundary.encode("ascii")
        segments: list[bytes | _FilePart] = []
        pending = bytearray()
        count = 0
        for name, value in fields:
            count += 1
            if isinstance(value, Upload):
                pending += _part_head(raw, name, value)
                segments += [bytes(pending), _FilePart(name, value)]
                pending = bytearray(b"\r\n")
            else:
                pending += _part_head(raw, name, None) + value.encode("utf-8") + b"\r\n"
        pending += b"--" + raw + b"--\r\n"
        segments.append(bytes(pending))
        self._segments = segments
        self._count = count
        self._source_error: RequestValidationError | None = None
        self._one_shot = any(isinstance(s, _FilePart) and not s.upload.replayable for s in segments)
        total = 0
        for seg in segments:
            size = len(seg) if isinstance(seg, bytes) else seg.size
            if size is None:
                self._size = None
                break
            total += size
        else:
            self._size = total

    @property
    def boundary(self) -> str:
        """The boundary string (without the leading ``--``)."""
        return self._boundary

    @property
    def consumed(self) -> bool:
        """True once writing began with a one-shot part: this body cannot be sent again."""
        return self._consumed

    @property
    def payload(self) -> Payload:
        """Itself: aiohttp sends it as it is (``request.AttemptBody``)."""
        return self

    @property
    def one_shot_started(self) -> bool:
        """True once a one-shot file part (an async iterable, an unseekable file) began to be
        read: from then on this request must not be sent again."""
        return any(
            isinstance(seg, _FilePart) and not seg.upload.replayable and seg.upload.started
            for seg in self._segments
        )

    @property
    def source_error(self) -> RequestValidationError | None:
        """Why writing stopped when a file part's source failed (a file deleted or unreadable,
        one that changed size, a one-shot source already used, an async source that raised):
        a :class:`RequestValidationError` naming the field, its ``__cause__`` the original
        error. The body was then cut before it was complete, so no server can have processed
        the request. None while no source has failed."""
        return self._source_error

    async def _pieces(self) -> AsyncGenerator[bytes, None]:
        """The body's bytes in order; file parts read chunk by chunk and size-checked."""
        for seg in self._segments:
            if isinstance(seg, bytes):
                yield seg
                continue
            sent = 0
            try:
                async with aclosing(seg.upload.chunks(FILE_CHUNK_SIZE)) as chunks:
                    async for chunk in chunks:
                        sent += len(chunk)
                        if seg.size is not None and sent > seg.size:
                            raise _changed(seg, sent)
                        yield chunk
                if seg.size is not None and sent != seg.size:
                    raise _changed(seg, sent)
            except Exception as exc:
                error = _unreadable(seg.name, seg.upload, exc)
                error.__cause__ = exc
                self._source_error = error
                raise

    async def write(self, writer: AbstractStreamWriter) -> None:
        """Write the whole body (aiohttp's pre-3.12 entry point)."""
        await self.write_with_length(writer, None)

    async def write_with_length(
        self, writer: AbstractStreamWriter, content_length: int | None
    ) -> None:
        """Write the body, at most ``content_length`` bytes of it when that is given.

        aiohttp (3.12+) calls this with the request's Content-Length, which is our ``size``
        unless the caller set the header. Files are opened only for the duration of this call
        and closed when it ends, fails or is cancelled.
        """
        if self._one_shot:
            self._consumed = True
        remaining = content_length
        async with aclosing(self._pieces()) as pieces:
            async for piece in pieces:
                if remaining is not None:
                    if remaining <= 0:
                        break
                    if len(piece) > remaining:
                        piece = piece[:remaining]
                    remaining -= len(piece)
                await writer.write(piece)

    async def as_bytes(self, encoding: str = "utf-8", errors: str = "strict") -> bytes:
        """The whole body as bytes. Reads every file whole: for small bodies and tests only;
        it consumes a one-shot source."""
        if self._one_shot:
            self._consumed = True
        parts: list[bytes] = []
        async with aclosing(self._pieces()) as pieces:
            async for piece in pieces:
                parts.append(piece)
        return b"".join(parts)

    def decode(self, encoding: str = "utf-8", errors: str = "strict") -> str:
        """The body as text when every file part is in memory; otherwise ``TypeError``
        (reading files here would block the event loop: use ``await as_bytes()``)."""
        parts: list[bytes] = []
        for seg in self._segments:
            if isinstance(seg, bytes):
                parts.append(seg)
                continue
            buffer = seg.upload._buffer()
            if buffer is None:
                raise TypeError("this body streams a file; use `await body.as_bytes()`")
            parts.append(bytes(buffer))
        return b"".join(parts).decode(encoding, errors)

    def __repr__(self) -> str:
        return (
            f"<MultipartBody boundary={self._boundary!r} parts={self._count} size={self._size!r}>"
        )


def _changed(seg: _FilePart, sent: int) -> OSError:
    read = f"at least {sent}" if seg.size is not None and sent > seg.size else str(sent)
    return OSError(
        f"{seg.upload.filename!r} changed size during the upload: {seg.size} bytes when the "
        f"body was built (counted in its Content-Length), {read} bytes read"
    )


def encode_multipart(data: Mapping[str, Any], *, boundary: str | None = None) -> MultipartBody:
    """A fresh multipart body for ONE attempt of a create call (a wire dict in, see
    :func:`flatten_form`). Build a new one for each retry: it takes file sizes now and reads
    the files when sent. Raises ``TypeError`` for a value it cannot encode,
    ``RequestValidationError`` naming the field for a missing file or a one-shot source
    already used (:class:`UploadConsumedError`), ``ValueError`` for a malformed ``boundary``."""
    return MultipartBody(flatten_form(data), boundary=boundary)
