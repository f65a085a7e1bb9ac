"""The one request path: URL, headers, rate limit, send, retry, error mapping, parsing.

Every API call goes through :meth:`HTTPCore.request` (or :meth:`HTTPCore.request_url` for a
``next_page_url``), with a ``cast_to`` that reads the 2xx body (:func:`as_model`,
:func:`as_data_list`, the paginator's page reader). One call is one or more attempts; whether a
failed attempt is repeated is decided by the pure functions of ``retry.py``
(``docs/architecture.md``, "Exactly once"): a write that may have been processed raises
:class:`~mijnklantportaal_async.errors.AmbiguousWriteError` and is never resent. The bearer
token travels only in the Authorization header; it comes from a
:class:`~mijnklantportaal_async._core.request.Credentials` source (an API key, or an OAuth token
that is refreshed before it expires and once on a 401), is kept in a
:class:`~mijnklantportaal_async._core.log.Secret` and appears in no repr, log line or error.
:meth:`HTTPCore.with_options` makes a view with its own timeouts, retries and extra headers that
shares the session, the rate limiter and the credentials.

Its settings (:class:`Timeouts`, :class:`RetryPolicy`, the base URL check) live in
``settings.py`` and the call's values (:class:`ApiRequest`, :class:`ApiResponse`, the body
interface) in ``request.py``; both are re-exported here.
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import copy
import functools
import json
import math
import random
import re
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar, overload

import aiohttp
import attrs
import yarl
from aiohttp import hdrs

from mijnklantportaal_async._core.log import (
    Secret,
    log_attempt,
    redact,
    redact_body,
    secret_key,
)
from mijnklantportaal_async._core.request import (
    ApiRequest,
    ApiResponse,
    AttemptBody,
    Credentials,
    FormBody,
    JsonBody,
    RateLimiterLike,
    RequestBody,
    RequestHeaders,
    StaticKey,
)
from mijnklantportaal_async._core.responses import note_response
from mijnklantportaal_async._core.retry import (
    Outcome,
    backoff_delay,
    classify_exception,
    classify_status,
    idempotency_key,
    is_write,
    never_sent,
    parse_retry_after,
)
from mijnklantportaal_async._core.settings import (
    DEFAULT_USER_AGENT,
    MAX_RESPONSE_BYTES,
    MAX_RETRY_WAIT,
    RetryPolicy,
    Timeouts,
    check_base_url,
)
from mijnklantportaal_async.errors import (
    MAX_BODY_CHARS,
    AmbiguousWriteError,
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    ClientClosedError,
    EventLoopError,
    MijnKlantportaalError,
    error_for_status,
)

__all__ = [
    "DEFAULT_USER_AGENT",
    "MAX_RETRY_WAIT",
    "ApiRequest",
    "ApiResponse",
    "FormBody",
    "HTTPCore",
    "JsonBody",
    "RateLimiterLike",
    "RequestBody",
    "RetryPolicy",
    "Timeouts",
    "as_data_list",
    "as_model",
    "transport_error",
]

T = TypeVar("T")

# An already percent-encoded path: RFC 3986 pchar and "/", nothing else (no query, no fragment).
_PATH = re.compile(r"(/[A-Za-z0-9\-._~!$&'()*+,;=:@%]*)+")
_NO_DEADLINE = contextlib.nullcontext()  # stateless: one instance serves every attempt
_DEFAULT_TIMEOUTS = Timeouts()
_DEFAULT_RETRY = RetryPolicy()
MAX_JSON_DEPTH = 64
"""Nesting levels of an API answer's JSON: the API's objects nest a few levels; deeper is
not an answer (and would exhaust the stack of whatever walks it)."""


@attrs.define  # not frozen: made for every attempt, and frozen attrs classes build slower
class _Attempt:
    """What one attempt gave: a response (status, headers, raw body) or an exception."""

    status: int = 0
    headers: Mapping[str, str] = attrs.field(factory=dict)
    raw: bytes = attrs.field(default=b"", repr=False)  # the answer: as ApiResponse.body
    charset: str | None = None
    content_type: str = ""
    url: yarl.URL | None = None
    # Not in the repr: an aiohttp exception may carry the request's headers (the key), and
    # tools that print a traceback's locals print this object.
    exc: BaseException | None = attrs.field(default=None, repr=False)
    problem: str | None = None  # why the body was not read whole (larger than the cap)


class HTTPCore:
    """The shared request path of one client: one base URL, one credential source, one session.

    Args:
        api_key: the bearer token; kept privately, never shown.
        credentials: where each attempt's bearer token comes from (instead of ``api_key``;
            an OAuth token manager); a 401 is sent again once when it has a new token.
        base_url: the API root; https, or plain http on a loopback host only.
        session: used and never closed; without one, a session is made on first use and
            closed by :meth:`aclose`.
        timeouts, retry: see :class:`Timeouts`, :class:`RetryPolicy`.
        limiter: ``acquire()`` is awaited before every attempt, ``observe(status, headers)``
            called when its response arrives, ``settle()`` when it ended without one.
        user_agent: the User-Agent header.
        extra_headers: sent with every request (checked by ``check_extra_headers``).
        sleep, rng: the backoff's clock and randomness (injectable for tests).

    Raises:
        ValueError: an empty or malformed key (or neither ``api_key`` nor ``credentials``),
            or a base URL that is not https on a non-loopback host (the message names
            ``base_url``, never the key).
    """

    def __init__(
        self,
        *,
        api_key: str | Secret | None = None,
        credentials: Credentials | None = None,
        base_url: str | yarl.URL,
        session: aiohttp.ClientSession | None = None,
        timeouts: Timeouts = _DEFAULT_TIMEOUTS,
        retry: RetryPolicy = _DEFAULT_RETRY,
        limiter: RateLimiterLike | None = None,
        user_agent: str = DEFAULT_USER_AGENT,
        extra_headers: Mapping[str, str] | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        rng: random.Random | None = None,
    ) -> None:
        if credentials is None:
            credentials = StaticKey(secret_key(api_key or ""))
        self._credentials = credentials
        self._root = self  # the HTTPCore whose session and state a with_options view shares
        self._extra_headers = dict(extra_headers or {})
        self.base_url = check_base_url(base_url)
        self._session = session
        self._owns_session = session is None
        self._closed = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self.retry = retry
        self._limiter = limiter
        self._user_agent = user_agent
        self._sleep = sleep
        self._rng = rng if rng is not None else random.Random()  # noqa: S311 (jitter only)
        self._set_timeouts(timeouts)
        self._fixed_headers = self._headers_of_every_request()

    def _headers_of_every_request(self) -> dict[str, str]:
        # extra headers are checked: never Authorization or Idempotency-Key
        return {"Accept": "application/json", "User-Agent": self._user_agent, **self._extra_headers}

    def _set_timeouts(self, timeouts: Timeouts) -> None:
        self.timeouts = timeouts
        # An upload: connect and read silence only (and ``total`` if set); its answer's
        # deadline starts at the answer's first byte (``_attempt``).
        self._client_timeout = aiohttp.ClientTimeout(
            total=timeouts.total, connect=timeouts.connect, sock_read=timeouts.read
        )
        # Any other request: one deadline from sending it to its answer's last byte (aiohttp's
        # total, which also covers the body read). Its answer is small, so waiting ``read``
        # seconds for all of it bounds the silence as ``read`` promises, without aiohttp's
        # sock_read: that re-arms a timer on every chunk received, which cost every call
        # about a twentieth of a raw aiohttp request (benchmarks/overhead.py).
        bounded = min(timeouts.total or math.inf, timeouts.response, timeouts.read)
        self._answer_timeout = aiohttp.ClientTimeout(total=bounded, connect=timeouts.connect)

    @property
    def limiter(self) -> RateLimiterLike | None:
        """The rate limiter every attempt goes through (None: off)."""
        return self._limiter

    def __repr__(self) -> str:
        # getattr: a traceback's locals may show a half-built one (its key was refused)
        return f"HTTPCore(base_url={str(getattr(self, 'base_url', None))!r}, api_key=***)"

    def with_options(
        self,
        *,
        timeouts: Timeouts | None = None,
        retry: RetryPolicy | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> HTTPCore:
        """A view of this request path with other ``timeouts``, ``retry`` or more
        ``extra_headers`` (added to this one's; already checked). It shares the session, its
        closing, the rate limiter and the credentials; its :meth:`aclose` closes nothing."""
        view = copy.copy(self)
        if timeouts is not None:
            view._set_timeouts(timeouts)
        if retry is not None:
            view.retry = retry
        view._extra_headers = {**self._extra_headers, **(extra_headers or {})}
        view._fixed_headers = view._headers_of_every_request()
        return view

    @overload
    async def request(self, req: ApiRequest) -> ApiResponse: ...

    @overload
    async def request(self, req: ApiRequest, cast_to: Callable[[ApiResponse], T]) -> T: ...

    async def request(
        self, req: ApiRequest, cast_to: Callable[[ApiResponse], T] | None = None
    ) -> ApiResponse | T:
        """Send ``req`` (retrying where safe) and return its 2xx response, read by ``cast_to``
        when given (:func:`as_model` reads a response model).

        Raises:
            APIStatusError: a non-2xx answer, as its subclass by status
                (``errors.error_for_status``); after the last retry for 429/5xx.
            AmbiguousWriteError: a write that may have been processed (carries
                ``req.natural_key``; its ``cause`` is the typed error of the last attempt),
                also when its 2xx answer cannot be read by ``cast_to``.
            APIResponseValidationError: a read's 2xx answer cannot be read by ``cast_to``.
            APIConnectionError, APITimeoutError: the connection failed (``sent`` says
                whether the request may have reached the server).
            ClientClosedError: :meth:`aclose` was called; nothing is sent.
            ValueError: ``req.path`` is not a percent-encoded absolute path.
        """
        path = req.path
        # "//", "/./" or "/../" inside the path (an empty or dot segment before the last)
        if not _PATH.fullmatch(path) or (
            ("//" in path or "/." in path)
            and any(s in ("", ".", "..") for s in path.split("/")[1:-1])
        ):
            raise ValueError(f"path must be a percent-encoded path like '/customers': {path!r}")
        base_path = self.base_url.raw_path.rstrip("/")
        url = self.base_url.with_path(base_path + req.path, encoded=True)
        response = await self._call(req, url)
        return response if cast_to is None else self._read(req, response, cast_to)

    @overload
    async def request_url(self, url: str | yarl.URL, *, operation_id: str) -> ApiResponse: ...

    @overload
    async def request_url(
        self, url: str | yarl.URL, *, operation_id: str, cast_to: Callable[[ApiResponse], T]
    ) -> T: ...

    async def request_url(
        self,
        url: str | yarl.URL,
        *,
        operation_id: str,
        cast_to: Callable[[ApiResponse], T] | None = None,
    ) -> ApiResponse | T:
        """GET an absolute URL of the API (a ``next_page_url``); errors as :meth:`request`.

        Raises:
            ValueError: the URL's origin (scheme, host, port) differs from ``base_url``: the key
                is never sent to another host.
        """
        target = yarl.URL(url) if isinstance(url, str) else url
        if not target.is_absolute() or (target.scheme, target.host, target.port) != (
            self.base_url.scheme,
            self.base_url.host,
            self.base_url.port,
        ):
            raise ValueError(
                f"refusing to send the API key to {target.scheme}://{target.host}: "
                f"not the origin of base_url {self.base_url.origin()}"
            )
        req = ApiRequest(method="GET", path=target.raw_path_qs, operation_id=operation_id)
        response = await self._call(req, target)
        return response if cast_to is None else self._read(req, response, cast_to)

    def _read(
        self, req: ApiRequest, response: ApiResponse, cast_to: Callable[[ApiResponse], T]
    ) -> T:
        """``cast_to(response)``; a ValueError from it (the body is not what was expected)
        becomes :meth:`unreadable_response`'s error: the one rule for an unreadable 2xx body."""
        try:
            return cast_to(response)
        except ValueError as exc:
            problem = str(exc)
        raise self.unreadable_response(req, response, problem)

    async def aclose(self) -> None:
        """Close the session if this HTTPCore made it; a session passed in stays open. A
        :meth:`with_options` view closes nothing (the HTTPCore it came from owns the session)."""
        if self._root is not self:
            return
        self._closed = True
        session, self._session = self._session, None
        if self._owns_session and session is not None:
            await session.close()

    def _check_open(self) -> None:
        """Refuse a call on a closed client, or from another event loop than the session's."""
        root = self._root
        if root._closed:
            raise ClientClosedError("this client is closed; make a new one")
        loop = asyncio.get_running_loop()
        if root._loop is None:
            root._loop = loop
        elif loop is not root._loop:
            raise EventLoopError(
                "this client was first used in another event loop, whose connections it holds; "
                "make one client per event loop (for example in your app's lifespan)"
            )

    def session(self) -> aiohttp.ClientSession:
        """The session requests go through (made on first use when none was passed in).

        It carries no credentials: the key is added per request. Used for download links.

        Raises:
            ClientClosedError: the client is closed.
        """
        self._check_open()  # again: aclose() may have run during a retry's backoff
        if self._root is not self:
            return self._root.session()
        if self._session is None:
            session = aiohttp.ClientSession(
                timeout=self._client_timeout, cookie_jar=aiohttp.DummyCookieJar()
            )
            # aiohttp resends a PUT or DELETE once by itself when the server drops the
            # connection (RFC 9112's retry of idempotent methods). A DELETE that closes a payment
            # link may have been processed; only retry.py decides what is sent again. aiohttp's
            # own test client turns it off the same way; a session passed in is left as it is.
            session._retry_connection = False
            self._session = session
        return self._session

    async def _call(self, req: ApiRequest, url: yarl.URL) -> ApiResponse:
        self._check_open()  # before a rate-limit slot is taken
        method = req.method.upper()
        write = is_write(method)
        fixed = self._fixed_headers.copy()
        if write:
            fixed["Idempotency-Key"] = idempotency_key()
        attempt = 0
        renewed = False  # a 401 is sent again once, with a new token, if the source has one
        while True:
            attempt += 1
            # A fresh body for every attempt, built before any I/O: a file missing now or a
            # one-shot source already used raises RequestValidationError naming the field.
            body = req.body.open() if req.body is not None else None
            # Before the rate-limit slot: an OAuth token about to expire is refreshed here.
            token = await self._credentials.bearer()
            headers = RequestHeaders(token, fixed)
            if self._limiter is not None:
                await self._limiter.acquire()
            started = time.monotonic()
            result = await self._attempt(method, url, headers, req, body, write)
            elapsed_ms = (time.monotonic() - started) * 1000.0
            error: MijnKlantportaalError
            if result.exc is not None:
                label = type(result.exc).__name__
                if body is not None and body.source_error is not None:
                    # The body was cut before it was complete (a file vanished or failed to
                    # read): no server can have processed it, and resending cannot help.
                    log_attempt(
                        method, req.path, label, elapsed_ms, attempt, req.operation_id, "reject"
                    )
                    raise body.source_error
                one_shot = body is not None and body.one_shot_started
                outcome = classify_exception(method, result.exc, body_started=one_shot)
                error = self._connection_error(method, req.path, result.exc)
                retry_after = None
            else:
                label = str(result.status)
                outcome = classify_status(method, result.status, result.headers)
                if outcome is Outcome.SUCCESS:
                    log_attempt(method, req.path, label, elapsed_ms, attempt, req.operation_id)
                    response = self._answer(req, result)
                    note_response(response, req.operation_id)  # for with_raw_response
                    return response
                if result.status == 401 and not renewed:
                    renewed = True  # once per call: a second 401 is final
                    # An OAuth source renews its token (for the calls to come, too); the
                    # request is sent again unless its one-shot body cannot be.
                    if await self._credentials.rejected(token) and not (
                        body is not None and body.one_shot_started
                    ):
                        log_attempt(
                            method, req.path, label, elapsed_ms, attempt, req.operation_id, "renew"
                        )
                        continue
                error = self._status_error(method, req.path, result)
                retry_after = parse_retry_after(result.headers)
            delay = 0.0
            if outcome is Outcome.RETRY:
                delay = backoff_delay(
                    attempt,
                    base=self.retry.backoff_base,
                    cap=self.retry.backoff_cap,
                    retry_after=retry_after,
                    rng=self._rng,
                )
                if (
                    attempt > self.retry.max_retries
                    or delay > MAX_RETRY_WAIT
                    or (body is not None and body.one_shot_started)
                ):
                    outcome = Outcome.REJECT  # give up: the last typed error is final
            log_attempt(
                method, req.path, label, elapsed_ms, attempt, req.operation_id, outcome.value, delay
            )
            if outcome is Outcome.RETRY:
                await self._sleep(delay)
                continue
            if outcome is Outcome.AMBIGUOUS:
                raise AmbiguousWriteError(
                    f"outcome unknown after {label}",
                    natural_key=req.natural_key or {},
                    cause=error,
                    method=method,
                    path=req.path,
                ) from error
            raise error

    async def _attempt(
        self,
        method: str,
        url: yarl.URL,
        headers: RequestHeaders,
        req: ApiRequest,
        body: AttemptBody | None,
        write: bool,
    ) -> _Attempt:
        """One send; never raises a transport error (it is returned, for classification).

        Deadlines (``Timeouts.response``): a request without a file must be answered in full
        within it; an upload's answer must arrive in full within it of its first byte. A
        timeout is a ``TimeoutError`` (an ``OSError``), classified like a read timeout."""
        session = self.session()
        answered = False
        upload = req.body is not None and not isinstance(req.body, JsonBody)
        try:
            async with session.request(
                method,
                url,
                headers=headers,
                params=req.params,
                data=None if body is None else body.payload,
                allow_redirects=not write,
                timeout=self._client_timeout if upload else self._answer_timeout,
                raise_for_status=False,
            ) as resp:
                answered = True
                if self._limiter is not None:
                    self._limiter.observe(resp.status, resp.headers)
                problem = None
                try:
                    async with asyncio.timeout(self.timeouts.response) if upload else _NO_DEADLINE:
                        raw, problem = await _read_capped(resp, MAX_RESPONSE_BYTES)
                except (aiohttp.ClientError, OSError) as exc:
                    if 200 <= resp.status < 300:
                        return _Attempt(exc=exc)
                    raw = b""  # the status is the answer; a cut error body changes nothing
                return _Attempt(
                    status=resp.status,
                    headers=resp.headers,
                    raw=raw,
                    charset=resp.charset,
                    content_type=resp.content_type,
                    url=resp.url,
                    problem=problem,
                )
        except (aiohttp.ClientError, OSError) as exc:
            return _Attempt(exc=exc)
        finally:
            if not answered and self._limiter is not None:
                self._limiter.settle()  # no answer will come for this send

    def _answer(self, req: ApiRequest, result: _Attempt) -> ApiResponse:
        """The 2xx ``result`` as an :class:`ApiResponse`, its body decoded strictly: a body
        cut at the size cap, in a charset it is not, or not JSON where JSON was said (or
        nested deeper than :data:`MAX_JSON_DEPTH`, or with NaN or Infinity) raises
        :meth:`unreadable_response`'s error, the rule for every unreadable 2xx."""
        assert result.url is not None
        problem = result.problem
        if problem is None:
            try:
                body = _decode_answer(result.raw, result.content_type, result.charset)
            except ValueError as exc:
                problem = str(exc)
            else:
                return ApiResponse(result.status, result.headers, body, result.url)
        shown = _decode(result.raw, result.content_type, result.charset)
        response = ApiResponse(result.status, result.headers, shown, result.url)
        raise self.unreadable_response(req, response, problem)

    def unreadable_response(
        self, req: ApiRequest, response: ApiResponse, problem: str
    ) -> AmbiguousWriteError | APIResponseValidationError:
        """The error for a 2xx ``response`` to ``req`` whose body is not the expected object.

        ``problem`` says what could not be read. A read gets an
        :class:`APIResponseValidationError` (status, headers and the body, redacted, text cut
        to ``MAX_BODY_CHARS``); a write an :class:`AmbiguousWriteError` carrying
        ``req.natural_key`` with that error as its ``cause``: the object was probably
        created, so it must be looked up, never created again blindly.
        """
        method = req.method.upper()
        shown = self._credentials.secrets()
        body = redact_body(response.body, shown)
        if isinstance(body, str) and len(body) > MAX_BODY_CHARS:
            body = body[:MAX_BODY_CHARS] + "..."
        headers = {k: redact(v, shown) for k, v in response.headers.items()}
        error = APIResponseValidationError(
            redact(problem, shown),
            status=response.status,
            body=body,
            headers=headers,
            method=method,
            path=req.path,
        )
        if not is_write(method):
            return error
        ambiguous = AmbiguousWriteError(
            f"answered {response.status} but the response could not be read, so the object "
            "was probably created",
            natural_key=req.natural_key or {},
            cause=error,
            method=method,
            path=req.path,
        )
        ambiguous.__cause__ = error
        return ambiguous

    def _connection_error(self, method: str, path: str, exc: BaseException) -> APIConnectionError:
        shown = self._credentials.secrets()
        return transport_error(method, path, exc, clean=lambda text: redact(text, shown))

    def _status_error(self, method: str, path: str, result: _Attempt) -> APIStatusError:
        text = _decode(result.raw, result.content_type, result.charset)
        shown = self._credentials.secrets()
        body = redact_body(text, shown)
        headers = {k: redact(v, shown) for k, v in result.headers.items()}
        return error_for_status(result.status, body, headers, method=method, path=path)


def transport_error(
    method: str, path: str, exc: BaseException, *, clean: Callable[[str], str]
) -> APIConnectionError:
    """The typed error for a request that got no answer: :class:`APITimeoutError` for a
    timeout, else :class:`APIConnectionError`; ``sent`` says whether it may have reached the
    server. ``clean`` scrubs the exception's text (the key, a link's signature).

    Call it outside any ``except`` block and never chain the result: aiohttp exceptions hold
    the request (its headers, and so the key)."""
    detail = clean(f"{type(exc).__name__}: {exc}")
    sent = not never_sent(exc)
    if isinstance(exc, TimeoutError):
        cls: type[APIConnectionError] = APITimeoutError
        what = "timed out" + (" waiting for the response" if sent else " connecting")
    else:
        cls = APIConnectionError
        what = "connection failed" + ("" if sent else " (request not sent)")
    return cls(f"{method} {path}: {what} ({detail})", method=method, path=path, sent=sent)


def as_model(cls: type[T]) -> Callable[[ApiResponse], T]:
    """A ``cast_to`` for :meth:`HTTPCore.request` that reads the body as the response model
    ``cls`` (``wire.from_wire``; ValueError when it is not one)."""
    read = _MODEL_READERS.get(cls)
    if read is None:
        # Deferred (cattrs): a client is made without it; see "Import policy" in
        # docs/architecture.md. Once per model, as the reader is kept.
        from mijnklantportaal_async._core.wire import reader

        structure = reader(cls)

        def read(response: ApiResponse) -> Any:
            return structure(response.body)

        read.__qualname__ = f"as_model({cls.__name__})"
        _MODEL_READERS[cls] = read
    return read


def as_data_list(cls: type[T]) -> Callable[[ApiResponse], tuple[T, ...]]:
    """A ``cast_to`` that reads a plain ``{"data": [...]}`` answer (not paginated) as a tuple
    of the response model ``cls`` (ValueError when it is not one)."""
    from mijnklantportaal_async._core.wire import reader  # deferred, as in as_model

    structure = reader(cls)

    def read(response: ApiResponse) -> tuple[T, ...]:
        body = response.body
        data = body.get("data") if isinstance(body, Mapping) else None
        if not isinstance(data, list):
            raise ValueError("the answer has no data array")
        return tuple(structure(item) for item in data)

    read.__qualname__ = f"as_data_list({cls.__name__})"
    return read


# as_model's readers, one per response model (as many as the package has), made once
_MODEL_READERS: dict[type, Callable[[ApiResponse], Any]] = {}


async def _read_capped(resp: aiohttp.ClientResponse, limit: int) -> tuple[bytes, str | None]:
    """The body of ``resp``, decompressed, and None; or its first ``limit`` bytes and why it
    was not read whole (the rest is not read: the connection is closed)."""
    length = resp.content_length
    if length is not None and length <= limit and hdrs.CONTENT_ENCODING not in resp.headers:
        # Framed by its length and not compressed: what is read is what was announced.
        return await resp.read(), None
    chunks: list[bytes] = []
    size = 0
    async for chunk in resp.content.iter_chunked(64 * 1024):
        size += len(chunk)
        if size > limit:
            resp.close()
            return b"".join(chunks), f"the answer is larger than {limit} bytes"
        chunks.append(chunk)
    return b"".join(chunks), None


def _text_of(raw: bytes, content_type: str, charset: str | None) -> str | None:
    """``raw`` as text: JSON as UTF-8 (RFC 8259) else in its declared charset, and the other
    one when that fails; None when neither reads it (an unknown charset is skipped)."""
    if "json" in content_type:  # the usual answer: UTF-8 JSON
        try:
            return raw.decode("utf-8")
        except UnicodeError:
            pass
    declared = charset if charset and _is_text_codec(charset) else None
    order = ["utf-8", declared] if "json" in content_type else [declared, "utf-8"]
    for encoding in dict.fromkeys(e for e in order if e is not None):
        try:
            return raw.decode(encoding)
        except (UnicodeError, ValueError):
            continue
    return None


@functools.lru_cache(maxsize=32)  # a server's charset names: few, and bounded here
def _is_text_codec(name: str) -> bool:
    try:
        return codecs.lookup(name)._is_text_encoding  # not "hex", "rot13", "zlib"...
    except (LookupError, ValueError, TypeError):
        return False


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number an answer can hold")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text[:40]} is out of range")
    return value


_STRICT_JSON = json.JSONDecoder(parse_constant=_refuse_constant, parse_float=_finite_float)


def _json(text: str) -> Any:
    """``text`` parsed as JSON: strictly (no NaN, Infinity or numbers too large for a float),
    nested at most :data:`MAX_JSON_DEPTH` levels. Raises ValueError naming the problem."""
    try:
        value = _STRICT_JSON.decode(text)
    except RecursionError:
        raise ValueError(f"the JSON is nested deeper than {MAX_JSON_DEPTH} levels") from None
    except ValueError as exc:
        raise ValueError(f"not valid JSON: {exc}") from None
    if text.count("{") + text.count("[") <= MAX_JSON_DEPTH:
        return value  # each level opens with one of them: it cannot be nested deeper
    level: list[tuple[Any, int]] = [(value, 1)] if isinstance(value, dict | list) else []
    while level:  # iterative: the depth check itself must not recurse
        node, depth = level.pop()
        if depth > MAX_JSON_DEPTH:
            raise ValueError(f"the JSON is nested deeper than {MAX_JSON_DEPTH} levels")
        children = node.values() if isinstance(node, dict) else node
        level.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return value


def _decode_answer(raw: bytes, content_type: str, charset: str | None) -> Any:
    """A 2xx body: parsed JSON when it is JSON (by its content type or its first character),
    else its text; None when empty. Raises ValueError: the bytes are not text in its charset
    or in UTF-8, or it is not valid JSON (see :func:`_json`)."""
    if not raw.strip():
        return None
    text = _text_of(raw, content_type, charset)
    if text is None:
        shown = f"charset {charset!r}" if charset else "UTF-8"
        raise ValueError(f"the answer is not text in its {shown} (nor in UTF-8)")
    if "json" in content_type or text.lstrip()[:1] in ("{", "["):
        return _json(text)
    return text


def _decode(raw: bytes, content_type: str, charset: str | None) -> Any:
    """Parsed JSON when the body is JSON, else its text (bytes that do not decode replaced);
    None when empty. Never raises: it reads error bodies, and shows unreadable ones."""
    try:
        return _decode_answer(raw, content_type, charset)
    except ValueError:
        text = _text_of(raw, content_type, charset)
        return text if text is not None else raw.decode("utf-8", errors="replace")
