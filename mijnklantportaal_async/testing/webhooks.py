"""The FakePortal's webhook calls: when its state changes it POSTs the event to every webhook
record of that type, and records each delivery and the receiver's answer.

A handler that changes state calls :func:`deliver` with one line
(``deliver(call.state, "invoice-paid", invoice)``); everything else is here. The real API's
payload and signature are not documented (api/NOTES.md section 6): what this portal sends is
OUR ASSUMPTION, also described in docs/webhooks.md:

- ``POST <url>`` with ``Content-Type: application/json`` and the body
  ``{"type": "<event type>", "data": {<the object, as the API returns it>}}``;
- the ``X-Webhook-Signature`` header: the webhook record's ``secret`` itself
  (``signature="secret"``, the default: what the docs' wording suggests) or the hex
  HMAC-SHA256 of the exact body bytes keyed with the secret (``signature="hmac-sha256"``).
  ``FakePortal(webhook_signature=...)`` picks one per portal, so receivers are tested with
  both.

Deliveries leave after the handler has stored its change, as background tasks on the portal's
event loop, so the API answer never waits for a receiver (which may itself call the API).
``await portal.deliveries_settled()`` waits until every delivery so far has finished
(``FakePortal.close`` does it too), so tests assert on :attr:`WebhookSender.records` without
sleeping. Each delivery is one attempt (the real portal's retries are not documented), bounded
by ``timeout`` seconds, at most :data:`MAX_CONCURRENT_DELIVERIES` at once; its failure (timeout,
refused connection, an error status) is recorded, never raised. Only loopback URLs are called,
so tests never reach the network: a record of another host is recorded as not sent. The secret
is never logged or recorded.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import threading
import time
from collections import deque
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import aiohttp
import attrs
import yarl

from mijnklantportaal_async._core.settings import is_loopback

if TYPE_CHECKING:
    from mijnklantportaal_async.testing.state import PortalState

__all__ = [
    "MAX_CONCURRENT_DELIVERIES",
    "MAX_RECORDED_DELIVERIES",
    "SIGNATURES",
    "SIGNATURE_HEADER",
    "WebhookDelivery",
    "WebhookSender",
    "deliver",
    "signature_for",
]

_LOG = logging.getLogger("mijnklantportaal_async.testing")

SIGNATURE_HEADER = "X-Webhook-Signature"
SIGNATURES = ("secret", "hmac-sha256")
"""How the portal makes the signature header: the secret itself, or the hex HMAC-SHA256 of
the body keyed with it."""
MAX_RECORDED_DELIVERIES = 10_000
"""Deliveries kept in :attr:`WebhookSender.records`; older ones are dropped first."""
MAX_CONCURRENT_DELIVERIES = 16
"""Calls in flight at once; the others wait their turn (their timeout starts when they go)."""
_RESPONSE_KEPT = 1024  # characters of a receiver's answer kept on its record


@attrs.frozen
class WebhookDelivery:
    """One call the FakePortal made (or could not make) to a webhook record's URL.

    - ``index``: its place in the order events happened (``portal.webhook_deliveries`` is in
      that order); ``webhook_id``, ``url`` and ``type`` (``"invoice-paid"``) of the record;
    - ``payload``: the JSON document sent (``{"type": ..., "data": {...}}``) and ``body`` its
      exact bytes; ``signature``: how the header was made (``"secret"`` or
      ``"hmac-sha256"``), never its value;
    - ``status``: the receiver's HTTP status, None when no answer came; ``response_body``: the
      first 1024 characters of its answer; ``error``: why there was no answer (a timeout, a
      refused connection, a URL that is not on a loopback host), else None;
    - ``elapsed``: seconds from sending to the answer (or the failure).
    """

    index: int
    webhook_id: str
    url: str
    type: str
    payload: Mapping[str, Any]
    body: bytes = attrs.field(repr=False)
    signature: str
    status: int | None
    response_body: str = attrs.field(repr=False)
    error: str | None
    elapsed: float

    @property
    def ok(self) -> bool:
        """True when the receiver answered 2xx."""
        return self.status is not None and 200 <= self.status < 300


def signature_for(scheme: str, secret: str, body: bytes) -> str:
    """The ``X-Webhook-Signature`` value the portal sends under ``scheme`` (see
    :data:`SIGNATURES`)."""
    if scheme == "hmac-sha256":
        return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return secret


def check_signature_scheme(scheme: object) -> str:
    """``scheme`` if it is one of :data:`SIGNATURES`, else ValueError naming them."""
    if scheme not in SIGNATURES:
        raise ValueError(
            f"webhook_signature must be one of {', '.join(SIGNATURES)}, not {scheme!r}"
        )
    return str(scheme)


def check_timeout(timeout: object) -> float:
    """``timeout`` as a positive number of seconds, else ValueError."""
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not timeout > 0:
        raise ValueError(f"webhook_timeout must be a positive number of seconds, not {timeout!r}")
    return float(timeout)


@attrs.frozen
class _Call:
    index: int
    webhook_id: str
    url: str
    type: str
    payload: Mapping[str, Any]
    body: bytes
    signature: str
    header: str = attrs.field(repr=False)  # the signature header's value: never shown


class WebhookSender:
    """Sends the portal's webhook calls and keeps their records (one per portal, on
    ``PortalState.deliveries``).

    ``signature``: one of :data:`SIGNATURES`; ``timeout``: seconds a delivery may take in all
    (connect, send, answer). :meth:`start` binds it to the portal's running loop (events before
    that are recorded as not sent); :meth:`send` may be called from any thread.
    """

    def __init__(self, *, signature: str = "secret", timeout: float = 5.0) -> None:
        self.signature = check_signature_scheme(signature)
        self.timeout = check_timeout(timeout)
        self._records: deque[WebhookDelivery] = deque(maxlen=MAX_RECORDED_DELIVERIES)
        self._tasks: set[asyncio.Task[None]] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._session: aiohttp.ClientSession | None = None
        self._slots: asyncio.Semaphore | None = None
        self._count = 0
        self._lock = threading.Lock()

    @property
    def records(self) -> tuple[WebhookDelivery, ...]:
        """The finished deliveries, in the order their events happened."""
        return tuple(sorted(self._records, key=lambda record: record.index))

    def start(self) -> None:
        """Bind to the running loop (the portal's); called when the portal starts serving."""
        self._loop = asyncio.get_running_loop()
        self._slots = asyncio.Semaphore(MAX_CONCURRENT_DELIVERIES)

    def send(self, hooks: Iterable[Mapping[str, Any]], event_type: str, obj: Any) -> None:
        """Deliver ``{"type": event_type, "data": obj}`` to each of ``hooks`` (stored webhook
        wire dicts) whose type is ``event_type``. ``obj`` is copied now, as JSON: a later
        change to it is not sent. Returns at once; the calls run on the portal's loop."""
        targets = [hook for hook in hooks if hook.get("type") == event_type]
        if not targets:
            return
        payload = {"type": event_type, "data": obj}
        body = json.dumps(payload).encode()
        payload = json.loads(body)
        for hook in targets:
            with self._lock:
                index, self._count = self._count, self._count + 1
            call = _Call(
                index=index,
                webhook_id=str(hook.get("id")),
                url=str(hook.get("url")),
                type=event_type,
                payload=payload,
                body=body,
                signature=self.signature,
                header=signature_for(self.signature, str(hook.get("secret", "")), body),
            )
            self._schedule(call)

    def _schedule(self, call: _Call) -> None:
        loop = self._loop
        if loop is None or loop.is_closed():
            self._record(call, error="not sent: the FakePortal was not serving")
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self._spawn(call)
        else:  # a test thread (serve_in_thread's caller) changed the state
            loop.call_soon_threadsafe(self._spawn, call)

    def _spawn(self, call: _Call) -> None:
        if self._loop is None:  # closed while this call waited to be spawned
            self._record(call, error="not sent: the FakePortal was not serving")
            return
        task = asyncio.get_running_loop().create_task(self._post(call))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def settled(self) -> None:
        """Wait until every delivery scheduled so far (and any they led to) has finished.
        Bounded: each delivery ends within ``timeout`` seconds."""
        while self._tasks:
            await asyncio.wait(set(self._tasks))

    async def aclose(self) -> None:
        """Let the deliveries finish, then close the HTTP session; events after this are
        recorded as not sent."""
        await self.settled()
        self._loop = None
        if self._session is not None:
            session, self._session = self._session, None
            await session.close()

    async def _post(self, call: _Call) -> None:
        url = yarl.URL(call.url)
        if not url.is_absolute() or url.host is None or url.scheme not in ("http", "https"):
            self._record(call, error="not sent: not an http(s) URL")
            return
        if not is_loopback(url.host):
            self._record(
                call,
                error=f"not sent: the FakePortal calls loopback hosts only, not {url.host}",
            )
            return
        assert self._slots is not None  # set by start(), before any call is scheduled
        async with self._slots:
            await self._send(call, url)

    async def _send(self, call: _Call, url: yarl.URL) -> None:
        if self._session is None:
            self._session = aiohttp.ClientSession()
        headers = {"Content-Type": "application/json", SIGNATURE_HEADER: call.header}
        started = time.monotonic()
        try:
            async with self._session.post(
                url,
                data=call.body,
                headers=headers,
                timeout=aiohttp.ClientTimeout(total=self.timeout),
                allow_redirects=False,
            ) as response:
                text = (await response.read()).decode("utf-8", "replace")
                status = response.status
        except TimeoutError:
            error = f"timed out after {self.timeout:g} s"
        except (aiohttp.ClientError, OSError) as exc:
            error = f"{type(exc).__name__}: {exc}"
        else:
            self._record(call, status=status, text=text, elapsed=time.monotonic() - started)
            return
        self._record(call, error=error, elapsed=time.monotonic() - started)

    def _record(
        self,
        call: _Call,
        *,
        status: int | None = None,
        text: str = "",
        error: str | None = None,
        elapsed: float = 0.0,
    ) -> None:
        record = WebhookDelivery(
            index=call.index,
            webhook_id=call.webhook_id,
            url=call.url,
            type=call.type,
            payload=call.payload,
            body=call.body,
            signature=call.signature,
            status=status,
            response_body=text[:_RESPONSE_KEPT],
            error=error,
            elapsed=elapsed,
        )
        self._records.append(record)
        _LOG.debug(
            "FakePortal: webhook %s (%s) -> %s in %.0f ms",
            call.webhook_id,
            call.type,
            status if status is not None else error,
            elapsed * 1000,
        )


def deliver(state: PortalState, event_type: str, obj: Any) -> None:
    """Call every webhook record of ``event_type`` (``"invoice-paid"``) with ``obj`` (the
    wire dict of what changed, as the API returns it); see the module docstring."""
    state.deliveries.send(state.store.all("webhooks"), event_type, obj)
