"""OAuth for apps that act on behalf of a portal (api/NOTES.md section 2; docs/oauth.md).

:class:`OAuthClient` speaks to the manage host (``https://manage.mijnklantportaal.nl``): it builds
the ``/oauth/authorize`` URL a user consents at, exchanges the code the redirect brings for an
:class:`OAuthToken` and refreshes a token (``POST /oauth/tokens``). ``MijnKlantportaal(oauth=...,
token=...)`` uses a :class:`TokenManager`, the request path's credential source for OAuth: it
refreshes the access token before it expires and once on a 401, one refresh at a time however
many calls are in flight, and hands each new token to ``on_token_refresh``.

The client secret, the code and every token are kept in ``Secret`` objects inside the library
(no repr, log line, error or traceback frame shows them); :class:`OAuthToken` shows ``'***'``
for its tokens in its repr, and gives them to the caller as plain strings to store.
"""

from __future__ import annotations

import asyncio
import copy
import inspect
import json
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from datetime import UTC, datetime
from typing import Any, Literal

import aiohttp
import attrs
import yarl

from mijnklantportaal_async._core.http import transport_error
from mijnklantportaal_async._core.log import Secret, log_attempt, logger, redact, redact_body
from mijnklantportaal_async._core.settings import DEFAULT_USER_AGENT, Timeouts, check_base_url
from mijnklantportaal_async.errors import (
    APIResponseValidationError,
    MijnKlantportaalError,
    OAuthError,
    error_for_status,
)

__all__ = [
    "DEFAULT_OAUTH_URL",
    "OAuthClient",
    "OAuthToken",
    "OnTokenRefresh",
    "TokenManager",
]

DEFAULT_OAUTH_URL = "https://manage.mijnklantportaal.nl"
_TOKENS_PATH = "/oauth/tokens"
_TOKENS_OPERATION = "oauth-tokens"
_PROMPTS = ("consent", "login")
_MAX_EXPIRES_IN = 10 * 366 * 24 * 3600

OnTokenRefresh = Callable[["OAuthToken"], Awaitable[None] | None]
"""Called with each new :class:`OAuthToken` (a plain function or a coroutine function)."""


def _text(name: str, value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, got {type(value).__name__}")
    if not value.strip() or any(ch.isspace() or not ch.isprintable() for ch in value):
        raise ValueError(f"{name} must be a non-empty string without spaces or control characters")
    return value


def _token_text(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None and attribute.name == "refresh_token":
        return
    if not isinstance(value, str):
        raise TypeError(f"OAuthToken.{attribute.name} must be a str, got {type(value).__name__}")
    if not value.strip() or any(ch.isspace() or not ch.isprintable() for ch in value):
        raise ValueError(f"OAuthToken.{attribute.name} must be a non-empty token (not shown)")


def _aware(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise TypeError("OAuthToken.expires_at must be an aware datetime or None")


def _masked(value: str | None) -> str:
    return "None" if value is None else "'***'"


@attrs.frozen
class OAuthToken:
    """An OAuth grant: what ``exchange_code`` and ``refresh`` return.

    Attributes:
        access_token: the bearer token the API accepts (str); never shown in the repr.
        refresh_token: obtains a new access token (str), or None when there is none (the
            refresh answer carries none: the one of the code exchange is kept).
        expires_at: when the access token stops working (an aware datetime, UTC), computed
            from the server's ``expires_in`` seconds when it was issued; None when the server
            did not say (the client then refreshes only on a 401).

    Store it with :meth:`to_dict` (JSON-safe) and load it with :meth:`from_dict`. It holds
    credentials: keep what you store as secret as a password.

    Raises:
        TypeError, ValueError: a token that is not a non-empty str, an ``expires_at`` that is
            not an aware datetime (messages never show a token).
    """

    access_token: str = attrs.field(validator=_token_text, repr=_masked)
    refresh_token: str | None = attrs.field(default=None, validator=_token_text, repr=_masked)
    expires_at: datetime | None = attrs.field(default=None, validator=_aware)

    def expires_in(self, now: datetime | None = None) -> float | None:
        """Seconds until :attr:`expires_at` (negative once past), None when unknown."""
        if self.expires_at is None:
            return None
        return (self.expires_at - (now or datetime.now(UTC))).total_seconds()

    def to_dict(self) -> dict[str, str | None]:
        """``{"access_token", "refresh_token", "expires_at"}``, ``expires_at`` in ISO 8601."""
        return {
            "access_token": self.access_token,
            "refresh_token": self.refresh_token,
            "expires_at": None if self.expires_at is None else self.expires_at.isoformat(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> OAuthToken:
        """The token :meth:`to_dict` gave.

        Raises:
            TypeError, ValueError: a missing or malformed field (named, never shown).
        """
        expires = data.get("expires_at")
        if expires is not None and not isinstance(expires, str):
            raise TypeError("OAuthToken.expires_at must be an ISO 8601 string or None")
        return cls(
            access_token=data.get("access_token"),  # type: ignore[arg-type]  # validated
            refresh_token=data.get("refresh_token"),
            expires_at=None if expires is None else datetime.fromisoformat(expires),
        )


class OAuthClient:
    """Your app's OAuth credentials and the manage host's two endpoints.

    ``oauth = OAuthClient(client_id=..., client_secret=..., redirect_uri=...)``; send the user
    to ``oauth.authorization_url(scopes=[...], state=state)``; on the redirect back, check
    ``state`` and ``token = await oauth.exchange_code(code)``; then
    ``MijnKlantportaal(oauth=oauth, token=token, on_token_refresh=save)``.

    Args:
        client_id: the App ID from the Developer portal.
        client_secret: the App Secret; kept in a ``Secret``, never shown.
        redirect_uri: the registered redirect URL (sent as is; it must match the registration).
        base_url: the OAuth host, https (loopback hosts aside, as a FakePortal's
            ``portal.oauth_url``); default ``https://manage.mijnklantportaal.nl``.
        session: an ``aiohttp.ClientSession`` for the token requests (never closed here);
            without one, each token request uses a short-lived session of its own.
        timeouts: connect and read timeouts of a token request, seconds.
        refresh_margin: seconds before ``expires_at`` at which a client refreshes the token
            (default 60); 0 refreshes only once it has expired (or on a 401).
        clock: the current time in UNIX seconds (default ``time.time``): ``expires_at`` is
            computed with it, and a client asks it whether a token is due.

    Raises:
        TypeError: an argument of the wrong type (named).
        ValueError: an empty ID, secret or redirect URI, a negative ``refresh_margin``, or a
            ``base_url`` that is not https on a non-loopback host.
    """

    def __init__(
        self,
        *,
        client_id: str,
        client_secret: str,
        redirect_uri: str,
        base_url: str | yarl.URL = DEFAULT_OAUTH_URL,
        session: aiohttp.ClientSession | None = None,
        timeouts: Timeouts | None = None,
        refresh_margin: float = 60.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._client_secret = Secret(_text("client_secret", client_secret))
        del client_secret  # only the Secret stays in this frame
        self.client_id = _text("client_id", client_id)
        self.redirect_uri = _text("redirect_uri", redirect_uri)
        if not isinstance(base_url, str | yarl.URL):
            raise TypeError(f"base_url must be a str or yarl.URL, got {type(base_url).__name__}")
        self.base_url = check_base_url(base_url)
        if session is not None and not isinstance(session, aiohttp.ClientSession):
            raise TypeError(
                f"session must be an aiohttp.ClientSession, got {type(session).__name__}"
            )
        if timeouts is not None and not isinstance(timeouts, Timeouts):
            raise TypeError(f"timeouts must be a Timeouts, got {type(timeouts).__name__}")
        if isinstance(refresh_margin, bool) or not isinstance(refresh_margin, int | float):
            raise TypeError(f"refresh_margin must be seconds, got {type(refresh_margin).__name__}")
        if not refresh_margin >= 0:
            raise ValueError(f"refresh_margin must be >= 0 seconds, got {refresh_margin!r}")
        if not callable(clock):
            raise TypeError("clock must be a callable returning UNIX seconds")
        self._session = session
        self.timeouts = timeouts or Timeouts()
        self.refresh_margin = float(refresh_margin)
        self._clock = clock

    def __repr__(self) -> str:
        return (
            f"OAuthClient(client_id={self.client_id!r}, redirect_uri={self.redirect_uri!r}, "
            f"base_url={str(self.base_url)!r})"
        )

    def now(self) -> datetime:
        """The client's current time (its ``clock``), aware, UTC."""
        return datetime.fromtimestamp(self._clock(), tz=UTC)

    def authorization_url(
        self,
        *,
        scopes: Iterable[str],
        state: str,
        prompt: Literal["consent", "login"] | None = None,
    ) -> str:
        """The URL to send the user's browser to (``oauth-authorize``: ``GET /oauth/authorize``;
        docs ``/oauth/endpoints/authorize``), with ``client_id``, ``redirect_uri``, ``state``,
        ``scope`` (space-separated) and ``response_type=code``.

        Args:
            scopes: scope names such as ``"customers.read"`` (api/NOTES.md section 2); at
                least one.
            state: a random string you keep (in the user's session) and compare with the one
                the redirect brings back, against CSRF: ``secrets.token_urlsafe(32)``.
            prompt: ``"consent"`` (the server's default) or ``"login"`` (sign in again);
                None leaves it out.

        Raises:
            TypeError: ``scopes`` is a single str or holds a non-str; ``state`` is not a str.
            ValueError: no scope, a scope with a space, an empty ``state`` or another
                ``prompt``.
        """
        if isinstance(scopes, str) or not isinstance(scopes, Iterable):
            raise TypeError('scopes must be a list of scope names, e.g. ["customers.read"]')
        names = [_text("scopes[]", scope) for scope in scopes]
        if not names:
            raise ValueError("scopes: at least one scope is needed")
        if not isinstance(state, str):
            raise TypeError(f"state must be a str, got {type(state).__name__}")
        if not state:
            raise ValueError("state must be a non-empty random string (CSRF protection)")
        query = {
            "client_id": self.client_id,
            "redirect_uri": self.redirect_uri,
            "response_type": "code",
            "scope": " ".join(names),
            "state": state,
        }
        if prompt is not None:
            if prompt not in _PROMPTS:
                raise ValueError(f"prompt must be 'consent', 'login' or None, got {prompt!r}")
            query["prompt"] = prompt
        url = self.base_url.with_path(self.base_url.path.rstrip("/") + "/oauth/authorize")
        return str(url.with_query(query))

    async def exchange_code(self, code: str) -> OAuthToken:
        """Exchange the ``code`` of the redirect for a token (``oauth-tokens``,
        ``grant_type=authorization_code``: ``POST /oauth/tokens``; docs
        ``/oauth/endpoints/generate-tokens``). A code works once, shortly after consent.

        Returns:
            An :class:`OAuthToken` with ``access_token``, ``refresh_token`` and
            ``expires_at`` (the clock's now + ``expires_in``).

        Raises:
            OAuthError: the server refused the code or the app's credentials (``error``:
                ``invalid_grant``, ``invalid_client``...).
            RateLimitError, ServerError, APIStatusError: another error status.
            APIResponseValidationError: a 2xx answer without an ``access_token``.
            APIConnectionError, APITimeoutError: the manage host could not be reached.
            TypeError, ValueError: ``code`` is not a non-empty str (nothing is sent).
        """
        grant: dict[str, str | Secret] = {
            "code": Secret(_text("code", code)),
            "redirect_uri": self.redirect_uri,
        }
        del code  # only the Secret stays in this frame
        return await self._token_request("authorization_code", grant, keep_refresh=None)

    async def refresh(self, token: OAuthToken) -> OAuthToken:
        """A new access token for ``token``'s refresh token (``oauth-tokens``,
        ``grant_type=refresh_token``: ``POST /oauth/tokens``; docs
        ``/oauth/endpoints/generate-tokens``). The answer has no new refresh token (none is
        documented), so the old one is kept, unless the server sends one.

        Raises:
            OAuthError: the server refused the refresh token (revoked, expired: authorize
                again) or the app's credentials.
            ValueError: ``token`` has no ``refresh_token`` (nothing is sent).
            TypeError: ``token`` is not an :class:`OAuthToken`.
            and the other errors of :meth:`exchange_code`.
        """
        if not isinstance(token, OAuthToken):
            raise TypeError(f"token must be an OAuthToken, got {type(token).__name__}")
        if token.refresh_token is None:
            raise ValueError("token has no refresh_token; authorize the app again")
        refresh = Secret(token.refresh_token)
        return await self._token_request(
            "refresh_token", {"refresh_token": refresh}, keep_refresh=refresh
        )

    async def _token_request(
        self, grant_type: str, grant: Mapping[str, str | Secret], *, keep_refresh: Secret | None
    ) -> OAuthToken:
        """POST ``/oauth/tokens`` with the grant (``Secret`` values revealed only while the
        JSON body is built) and read the token. The answer's bytes never become a local of a
        frame an error passes through (they hold tokens): :meth:`_post` returns them straight
        into :meth:`_outcome`, which returns the token or the error to raise."""
        shown = (self._client_secret, *(v for v in grant.values() if isinstance(v, Secret)))
        outcome = self._outcome(
            *await self._post(grant_type, grant), grant_type, keep_refresh, shown
        )
        if isinstance(outcome, OAuthToken):
            return outcome
        raise outcome

    async def _post(
        self, grant_type: str, grant: Mapping[str, str | Secret]
    ) -> tuple[int, dict[str, str], bytes, BaseException | None, float]:
        """One POST: (status, headers, body bytes, transport error or None, milliseconds)."""
        url = self.base_url.with_path(self.base_url.path.rstrip("/") + _TOKENS_PATH)
        timeout = aiohttp.ClientTimeout(
            total=self.timeouts.total, connect=self.timeouts.connect, sock_read=self.timeouts.read
        )
        session = self._session or aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar())
        started = time.monotonic()
        try:
            async with session.post(
                url,
                data=self._body(grant_type, grant),
                headers={
                    "Accept": "application/json",
                    "Content-Type": "application/json",
                    "User-Agent": DEFAULT_USER_AGENT,
                },
                timeout=timeout,
                allow_redirects=False,
                raise_for_status=False,
            ) as response:
                answer = (response.status, dict(response.headers), await response.read())
        except (aiohttp.ClientError, OSError) as exc:
            return 0, {}, b"", exc, (time.monotonic() - started) * 1000.0
        finally:
            if session is not self._session:
                await session.close()
        return (*answer, None, (time.monotonic() - started) * 1000.0)

    def _body(self, grant_type: str, grant: Mapping[str, str | Secret]) -> bytes:
        fields = {"grant_type": grant_type, "client_id": self.client_id}
        return json.dumps(
            {
                **fields,
                "client_secret": self._client_secret.reveal(),
                **{k: v.reveal() if isinstance(v, Secret) else v for k, v in grant.items()},
            }
        ).encode()

    def _outcome(
        self,
        status: int,
        headers: dict[str, str],
        raw: bytes,
        failure: BaseException | None,
        elapsed_ms: float,
        grant_type: str,
        keep_refresh: Secret | None,
        shown: tuple[Secret, ...],
    ) -> OAuthToken | MijnKlantportaalError:
        """The token of a 2xx answer, else the error to raise (returned, not raised: this
        frame holds the answer's bytes)."""
        if failure is not None:
            label = type(failure).__name__
            log_attempt("POST", _TOKENS_PATH, label, elapsed_ms, 1, _TOKENS_OPERATION, "reject")
            return transport_error(
                "POST", _TOKENS_PATH, failure, clean=lambda text: redact(text, shown)
            )
        log_attempt("POST", _TOKENS_PATH, str(status), elapsed_ms, 1, _TOKENS_OPERATION)
        headers = {k: redact(v, shown) for k, v in headers.items()}
        if not 200 <= status < 300:
            return self._refused(status, redact_body(_json(raw), shown), headers, grant_type)
        return self._read_token(status, _json(raw), headers, keep_refresh)

    def _refused(
        self, status: int, body: Any, headers: Mapping[str, str], grant_type: str
    ) -> MijnKlantportaalError:
        if 400 <= status < 500 and status != 429:
            what = "code exchange" if grant_type == "authorization_code" else "token refresh"
            reason = ""
            if isinstance(body, dict):
                for key in ("error_description", "message", "error"):
                    if isinstance(body.get(key), str) and body[key]:
                        reason = body[key]
                        break
            message = f"the OAuth server refused the {what}" + (f": {reason}" if reason else "")
            return OAuthError(
                message, status=status, body=body, headers=headers, method="POST", path=_TOKENS_PATH
            )
        return error_for_status(status, body, headers, method="POST", path=_TOKENS_PATH)

    def _read_token(
        self, status: int, body: Any, headers: Mapping[str, str], keep_refresh: Secret | None
    ) -> OAuthToken | MijnKlantportaalError:
        """The token in a 2xx ``body``, or an APIResponseValidationError that does not keep
        the body (it holds tokens)."""
        access = body.get("access_token") if isinstance(body, dict) else None
        refresh = body.get("refresh_token") if isinstance(body, dict) else None
        expires_in = body.get("expires_in") if isinstance(body, dict) else None
        problem = ""
        if not isinstance(access, str) or not access:
            problem = "the answer has no access_token"
        elif refresh is not None and not isinstance(refresh, str):
            problem = "refresh_token is not a string"
        elif expires_in is not None and (
            isinstance(expires_in, bool)
            or not isinstance(expires_in, int | float)
            or not 0 <= expires_in <= _MAX_EXPIRES_IN
        ):
            problem = "expires_in is not a number of seconds (0 to 10 years)"
        else:
            expires_at = None
            if expires_in is not None:
                expires_at = datetime.fromtimestamp(self._clock() + float(expires_in), tz=UTC)
            if not refresh and keep_refresh is not None:
                refresh = keep_refresh.reveal()
            try:
                return OAuthToken(
                    access_token=access, refresh_token=refresh or None, expires_at=expires_at
                )
            except (TypeError, ValueError) as exc:
                problem = str(exc)  # names the field, never the value
        return APIResponseValidationError(
            problem, status=status, headers=headers, method="POST", path=_TOKENS_PATH
        )


def _json(raw: bytes) -> Any:
    text = raw.decode("utf-8", errors="replace")
    if not text.strip():
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


class TokenManager:
    """The request path's credential source for OAuth (``_core.request.Credentials``).

    It holds the current :class:`OAuthToken` (``token``) and refreshes it through ``oauth``:
    before each request when it expires within ``oauth.refresh_margin`` seconds, and when the
    API answers 401 to the token it holds. One refresh runs at a time: calls that need it while
    it runs wait for it and use its token (a call cancelled while waiting does not cancel it).
    Each new token goes to ``on_token_refresh`` before the waiting calls go on (so it is
    stored before it is used); an exception there is logged (redacted) and does not fail the
    call, the new token is used anyway.

    A refresh the OAuth server refuses (:class:`OAuthError`: the grant was revoked or has
    expired) is final: every later call raises an :class:`OAuthError` without a request. A
    refresh that failed otherwise (the manage host unreachable, a 5xx) fails the calls that
    waited for it; the next call tries again.
    """

    def __init__(
        self,
        oauth: OAuthClient,
        token: OAuthToken,
        on_token_refresh: OnTokenRefresh | None = None,
    ) -> None:
        self._oauth = oauth
        self.token = token
        self._access = Secret(token.access_token)
        self._previous: tuple[Secret, ...] = ()
        self._on_token_refresh = on_token_refresh
        self._flight: asyncio.Task[None] | None = None
        self._dead: OAuthError | None = None
        self.refreshes = 0
        """How many refreshes succeeded."""

    def __repr__(self) -> str:
        return f"TokenManager(client_id={self._oauth.client_id!r}, token=***)"

    @property
    def client_id(self) -> str:
        """The OAuth app's ID."""
        return self._oauth.client_id

    def secrets(self) -> tuple[Secret, ...]:
        refresh = () if self.token.refresh_token is None else (Secret(self.token.refresh_token),)
        return (self._access, *self._previous, *refresh, self._oauth._client_secret)

    async def bearer(self) -> Secret:
        if self._dead is not None:
            raise copy.copy(self._dead)
        if self._due():
            await self._renew(self._access, why="it expires")
        return self._access

    async def rejected(self, sent: Secret) -> bool:
        if sent != self._access:
            return True  # another call renewed it meanwhile
        if self.token.refresh_token is None:
            return False
        await self._renew(sent, why="the API answered 401")
        return True

    def _due(self) -> bool:
        if self.token.expires_at is None or self.token.refresh_token is None:
            return False
        left = self.token.expires_at.timestamp() - self._oauth._clock()
        return left <= self._oauth.refresh_margin

    async def _renew(self, stale: Secret, *, why: str) -> None:
        """Make sure the token is newer than ``stale``: start a refresh, or wait for the one
        running."""
        if self._dead is not None:
            raise copy.copy(self._dead)
        if self._access != stale:
            return
        if self._flight is None:
            self._flight = asyncio.ensure_future(self._refresh(why))
            # Its error is raised in every waiter; retrieved here too, so that a refresh whose
            # waiters were all cancelled is not reported as "never retrieved".
            self._flight.add_done_callback(_retrieve)
        flight = self._flight
        try:
            await asyncio.shield(flight)
        except MijnKlantportaalError as exc:
            raise copy.copy(exc) from None  # each waiter its own error object

    async def _refresh(self, why: str) -> None:
        try:
            logger.info("oauth: refreshing the access token (%s)", why)
            token = await self._oauth.refresh(self.token)
        except OAuthError as exc:
            self._dead = exc
            logger.info("oauth: the refresh was refused (%s); authorize the app again", exc.status)
            raise
        finally:
            self._flight = None
        self._previous = (self._access,)
        self.token = token
        self._access = Secret(token.access_token)
        self.refreshes += 1
        left = token.expires_in(self._oauth.now())
        logger.info(
            "oauth: the access token was refreshed%s",
            "" if left is None else f" (valid for {left:.0f} s)",
        )
        if self._on_token_refresh is None:
            return
        try:
            result = self._on_token_refresh(token)
            if inspect.isawaitable(result):
                await result
        except Exception as exc:  # the user's storage failed: the new token is still used
            logger.warning(
                "oauth: on_token_refresh raised %s; the new token is in use",
                redact(f"{type(exc).__name__}: {exc}", self.secrets()),
            )


def _retrieve(task: asyncio.Task[None]) -> None:
    if not task.cancelled():
        task.exception()
