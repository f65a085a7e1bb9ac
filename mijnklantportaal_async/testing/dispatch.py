"""The request pipeline every FakePortal route shares.

For each request, in order: log it; check the bearer key (401); take a rate-limit slot (429);
decide the faults (latency, then one fault kind); answer a fault *before processing* or run the
handler (422 also for a body that cannot be read, 426/402/404/201/200, 501 for operations
without a handler); then inject a fault
*after the store* or send the handler's answer. Every response is recorded on its request's
:class:`RequestRecord` and handed to the active :func:`~.observe.watch_responses` watches.

Early answers (401, 429, injected 5xx) read and discard the request body first, as the real
stack does (its web server buffers the whole upload before the application sees it); only
``reset_before`` cuts the connection while the body may still be arriving.

Every response carries ``X-RateLimit-Limit`` and ``X-RateLimit-Remaining`` (unless the rate
limit is off), as the docs say. Answers that take no slot report the window without counting:
a 401 the full limit (the real API authenticates before it throttles, and its budget is per
key, so a request without a valid key spends none), an unknown path or method (404/405) the
key's remaining requests (Laravel throttles matched routes only). Everything after the rate
limit, injected faults and gateway pages included, reports the slot it took.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import Awaitable, Callable, Collection, Sequence
from typing import Any

from aiohttp import web

from mijnklantportaal_async.testing.faults import (
    AFTER_STORE,
    BEFORE_PROCESSING,
    FaultInjector,
    FaultKind,
    FaultRecord,
)
from mijnklantportaal_async.testing.forms import BodyError
from mijnklantportaal_async.testing.handlers._common import ApiError, Call, Reply
from mijnklantportaal_async.testing.limits import RollingWindow
from mijnklantportaal_async.testing.oauth import OAuthServer
from mijnklantportaal_async.testing.observe import notify_response
from mijnklantportaal_async.testing.records import RequestRecord
from mijnklantportaal_async.testing.routes import Route
from mijnklantportaal_async.testing.state import PortalState
from mijnklantportaal_async.testing.validation import ValidationFailed

__all__ = ["Pipeline"]

_LOG = logging.getLogger("mijnklantportaal_async.testing")

_GATEWAY_PAGES = {
    502: "502 Bad Gateway",
    504: "504 Gateway Time-out",
}
_MAX_JSON_BODY = 32 * 1024 * 1024


class Pipeline:
    """The aiohttp application of one portal and the log of what it served.

    ``api_keys`` is shared with the portal (keys added later are accepted); ``oauth``, when
    given, vouches for its live access tokens too; ``rate_window`` is None when the rate limit
    is off. ``closing`` is set when the portal closes, which ends
    stalls that wait for it.
    """

    def __init__(
        self,
        state: PortalState,
        *,
        api_keys: set[str],
        rate_window: RollingWindow | None,
        faults: FaultInjector,
        routes: Sequence[Route],
        oauth: OAuthServer | None = None,
    ) -> None:
        self.state = state
        self.api_keys = api_keys
        self.oauth = oauth
        self.rate_window = rate_window
        self.faults = faults
        self.routes = routes
        self.requests: list[RequestRecord] = []
        self.closing = asyncio.Event()

    def build_app(self) -> web.Application:
        """The aiohttp application serving every route under ``/v1``, the payment pages
        and the object store of the download links (``/storage/{token}``)."""
        app = web.Application(client_max_size=_MAX_JSON_BODY, middlewares=[self._unmatched])
        # Static paths before templated ones, same paths together (one aiohttp resource each).
        for route in sorted(self.routes, key=lambda r: ("{" in r.path, r.path)):
            app.router.add_route(route.method, "/v1" + route.path, self._endpoint(route))
        app.router.add_get("/public-invoice/{invoiceId}/pay/{token}", self._payment_page)
        # The download links' object store: no API key, no rate limit (testing/storage.py).
        app.router.add_get("/storage/{token}", self.state.storage.handle)
        return app

    # -- the pipeline --------------------------------------------------------------------
    def _endpoint(self, route: Route) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
        names = route.names

        async def endpoint(request: web.Request) -> web.StreamResponse:
            return await self._dispatch(route, names, request)

        return endpoint

    async def _dispatch(
        self, route: Route, names: Collection[str], request: web.Request
    ) -> web.StreamResponse:
        record = self._start(request, route)
        key = self._authenticate(request)
        if key is None:
            await _drain(request)
            unauthenticated = {"message": "Unauthenticated."}
            return self._respond(record, 401, unauthenticated, self._peek_headers(None))
        headers: dict[str, str] = {}
        if self.rate_window is not None:
            limit = self.rate_window.hit(key)
            headers = limit.headers()
            if not limit.allowed:
                await _drain(request)
                body = {"code": 429, "message": "Too many requests."}
                return self._respond(record, 429, body, headers)
        decision = self.faults.decide(names)
        if decision.latency is not None:
            record.latency = decision.latency
            await self.faults.sleep(decision.latency)
        kind = decision.kind
        if kind in BEFORE_PROCESSING:
            assert kind is not None
            self._record_latency(record)
            record.fault = kind
            self._record_fault(kind, record)
            return await self._fail_before(kind, record, request, headers)
        try:
            reply = await self._run(route, request, record)
        except _ClientGone:
            return _abort(request)  # nobody to answer; the record keeps status None
        record.stored_id = reply.stored_id
        self._record_latency(record)  # once processed: its record says what was stored
        if kind in AFTER_STORE:
            assert kind is not None
            record.fault = kind
            self._record_fault(kind, record)
            return await self._fail_after(kind, record, request, reply, headers)
        return self._respond(record, reply.status, reply.body, headers)

    async def _run(self, route: Route, request: web.Request, record: RequestRecord) -> Reply:
        if route.handler is None:
            await _drain(request)
            message = f"The FakePortal does not implement {route.operation_id} ({route.key}) yet."
            return Reply(501, {"message": message})
        call = Call(self.state, request, request.match_info, record)
        try:
            return await route.handler(call)
        except ValidationFailed as exc:
            return Reply(422, exc.body())
        except ApiError as exc:
            return Reply(exc.status, {"message": exc.message})
        except BodyError as exc:
            # Laravel reads an unreadable body as no input and answers 422; the FakePortal says
            # why, in the same shape: {"message": ..., "errors": {"body": [...]}}.
            return Reply(422, ValidationFailed({"body": [str(exc)]}).body())
        except ConnectionError as exc:
            if not _client_gone(request):
                _LOG.exception("FakePortal handler %s failed", route.operation_id)
                return Reply(500, {"message": "Server Error"})
            # A client may stop sending a body at any time (a failing upload source, a
            # cancelled task): normal, not a server bug, so one line and no traceback.
            _LOG.debug(
                "FakePortal: the client disconnected during the %s request (%s: %s); "
                "no answer sent",
                route.operation_id,
                type(exc).__name__,
                exc,
            )
            raise _ClientGone from exc
        except Exception:
            _LOG.exception("FakePortal handler %s failed", route.operation_id)
            return Reply(500, {"message": "Server Error"})

    async def _fail_before(
        self, kind: FaultKind, record: RequestRecord, request: web.Request, headers: dict[str, str]
    ) -> web.StreamResponse:
        if kind is FaultKind.RESET_BEFORE:
            return _abort(request)
        await _drain(request)
        if kind is FaultKind.ERROR_502:
            return self._respond_html(record, 502, headers)
        if kind is FaultKind.ERROR_504:
            return self._respond_html(record, 504, headers)
        if kind is FaultKind.ERROR_503:
            headers = {**headers, "Retry-After": str(self.faults.retry_after)}
            return self._respond(record, 503, {"message": "Service Unavailable"}, headers)
        return self._respond(record, 500, {"message": "Server Error"}, headers)

    async def _fail_after(
        self,
        kind: FaultKind,
        record: RequestRecord,
        request: web.Request,
        reply: Reply,
        headers: dict[str, str],
    ) -> web.StreamResponse:
        if kind is FaultKind.RESET_AFTER_STORE:
            return _abort(request)
        if kind is FaultKind.ERROR_500_AFTER_STORE:
            return self._respond(record, 500, {"message": "Server Error"}, headers)
        # STALL_AFTER_STORE
        if self.faults.stall_seconds is None:
            await self.closing.wait()
            return _abort(request)
        await self.faults.sleep(self.faults.stall_seconds)
        return self._respond(record, reply.status, reply.body, headers)

    # -- pieces --------------------------------------------------------------------------
    def _start(self, request: web.Request, route: Route | None) -> RequestRecord:
        headers = {
            name: value
            for name, value in request.headers.items()
            if name.lower() != "authorization"
        }
        record = RequestRecord(
            index=len(self.requests),
            method=request.method,
            path=request.path,
            query=dict(request.query),
            headers=headers,
            operation_id=route.operation_id if route else None,
            route=route.key if route else None,
        )
        self.requests.append(record)
        return record

    def _authenticate(self, request: web.Request) -> str | None:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            return None
        for key in self.api_keys:
            if hmac.compare_digest(token.encode(), key.encode()):
                return key
        # An OAuth access token: accepted like a key while it lives (its own rate window).
        return self.oauth.authenticate(token) if self.oauth is not None else None

    def _record_latency(self, record: RequestRecord) -> None:
        if record.latency is not None:
            self._record_fault(FaultKind.LATENCY, record, delay=record.latency)

    def _record_fault(
        self, kind: FaultKind, record: RequestRecord, *, delay: float | None = None
    ) -> None:
        self.faults.record(
            FaultRecord(
                kind=kind,
                method=record.method,
                path=record.path,
                operation_id=record.operation_id or "",
                request_index=record.index,
                stored=record.stored_id is not None,
                stored_id=record.stored_id,
                delay=delay,
            )
        )

    def _respond(
        self,
        record: RequestRecord,
        status: int,
        body: Any,
        headers: dict[str, str] | None = None,
    ) -> web.Response:
        text = json.dumps(body)
        record.status = status
        record.response_body = json.loads(text)
        record.response_headers = {**(headers or {}), "Content-Type": "application/json"}
        notify_response(record)
        return web.Response(
            status=status, text=text, content_type="application/json", headers=headers
        )

    def _respond_html(
        self, record: RequestRecord, status: int, headers: dict[str, str]
    ) -> web.Response:
        title = _GATEWAY_PAGES[status]
        text = (
            f"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n"
            f"<center><h1>{title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
        )
        record.status = status
        record.response_body = text
        record.response_headers = {**headers, "Content-Type": "text/html"}
        notify_response(record)
        return web.Response(status=status, text=text, content_type="text/html", headers=headers)

    def _peek_headers(self, key: str | None) -> dict[str, str]:
        """Rate-limit headers for an answer that uses no slot (see :meth:`RollingWindow.peek`);
        none when the rate limit is off."""
        return self.rate_window.peek(key).headers() if self.rate_window is not None else {}

    @web.middleware
    async def _unmatched(self, request: web.Request, handler: Any) -> web.StreamResponse:
        """Unknown paths and methods get Laravel's JSON 404/405 (and are logged)."""
        error = request.match_info.http_exception
        if error is None:
            response: web.StreamResponse = await handler(request)
            return response
        record = self._start(request, None)
        await _drain(request)
        if error.status == 405:
            route = request.path.lstrip("/")
            message = f"The {request.method} method is not supported for route {route}."
        else:
            message = f"The route {request.path.lstrip('/')} could not be found."
        headers = self._peek_headers(self._authenticate(request))
        return self._respond(record, error.status, {"message": message}, headers)

    async def _payment_page(self, request: web.Request) -> web.Response:
        invoice = self.state.store.get("customer_invoices", request.match_info["invoiceId"])
        if invoice is None or not invoice["links"]["onlinePaymentLink"]["href"].endswith(
            request.path
        ):
            return web.Response(status=404, text="Not Found", content_type="text/html")
        text = f"<html><body>Pay invoice {invoice['invoiceNumber']}: EUR {invoice['amount']}"
        return web.Response(text=text + "</body></html>", content_type="text/html")


class _ClientGone(Exception):
    """The client closed the connection before its request was read whole."""


def _client_gone(request: web.Request) -> bool:
    """True when the request's connection is closed (the client went away)."""
    transport = request.transport
    return transport is None or transport.is_closing()


async def _drain(request: web.Request) -> None:
    """Read and drop what is left of the body (streamed, nothing kept)."""
    try:
        while await request.content.readany():
            pass
    except (ConnectionError, asyncio.IncompleteReadError):
        pass


def _abort(request: web.Request) -> web.Response:
    """Cut the connection without a response; the returned response is never sent."""
    if request.transport is not None:
        request.transport.abort()
    return web.Response(status=499)
