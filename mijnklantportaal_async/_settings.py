"""What the request path is set up with: timeouts, the retry policy, and the base URL check.

:class:`Timeouts` and :class:`RetryPolicy` are the client constructor's settings (re-exported
by :mod:`mijnklantportaal_async`); :func:`check_base_url` allows https, and plain http only on
a loopback host, so the key never travels in clear over a network.
"""

from __future__ import annotations

import ipaddress
import platform
from typing import Any

import aiohttp
import attrs
import yarl

from mijnklantportaal_async._version import __version__

__all__ = [
    "DEFAULT_USER_AGENT",
    "MAX_RETRY_WAIT",
    "RetryPolicy",
    "Timeouts",
    "check_base_url",
    "is_loopback",
]

DEFAULT_USER_AGENT = (
    f"mijnklantportaal-async/{__version__} aiohttp/{aiohttp.__version__} "
    f"python/{platform.python_version()}"
)
MAX_RETRY_WAIT = 300.0
"""Seconds: a retry that would have to wait longer (a long Retry-After) is not made; the
typed error (for example ``RateLimitError`` with its ``retry_after``) is raised at once."""

_LOOPBACK_NAMES = frozenset({"localhost", "localhost."})


def _positive(_inst: object, attribute: attrs.Attribute[Any], value: float | None) -> None:
    if value is not None and not value > 0:
        raise ValueError(f"{attribute.name} must be > 0 seconds, got {value!r}")


def _not_negative(_inst: object, attribute: attrs.Attribute[Any], value: float) -> None:
    if not value >= 0:
        raise ValueError(f"{attribute.name} must be >= 0, got {value!r}")


@attrs.frozen(kw_only=True)
class Timeouts:
    """Timeouts in seconds. ``connect``: to get a connection (pool wait, DNS, TCP, TLS);
    ``read``: silence while waiting for response bytes (it starts once the request body has
    been sent, so a long upload is never cut by it); ``total``: the whole attempt, None (the
    default) for no limit, so a big upload on a slow line is never cut."""

    connect: float = attrs.field(default=10.0, validator=_positive)
    read: float = attrs.field(default=120.0, validator=_positive)
    total: float | None = attrs.field(default=None, validator=_positive)


@attrs.frozen(kw_only=True)
class RetryPolicy:
    """How often and how long to back off when a retry is safe. ``max_retries`` repeats after
    the first attempt; waits are capped full jitter: up to ``backoff_base * 2 ** (n - 1)``
    seconds, at most ``backoff_cap``; a server's Retry-After wins when longer."""

    max_retries: int = attrs.field(default=4, validator=_not_negative)
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
