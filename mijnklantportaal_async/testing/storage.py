"""The FakePortal's object store: pre-signed download links, served on the portal's own port.

The real API answers its download operations with ``{"link": ..., "expiresAt": ...}``: a
link to a storage host, valid 5 minutes, fetched without the API key (api/NOTES.md section
7). :class:`ObjectStorage` plays that storage host. A handler makes a link with
``state.storage.link_for(data, filename=..., content_type=...)`` and answers with it; the
client then GETs ``<portal origin>/storage/<token>``, which answers as S3 does:

- 400 ``InvalidArgument`` when the request carries an ``Authorization`` header (a
  pre-signed URL already authenticates; S3 refuses a second mechanism);
- 403 ``AccessDenied`` "Request has expired" once the link's time is up on the PORTAL'S
  clock (``FakePortal(clock=...)``; advance it to expire links without sleeping);
- 404 ``NoSuchKey`` for an unknown token;
- else 200 with the bytes, streamed in 64 KiB chunks (Content-Length, Content-Type,
  Content-Disposition ``attachment``).

Error bodies are S3's XML (``application/xml``): ``<Error><Code>..</Code><Message>..
</Message></Error>``. The route is not behind the API key or the API rate limit, its
requests are logged in :attr:`ObjectStorage.requests` (not in ``portal.requests``) and its
responses are not API responses (``watch_responses`` does not see them).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import BinaryIO
from urllib.parse import quote
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

import attrs
from aiohttp import web

__all__ = ["LINK_LIFETIME", "ObjectStorage", "StorageRequest", "StoredObject"]

LINK_LIFETIME = 300.0
"""Seconds a link is valid (the docs: 5 minutes)."""

_CHUNK = 64 * 1024
_PORTAL_TIMEZONE = ZoneInfo("Europe/Amsterdam")  # as state.AMSTERDAM (not imported: cycle)


@attrs.frozen
class StoredObject:
    """What a link serves: ``data`` (bytes, or a file read when served), ``filename`` and
    ``content_type`` for the response headers, ``expires`` (unix seconds on the portal's
    clock) and ``cut_after`` (bytes sent before the connection is cut, None: never)."""

    data: bytes | Path
    filename: str
    content_type: str
    expires: float
    cut_after: int | None = None


@attrs.define
class StorageRequest:
    """One request to the storage route: ``token`` (the last path segment), ``headers``
    (without ``Authorization``), ``authorization`` (whether that header was sent) and the
    ``status`` answered (None when the connection was cut before a status was sent)."""

    method: str
    token: str
    headers: dict[str, str]
    authorization: bool
    status: int | None = None


class ObjectStorage:
    """A pre-signed-URL object store on the FakePortal (see the module docstring).

    ``clock`` is the portal's (unix seconds); ``origin()`` returns the portal's root URL
    (``http://127.0.0.1:54321``), empty before the portal has started.
    """

    def __init__(self, clock: Callable[[], float], origin: Callable[[], str]) -> None:
        self._clock = clock
        self._origin = origin
        self.objects: dict[str, StoredObject] = {}
        """token -> what its link serves."""
        self.requests: list[StorageRequest] = []
        """Every request to the storage route, in order."""

    def link_for(
        self,
        data: bytes | Path,
        *,
        filename: str | None = None,
        content_type: str = "application/octet-stream",
        cut_after: int | None = None,
    ) -> dict[str, str]:
        """A new link serving ``data``, as the API's JSON answer: ``{"link": "<portal
        origin>/storage/<random token>", "expiresAt": "<ATOM, the portal's clock + 300 s>"}``.

        ``data`` is bytes, or a file read (in chunks) each time the link is fetched.
        ``filename`` defaults to the file's name (``"download"`` for bytes). ``cut_after``
        makes the route send only that many body bytes and then cut the connection.

        Raises:
            RuntimeError: the portal has not started (it has no origin yet).
        """
        origin = self._origin()
        if not origin:
            raise RuntimeError("the FakePortal is not started; links need its origin")
        if filename is None:
            filename = data.name if isinstance(data, Path) else "download"
        token = secrets.token_urlsafe(24)
        expires = self._clock() + LINK_LIFETIME
        self.objects[token] = StoredObject(data, filename, content_type, expires, cut_after)
        moment = datetime.fromtimestamp(expires, tz=_PORTAL_TIMEZONE)
        return {
            "link": f"{origin}/storage/{token}",
            "expiresAt": moment.isoformat(timespec="seconds"),
        }

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """The ``GET /storage/{token}`` route (mounted by the portal's app)."""
        token = request.match_info["token"]
        headers = {k: v for k, v in request.headers.items() if k.lower() != "authorization"}
        record = StorageRequest(
            request.method, token, headers, authorization="Authorization" in request.headers
        )
        self.requests.append(record)
        stored = self.objects.get(token)
        if record.authorization:
            return _error(
                record,
                400,
                "InvalidArgument",
                "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, "
                "Signature query string parameter or the Authorization header should be "
                "specified",
            )
        if stored is None:
            return _error(record, 404, "NoSuchKey", "The specified key does not exist.")
        if self._clock() >= stored.expires:
            return _error(record, 403, "AccessDenied", "Request has expired")
        if isinstance(stored.data, bytes):
            return await _send(request, record, stored, stored.data)
        try:
            file = stored.data.open("rb")
        except FileNotFoundError:
            return _error(record, 404, "NoSuchKey", "The specified key does not exist.")
        with file:
            return await _send(request, record, stored, file)


async def _send(
    request: web.Request,
    record: StorageRequest,
    stored: StoredObject,
    source: bytes | BinaryIO,
) -> web.StreamResponse:
    """Answer 200 with ``source`` in chunks (cut after ``stored.cut_after`` bytes if set)."""
    size = len(source) if isinstance(source, bytes) else os.fstat(source.fileno()).st_size
    response = web.StreamResponse(
        status=200,
        headers={
            "Content-Type": stored.content_type,
            "Content-Disposition": _attachment(stored.filename),
        },
    )
    response.content_length = size
    await response.prepare(request)
    record.status = 200
    if request.method == "HEAD":
        return response
    try:
        for chunk in _pieces(source, size if stored.cut_after is None else stored.cut_after):
            await response.write(chunk)
    except ConnectionError:
        return response  # the client went away (it stopped reading): nothing more to send
    if stored.cut_after is not None and stored.cut_after < size:
        assert request.transport is not None
        # close(), not abort(): the bytes already written still leave, then the connection
        # ends, short of Content-Length.
        request.transport.close()
        return response
    await response.write_eof()
    return response


def _pieces(source: bytes | BinaryIO, count: int) -> Iterator[bytes | memoryview]:
    """The first ``count`` bytes of ``source`` in chunks of at most 64 KiB (no copies of
    ``bytes``; a file is read one chunk at a time)."""
    if isinstance(source, bytes):
        view = memoryview(source)[:count]
        for start in range(0, len(view), _CHUNK):
            yield view[start : start + _CHUNK]
        return
    while count > 0:
        chunk = source.read(min(_CHUNK, count))
        if not chunk:
            return
        count -= len(chunk)
        yield chunk


def _error(record: StorageRequest, status: int, code: str, message: str) -> web.Response:
    record.status = status
    text = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>{code}</Code><Message>{escape(message)}</Message>"
        f"<RequestId>{secrets.token_hex(8).upper()}</RequestId></Error>"
    )
    return web.Response(status=status, text=text, content_type="application/xml")


def _attachment(filename: str) -> str:
    """``attachment`` with an ASCII ``filename`` and the exact name as RFC 6266 ``filename*``."""
    plain = "".join(
        c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in filename
    )
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(filename, safe='')}"
