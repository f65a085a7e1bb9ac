"""The exception hierarchy, and the one pure function that maps an HTTP status to it.

Every exception the library raises on purpose derives from :class:`MijnKlantportaalError`.
None of them ever carries the API key: messages are built from the method, the path (no
query secrets are ever put there), the status and the parsed body only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from multidict import CIMultiDict, CIMultiDictProxy

__all__ = [
    "APIConnectionError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AmbiguousWriteError",
    "AuthenticationError",
    "ClientClosedError",
    "EventLoopError",
    "InsufficientBalanceError",
    "LicenseLimitError",
    "MijnKlantportaalError",
    "NotFoundError",
    "OAuthError",
    "PermissionDeniedError",
    "RateLimitError",
    "RequestValidationError",
    "ServerError",
    "UnprocessableEntityError",
    "WebhookPayloadError",
    "WebhookSignatureError",
    "error_for_status",
]


class MijnKlantportaalError(Exception):
    """Root of every error this library raises."""


class RequestValidationError(MijnKlantportaalError, ValueError):
    """A request object was built with a bad value; raised before any network I/O.

    ``field`` is the snake_case field name (dotted and indexed for nested values, for example
    ``signers[2].email``); ``str(error)`` is ``"<field>: <reason>"``.
    """

    def __init__(self, field: str, reason: str) -> None:
        self.field = field
        self.reason = reason
        super().__init__(f"{field}: {reason}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.field, self.reason))


class ClientClosedError(MijnKlantportaalError, RuntimeError):
    """A call was made on a client after :meth:`MijnKlantportaal.aclose` (or after its
    ``async with`` block ended); nothing was sent. Make a new client. Also a
    ``RuntimeError``, what it was before it had a class of its own."""


class EventLoopError(MijnKlantportaalError, RuntimeError):
    """A client was used from another event loop than the one it first ran in (for example
    a second ``asyncio.run()``, or a framework's test client running its own loop); nothing was
    sent. Its connections belong to the first loop: make one client per event loop, such as in
    your app's lifespan (FastAPI) or ``cleanup_ctx`` (aiohttp.web)."""


class APIConnectionError(MijnKlantportaalError):
    """The request could not be completed: the connection failed or was cut.

    ``sent`` is False when the request is known not to have reached the server (for example
    the TCP connection could not be made); True when the body may have been sent.
    """

    def __init__(self, message: str, *, method: str = "", path: str = "", sent: bool = True):
        self.method = method
        self.path = path
        self.sent = sent
        super().__init__(message)

    def __reduce__(self) -> tuple[Any, ...]:
        kwargs = {"method": self.method, "path": self.path, "sent": self.sent}
        return (_rebuild, (type(self), self.args, kwargs))


class APITimeoutError(APIConnectionError):
    """The request timed out (connect, or waiting for the response)."""


class _ResponseError(MijnKlantportaalError):
    """What an error about an HTTP response carries: status, message, body, headers, where.

    Private: shared by :class:`APIStatusError` and :class:`APIResponseValidationError`, which
    stay unrelated to each other (``except APIStatusError`` does not catch an unreadable 2xx).
    ``_FORMAT`` is the ``str()`` of the error, filled with ``status``, ``message`` and ``where``.
    """

    _FORMAT = "{status}: {message}{where}"

    def __init__(
        self,
        message: str,
        *,
        status: int,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
        method: str = "",
        path: str = "",
    ) -> None:
        self.status = status
        self.message = message
        self.body = body
        self.headers: Mapping[str, str] = CIMultiDictProxy(CIMultiDict(headers or {}))
        self.method = method
        self.path = path
        where = f" ({method} {path})" if method else ""
        super().__init__(self._FORMAT.format(status=status, message=message, where=where))

    def __reduce__(self) -> tuple[Any, ...]:
        kwargs = {
            "status": self.status,
            "body": self.body,
            "headers": dict(self.headers),
            "method": self.method,
            "path": self.path,
        }
        return (_rebuild, (type(self), (self.message,), kwargs))


class APIStatusError(_ResponseError):
    """The API answered with a non-2xx status.

    Attributes: ``status`` (int), ``message`` (the body's ``message``, or a readable summary of
    a non-JSON body), ``body`` (the parsed JSON body, or the text for a non-JSON body, or
    None), ``headers`` (the response headers, a read-only mapping), ``method`` and ``path``.
    """


class AuthenticationError(APIStatusError):
    """401: the API key or token is missing, wrong or revoked."""


class OAuthError(AuthenticationError):
    """The OAuth server refused a code exchange or a token refresh (``POST /oauth/tokens``),
    so no valid token can be had: the user must authorize the app again.

    ``status`` is the token endpoint's status (usually 400 or 401, not only 401); ``error`` is
    the OAuth error code it sent (``"invalid_grant"``, ``"invalid_client"``...; empty when
    none) and ``error_description`` its text. Neither the body nor the message ever holds the
    client secret, the code or a token.
    """

    @property
    def error(self) -> str:
        value = self.body.get("error") if isinstance(self.body, dict) else None
        return value if isinstance(value, str) else ""

    @property
    def error_description(self) -> str:
        value = self.body.get("error_description") if isinstance(self.body, dict) else None
        return value if isinstance(value, str) else ""


class InsufficientBalanceError(APIStatusError):
    """402: the portal has not enough balance (agreements with identification)."""


class PermissionDeniedError(APIStatusError):
    """403: the key lacks the scope for this operation."""


class NotFoundError(APIStatusError):
    """404: no object with that ID."""


class UnprocessableEntityError(APIStatusError):
    """422: the API rejected the posted data.

    ``errors`` maps wire field names to their messages when the body has them
    (Laravel's ``{"message": ..., "errors": {"field": ["..."]}}``); otherwise it is empty.
    """

    @property
    def errors(self) -> dict[str, list[str]]:
        raw = self.body.get("errors") if isinstance(self.body, dict) else None
        if not isinstance(raw, dict):
            return {}
        out: dict[str, list[str]] = {}
        for key, value in raw.items():
            if isinstance(value, list):
                out[str(key)] = [str(v) for v in value]
            else:
                out[str(key)] = [str(value)]
        return out


class LicenseLimitError(APIStatusError):
    """426: the license's monthly limit is reached, or the feature is not in the license."""


class RateLimitError(APIStatusError):
    """429: too many requests. ``retry_after`` is the server's wait in seconds, if it said."""

    @property
    def retry_after(self) -> float | None:
        from mijnklantportaal_async._core.retry import parse_retry_after

        return parse_retry_after(self.headers)


class ServerError(APIStatusError):
    """5xx: the server failed."""


class APIResponseValidationError(_ResponseError):
    """A 2xx answer whose body could not be read as the object the operation returns.

    For example a 200 carrying an HTML page (a proxy's), or JSON without the ``id`` every
    object has. Raised by reads; a write answered this way raises
    :class:`AmbiguousWriteError` instead (the object was probably created), with this error
    as its ``cause``. Attributes: ``status`` (int), ``message`` (what could not be read),
    ``body`` (the parsed JSON, or the text of a non-JSON body cut to
    :data:`MAX_BODY_CHARS` characters, or None; the API key redacted), ``headers`` (a
    read-only mapping), ``method`` and ``path``.
    """

    _FORMAT = "{status} response could not be read: {message}{where}"


MAX_BODY_CHARS = 2000
"""Characters of a non-JSON body kept on :class:`APIResponseValidationError`."""


class AmbiguousWriteError(MijnKlantportaalError):
    """A write may or may not have been processed: never resend it blindly.

    Raised when a create was sent but its outcome is unknown (timeout or connection reset
    after the body left, or a 500/502/504), and when its 2xx answer could not be read (the
    object was probably created; ``cause`` is then an :class:`APIResponseValidationError`).
    ``natural_key`` names the object so it can be looked up (for example
    ``{"invoice_number": "2024-001"}``); ``cause`` is the underlying error. The bulk engine
    resolves these by looking the natural key up in the list endpoint.
    """

    def __init__(
        self,
        message: str,
        *,
        natural_key: Mapping[str, Any],
        cause: BaseException | None = None,
        method: str = "",
        path: str = "",
    ) -> None:
        self.natural_key = dict(natural_key)
        self.cause = cause
        self.method = method
        self.path = path
        self._message = message
        key = ", ".join(f"{k}={v!r}" for k, v in self.natural_key.items())
        super().__init__(f"{message} ({method} {path}; {key}); it may exist: look it up")

    def __reduce__(self) -> tuple[Any, ...]:
        kwargs = {
            "natural_key": self.natural_key,
            "cause": self.cause,
            "method": self.method,
            "path": self.path,
        }
        return (_rebuild, (type(self), (self._message,), kwargs))


class WebhookSignatureError(MijnKlantportaalError):
    """A webhook call's ``X-Webhook-Signature`` header is missing, or matches none of the
    secrets given to :func:`~mijnklantportaal_async.parse_webhook`: the call cannot be shown
    to come from MijnKlantportaal. Answer it 401 and do not act on it. The message never shows
    the header's value or a secret."""


class WebhookPayloadError(MijnKlantportaalError, ValueError):
    """A webhook call with a valid signature whose body is not the expected event: not JSON,
    not a JSON object, or without a ``type`` string (see docs/webhooks.md for the payload we
    assume). The message says which; it never shows the body."""


def _rebuild(cls: type[Exception], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Exception:
    """Unpickle an error whose constructor takes keyword-only arguments."""
    return cls(*args, **kwargs)


_BY_STATUS: dict[int, type[APIStatusError]] = {
    401: AuthenticationError,
    402: InsufficientBalanceError,
    403: PermissionDeniedError,
    404: NotFoundError,
    422: UnprocessableEntityError,
    426: LicenseLimitError,
    429: RateLimitError,
}


def _readable(body: Any, status: int) -> str:
    if isinstance(body, dict):
        message = body.get("message")
        if isinstance(message, str) and message:
            return message
    if isinstance(body, str) and body.strip():
        text = " ".join(body.split())
        if text.lower().startswith(("<!doctype", "<html")):
            return f"HTTP {status} with an HTML body (a proxy or gateway page?): {text[:120]}"
        return text[:300]
    return f"HTTP {status}"


def error_for_status(
    status: int,
    body: Any,
    headers: Mapping[str, str] | None = None,
    *,
    method: str = "",
    path: str = "",
) -> APIStatusError:
    """Build the typed error for a non-2xx response (pure: no I/O).

    ``body`` is the parsed JSON body, or the raw text when the body is not JSON.
    """
    cls = _BY_STATUS.get(status)
    if cls is None:
        cls = ServerError if status >= 500 else APIStatusError
    return cls(
        _readable(body, status),
        status=status,
        body=body,
        headers=headers,
        method=method,
        path=path,
    )
