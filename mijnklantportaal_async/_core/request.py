"""What one API call is: an :class:`ApiRequest` in, an :class:`ApiResponse` out; the small
interface through which the request path sees a body (:class:`RequestBody`: JSON, multipart or
none); what it needs of a rate limiter (:class:`RateLimiterLike`); and the request's headers as
aiohttp gets them (:class:`RequestHeaders`, which keeps the key out of every local variable).
Plain values, no I/O. See ``docs/architecture.md``, "A request's way"."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any, Protocol

import aiohttp
import aiohttp.payload
import attrs
import yarl

from mijnklantportaal_async._core.log import Secret
from mijnklantportaal_async.errors import MijnKlantportaalError

__all__ = [
    "ApiRequest",
    "ApiResponse",
    "AttemptBody",
    "Credentials",
    "FormBody",
    "JsonBody",
    "RateLimiterLike",
    "RequestBody",
    "RequestHeaders",
    "StaticKey",
    "check_extra_headers",
]


class AttemptBody(Protocol):
    """One attempt's body, as the request path sees it: what aiohttp sends, and what the
    attempt tells about it afterwards."""

    @property
    def payload(self) -> aiohttp.payload.Payload:
        """What aiohttp sends (its Content-Type set)."""
        ...

    @property
    def one_shot_started(self) -> bool:
        """True once a one-shot source (a stream that cannot be read twice) began to be sent:
        the request cannot be repeated."""
        ...

    @property
    def source_error(self) -> MijnKlantportaalError | None:
        """Set when the body could not be produced whole (a file vanished mid-upload): no
        server can have processed it, and resending cannot help."""
        ...


class RequestBody(Protocol):
    """A request body, opened afresh for every attempt."""

    def open(self) -> AttemptBody:
        """The body of one attempt, built before any I/O.

        Raises:
            RequestValidationError: a source cannot give its bytes (a missing file, a one-shot
                source already used); names the field.
        """
        ...


@attrs.define  # made for every attempt: not frozen, which builds slower
class _JsonAttempt:
    payload: aiohttp.payload.Payload
    one_shot_started: bool = False
    source_error: MijnKlantportaalError | None = None


# JsonBody, ApiRequest and ApiResponse are made for every call: not frozen (a frozen attrs
# class builds at half the speed), and never changed once made.
@attrs.define
class JsonBody:
    """A JSON body: ``value`` is already wire-shaped (camelCase keys)."""

    value: Any

    def open(self) -> AttemptBody:
        return _JsonAttempt(aiohttp.JsonPayload(self.value))


@attrs.frozen
class FormBody:
    """A multipart/form-data body: ``form`` is a wire-shaped dict (nested values become PHP
    bracket names, ``Upload`` values streamed file parts; see ``multipart.py``)."""

    form: Mapping[str, Any]

    def open(self) -> AttemptBody:
        # Deferred: only an upload needs the multipart encoder ("Import policy")
        from mijnklantportaal_async._core.multipart import encode_multipart

        return encode_multipart(self.form)


@attrs.define(kw_only=True)
class ApiRequest:
    """One API call. ``path`` is percent-encoded and relative to the base URL
    (``"/customers"``); ``body`` a :class:`JsonBody`, a :class:`FormBody` or None; ``params``
    the query; ``natural_key`` names what a write creates, for :class:`AmbiguousWriteError`."""

    method: str
    path: str
    operation_id: str
    body: RequestBody | None = None
    params: Mapping[str, str] | None = None
    natural_key: Mapping[str, Any] | None = None


@attrs.define
class ApiResponse:
    """A 2xx answer: ``body`` is the parsed JSON (or the text of a non-JSON body, or None
    when empty); ``url`` the final URL. The body is not in the repr: it can hold a secret
    (a webhook's) or personal data, and tools that capture a traceback's locals show reprs."""

    status: int
    headers: Mapping[str, str]
    body: Any = attrs.field(repr=False)
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
        self._fixed = fixed

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter((("Authorization", "Bearer " + self._key.reveal()), *self._fixed.items()))

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, str]:
        return dict(self)

    def __repr__(self) -> str:
        return f"RequestHeaders(Authorization='Bearer ***', {self._fixed!r})"


class Credentials(Protocol):
    """Where the request path gets the bearer token of each attempt: a :class:`StaticKey`, or
    ``oauth.TokenManager`` (which refreshes an OAuth token). The request path knows nothing
    else of either."""

    async def bearer(self) -> Secret:
        """The token to send now. An OAuth source refreshes first when its token is about to
        expire (one refresh at a time, however many calls wait for it).

        Raises:
            AuthenticationError: the token cannot be had (a refresh the server refused).
        """
        ...

    async def rejected(self, sent: Secret) -> bool:
        """The API answered 401 to a request sent with ``sent``: True when a new token is
        ready, so the request is sent once more; False when this source cannot help (an API
        key). Raises as :meth:`bearer`."""
        ...

    def secrets(self) -> tuple[Secret, ...]:
        """Every secret this source holds or has recently sent, to redact from what servers
        send back."""
        ...


class StaticKey:
    """An API key (or an OAuth access token used as one): the same bearer every time; a 401
    is final."""

    __slots__ = ("_key",)

    def __init__(self, key: Secret) -> None:
        self._key = key

    async def bearer(self) -> Secret:
        return self._key

    async def rejected(self, sent: Secret) -> bool:
        return False

    def secrets(self) -> tuple[Secret, ...]:
        return (self._key,)

    def __repr__(self) -> str:
        return "StaticKey('***')"


# RFC 9110 field-name: a token; a value: visible ASCII, spaces and tabs (no CR, LF, NUL).
_HEADER_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_HEADER_VALUE = re.compile(r"[\t\x20-\x7e]*")
_CLIENT_HEADERS = frozenset(
    {
        "authorization",  # the API key or OAuth token, added per attempt
        "proxy-authorization",
        "idempotency-key",  # new for every write
        "content-type",  # the body's
        "content-length",
        "transfer-encoding",
        "host",
    }
)


def check_extra_headers(headers: object) -> dict[str, str]:
    """``extra_headers`` for a request, checked before any I/O: a mapping of header names to
    values, both ``str``; a plain dict is returned.

    Raises:
        TypeError: not a mapping, or a name or value that is not a ``str``.
        ValueError: a name that is not an HTTP token, a value with a line break, a control or a
            non-ASCII character, or a header the client sets itself (``Authorization``,
            ``Idempotency-Key``, ``Content-Type``, ...): an extra header never overrides
            those. Messages name ``extra_headers`` and the header, never a value.
    """
    if not isinstance(headers, Mapping):
        raise TypeError(
            f"extra_headers must be a mapping of str to str, got {type(headers).__name__}"
        )
    checked: dict[str, str] = {}
    for name, value in headers.items():
        if not isinstance(name, str):
            raise TypeError(
                f"extra_headers: a header name must be a str, got {type(name).__name__}"
            )
        if not isinstance(value, str):
            raise TypeError(f"extra_headers[{name!r}] must be a str, got {type(value).__name__}")
        if not _HEADER_NAME.fullmatch(name):
            raise ValueError(f"extra_headers: {name!r} is not a valid header name")
        if not _HEADER_VALUE.fullmatch(value):
            raise ValueError(
                f"extra_headers[{name!r}]: the value holds a line break, a control or a "
                "non-ASCII character"
            )
        if name.lower() in _CLIENT_HEADERS:
            raise ValueError(f"extra_headers: {name} is set by the client and cannot be overridden")
        checked[name] = value
    return checked
