"""Pure retry decisions: is a failed attempt safe to repeat, and how long to wait first.

No I/O here (gidgethub's ``sansio`` style): the request path in ``http.py`` asks these
functions and acts on the answer. The rules are ``docs/architecture.md``'s "Exactly once":

* reads (GET, HEAD, OPTIONS) repeat on connection errors, timeouts, 408, 429 and
  500/502/503/504;
* writes (every other method) repeat only what the server cannot have processed: a connection
  that was never made (or a connect timeout), 408, 429, and 503 *with* Retry-After. 408 is
  listed there because a 408 Request Timeout says the server gave up
  waiting for the request and did not process it (RFC 9110, section 15.5.9: the client may
  repeat it), just as a 429 is refused before processing;
* a write that may have been processed (a timeout or reset after the request left, a 5xx
  other than 503-with-Retry-After, a 302/303 answer) is AMBIGUOUS: never resent blindly;
* everything else (4xx, other 3xx, TLS certificate failures) is REJECTED: never repeated.
"""

from __future__ import annotations

import enum
import math
import os
import random
import time
from collections.abc import Mapping
from email.utils import parsedate_to_datetime

import aiohttp

__all__ = [
    "READ_METHODS",
    "Outcome",
    "backoff_delay",
    "classify_exception",
    "classify_status",
    "idempotency_key",
    "is_write",
    "never_sent",
    "parse_retry_after",
]

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
"""Methods that change nothing on the server; every other method is a write."""

_READ_RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
# 408: the server gave up waiting for the request (not processed), 429: refused before it.
_WRITE_RETRY_STATUSES = frozenset({408, 429})
# A write answered 302 or 303 was most likely processed (post/redirect/get): never resend it.
_WRITE_AMBIGUOUS_REDIRECTS = frozenset({302, 303})

# The connection was never made, so no byte of the request left the machine.
_NOT_SENT: tuple[type[BaseException], ...] = (
    aiohttp.ClientConnectorError,  # refused, DNS, TLS handshake, proxy connect (subclasses)
    aiohttp.ConnectionTimeoutError,  # connect timeout, including waiting for a pool slot
    aiohttp.ClientHttpProxyError,  # the proxy refused the CONNECT
)
# Repeating cannot help (and must not be tried): a certificate that does not verify, a pinned
# fingerprint that does not match, a redirect loop or a bad URL.
_FATAL: tuple[type[BaseException], ...] = (
    aiohttp.ClientConnectorCertificateError,
    aiohttp.ServerFingerprintMismatch,
    aiohttp.TooManyRedirects,
    aiohttp.InvalidURL,
    aiohttp.RedirectClientError,
    aiohttp.NonHttpUrlClientError,
)
# The connection failed after it was made: the request may have left in part or in full.
_TRANSPORT: tuple[type[BaseException], ...] = (
    aiohttp.ClientConnectionError,  # ServerDisconnectedError, ClientOSError, reset, read timeout
    aiohttp.ClientPayloadError,  # the response body was cut
    OSError,  # includes TimeoutError (the total timeout) and any unwrapped socket error
) + ((aiohttp.UploadAbortedError,) if hasattr(aiohttp, "UploadAbortedError") else ())


class Outcome(enum.Enum):
    """What one attempt's result means for the call."""

    SUCCESS = "success"
    """2xx: done."""
    RETRY = "retry"
    """Not processed by the server: safe to send again after a backoff."""
    REJECT = "reject"
    """A final answer (4xx, most 3xx, a fatal connection error): raise it, never repeat."""
    AMBIGUOUS = "ambiguous"
    """A write that may or may not have been processed: never resend it blindly."""


def is_write(method: str) -> bool:
    """True for every method that may change something (POST, PUT, PATCH, DELETE, ...)."""
    return method.upper() not in READ_METHODS


def _header(headers: Mapping[str, str], name: str) -> str | None:
    value = headers.get(name)
    if value is not None:
        return value
    lowered = name.lower()
    for key, item in headers.items():
        if key.lower() == lowered:
            return item
    return None


def parse_retry_after(headers: Mapping[str, str], *, now: float | None = None) -> float | None:
    """The ``Retry-After`` header in seconds (>= 0), or None when absent or unreadable.

    Takes delay-seconds (``"3"``, also ``"1.5"``) or an HTTP-date (a date in the past gives
    0.0). The header name is matched case-insensitively, also in a plain dict. ``now`` is the
    current Unix time for the HTTP-date form (default ``time.time()``).
    """
    raw = _header(headers, "Retry-After")
    if raw is None:
        return None
    text = raw.strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        if math.isfinite(seconds) and seconds >= 0:
            return seconds
        return None
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # RFC 9110 dates are GMT; a zone-less one is taken as such
        return None
    current = time.time() if now is None else now
    return max(0.0, when.timestamp() - current)


def classify_status(method: str, status: int, headers: Mapping[str, str]) -> Outcome:
    """Classify a response status for ``method`` (see the module docstring for the table).

    ``headers`` are the response headers (only ``Retry-After`` is read: it turns a 503 on a
    write from AMBIGUOUS into RETRY, since a server that says when to come back has not
    processed the request).
    """
    if 200 <= status < 300:
        return Outcome.SUCCESS
    if not is_write(method):
        return Outcome.RETRY if status in _READ_RETRY_STATUSES else Outcome.REJECT
    if status in _WRITE_RETRY_STATUSES:
        return Outcome.RETRY
    if status == 503:
        return Outcome.RETRY if parse_retry_after(headers) is not None else Outcome.AMBIGUOUS
    if status >= 500 or status in _WRITE_AMBIGUOUS_REDIRECTS:
        return Outcome.AMBIGUOUS
    return Outcome.REJECT


def never_sent(exc: BaseException) -> bool:
    """True when ``exc`` proves no byte of the request left: the connection was never made, or
    the server's TLS fingerprint was refused before anything was written."""
    return isinstance(exc, (*_NOT_SENT, aiohttp.ServerFingerprintMismatch))


def classify_exception(method: str, exc: BaseException, *, body_started: bool) -> Outcome:
    """Classify an exception raised while sending ``method`` or reading its response.

    ``body_started`` is True when the caller knows the request body began to be produced in
    this attempt (a one-shot upload has started); it makes a write AMBIGUOUS even if the
    exception alone would say "not sent".

    * fatal (certificate or fingerprint mismatch, redirect loop, bad URL): REJECT;
    * never sent (``ClientConnectorError`` and subclasses, ``ConnectionTimeoutError``, proxy
      CONNECT refused): RETRY (a write: only if ``body_started`` is False, else AMBIGUOUS);
    * failed after the connection was made (``ServerDisconnectedError``, ``ClientOSError``,
      ``SocketTimeoutError`` / ``ServerTimeoutError``, ``TimeoutError``, ``ClientPayloadError``,
      ...): RETRY for a read, AMBIGUOUS for a write;
    * anything else (a bug, a bad argument): REJECT.
    """
    if isinstance(exc, _FATAL):
        return Outcome.REJECT
    if isinstance(exc, _NOT_SENT):
        if is_write(method) and body_started:
            return Outcome.AMBIGUOUS
        return Outcome.RETRY
    if isinstance(exc, _TRANSPORT):
        return Outcome.AMBIGUOUS if is_write(method) else Outcome.RETRY
    return Outcome.REJECT


def backoff_delay(
    attempt: int,
    *,
    base: float,
    cap: float,
    retry_after: float | None,
    rng: random.Random,
) -> float:
    """Seconds to wait before retrying after failed attempt number ``attempt`` (1-based).

    Capped full jitter: uniform in ``[0, min(cap, base * 2 ** (attempt - 1))]``. A server's
    ``retry_after`` (seconds) wins when it is larger: it is never shortened, even past ``cap``.
    """
    if attempt < 1:
        raise ValueError(f"attempt must be >= 1, got {attempt}")
    ceiling = min(cap, base * 2.0 ** min(attempt - 1, 62))
    delay = rng.uniform(0.0, max(ceiling, 0.0))
    if retry_after is not None and retry_after > delay:
        return retry_after
    return delay


def idempotency_key() -> str:
    """A new ``Idempotency-Key`` for one write call (every attempt of it sends the same): a
    random UUID, version 4 (RFC 9562), as text. Formatted here from 16 random bytes, which
    costs a fifth of ``str(uuid.uuid4())`` on the path every call takes."""
    b = bytearray(os.urandom(16))
    b[6] = (b[6] & 0x0F) | 0x40  # version 4
    b[8] = (b[8] & 0x3F) | 0x80  # the RFC's variant
    h = b.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
