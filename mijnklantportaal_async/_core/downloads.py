"""Downloading a file the API hands out as a pre-signed link.

The download operations (get-customer-invoice-pdf, download-agreement-document,
download-file) never answer with bytes: they answer ``200 {"link": ..., "expiresAt": ...}``
(``Api_Cloudfile``), a URL on a storage host that is valid for 5 minutes. This module fetches
such a link:

- :class:`DownloadLink` is that answer (``from_wire(DownloadLink, body)``);
- :func:`download_to` writes the file to a path (atomically: a temporary file in the same
  directory, renamed into place when complete) and returns its size;
- :func:`iter_download` yields its bytes as they arrive.

Both take the client's own ``aiohttp.ClientSession`` and a ``fetch_link`` coroutine function
that asks the API for a fresh link. The link is requested WITHOUT the Authorization header
(the API key is sent per request by ``_core/http.py``, never as a session default, and a
session that has one is not used) and without an Idempotency-Key. An expired link (the
storage host's 403, or 400/401 saying "expired", or ``expires_at`` already past before the
first byte) is replaced by asking ``fetch_link`` once more, once. See docs/architecture.md.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import secrets
from collections.abc import AsyncGenerator, Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import attrs
import yarl

from mijnklantportaal_async._core.http import transport_error
from mijnklantportaal_async._core.settings import Timeouts
from mijnklantportaal_async.errors import (
    APIConnectionError,
    APIStatusError,
    ClientClosedError,
    error_for_status,
)

__all__ = [
    "CHUNK_SIZE",
    "DownloadLink",
    "FetchLink",
    "download_to",
    "iter_download",
]

CHUNK_SIZE = 64 * 1024
"""Bytes read from the storage host at a time (and the most held in memory per chunk)."""

_ERROR_BODY_MAX = 16 * 1024  # bytes of a storage error body kept for the error
_QUERY = re.compile(r"\?[^\s'\"<>()]*")  # a URL's query in an exception's text
_FORBIDDEN_HEADERS = ("Authorization", "Idempotency-Key")
_DEFAULT_TIMEOUTS = Timeouts()


def _http_link(_inst: object, _attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str):
        raise TypeError(f"link must be a string, got {type(value).__name__}")
    try:
        url = yarl.URL(value, encoded=True)
    except ValueError:
        raise ValueError("link is not a valid URL") from None
    if url.scheme not in ("http", "https") or not url.host:
        raise ValueError(f"link must be an absolute http(s) URL, got scheme {url.scheme!r}")


def _masked(link: str) -> str:
    """The link without its query: the query of a pre-signed URL is its signature."""
    url = yarl.URL(link, encoded=True)
    return str(url.with_query(None).with_fragment(None)) + ("?***" if url.query_string else "")


@attrs.frozen
class DownloadLink:
    """A temporary download link as the API sends it (``Api_Cloudfile``).

    ``link`` is an absolute http(s) URL on the storage host (its query is its signature, so
    the repr hides it); ``expires_at`` is when it stops working (aware; the API says 5
    minutes after it was made), None when the API did not say.

    Raises:
        ValueError: ``link`` is not an absolute http or https URL (``from_wire`` reports it
            as a response that could not be read).
    """

    link: str = attrs.field(validator=_http_link, repr=_masked)
    expires_at: datetime | None = None

    def expired(self, now: datetime) -> bool:
        """True when ``expires_at`` is known and not after ``now`` (an aware datetime)."""
        return self.expires_at is not None and self.expires_at <= now


FetchLink = Callable[[], Awaitable[DownloadLink]]
"""Asks the API for a fresh :class:`DownloadLink` (one API call); raises what the call raises."""


def _utc_now() -> datetime:
    return datetime.now(UTC)


async def download_to(
    session: aiohttp.ClientSession,
    fetch_link: FetchLink,
    path: str | os.PathLike[str],
    *,
    timeouts: Timeouts = _DEFAULT_TIMEOUTS,
    chunk_size: int = CHUNK_SIZE,
    now: Callable[[], datetime] = _utc_now,
) -> int:
    """Download the file behind ``fetch_link()`` to ``path``; return its size in bytes.

    The bytes go to a new temporary file in ``path``'s directory (``.<name>.<random>.part``),
    which is flushed to disk and renamed to ``path`` (replacing a file there) only once the
    whole body has arrived; on any failure or cancellation it is removed, so ``path`` never
    holds a partial file. Each chunk is written as it arrives, so memory stays bounded
    (``chunk_size`` plus aiohttp's read buffer) whatever the file's size.

    Args:
        session: the client's session; its default headers must not carry credentials (one
            that has an Authorization or Idempotency-Key header or ``auth`` is not used: a
            short-lived session of its own is used instead).
        fetch_link: asks the API for a fresh link; awaited once, and once more when the
            first link had expired.
        path: the file to write; its directory must exist.
        timeouts: ``connect`` and ``read`` (seconds of silence) apply; ``total`` is ignored,
            so a large file on a slow line is never cut.
        chunk_size: bytes read at a time.
        now: the current time (aware), to see whether a link has already expired.

    Raises:
        APIStatusError: the storage host answered an error status (its subclass by status,
            e.g. ``NotFoundError`` for 404, ``PermissionDeniedError`` for a 403 that stayed
            after one fresh link).
        APIConnectionError, APITimeoutError: the connection failed or was cut, also in the
            middle of the body.
        ClientClosedError: ``session`` is closed.
        ValueError: ``chunk_size`` is not > 0.
        OSError: the file could not be created, written or renamed (e.g. the directory does
            not exist); what ``fetch_link`` raises propagates unchanged.
    """
    target = Path(path)
    part = target.with_name(f".{target.name}.{secrets.token_hex(6)}.part")
    written = 0
    try:
        with part.open("xb") as out:  # "x": never reuse a file; mode from the umask
            async with contextlib.aclosing(
                iter_download(
                    session, fetch_link, timeouts=timeouts, chunk_size=chunk_size, now=now
                )
            ) as chunks:
                async for chunk in chunks:
                    out.write(chunk)
                    written += len(chunk)
            out.flush()
            await asyncio.to_thread(os.fsync, out.fileno())
        os.replace(part, target)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return written


async def iter_download(
    session: aiohttp.ClientSession,
    fetch_link: FetchLink,
    *,
    timeouts: Timeouts = _DEFAULT_TIMEOUTS,
    chunk_size: int = CHUNK_SIZE,
    now: Callable[[], datetime] = _utc_now,
) -> AsyncGenerator[bytes, None]:
    """Yield the bytes of the file behind ``fetch_link()`` in chunks as they arrive.

    Each chunk is at most ``chunk_size`` bytes (never empty); their concatenation is the
    file. A link is refreshed (``fetch_link`` awaited a second time) only before the first
    byte; an error after it is raised, as the bytes already yielded cannot be taken back.
    Arguments and errors as :func:`download_to` (no ``path``, no OSError). Close the iterator
    when stopping early (``async with contextlib.aclosing(iter_download(...)) as chunks``)
    so the connection is released at once.
    """
    if chunk_size <= 0:
        raise ValueError(f"chunk_size must be > 0 bytes, got {chunk_size!r}")
    if session.closed:
        raise ClientClosedError("this client is closed; make a new one")
    timeout = aiohttp.ClientTimeout(total=None, connect=timeouts.connect, sock_read=timeouts.read)
    own_session: aiohttp.ClientSession | None = None
    if _carries_credentials(session):
        own_session = session = aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar())
    try:
        link = await fetch_link()
        refreshed = link.expired(now())
        if refreshed:
            link = await fetch_link()  # tried whatever the local clock says: the host decides
        while True:
            answer = await _open(session, link, timeout)
            if isinstance(answer, aiohttp.ClientResponse):
                break
            if refreshed or not _says_expired(answer):
                raise answer
            link = await fetch_link()
            refreshed = True
        failure: BaseException | None = None
        complete = False
        try:
            async for chunk in answer.content.iter_chunked(chunk_size):
                yield chunk
            complete = True
        except (aiohttp.ClientError, OSError) as exc:
            failure = exc
        finally:
            if complete:
                answer.release()
            else:
                answer.close()  # stopped early or cut: the connection is not reused
        if failure is not None:
            raise _transport_error(failure, link)
    finally:
        if own_session is not None:
            await own_session.close()


def _carries_credentials(session: aiohttp.ClientSession) -> bool:
    """True when every request of ``session`` would carry a credential or idempotency key."""
    return session.auth is not None or any(name in session.headers for name in _FORBIDDEN_HEADERS)


def _says_expired(error: APIStatusError) -> bool:
    """A storage answer that a fresh link may cure: 403 (S3's "Request has expired" is a 403
    AccessDenied), or 400/401 whose body says the link expired."""
    if error.status == 403:
        return True
    return error.status in (400, 401) and "expire" in str(error.body).lower()


async def _open(
    session: aiohttp.ClientSession, link: DownloadLink, client_timeout: aiohttp.ClientTimeout
) -> aiohttp.ClientResponse | APIStatusError:
    """GET ``link``: the open response on 2xx (the caller reads and closes it), else the typed
    error of the storage host's answer (returned: the caller may try a fresh link)."""
    failure: BaseException | None = None
    try:
        response = await session.get(
            yarl.URL(link.link, encoded=True),  # a signed URL is sent exactly as given
            timeout=client_timeout,
            allow_redirects=True,  # at most aiohttp's default 10
            raise_for_status=False,
        )
    except (aiohttp.ClientError, OSError) as exc:
        failure = exc
    if failure is not None:
        raise _transport_error(failure, link)
    if 200 <= response.status < 300:
        return response
    raw = b""
    try:
        while len(raw) < _ERROR_BODY_MAX:
            piece = await response.content.read(_ERROR_BODY_MAX - len(raw))
            if not piece:
                break
            raw += piece
    except (aiohttp.ClientError, OSError):
        pass  # the status is the answer; a cut error body changes nothing
    finally:
        response.close()
    try:
        text = raw.decode(response.charset or "utf-8", errors="replace")
    except LookupError:
        text = raw.decode("utf-8", errors="replace")
    return error_for_status(
        response.status,
        text.strip() or None,
        dict(response.headers),
        method="GET",
        path=_masked(link.link),
    )


def _transport_error(exc: BaseException, link: DownloadLink) -> APIConnectionError:
    """The typed error for a failed GET of ``link``, its query (the signature) masked."""
    return transport_error(
        "GET", _masked(link.link), exc, clean=lambda text: _QUERY.sub("?***", text)
    )
