"""`MijnKlantportaal`: the client's settings, its session, and one attribute per API area."""

from __future__ import annotations

import os
from types import TracebackType
from typing import TYPE_CHECKING, Any

import aiohttp
import yarl

from mijnklantportaal_async._core.http import HTTPCore, RetryPolicy, Timeouts
from mijnklantportaal_async._core.log import Secret
from mijnklantportaal_async._core.settings import check_base_url
from mijnklantportaal_async.ratelimit import RateLimit, RateLimiter
from mijnklantportaal_async.resources import (
    Agreements,
    Appointments,
    CustomerGroups,
    CustomerInvoices,
    CustomerOffers,
    Customers,
    CustomerSubscriptionPackages,
    CustomerSubscriptions,
    FileRequests,
    Files,
    FileShares,
    MijnKlantportaalInvoices,
    PaymentLinks,
    PunchCards,
    Tickets,
)

if TYPE_CHECKING:
    from mijnklantportaal_async.bulk.journal import JournalIdentity

__all__ = ["DEFAULT_BASE_URL", "ENV_API_KEY", "ENV_BASE_URL", "MijnKlantportaal"]

DEFAULT_BASE_URL = "https://api.mijnklantportaal.nl/v1"
ENV_API_KEY = "MIJNKLANTPORTAAL_API_KEY"
ENV_BASE_URL = "MIJNKLANTPORTAAL_BASE_URL"
_DEFAULT_RATE_LIMIT = RateLimit()


class MijnKlantportaal:
    """An async client for one portal and one API key.

    ``async with MijnKlantportaal() as mkp: await mkp.customers.create(...)``.

    Args:
        api_key: the API key or OAuth access token; falls back to the
            ``MIJNKLANTPORTAAL_API_KEY`` environment variable. Never shown in a repr, a log
            line or an error.
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

    Raises:
        TypeError: a setting of the wrong type (``rate_limit=60`` instead of
            ``RateLimit(limit=60)``, ``retry=3`` instead of ``RetryPolicy(max_retries=3)``...);
            the message names the parameter.
        ValueError: no API key was given or found in the environment, or ``base_url`` (or
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
    ) -> None:
        # From here on no frame of this call holds the key itself, only a Secret (masked in a
        # traceback's locals, as error trackers print them), whatever is refused below.
        secret = Secret(api_key if api_key is not None else os.environ.get(ENV_API_KEY))
        del api_key
        if (wrong := Secret.wrong_type(secret)) is not None:
            raise TypeError(f"api_key must be a str, got {wrong}")
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
        if Secret.is_blank(secret):
            raise ValueError(f"api_key: no API key given; pass api_key=... or set {ENV_API_KEY}")
        self.base_url = _base_url(base_url)
        self.sandbox = sandbox
        self._key_fingerprint = _fingerprint(secret)
        limiter = rate_limit if isinstance(rate_limit, RateLimiter) else None
        if isinstance(rate_limit, RateLimit):
            limiter = RateLimiter(
                rate_limit.limit,
                rate_limit.period,
                storage_uri=rate_limit.storage_uri,
                key=self._key_fingerprint,
            )
        self._http = HTTPCore(
            api_key=secret,
            base_url=self.base_url,
            session=session,
            timeouts=timeouts or Timeouts(),
            retry=retry or RetryPolicy(),
            limiter=limiter,
        )
        self.customers = Customers(self._http, self._journal_identity)
        self.customer_invoices = CustomerInvoices(self._http, self._journal_identity)
        self.customer_offers = CustomerOffers(self._http, self._journal_identity)
        self.agreements = Agreements(self._http, self._journal_identity)
        self.customer_groups = CustomerGroups(self._http, self._journal_identity)
        self.customer_subscriptions = CustomerSubscriptions(self._http, self._journal_identity)
        self.customer_subscription_packages = CustomerSubscriptionPackages(
            self._http, self._journal_identity
        )
        self.payment_links = PaymentLinks(self._http, self._journal_identity)
        self.invoices = MijnKlantportaalInvoices(self._http, self._journal_identity)
        self.appointments = Appointments(self._http, self._journal_identity)
        self.files = Files(self._http, self._journal_identity)
        self.file_requests = FileRequests(self._http, self._journal_identity)
        self.file_shares = FileShares(self._http, self._journal_identity)
        self.punch_cards = PunchCards(self._http, self._journal_identity)
        self.tickets = Tickets(self._http, self._journal_identity)

    def _journal_identity(self) -> JournalIdentity:
        from mijnklantportaal_async.bulk.journal import JournalIdentity

        return JournalIdentity(
            portal=str(self.base_url),
            key_fingerprint=self._key_fingerprint,
            sandbox=self.sandbox,
        )

    async def aclose(self) -> None:
        """Close the HTTP session if the client made it; a session passed in stays open.

        Any call made on the client afterwards raises :class:`ClientClosedError` (a
        ``RuntimeError``) before anything is sent."""
        await self._http.aclose()

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
        return f"MijnKlantportaal(base_url={str(getattr(self, 'base_url', None))!r}{sandbox})"


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
    from mijnklantportaal_async.bulk.journal import fingerprint

    return fingerprint(secret.reveal())
