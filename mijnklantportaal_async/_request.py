"""What one API call is: an :class:`ApiRequest` in, an :class:`ApiResponse` out, and what the
request path needs of a rate limiter (:class:`RateLimiterLike`). Plain values, no I/O."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

import attrs
import yarl

__all__ = ["ApiRequest", "ApiResponse", "RateLimiterLike"]


def _one_body(inst: ApiRequest, _attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and inst.json is not None:
        raise ValueError("an ApiRequest has a json body or a form body, not both")


@attrs.frozen(kw_only=True)
class ApiRequest:
    """One API call. ``path`` is percent-encoded and relative to the base URL
    (``"/customers"``); ``json`` a wire-shaped JSON body; ``form`` a wire dict sent as
    multipart/form-data (encoded afresh for each attempt); ``natural_key`` names what a write
    creates, for :class:`AmbiguousWriteError`."""

    method: str
    path: str
    operation_id: str
    json: Any = None
    form: Mapping[str, Any] | None = attrs.field(default=None, validator=_one_body)
    params: Mapping[str, str] | None = None
    natural_key: Mapping[str, Any] | None = None


@attrs.frozen
class ApiResponse:
    """A 2xx answer: ``body`` is the parsed JSON (or the text of a non-JSON body, or None
    when empty); ``url`` the final URL."""

    status: int
    headers: Mapping[str, str]
    body: Any
    url: yarl.URL


class RateLimiterLike(Protocol):
    """What the request path needs of a limiter (``ratelimit.RateLimiter`` is one)."""

    async def acquire(self) -> None: ...

    def observe(self, status: int, headers: Mapping[str, str]) -> None: ...

    def settle(self) -> None: ...
