"""What the request path is set up with: timeouts, the retry policy, the base URL check and
the key's fingerprint.

:class:`Timeouts` and :class:`RetryPolicy` are the client constructor's settings (re-exported
by :mod:`mijnklantportaal_async`); :func:`check_base_url` allows https, and plain http only on
a loopback host, so the key never travels in clear over a network; :func:`fingerprint` names a
key (or an OAuth grant) in journals and the rate limiter's shared storage without showing it.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import platform
from typing import Any

import aiohttp
import attrs
import yarl

from mijnklantportaal_async._version import __version__

__all__ = [
    "DEFAULT_USER_AGENT",
    "MAX_RESPONSE_BYTES",
    "MAX_RETRY_WAIT",
    "RetryPolicy",
    "Timeouts",
    "check_base_url",
    "fingerprint",
    "is_loopback",
]

DEFAULT_USER_AGENT = (
    f"mijnklantportaal-async/{__version__} aiohttp/{aiohttp.__version__} "
    f"python/{platform.python_version()}"
)
MAX_RESPONSE_BYTES = 16 * 1024 * 1024
"""Bytes of one API answer, counted after decompression: a longer one is not read to its
end (a 2xx is then unreadable: a read raises APIResponseValidationError, a write is
ambiguous). A page of 15 objects is a few kilobytes; downloads are streamed, not counted."""
MAX_RETRY_WAIT = 300.0
"""Seconds: a retry that would have to wait longer (a long Retry-After) is not made; the
typed error (for example ``RateLimitError`` with its ``retry_after``) is raised at once."""

_LOOPBACK_NAMES = frozenset({"localhost", "localhost."})


def _number(owner: object, name: str, value: object, what: str) -> float:
    """``value`` as a finite int or float (bool refused), else TypeError/ValueError naming
    ``Owner.name``."""
    label = f"{type(owner).__name__}.{name}"
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{label} must be {what} (int or float), got {type(value).__name__}")
    if not math.isfinite(value):
        raise ValueError(f"{label} must be a finite number, got {value!r}")
    return float(value)


def _positive_seconds(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not _number(inst, attribute.name, value, "a number of seconds") > 0:
        raise ValueError(
            f"{type(inst).__name__}.{attribute.name} must be > 0 seconds, got {value!r}"
        )


def _not_negative(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not _number(inst, attribute.name, value, "a number of seconds") >= 0:
        raise ValueError(f"{type(inst).__name__}.{attribute.name} must be >= 0, got {value!r}")


def _retry_count(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    label = f"{type(inst).__name__}.{attribute.name}"
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{label} must be a whole number (int), got {type(value).__name__}")
    if value < 0:
        raise ValueError(f"{label} must be >= 0, got {value!r}")


@attrs.frozen(kw_only=True)
class Timeouts:
    """Timeouts in seconds. ``connect``: to get a connection (pool wait, DNS, TCP, TLS);
    ``read``: how long the server may keep the client waiting. For a request without a file
    (a small JSON body and answer) it bounds the whole exchange, from sending the request to
    the last byte of its answer; for an upload it is the silence allowed while waiting for
    response bytes, counted once the body has been sent, so a long upload is never cut by
    it. ``total``: the whole attempt, None (the default) for no limit, so a big upload on a
    slow line is never cut. ``response``: the deadline of one answer, so a server that
    trickles a byte at a time still ends: for a request without a file, from sending it to
    the last byte of its answer (the smaller of ``read`` and ``response`` applies); for an
    upload, from the answer's first byte to its last (default 300).

    Raises:
        TypeError: a value is not an int or float (``None`` is allowed for ``total`` only).
        ValueError: a value is not finite and > 0.
    """

    connect: float = attrs.field(default=10.0, validator=_positive_seconds)
    read: float = attrs.field(default=120.0, validator=_positive_seconds)
    total: float | None = attrs.field(
        default=None, validator=attrs.validators.optional(_positive_seconds)
    )
    response: float = attrs.field(default=300.0, validator=_positive_seconds)


@attrs.frozen(kw_only=True)
class RetryPolicy:
    """How often and how long to back off when a retry is safe. ``max_retries`` repeats after
    the first attempt; waits are capped full jitter: up to ``backoff_base * 2 ** (n - 1)``
    seconds, at most ``backoff_cap``; a server's Retry-After wins when longer.

    Raises:
        TypeError: ``max_retries`` is not an int, or a backoff not an int or float.
        ValueError: a value is negative (or a backoff not finite).
    """

    max_retries: int = attrs.field(default=4, validator=_retry_count)
    backoff_base: float = attrs.field(default=0.5, validator=_not_negative)
    backoff_cap: float = attrs.field(default=30.0, validator=_not_negative)


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback IP addresses (``127.0.0.0/8``, ``::1``)."""
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_base_url(base_url: str | yarl.URL) -> yarl.URL:
    """``base_url`` without a trailing slash, checked: absolute, no credentials, query or
    fragment, and https (plain http only on a loopback host). Raises ``ValueError`` naming
    ``base_url`` and showing only its scheme and host."""
    url = yarl.URL(str(base_url).rstrip("/"))
    shown = f"{url.scheme}://{url.host}" if url.host else "(no host)"
    if not url.is_absolute() or not url.host:
        raise ValueError(f"base_url must be an absolute https URL, got {shown}")
    if url.user is not None or url.password is not None:
        raise ValueError(f"base_url must not carry credentials: {shown}")
    if url.query_string or url.fragment:
        raise ValueError(f"base_url must not have a query or fragment: {shown}")
    if url.scheme == "https" or (url.scheme == "http" and is_loopback(url.host)):
        return url
    raise ValueError(f"base_url must be https (plain http only for loopback hosts): {shown}")


def fingerprint(api_key: str) -> str:
    """The key's fingerprint for journal headers and the rate limiter's storage: first 16 hex
    digits of SHA-256 (str, 16 chars). Here rather than in ``bulk.journal`` so that a client
    can name its key without importing the bulk engine."""
    return hashlib.sha256(api_key.encode("utf-8")).hexdigest()[:16]
