"""`MijnKlantportaal`: the client's settings, its session, and one attribute per API area.

Importing this module loads the request path only (``_core/http.py``, the rate limiter): each
API area's resource, and with it the operations table, the models and the bulk engine, is
imported when the area is first used (``mkp.customers``), and ``oauth.py`` when OAuth is
(docs/architecture.md, "Import policy").
"""

from __future__ import annotations

import copy
import functools
import math
import os
from collections.abc import Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any

import aiohttp
import attrs
import yarl

from mijnklantportaal_async._core.http import HTTPCore
from mijnklantportaal_async._core.log import Secret, configure_from_env
from mijnklantportaal_async._core.request import check_extra_headers
from mijnklantportaal_async._core.settings import (
    RetryPolicy,
    Timeouts,
    check_base_url,
    fingerprint,
)
from mijnklantportaal_async.ratelimit import RateLimit, RateLimiter

if TYPE_CHECKING:
    from mijnklantportaal_async.bulk.journal import JournalIdentity
    from mijnklantportaal_async.oauth import OAuthClient, OAuthToken, OnTokenRefresh, TokenManager
    from mijnklantportaal_async.resources.agreements import Agreements
    from mijnklantportaal_async.resources.appointments import Appointments
    from mijnklantportaal_async.resources.customer_groups import CustomerGroups
    from mijnklantportaal_async.resources.customer_invoices import CustomerInvoices
    from mijnklantportaal_async.resources.customer_offers import CustomerOffers
    from mijnklantportaal_async.resources.customer_subscription_packages import (
        CustomerSubscriptionPackages,
    )
    from mijnklantportaal_async.resources.customer_subscriptions import CustomerSubscriptions
    from mijnklantportaal_async.resources.customers import Customers
    from mijnklantportaal_async.resources.file_requests import FileRequests
    from mijnklantportaal_async.resources.file_shares import FileShares
    from mijnklantportaal_async.resources.files import Files
    from mijnklantportaal_async.resources.mijnklantportaal_invoices import (
        MijnKlantportaalInvoices,
    )
    from mijnklantportaal_async.resources.payment_links import PaymentLinks
    from mijnklantportaal_async.resources.punch_cards import PunchCards
    from mijnklantportaal_async.resources.tickets import Tickets
    from mijnklantportaal_async.resources.webhooks import Webhooks

__all__ = ["DEFAULT_BASE_URL", "ENV_API_KEY", "ENV_BASE_URL", "MijnKlantportaal"]

DEFAULT_BASE_URL = "https://api.mijnklantportaal.nl/v1"
ENV_API_KEY = "MIJNKLANTPORTAAL_API_KEY"
ENV_BASE_URL = "MIJNKLANTPORTAAL_BASE_URL"
_DEFAULT_RATE_LIMIT = RateLimit()


class MijnKlantportaal:
    """An async client for one portal and one API key (or OAuth grant).

    ``async with MijnKlantportaal() as mkp: await mkp.customers.create(...)``; on behalf of a
    portal through OAuth: ``MijnKlantportaal(oauth=oauth, token=token, on_token_refresh=save)``
    (docs/oauth.md).

    Args:
        api_key: the API key (or an OAuth access token used as is, never refreshed); falls
            back to the ``MIJNKLANTPORTAAL_API_KEY`` environment variable unless ``oauth`` is
            given. Never shown in a repr, a log line or an error.
        base_url: the API root, https (loopback hosts aside). Without one the client reads
            the ``MIJNKLANTPORTAAL_BASE_URL`` environment variable (what ``python -m
            mijnklantportaal_async.testing`` prints for a FakePortal), else uses
            ``https://api.mijnklantportaal.nl/v1``. A ``base_url`` given here always wins.
        session: an ``aiohttp.ClientSession`` to use; it is never closed by the client. Without
            one the client makes its own and closes it in :meth:`aclose` / ``async with``.
        timeouts: connect and read timeouts in seconds (no total timeout, so large uploads on a
            slow line are not cut).
        retry: how often and how long to back off when a retry is safe.
        rate_limit: the client-side rolling window every request of this client shares
            (60 requests per 60 s by default, as the API allows per key); ``None`` turns it
            off. A :class:`RateLimiter` given here is used as is: share one between clients
            of the same key, or give it a fake clock in tests.
        sandbox: marks a client bound to a fake portal, so bulk journals of sandbox runs and
            real runs never mix.
        oauth: an :class:`OAuthClient`: the client then sends ``token``'s access token,
            refreshes it ``oauth.refresh_margin`` seconds before ``expires_at`` and once when
            the API answers 401 (one refresh at a time, however many calls are in flight).
            A refresh the OAuth server refuses raises :class:`OAuthError` (an
            ``AuthenticationError``) in that call and every later one.
        token: the :class:`OAuthToken` to start with (from ``oauth.exchange_code`` or
            stored); needed with ``oauth``.
        on_token_refresh: called with each new :class:`OAuthToken` (a function or a
            coroutine function), to store it; an exception there is logged and the new token
            is used anyway.

    ``MIJNKLANTPORTAAL_LOG=debug`` (or ``info``) in the environment sends the library's log
    lines to stderr (``_core/log.py``, docs/options.md).

    Raises:
        TypeError: a setting of the wrong type (``rate_limit=60`` instead of
            ``RateLimit(limit=60)``, ``retry=3`` instead of ``RetryPolicy(max_retries=3)``...);
            the message names the parameter.
        ValueError: no API key was given or found in the environment (and no ``oauth``),
            both ``api_key`` and ``oauth``, ``oauth`` without ``token`` (or ``token`` /
            ``on_token_refresh`` without ``oauth``), or ``base_url`` (or
            ``MIJNKLANTPORTAAL_BASE_URL``, named in the message) is not https on a
            non-loopback host.
    """

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | yarl.URL | None = None,
        session: aiohttp.ClientSession | None = None,
        timeouts: Timeouts | None = None,
        retry: RetryPolicy | None = None,
        rate_limit: RateLimit | RateLimiter | None = _DEFAULT_RATE_LIMIT,
        sandbox: bool = False,
        oauth: OAuthClient | None = None,
        token: OAuthToken | None = None,
        on_token_refresh: OnTokenRefresh | None = None,
    ) -> None:
        configure_from_env()
        # From here on no frame of this call holds the key itself, only a Secret (masked in a
        # traceback's locals, as error trackers print them), whatever is refused below.
        key_given = api_key is not None
        secret = Secret(api_key if api_key is not None else os.environ.get(ENV_API_KEY))
        del api_key
        if (wrong := Secret.wrong_type(secret)) is not None:
            raise TypeError(f"api_key must be a str, got {wrong}")
        if oauth is not None or token is not None:
            # oauth.py only when OAuth is used: without it no OAuthClient or OAuthToken exists
            from mijnklantportaal_async.oauth import OAuthClient, OAuthToken

            _check_type("oauth", oauth, OAuthClient, "an OAuthClient")
            _check_type("token", token, OAuthToken, "an OAuthToken (from oauth.exchange_code)")
        if on_token_refresh is not None and not callable(on_token_refresh):
            raise TypeError(
                f"on_token_refresh must be callable, got {type(on_token_refresh).__name__}"
            )
        _check_type("base_url", base_url, str | yarl.URL, "a str or yarl.URL")
        _check_type("session", session, aiohttp.ClientSession, "an aiohttp.ClientSession")
        _check_type("timeouts", timeouts, Timeouts, "a Timeouts(connect=..., read=...)")
        _check_type("retry", retry, RetryPolicy, "a RetryPolicy(max_retries=...)")
        _check_type(
            "rate_limit",
            rate_limit,
            RateLimit | RateLimiter,
            "a RateLimit(limit=..., period=...), a RateLimiter or None",
        )
        if not isinstance(sandbox, bool):
            raise TypeError(f"sandbox must be a bool, got {type(sandbox).__name__}")
        self._tokens: TokenManager | None = None
        key: Secret | None = None
        if oauth is not None:
            if key_given:
                raise ValueError("api_key: pass either api_key or oauth=... with token=...")
            if token is None:
                raise ValueError("token: oauth=... needs token=... (from oauth.exchange_code)")
            from mijnklantportaal_async.oauth import TokenManager

            self._tokens = TokenManager(oauth, token, on_token_refresh)
        elif token is not None or on_token_refresh is not None:
            raise ValueError("oauth: token=... and on_token_refresh=... need oauth=...")
        else:
            if Secret.is_blank(secret):
                raise ValueError(
                    f"api_key: no API key given; pass api_key=... or set {ENV_API_KEY}"
                )
            key = secret
        self.base_url = _base_url(base_url)
        self.sandbox = sandbox
        if self._tokens is not None:
            self._key_fingerprint = _grant_fingerprint(self._tokens)
        else:
            assert key is not None
            self._key_fingerprint = _fingerprint(key)
        limiter = rate_limit if isinstance(rate_limit, RateLimiter) else None
        if isinstance(rate_limit, RateLimit):
            limiter = RateLimiter(
                rate_limit.limit,
                rate_limit.period,
                storage_uri=rate_limit.storage_uri,
                margin=rate_limit.margin,
                burst=rate_limit.burst,
                key=self._key_fingerprint,
            )
        self._own_limiter = limiter if isinstance(rate_limit, RateLimit) else None
        self._http = HTTPCore(
            api_key=key,
            credentials=self._tokens,
            base_url=self.base_url,
            session=session,
            timeouts=timeouts or Timeouts(),
            retry=retry or RetryPolicy(),
            limiter=limiter,
        )

    # -- the API areas: each made on first use, so that a client that never calls one does not
    # import it (nor the operations table, the models or the bulk engine the areas stand on)

    @functools.cached_property
    def customers(self) -> Customers:
        """The Customers API (``resources/customers.py``)."""
        from mijnklantportaal_async.resources.customers import Customers

        return Customers(self._http, self._journal_identity)

    @functools.cached_property
    def customer_invoices(self) -> CustomerInvoices:
        """The Customer Invoices API (``resources/customer_invoices.py``)."""
        from mijnklantportaal_async.resources.customer_invoices import CustomerInvoices

        return CustomerInvoices(self._http, self._journal_identity)

    @functools.cached_property
    def customer_offers(self) -> CustomerOffers:
        """The Customer Offers API (``resources/customer_offers.py``)."""
        from mijnklantportaal_async.resources.customer_offers import CustomerOffers

        return CustomerOffers(self._http, self._journal_identity)

    @functools.cached_property
    def agreements(self) -> Agreements:
        """The Agreements API (``resources/agreements.py``)."""
        from mijnklantportaal_async.resources.agreements import Agreements

        return Agreements(self._http, self._journal_identity)

    @functools.cached_property
    def customer_groups(self) -> CustomerGroups:
        """The Customer Groups API (``resources/customer_groups.py``)."""
        from mijnklantportaal_async.resources.customer_groups import CustomerGroups

        return CustomerGroups(self._http, self._journal_identity)

    @functools.cached_property
    def customer_subscriptions(self) -> CustomerSubscriptions:
        """The Customer Subscriptions API (``resources/customer_subscriptions.py``)."""
        from mijnklantportaal_async.resources.customer_subscriptions import CustomerSubscriptions

        return CustomerSubscriptions(self._http, self._journal_identity)

    @functools.cached_property
    def customer_subscription_packages(self) -> CustomerSubscriptionPackages:
        """The Customer Subscription Packages API
        (``resources/customer_subscription_packages.py``)."""
        from mijnklantportaal_async.resources.customer_subscription_packages import (
            CustomerSubscriptionPackages,
        )

        return CustomerSubscriptionPackages(self._http, self._journal_identity)

    @functools.cached_property
    def payment_links(self) -> PaymentLinks:
        """The Payment Links API (``resources/payment_links.py``)."""
        from mijnklantportaal_async.resources.payment_links import PaymentLinks

        return PaymentLinks(self._http, self._journal_identity)

    @functools.cached_property
    def invoices(self) -> MijnKlantportaalInvoices:
        """The Invoices API: MijnKlantportaal's bills to the portal owner, not customer
        invoices (``resources/mijnklantportaal_invoices.py``)."""
        from mijnklantportaal_async.resources.mijnklantportaal_invoices import (
            MijnKlantportaalInvoices,
        )

        return MijnKlantportaalInvoices(self._http, self._journal_identity)

    @functools.cached_property
    def appointments(self) -> Appointments:
        """The Appointments API (``resources/appointments.py``)."""
        from mijnklantportaal_async.resources.appointments import Appointments

        return Appointments(self._http, self._journal_identity)

    @functools.cached_property
    def files(self) -> Files:
        """The Files API (``resources/files.py``)."""
        from mijnklantportaal_async.resources.files import Files

        return Files(self._http, self._journal_identity)

    @functools.cached_property
    def file_requests(self) -> FileRequests:
        """The File Request API (``resources/file_requests.py``)."""
        from mijnklantportaal_async.resources.file_requests import FileRequests

        return FileRequests(self._http, self._journal_identity)

    @functools.cached_property
    def file_shares(self) -> FileShares:
        """The File Share API (``resources/file_shares.py``)."""
        from mijnklantportaal_async.resources.file_shares import FileShares

        return FileShares(self._http, self._journal_identity)

    @functools.cached_property
    def punch_cards(self) -> PunchCards:
        """The Punch Cards API (``resources/punch_cards.py``)."""
        from mijnklantportaal_async.resources.punch_cards import PunchCards

        return PunchCards(self._http, self._journal_identity)

    @functools.cached_property
    def tickets(self) -> Tickets:
        """The Tickets API (``resources/tickets.py``)."""
        from mijnklantportaal_async.resources.tickets import Tickets

        return Tickets(self._http, self._journal_identity)

    @functools.cached_property
    def webhooks(self) -> Webhooks:
        """The Webhooks API (``resources/webhooks.py``)."""
        from mijnklantportaal_async.resources.webhooks import Webhooks

        return Webhooks(self._http, self._journal_identity)

    @property
    def oauth_token(self) -> OAuthToken | None:
        """The OAuth token in use now (the latest refreshed one); None for an API key."""
        return None if self._tokens is None else self._tokens.token

    def with_options(
        self,
        *,
        timeout: float | Timeouts | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> MijnKlantportaal:
        """A view of this client with its own timeout, retry count and extra headers.

        ``await mkp.with_options(timeout=5.0, max_retries=0).customers.get(customer_id)``.
        The view shares the client's session, rate limiter, credentials (an OAuth token
        refreshed through one is refreshed for both) and closing: closing the client closes
        it, closing the view closes nothing. What is not given stays as on this client; the
        client itself is not changed. Views of views add up (extra headers merge).

        Args:
            timeout: seconds one attempt may take in all (connect, send, wait and read;
                retries each get it again); or a :class:`Timeouts` for each part.
            max_retries: repeats after the first attempt when a retry is safe (0: none);
                backoff as the client's :class:`RetryPolicy`.
            extra_headers: headers sent with every request of the view (``X-Trace-Id``);
                never ``Authorization``, ``Idempotency-Key`` or the body's headers.

        Raises:
            TypeError: an argument of the wrong type (named).
            ValueError: ``timeout`` not > 0 and finite, ``max_retries`` < 0, or a header that
                is malformed or one the client sets itself (named, its value never shown).
            Nothing is sent: it is checked before any I/O.
        """
        timeouts = _per_call_timeouts(timeout, self._http.timeouts)
        retry = None
        if max_retries is not None:
            if isinstance(max_retries, bool) or not isinstance(max_retries, int):
                raise TypeError(f"max_retries must be an int, got {type(max_retries).__name__}")
            if max_retries < 0:
                raise ValueError(f"max_retries must be >= 0, got {max_retries!r}")
            retry = attrs.evolve(self._http.retry, max_retries=max_retries)
        headers = None if extra_headers is None else check_extra_headers(extra_headers)
        view = copy.copy(self)
        view._http = self._http.with_options(timeouts=timeouts, retry=retry, extra_headers=headers)
        # An area already made on this client is copied onto the view's request path; one not
        # made yet the view makes on first use, from its own request path.
        for name in _AREAS:
            if name in vars(self):
                setattr(view, name, vars(self)[name]._with_http(view._http))
        return view

    def _journal_identity(self) -> JournalIdentity:
        from mijnklantportaal_async.bulk.journal import JournalIdentity

        return JournalIdentity(
            portal=str(self.base_url),
            key_fingerprint=self._key_fingerprint,
            sandbox=self.sandbox,
        )

    async def aclose(self) -> None:
        """Close the HTTP session if the client made it (a session passed in stays open), and
        the Redis connection of the rate limiter it made from a :class:`RateLimit`.

        Any call made on the client afterwards raises :class:`ClientClosedError` (a
        ``RuntimeError``) before anything is sent."""
        await self._http.aclose()
        if self._own_limiter is not None:
            await self._own_limiter.aclose()  # its Redis connection, if any

    async def __aenter__(self) -> MijnKlantportaal:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        # getattr: a traceback's locals may show one whose constructor refused an argument
        sandbox = ", sandbox=True" if getattr(self, "sandbox", False) else ""
        oauth = ", oauth=True" if getattr(self, "_tokens", None) is not None else ""
        base_url = getattr(self, "base_url", None)
        return f"MijnKlantportaal(base_url={str(base_url)!r}{sandbox}{oauth})"


_AREAS = tuple(
    name
    for name, value in vars(MijnKlantportaal).items()
    if isinstance(value, functools.cached_property)
)
"""The client's API areas (``"customers"``, ...): each attribute's name is its resource's
``area``."""


def _per_call_timeouts(timeout: object, current: Timeouts) -> Timeouts | None:
    """``with_options(timeout=...)`` as :class:`Timeouts`: a number of seconds caps each part
    of an attempt and the attempt in all."""
    if timeout is None or isinstance(timeout, Timeouts):
        return timeout
    if isinstance(timeout, bool) or not isinstance(timeout, int | float):
        raise TypeError(
            f"timeout must be seconds (int or float) or a Timeouts, got {type(timeout).__name__}"
        )
    if not (math.isfinite(timeout) and timeout > 0):
        raise ValueError(f"timeout must be a finite number of seconds > 0, got {timeout!r}")
    seconds = float(timeout)
    return Timeouts(connect=min(current.connect, seconds), read=seconds, total=seconds)


def _grant_fingerprint(tokens: TokenManager) -> str:
    """What identifies an OAuth grant for journals and the rate limiter's storage: the app
    and the refresh token (else the access token), hashed."""
    token = tokens.token
    grant = f"oauth:{tokens.client_id}:{token.refresh_token or token.access_token}"
    return _fingerprint(Secret(grant))


def _base_url(given: str | yarl.URL | None) -> yarl.URL:
    """``given``, else ``$MIJNKLANTPORTAAL_BASE_URL`` (when set and not empty), else the
    production API; checked by :func:`check_base_url` (a bad value from the environment is
    named as such)."""
    if given is not None:
        return check_base_url(given)
    from_env = os.environ.get(ENV_BASE_URL, "").strip()
    if not from_env:
        return check_base_url(DEFAULT_BASE_URL)
    try:
        return check_base_url(from_env)
    except ValueError as exc:
        raise ValueError(f"{exc} (from the {ENV_BASE_URL} environment variable)") from None


def _check_type(name: str, value: object, expected: Any, wanted: str) -> None:
    """Refuse a constructor argument of the wrong type (``None``, the default, is allowed):
    a TypeError naming the parameter and the type given, never the value (it may be a key)."""
    if value is not None and not isinstance(value, expected):
        raise TypeError(f"{name} must be {wanted}, got {type(value).__name__}")


def _fingerprint(secret: Secret) -> str:
    return fingerprint(secret.reveal())
