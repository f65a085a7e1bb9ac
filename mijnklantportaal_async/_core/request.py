"""What one API call is: an :class:`ApiRequest` in, an :class:`ApiResponse` out, what the
request path needs of a rate limiter (:class:`RateLimiterLike`), and the request's headers as
aiohttp gets them (:class:`RequestHeaders`, which keeps the key out of every local variable).
Plain values, no I/O."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Protocol

import attrs
import yarl

from mijnklantportaal_async._core.log import Secret

__all__ = ["ApiRequest", "ApiResponse", "RateLimiterLike", "RequestHeaders"]


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


class RequestHeaders:
    """A request's headers as ``(name, value)`` pairs, for aiohttp to copy.

    The Authorization value is built from the :class:`Secret` only while aiohttp copies the
    pairs, so no frame of this library holds the key in a local variable: tools that capture
    a traceback's locals (Sentry, ``pytest --showlocals``) find only this object, whose repr
    is masked. Not a Mapping on purpose: such tools expand mappings item by item but show
    other objects by their repr. A deep copy is a plain dict: aioresponses deep-copies each
    request's arguments, and a test reads the headers it recorded as a dict.
    """

    __slots__ = ("_fixed", "_key")

    def __init__(self, key: Secret, fixed: Mapping[str, str]) -> None:
        self._key = key
        self._fixed = dict(fixed)

    def __iter__(self) -> Iterator[tuple[str, str]]:
        yield "Authorization", "Bearer " + self._key.reveal()
        yield from self._fixed.items()

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, str]:
        return dict(self)

    def __repr__(self) -> str:
        return f"RequestHeaders(Authorization='Bearer ***', {self._fixed!r})"
