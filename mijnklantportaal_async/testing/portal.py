"""`FakePortal`: an embedded, stateful MijnKlantportaal API on aiohttp.web, for tests and demos.

``async with FakePortal() as portal:`` serves on 127.0.0.1 (a free port) and behaves as the docs
say the real API does; ``portal.client()`` is a MijnKlantportaal bound to it, and the stored
objects, uploaded files, request log and injected faults are there to assert on.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from datetime import date, datetime
from types import MappingProxyType, TracebackType
from typing import TYPE_CHECKING, Any

from aiohttp import web

from mijnklantportaal_async.testing.dispatch import Pipeline
from mijnklantportaal_async.testing.faults import FaultConfig, FaultInjector
from mijnklantportaal_async.testing.forms import UploadedFile
from mijnklantportaal_async.testing.handlers import mijnklantportaal_invoices
from mijnklantportaal_async.testing.limits import LicenseLimits, RollingWindow
from mijnklantportaal_async.testing.oauth import OAuthServer
from mijnklantportaal_async.testing.records import RequestRecord
from mijnklantportaal_async.testing.routes import ROUTES, route_names
from mijnklantportaal_async.testing.state import (
    KINDS,
    Notification,
    ObjectView,
    PortalState,
    Store,
)
from mijnklantportaal_async.testing.storage import ObjectStorage
from mijnklantportaal_async.testing.webhooks import (
    WebhookDelivery,
    WebhookSender,
    check_signature_scheme,
)

if TYPE_CHECKING:
    from mijnklantportaal_async.client import MijnKlantportaal

__all__ = ["FakePortal"]


class FakePortal:
    """A MijnKlantportaal API served on loopback, with state, limits and fault injection.

    Args:
        host: the address to listen on (loopback by default).
        port: the port to listen on; 0 (default) picks a free port.
        api_key: the bearer key it accepts; random per portal when omitted.
        rate_limit: at most this many requests per ``rate_period`` seconds per key, rolling
            (default 60, as documented); None turns the limit (and its headers) off.
        rate_period: the rolling window in seconds (default 60.0).
        clock: unix time in seconds; drives the rate window, ``createdAt`` timestamps and the
            licence month. Inject a fake clock to move time in tests.
        license_limit: invoices and offers each allowed per calendar month (None: unlimited);
            ``license_limits={"invoices": 10}`` sets one kind. Over the limit: 426.
        balance: units for agreements; each signer who must identify costs 1, 402 when it does
            not cover an agreement. None (default): unlimited.
        agreements_enabled: False answers create-agreement with 426 (not in the licence).
        faults: the faults to start with (:class:`FaultConfig`); change them later through
            :attr:`faults`.
        sleep: awaited for injected latency and timed stalls (seconds).
        seed: seeds the generated IDs (``cst_...``) so runs are repeatable.
        keep_files: keep uploaded bytes (up to ``keep_files_max`` bytes per file) in
            :attr:`files`; by default only name, size, sha256 and the first 1 KiB are kept.
        oauth_token_lifetime: seconds an OAuth access token lives on ``clock`` (default
            3600); settable later as ``portal.oauth.access_token_lifetime``.

    OAuth: the manage host's endpoints listen on :attr:`oauth_url` (a port of their own);
    :meth:`register_oauth_app` registers an app, and the API accepts the access tokens they
    issue like keys (``testing/oauth.py``; :attr:`oauth` holds its state and log).
        webhook_signature: how the ``X-Webhook-Signature`` header of its webhook calls is
            made: ``"secret"`` (the record's secret itself, the default) or ``"hmac-sha256"``
            (hex HMAC-SHA256 of the body); settable later. See docs/webhooks.md.
        webhook_timeout: seconds one webhook call may take in all before it is recorded as
            timed out.
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        api_key: str | None = None,
        rate_limit: int | None = 60,
        rate_period: float = 60.0,
        clock: Callable[[], float] = time.time,
        license_limit: int | None = None,
        license_limits: Mapping[str, int | None] | None = None,
        balance: int | None = None,
        agreements_enabled: bool = True,
        faults: FaultConfig | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        seed: int | str = 0,
        keep_files: bool = False,
        keep_files_max: int = 16 * 1024 * 1024,
        oauth_token_lifetime: float = 3600.0,
        webhook_signature: str = "secret",
        webhook_timeout: float = 5.0,
    ) -> None:
        self.host = host
        self.port = port
        self.api_key: str = api_key if api_key is not None else "mkp_test_" + secrets.token_hex(16)
        self._api_keys = {self.api_key}
        self.rate_window = (
            RollingWindow(rate_limit, rate_period, clock=clock) if rate_limit is not None else None
        )
        self.state = PortalState(
            store=Store(seed=seed),
            clock=clock,
            license=LicenseLimits(license_limit, per_kind=license_limits),
            balance=balance,
            agreements_enabled=agreements_enabled,
            keep_files=keep_files,
            keep_files_max=keep_files_max,
            deliveries=WebhookSender(signature=webhook_signature, timeout=webhook_timeout),
        )
        self.faults = FaultInjector(faults, known_routes=route_names(ROUTES), sleep=sleep)
        """Fault scripts, rates, latency and the record of injected faults."""
        self.oauth = OAuthServer(clock, access_token_lifetime=oauth_token_lifetime)
        """The OAuth host: apps, grants, token lifetime, revocation and its request log."""
        self._pipeline = Pipeline(
            self.state,
            api_keys=self._api_keys,
            rate_window=self.rate_window,
            faults=self.faults,
            routes=ROUTES,
            oauth=self.oauth,
        )
        self._runner: web.AppRunner | None = None
        self._url: str | None = None

    # -- lifecycle -------------------------------------------------------------------------
    async def start(self) -> None:
        """Start serving. Raises RuntimeError if already started, OSError if the port is taken."""
        if self._runner is not None:
            raise RuntimeError("FakePortal already started")
        runner = web.AppRunner(self._pipeline.build_app(), access_log=None, shutdown_timeout=5.0)
        await runner.setup()
        try:
            site = web.TCPSite(runner, self.host, self.port)
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        bound_host, bound_port = runner.addresses[0][:2]
        host = f"[{bound_host}]" if ":" in bound_host else bound_host
        self.port = bound_port
        try:
            await self.oauth.start(self.host)
        except BaseException:
            await runner.cleanup()
            self._runner = None
            raise
        self._url = f"http://{host}:{bound_port}/v1"
        self.state.base_url = self._url
        self.state.deliveries.start()

    async def close(self) -> None:
        """Stop serving: webhook calls under way finish first (each within its timeout), then
        stalled responses are released (their connections cut), open connections closed.
        Stored objects and logs stay readable. Safe to call twice."""
        if self._runner is None:
            return
        await self.state.deliveries.aclose()
        runner, self._runner = self._runner, None
        self._pipeline.closing.set()
        await self.oauth.close()
        await runner.cleanup()

    async def __aenter__(self) -> FakePortal:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    @property
    def url(self) -> str:
        """The API base URL including ``/v1``, e.g. ``http://127.0.0.1:54321/v1``.

        Raises RuntimeError before :meth:`start`."""
        if self._url is None:
            raise RuntimeError("FakePortal is not started; use 'async with FakePortal() as p'")
        return self._url

    def client(self, **kwargs: Any) -> MijnKlantportaal:
        """A :class:`~mijnklantportaal_async.MijnKlantportaal` bound to this portal (its key
        and URL, ``sandbox=True``); ``kwargs`` go to the constructor and override those
        defaults (``portal.client(api_key="wrong")`` for a 401). The caller closes it
        (``async with portal.client() as mkp:``)."""
        from mijnklantportaal_async.client import MijnKlantportaal

        settings: dict[str, Any] = {"api_key": self.api_key, "base_url": self.url, "sandbox": True}
        return MijnKlantportaal(**(settings | kwargs))

    @property
    def oauth_url(self) -> str:
        """The OAuth base URL (the manage host's stand-in), e.g. ``http://127.0.0.1:54322``:
        ``OAuthClient(..., base_url=portal.oauth_url)``. Raises RuntimeError before start."""
        return self.oauth.url

    def register_oauth_app(self, *, redirect_uri: str) -> tuple[str, str]:
        """Register an OAuth app redirecting to ``redirect_uri``; returns ``(client_id,
        client_secret)``. Raises ValueError for a redirect URI that is not absolute http(s)."""
        return self.oauth.register_app(redirect_uri=redirect_uri)

    def add_api_key(self, api_key: str | None = None) -> str:
        """Accept another bearer key (random when omitted) with its own rate window."""
        key = api_key if api_key is not None else "mkp_test_" + secrets.token_hex(16)
        self._api_keys.add(key)
        return key

    # -- what tests assert on --------------------------------------------------------------
    def objects(self, kind: str) -> ObjectView:
        """Stored objects of ``kind`` (one of :data:`~.state.KINDS`, e.g. ``"customers"``):
        id -> a copy of the wire dict. Raises ValueError naming the kinds for another name."""
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r}; one of: {', '.join(KINDS)}")
        return ObjectView(self.state.store.objects[kind])

    @property
    def customers(self) -> ObjectView:
        """Stored customers: id -> the Customer as the API returns it (a copy)."""
        return ObjectView(self.state.store.objects["customers"])

    @property
    def customer_invoices(self) -> ObjectView:
        """Stored customer invoices: id -> CustomerInvoice wire dict (a copy)."""
        return ObjectView(self.state.store.objects["customer_invoices"])

    @property
    def customer_offers(self) -> ObjectView:
        """Stored customer offers: id -> CustomerOffer wire dict (a copy)."""
        return ObjectView(self.state.store.objects["customer_offers"])

    @property
    def agreements(self) -> ObjectView:
        """Stored agreements: id -> AgreementWithDetails wire dict (a copy)."""
        return ObjectView(self.state.store.objects["agreements"])

    @property
    def files(self) -> Mapping[str, UploadedFile]:
        """Uploaded files by owner: invoice/offer ID -> its PDF, ``agd_`` ID -> the document."""
        return MappingProxyType(self.state.store.files)

    @property
    def notifications(self) -> tuple[Notification, ...]:
        """The e-mails the portal would have sent (sendNotification, agreement signers)."""
        return tuple(self.state.store.notifications)

    @property
    def requests(self) -> tuple[RequestRecord, ...]:
        """Every request received, in order (Authorization header left out)."""
        return tuple(self._pipeline.requests)

    @property
    def webhook_deliveries(self) -> tuple[WebhookDelivery, ...]:
        """The webhook calls made so far and their answers, in the order their events
        happened (the last 10,000). A call is listed once it has finished: ``await
        portal.deliveries_settled()`` first. See ``testing/webhooks.py``."""
        return self.state.deliveries.records

    async def deliveries_settled(self) -> None:
        """Wait until every webhook call made so far has finished (answered, failed or timed
        out after ``webhook_timeout`` seconds). Await it on the portal's event loop."""
        await self.state.deliveries.settled()

    @property
    def webhook_signature(self) -> str:
        """How the ``X-Webhook-Signature`` header is made: ``"secret"`` or ``"hmac-sha256"``;
        settable (ValueError for anything else)."""
        return self.state.deliveries.signature

    @webhook_signature.setter
    def webhook_signature(self, scheme: str) -> None:
        self.state.deliveries.signature = check_signature_scheme(scheme)

    @property
    def balance(self) -> int | None:
        """Agreement balance left in units (None: unlimited); settable."""
        return self.state.balance

    @balance.setter
    def balance(self, units: int | None) -> None:
        self.state.balance = units

    @property
    def license(self) -> LicenseLimits:
        """The monthly licence limits and their use (``portal.license.limits["invoices"] = 3``)."""
        return self.state.license

    @property
    def storage(self) -> ObjectStorage:
        """The object store behind download links: ``storage.link_for(data, filename=...,
        content_type=...)`` makes one; ``storage.requests`` logs what fetched them."""
        return self.state.storage

    def add_ticket(
        self,
        *,
        title: str,
        message: str,
        customer_id: str | None = None,
        source: str = "portal",
        status: str = "open",
        posted_by: str | None = None,
    ) -> dict[str, Any]:
        """Store a ticket as a customer opens one (the API has no create-ticket operation):
        ``title``, the first ``message`` (HTML) posted by the customer (``posted_by``, default
        the customer's company name, else ``"Customer"``), ``source`` ``portal``/``email``/
        ``chat`` (a ``chat`` ticket cannot be replied to through the API) and ``status``
        ``open``/``closed``. Returns a copy of the stored ticket with its messages; its ``id``
        is a ``tic_...``. Raises ValueError for an undocumented ``source``/``status`` or an
        unknown ``customer_id``."""
        from mijnklantportaal_async.testing.handlers.tickets import store_ticket

        ticket = store_ticket(
            self.state,
            title=title,
            message=message,
            customer_id=customer_id,
            source=source,
            status=status,
            posted_by=posted_by,
        )
        return self.objects("tickets")[ticket["id"]]

    def now(self) -> datetime:
        """The portal's current time (from ``clock``), aware, Europe/Amsterdam."""
        return self.state.now()

    def add_mijnklantportaal_invoice(
        self,
        lines: Iterable[Mapping[str, Any]] = mijnklantportaal_invoices.DEFAULT_LINES,
        *,
        invoice_number: str | None = None,
        issued_at: date | datetime | None = None,
        is_paid: bool = False,
    ) -> dict[str, Any]:
        """Store a bill FROM MijnKlantportaal to the portal owner (``fac_...``, lines
        ``fcl_...``), which the API cannot create, so ``mkp.invoices`` has one to list and get;
        returns it as the API sends it (a copy: amounts as JSON numbers, ``issuedAt`` like
        ``2025-04-12T00:00:00.000Z``). ``lines``: mappings of ``description``,
        ``amountExclVat`` (EUR, a Decimal, int or string), optional ``vatRate`` (default 21) and
        ``quantity`` (default 1); the default is the docs' one line of EUR 12.95 + 21% VAT.
        See ``testing.handlers.mijnklantportaal_invoices.add_invoice``; ValueError on bad lines.
        """
        return mijnklantportaal_invoices.add_invoice(
            self.state,
            lines,
            invoice_number=invoice_number,
            issued_at=issued_at,
            is_paid=is_paid,
        )

    def __repr__(self) -> str:
        where = self._url or "not started"
        return f"FakePortal({where})"
