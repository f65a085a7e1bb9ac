"""Upload: where the bytes of a file part (an invoice ``pdf``, agreement ``documents``) come from.

An :class:`Upload` wraps a path, in-memory bytes, a binary file object or an async iterable of
bytes, with the part's filename and content type. :meth:`Upload.chunks` gives the bytes of ONE
request attempt, streamed in chunks and never read whole, so a retry resends exactly the same
bytes: a path is reopened for each attempt, a file object is rewound to where it was (and never
closed by the library), and a one-shot source (an async iterable, or a file object that cannot
seek) is never resent once it started (:class:`UploadConsumedError`). How each kind of source
is sized, peeked and read is in the plain functions after the class.

Also :func:`signature_data_uri`, which builds the ``data:image/png;base64,...`` URI that
``signer_signature_data`` (operationId ``create-agreement``, ``POST /agreements``) expects.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import io
import mimetypes
import os
import stat
from collections.abc import AsyncGenerator, AsyncIterable, Callable
from typing import Any, BinaryIO, Literal, NoReturn, TypeAlias, cast

from mijnklantportaal_async.errors import RequestValidationError

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "PDF_SIGNATURE",
    "PNG_DATA_URI_PREFIX",
    "PNG_SIGNATURE",
    "Upload",
    "UploadConsumedError",
    "UploadSource",
    "signature_data_uri",
]

UploadSource: TypeAlias = (
    str | os.PathLike[str] | bytes | bytearray | memoryview | BinaryIO | AsyncIterable[bytes]
)
Kind: TypeAlias = Literal["path", "bytes", "file", "stream"]

DEFAULT_CHUNK_SIZE = 64 * 1024
"""Bytes per chunk that :meth:`Upload.chunks` yields unless told otherwise."""

PDF_SIGNATURE = b"%PDF-"
"""The first bytes of every PDF file (a ``pdf`` field is checked for them)."""
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
"""The first 8 bytes of every PNG image."""
PNG_DATA_URI_PREFIX = "data:image/png;base64,"
"""How a signature image (``signer_signature_data``) starts: a base64 PNG data URI."""


class UploadConsumedError(RequestValidationError):
    """A one-shot upload source already started sending; its bytes cannot be sent again.

    A :class:`~mijnklantportaal_async.errors.RequestValidationError` (so a ``ValueError``):
    the request that would need the bytes is refused before anything is sent. ``field`` names
    the file field (``pdf``, ``documents[1]``) when raised for a request; ``"upload"`` when
    :meth:`Upload.chunks` is called directly. Raised for an async iterable (or a file object
    that cannot seek) whose bytes were already read, by an earlier call or an earlier attempt.
    Wrap the data in bytes, a path or a seekable file to make the request retryable.
    """


class _OneShot:
    """Shared by an Upload and its copies from :meth:`Upload.coerce`: has reading begun?"""

    __slots__ = ("started",)

    def __init__(self) -> None:
        self.started = False


class Upload:
    """The bytes of one file part, with its filename and content type. Immutable.

    ``source`` is a path (``str`` or ``os.PathLike``), ``bytes``/``bytearray``/``memoryview``,
    a binary file object (opened ``"rb"``; never closed by the library) or an async iterable
    of ``bytes`` (sent once, chunked). Raises ``TypeError`` for any other source or a text-mode
    file, ``ValueError`` for a closed file object, an empty ``filename`` or a malformed
    ``content_type``.
    """

    __slots__ = (
        "_default_filename",
        "_explicit_content_type",
        "_explicit_filename",
        "_kind",
        "_one_shot",
        "_source",
        "_start",
    )

    _kind: Kind
    _source: Any
    _start: int | None
    _explicit_filename: str | None
    _explicit_content_type: str | None
    _default_filename: str | None
    _one_shot: _OneShot

    def __init__(
        self,
        source: UploadSource,
        *,
        filename: str | None = None,
        content_type: str | None = None,
    ) -> None:
        start: int | None = None
        kind: Kind
        if isinstance(source, Upload):
            raise TypeError("source is already an Upload; use Upload.coerce() to adjust it")
        if isinstance(source, str | os.PathLike):
            kind, source = "path", os.path.abspath(os.fsdecode(os.fspath(source)))
        elif isinstance(source, bytes | bytearray):
            kind = "bytes"
        elif isinstance(source, memoryview):
            kind = "bytes"
            if not source.c_contiguous:
                raise TypeError("a memoryview source must be C-contiguous")
            source = source.cast("B") if source.format != "B" or source.ndim != 1 else source
        elif isinstance(source, io.TextIOBase):
            raise TypeError("the file object is in text mode; open it with 'rb'")
        elif isinstance(source, AsyncIterable):
            kind = "stream"
        elif callable(getattr(source, "read", None)):
            if getattr(source, "closed", False) is True:
                raise ValueError("the file object is closed")
            kind = "file"
            try:
                if source.seekable():
                    start = source.tell()
            except (AttributeError, OSError, ValueError):
                start = None
        else:
            raise TypeError(
                "an upload source must be a file path, bytes, a binary file object or an async "
                f"iterable of bytes, not {type(source).__name__}"
            )
        _check_name("filename", filename)
        _check_content_type(content_type)
        set_ = object.__setattr__
        set_(self, "_kind", kind)
        set_(self, "_source", source)
        set_(self, "_start", start)
        set_(self, "_explicit_filename", filename)
        set_(self, "_explicit_content_type", content_type)
        set_(self, "_default_filename", None)
        set_(self, "_one_shot", _OneShot())

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError(f"Upload is immutable (cannot set {name!r})")

    def __copy__(self) -> Upload:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Upload:
        # Immutable, and its source (a file, a stream) cannot be duplicated: a copy is the
        # same Upload. Test tools deep-copy request arguments (aioresponses does).
        return self

    @classmethod
    def coerce(
        cls,
        value: Upload | UploadSource,
        *,
        default_filename: str | None = None,
        content_type: str | None = None,
    ) -> Upload:
        """Make ``value`` an Upload (the attrs converter for file fields).

        An Upload is returned unchanged, except that ``content_type`` is applied when it had
        none set explicitly and ``default_filename`` when it had none to use; such a copy
        shares the source (and the one-shot state) with the original. ``default_filename``
        is used only when the source gives no name (bytes, an async iterable, an unnamed
        file object). Raises ``TypeError``/``ValueError`` as the constructor does.
        """
        if not isinstance(value, Upload):
            return cls(value, content_type=content_type)._with(None, default_filename)
        new_type = content_type if value._explicit_content_type is None else None
        new_default = default_filename if value._default_filename is None else None
        return value._with(new_type, new_default)

    def _with(self, content_type: str | None, default_filename: str | None) -> Upload:
        """A copy sharing the source and one-shot state, with these two settings added."""
        if content_type is None and default_filename is None:
            return self
        _check_content_type(content_type)
        _check_name("default_filename", default_filename)
        copy = object.__new__(Upload)
        for slot in Upload.__slots__:
            object.__setattr__(copy, slot, getattr(self, slot))
        if content_type is not None:
            object.__setattr__(copy, "_explicit_content_type", content_type)
        if default_filename is not None:
            object.__setattr__(copy, "_default_filename", default_filename)
        return copy

    @property
    def kind(self) -> Kind:
        """Where the bytes come from: ``"path"``, ``"bytes"``, ``"file"`` or ``"stream"``."""
        return self._kind

    @property
    def filename(self) -> str:
        """Explicit filename, else the path's or the file object's basename, else
        ``default_filename`` (see :meth:`coerce`), else ``"upload.bin"``."""
        if self._explicit_filename is not None:
            return self._explicit_filename
        derived: str | None = None
        if self._kind == "path":
            derived = os.path.basename(self._source)
        elif self._kind == "file":
            name = getattr(self._source, "name", None)
            if isinstance(name, str) and name and not name.startswith("<"):
                derived = os.path.basename(name)
        return derived or self._default_filename or "upload.bin"

    @property
    def content_type(self) -> str:
        """Explicit content type, else guessed from :attr:`filename` (``.pdf`` ->
        ``application/pdf``), else ``application/octet-stream``."""
        if self._explicit_content_type is not None:
            return self._explicit_content_type
        return _guess_content_type(self.filename)

    @property
    def size(self) -> int | None:
        """Size in bytes of one attempt's bytes, or None when it cannot be known.

        Path: ``os.stat`` now (raises ``OSError`` if it is missing or a directory); bytes:
        their length; seekable file object: from its start position to its end; async
        iterable and unseekable file object: None (the body is then sent chunked).
        """
        if self._kind == "path":
            return _path_size(self._source)
        if self._kind == "bytes":
            return len(self._source)
        if self._kind == "file" and self._start is not None:
            return _file_size(self._source, self._start)
        return None

    @property
    def closed(self) -> bool:
        """True when the source is a file object that was closed after this Upload was made
        (its bytes can no longer be read; a request model refuses it)."""
        return self._kind == "file" and getattr(self._source, "closed", False) is True

    @property
    def replayable(self) -> bool:
        """True when every attempt can send the same bytes again (False for an async
        iterable and for a file object that cannot seek)."""
        return self._kind in ("path", "bytes") or (self._kind == "file" and self._start is not None)

    @property
    def started(self) -> bool:
        """True once :meth:`chunks` of a one-shot source began reading it (never for a
        replayable source)."""
        return self._one_shot.started

    def peek(self, n: int) -> bytes | None:
        """The first ``n`` bytes, without consuming anything; None for a one-shot source.

        A path is opened, read and closed (raises ``OSError`` if missing); a file object is
        read from its start position and put back where it was.
        """
        if n < 0:
            raise ValueError("n must be >= 0")
        if self._kind == "path":
            with _open_rb(self._source) as fh:
                return fh.read(n)
        if self._kind == "bytes":
            return bytes(memoryview(self._source)[:n])
        if self._kind == "file" and self._start is not None:
            return _peek_file(self._source, self._start, n)
        return None

    def chunks(self, chunk_size: int = DEFAULT_CHUNK_SIZE) -> AsyncGenerator[bytes, None]:
        """The bytes of ONE attempt, in chunks of at most ``chunk_size`` bytes.

        Close the iterator when done early (``contextlib.aclosing``): a path is opened for
        this call and closed when the iteration ends, fails, is closed or is cancelled; a file
        object is rewound to its start position first and never closed; bytes are sliced.
        Reads from disk run in a worker thread (``asyncio.to_thread``) so the event loop never
        waits on the disk. A one-shot source raises :class:`UploadConsumedError` if it already
        started (here, or at the first step if another iteration started it since).
        """
        if chunk_size <= 0:
            raise ValueError("chunk_size must be > 0")
        if not self.replayable and self._one_shot.started:
            self._consumed()
        if self._kind == "path":
            return _path_chunks(self._source, chunk_size)
        if self._kind == "bytes":
            return _bytes_chunks(self._source, chunk_size)
        if self._kind == "file":
            return _file_chunks(self._source, self._start, chunk_size, self._begin_one_shot)
        return _stream_chunks(self._source, self._begin_one_shot)

    def _consumed(self) -> NoReturn:
        raise UploadConsumedError("upload", self._consumed_reason())

    def _consumed_reason(self) -> str:
        return (
            f"the one-shot upload {self.filename!r} ({self._kind}) was already sent or started; "
            "it cannot be sent again (use a path, bytes or a seekable file to allow retries)"
        )

    def _begin_one_shot(self) -> None:
        if self._one_shot.started:
            self._consumed()
        self._one_shot.started = True

    def _buffer(self) -> bytes | bytearray | memoryview | None:
        """The bytes themselves for an in-memory upload, else None (used by decode())."""
        return (
            cast("bytes | bytearray | memoryview", self._source) if self._kind == "bytes" else None
        )

    def __repr__(self) -> str:
        try:
            size: object = self.size
        except (OSError, ValueError):
            size = "?"
        extra = f", started={self.started}" if not self.replayable else ""
        return (
            f"Upload(kind={self._kind!r}, filename={self.filename!r}, "
            f"content_type={self.content_type!r}, size={size!r}{extra})"
        )


# -- how each kind of source gives its bytes --------------------------------------------------
# A path is reopened for every read and stat'ed for its size; in-memory bytes are sliced; a
# binary file object is read from its start position and never closed; an async iterable is
# read once. Disk reads run in a worker thread so the event loop never waits on the disk.

# Fixed answers for what portal users upload most, so they do not depend on the machine's
# mime.types; anything else goes to ``mimetypes``.
_CONTENT_TYPES = {".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg"}


def _open_rb(path: str) -> BinaryIO:
    """Open ``path`` for binary reading: one quick syscall; reads, the slow part, are run in
    a worker thread by the callers."""
    return open(path, "rb")


def _guess_content_type(filename: str) -> str:
    """``application/pdf`` for ``.pdf`` (and fixed answers for ``.png``/``.jpg``), else what
    ``mimetypes`` says, else ``application/octet-stream``."""
    ext = os.path.splitext(filename)[1].lower()
    known = _CONTENT_TYPES.get(ext)
    if known is not None:
        return known
    return mimetypes.guess_type(filename, strict=True)[0] or "application/octet-stream"


def _check_name(what: str, name: object) -> None:
    """Raise ``ValueError`` naming ``what`` unless ``name`` is None or a non-empty str."""
    if name is not None and (not isinstance(name, str) or not name):
        raise ValueError(f"{what} must be a non-empty str")


def _check_content_type(content_type: object) -> None:
    """Raise ``ValueError`` unless ``content_type`` is None or looks like ``type/subtype``
    (no control characters, which could end a part header)."""
    if content_type is not None and (
        not isinstance(content_type, str)
        or "/" not in content_type
        or any(ord(c) < 0x20 or ord(c) == 0x7F for c in content_type)
    ):
        raise ValueError(f"content_type must look like 'type/subtype', not {content_type!r}")


def _as_bytes(data: Any) -> bytes:
    """What a source's ``read()`` or iteration gave, as bytes. Raises ``OSError`` for None
    (a non-blocking stream with no data yet), ``TypeError`` for anything not bytes-like."""
    if isinstance(data, bytes):
        return data
    if isinstance(data, bytearray | memoryview):
        return bytes(data)
    if data is None:
        raise OSError("the file object returned None: non-blocking streams are not supported")
    raise TypeError(f"expected bytes from the upload source, got {type(data).__name__}")


def _path_size(path: str) -> int | None:
    """Bytes in the regular file at ``path`` now; None for a special file (a pipe). Raises
    ``OSError`` when it is missing, ``IsADirectoryError`` for a directory."""
    st = os.stat(path)
    if stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError(f"{path} is a directory")
    return st.st_size if stat.S_ISREG(st.st_mode) else None


def _file_size(fh: BinaryIO, start: int) -> int:
    """Bytes from ``start`` to the end of the seekable ``fh``; its position is put back."""
    here = fh.tell()
    try:
        end: int = fh.seek(0, os.SEEK_END)
    finally:
        fh.seek(here)
    return max(0, end - start)


def _peek_file(fh: BinaryIO, start: int, n: int) -> bytes:
    """The first ``n`` bytes of the seekable ``fh`` from ``start``; its position is put back."""
    here = fh.tell()
    try:
        fh.seek(start)
        parts: list[bytes] = []
        left = n
        while left > 0:
            data = _as_bytes(fh.read(left))
            if not data:
                break
            parts.append(data)
            left -= len(data)
        return b"".join(parts)
    finally:
        fh.seek(here)


async def _path_chunks(path: str, chunk_size: int) -> AsyncGenerator[bytes, None]:
    """The file at ``path``, opened at the first step and closed when the iteration ends,
    fails, is closed or is cancelled."""
    fh = _open_rb(path)
    try:
        while data := await asyncio.to_thread(fh.read, chunk_size):
            yield data
    finally:
        # Buffered readers are thread-safe: if a cancelled read is still running in its
        # worker thread, close() waits for that one read instead of racing it.
        fh.close()


async def _bytes_chunks(
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


async def _file_chunks(
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
        data = _as_bytes(raw)
        if not data:
            return
        yield data


async def _stream_chunks(
    source: AsyncIterable[Any], begin_one_shot: Callable[[], None]
) -> AsyncGenerator[bytes, None]:
    """An async iterable's non-empty chunks, after ``begin_one_shot()`` marked it used."""
    begin_one_shot()
    async for item in source:
        data = _as_bytes(item)
        if data:
            yield data


def signature_data_uri(png: bytes | str | os.PathLike[str]) -> str:
    """Build ``data:image/png;base64,...`` for ``signer_signature_data`` (create-agreement).

    ``png`` is the PNG image's bytes or a path to it (an existing PNG data URI is checked
    and returned as is). Raises ``RequestValidationError("signer_signature_data", ...)`` when
    the bytes do not start with the 8-byte PNG signature or the file cannot be read.
    """
    field = "signer_signature_data"
    try:
        if isinstance(png, str) and png.startswith(PNG_DATA_URI_PREFIX):
            decode_png_data_uri(png)
            return png
        if isinstance(png, bytes | bytearray | memoryview):
            data = bytes(png)
        elif isinstance(png, str | os.PathLike):
            try:
                with _open_rb(os.fsdecode(os.fspath(png))) as fh:
                    data = fh.read()
            except OSError as exc:
                raise ValueError(f"cannot read the PNG file: {exc.strerror or exc}") from exc
        else:
            raise ValueError(
                f"expected PNG bytes or a path to a PNG file, not {type(png).__name__}"
            )
        _check_png(data)
    except ValueError as exc:
        raise RequestValidationError(field, str(exc)) from exc
    return PNG_DATA_URI_PREFIX + base64.b64encode(data).decode("ascii")


def decode_png_data_uri(uri: str) -> bytes:
    """The PNG image in a ``data:image/png;base64,...`` URI (the check of a signature the
    request models and :func:`signature_data_uri` share).

    Raises ``ValueError`` with the reason: ``uri`` does not start with
    :data:`PNG_DATA_URI_PREFIX`, its payload is not valid base64, or the image lacks the PNG
    signature.
    """
    if not uri.startswith(PNG_DATA_URI_PREFIX):
        raise ValueError(
            f"must be a data URI starting with {PNG_DATA_URI_PREFIX!r} "
            "(build it with signature_data_uri(png_bytes_or_path))"
        )
    try:
        image = base64.b64decode(uri[len(PNG_DATA_URI_PREFIX) :], validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("has a payload that is not valid base64") from None
    _check_png(image)
    return image


def _check_png(data: bytes) -> None:
    if not data.startswith(PNG_SIGNATURE):
        raise ValueError("does not hold a PNG image (its first 8 bytes are not the PNG signature)")
