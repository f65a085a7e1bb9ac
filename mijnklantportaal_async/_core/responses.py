"""Raw responses: what ``mkp.<area>.with_raw_response.<method>(...)`` answers.

The request path (``http.py``) hands every 2xx answer to :func:`note_response`; a raw call
runs the ordinary method inside :func:`capture`, which keeps the last answer of that call
(in its own context: concurrent calls never see each other's), and wraps the method's result
and that answer in a :class:`RawResponse`. Nothing here does I/O.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Generic, TypeVar

import attrs
import yarl
from multidict import CIMultiDict, CIMultiDictProxy

from mijnklantportaal_async._core.request import ApiResponse

__all__ = ["Capture", "RateLimitState", "RawResponse", "capture", "note_response"]

R = TypeVar("R")


def _header_int(headers: Mapping[str, str], name: str) -> int | None:
    raw = headers.get(name)
    if raw is None:
        return None
    try:
        return int(str(raw).strip())
    except ValueError:
        return None


@attrs.frozen
class RateLimitState:
    """The API's rate-limit headers on one response (api/NOTES.md section 4).

    Attributes:
        limit: requests allowed per window (``X-RateLimit-Limit``; the API's 60 a minute).
        remaining: requests left in the window after this one (``X-RateLimit-Remaining``).
        reset: when the window frees up again, aware UTC (``X-RateLimit-Reset``, UNIX
            seconds; the API sends it with a 429 only).

    Each is None when the response did not carry the header (or carried no number).
    """

    limit: int | None = None
    remaining: int | None = None
    reset: datetime | None = None

    @classmethod
    def from_headers(cls, headers: Mapping[str, str]) -> RateLimitState:
        """Read the three headers, in any case."""
        headers = CIMultiDict(headers)
        reset = _header_int(headers, "X-RateLimit-Reset")
        moment = None
        if reset is not None:
            try:
                moment = datetime.fromtimestamp(reset, tz=UTC)
            except (OverflowError, OSError, ValueError):
                moment = None
        return cls(
            limit=_header_int(headers, "X-RateLimit-Limit"),
            remaining=_header_int(headers, "X-RateLimit-Remaining"),
            reset=moment,
        )


class RawResponse(Generic[R]):
    """One method's result with the HTTP answer it came from.

    ``raw = await mkp.customers.with_raw_response.get(customer_id)``:

    - ``raw.status``: the HTTP status (int, 2xx: an error status raises as usual);
    - ``raw.headers``: the response headers, a read-only case-insensitive mapping;
    - ``raw.rate_limit``: a :class:`RateLimitState` (``limit``, ``remaining``, ``reset``);
    - ``raw.url``: the URL that answered;
    - ``raw.operation_id``: the API operation (``"get-customer"``);
    - ``raw.parse()``: what the method itself returns (the model, a ``Page`` of a list, the
      bytes written by a download).

    When a method makes more than one API request (a download whose link had expired asks for
    a fresh one), the response is that of the last one.
    """

    __slots__ = ("_result", "headers", "operation_id", "rate_limit", "status", "url")

    def __init__(self, response: ApiResponse, result: R, *, operation_id: str) -> None:
        self.status: int = response.status
        self.headers: Mapping[str, str] = CIMultiDictProxy(CIMultiDict(response.headers))
        self.url: yarl.URL = response.url
        self.operation_id = operation_id
        self.rate_limit = RateLimitState.from_headers(self.headers)
        self._result = result

    def parse(self) -> R:
        """The method's result, as the method without ``with_raw_response`` returns it."""
        return self._result

    def __repr__(self) -> str:
        return f"RawResponse({self.operation_id!r}, status={self.status})"


@attrs.define
class Capture:
    """The last 2xx answer seen inside a :func:`capture` block, with its operation."""

    response: ApiResponse | None = None
    operation_id: str = ""

    def wrap(self, result: R) -> RawResponse[R]:
        """``result`` with the captured answer.

        Raises:
            RuntimeError: the method made no API request (a bug: every method makes one).
        """
        if self.response is None:
            raise RuntimeError("the call made no API request; nothing to show raw")
        return RawResponse(self.response, result, operation_id=self.operation_id)


_CAPTURE: contextvars.ContextVar[Capture | None] = contextvars.ContextVar(
    "mijnklantportaal_raw_capture", default=None
)


@contextlib.contextmanager
def capture() -> Iterator[Capture]:
    """Keep the last 2xx answer the request path gets inside the block (this task and the
    tasks it starts)."""
    seen = Capture()
    token = _CAPTURE.set(seen)
    try:
        yield seen
    finally:
        _CAPTURE.reset(token)


def note_response(response: ApiResponse, operation_id: str) -> None:
    """Called by the request path with every 2xx answer; kept when a :func:`capture` is on."""
    seen = _CAPTURE.get()
    if seen is not None:
        seen.response = response
        seen.operation_id = operation_id
