"""The FakePortal's OAuth server: the manage host's ``/oauth/authorize`` and ``/oauth/tokens``.

The real OAuth endpoints live on their own host (``https://manage.mijnklantportaal.nl``,
api/NOTES.md section 2), so :class:`OAuthServer` listens on a port of its own:
``portal.oauth_url`` (``http://127.0.0.1:<port>``, no ``/v1``). What it does:

- ``portal.register_oauth_app(redirect_uri=...)`` returns ``(client_id, client_secret)``;
- ``GET /oauth/authorize`` consents at once (no login page) and answers 302 to the
  registered ``redirect_uri`` with ``code`` and ``state``; a bad request whose client and
  redirect URI are known redirects with ``error`` and ``error_description`` (and ``state``);
  an unknown client or a redirect URI that is not the registered one gets a 400 page and no
  redirect, as OAuth 2 requires;
- ``POST /oauth/tokens`` (JSON) with ``grant_type=authorization_code`` answers
  ``{access_token, refresh_token, expires_in}``; a code works once and for
  :attr:`OAuthServer.code_lifetime` seconds; with ``grant_type=refresh_token`` it answers
  ``{access_token, expires_in}`` (no new refresh token, as documented) and revokes the access
  tokens issued before on that grant (as Laravel Passport does). Errors are 400 (or 401 for
  the client's credentials) ``{"error", "error_description", "message"}``;
- access tokens expire :attr:`OAuthServer.access_token_lifetime` seconds after they are issued
  on the PORTAL'S clock (settable, also as ``FakePortal(oauth_token_lifetime=...)``); the API
  accepts a live one like an API key, with its own rate window.

Scopes are recorded on the grant (``grants``) but not enforced. Every request is logged in
:attr:`OAuthServer.requests` with the client secret, codes and tokens masked as ``"***"``;
token responses are handed to ``watch_responses`` (so the suite checks them against the spec).
"""

from __future__ import annotations

import hmac
import json
import secrets
from collections.abc import Callable
from typing import Any

import attrs
import yarl
from aiohttp import web

from mijnklantportaal_async.testing.observe import notify_response
from mijnklantportaal_async.testing.records import RequestRecord

__all__ = ["OAuthApp", "OAuthGrant", "OAuthServer"]

MASK = "***"
_SECRET_FIELDS = frozenset({"client_secret", "code", "refresh_token", "access_token"})


@attrs.frozen
class OAuthApp:
    """A registered app: its ID, secret and the one redirect URI it may use."""

    client_id: str
    client_secret: str = attrs.field(repr=False)
    redirect_uri: str


@attrs.define
class OAuthGrant:
    """What a user consented to: the app, the scopes, the refresh token (``revoked`` once
    :meth:`OAuthServer.revoke_grants` ran) and the access tokens issued on it."""

    client_id: str
    scopes: tuple[str, ...]
    refresh_token: str = attrs.field(repr=False)
    revoked: bool = False
    access_tokens: list[str] = attrs.field(factory=list, repr=False)


@attrs.frozen
class _Code:
    client_id: str
    redirect_uri: str
    scopes: tuple[str, ...]
    expires: float


@attrs.define
class _Access:
    grant: OAuthGrant
    expires: float
    revoked: bool = False


class _Refused(Exception):
    def __init__(self, status: int, error: str, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.error = error
        self.description = description


class OAuthServer:
    """The manage host's OAuth endpoints on a loopback port (see the module docstring).

    Args:
        clock: UNIX seconds (the portal's): codes and access tokens expire on it.
        access_token_lifetime: seconds an access token lives (``expires_in``); settable.
    """

    def __init__(self, clock: Callable[[], float], *, access_token_lifetime: float = 3600.0):
        self._clock = clock
        self.access_token_lifetime = access_token_lifetime
        """Seconds from issue until an access token expires (``expires_in``); settable."""
        self.code_lifetime = 60.0
        """Seconds an authorization code can be exchanged after consent."""
        self.apps: dict[str, OAuthApp] = {}
        """client_id -> the registered app."""
        self.grants: list[OAuthGrant] = []
        """Every grant (consent exchanged for tokens), in order."""
        self.requests: list[RequestRecord] = []
        """Every request to the OAuth host, secrets masked."""
        self._codes: dict[str, _Code] = {}
        self._access: dict[str, _Access] = {}
        self._refresh: dict[str, OAuthGrant] = {}
        self._runner: web.AppRunner | None = None
        self._url: str | None = None

    # -- lifecycle -------------------------------------------------------------------------
    async def start(self, host: str) -> None:
        """Listen on a free port of ``host``."""
        app = web.Application()
        app.router.add_get("/oauth/authorize", self._authorize)
        app.router.add_post("/oauth/tokens", self._tokens)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=5.0)
        await runner.setup()
        try:
            await web.TCPSite(runner, host, 0).start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        bound_host, bound_port = runner.addresses[0][:2]
        shown = f"[{bound_host}]" if ":" in bound_host else bound_host
        self._url = f"http://{shown}:{bound_port}"

    async def close(self) -> None:
        """Stop listening; the apps, grants and log stay readable. Safe to call twice."""
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    @property
    def url(self) -> str:
        """The OAuth base URL (``http://127.0.0.1:<port>``); RuntimeError before start."""
        if self._url is None:
            raise RuntimeError("FakePortal is not started; use 'async with FakePortal() as p'")
        return self._url

    # -- what tests use --------------------------------------------------------------------
    def register_app(self, *, redirect_uri: str) -> tuple[str, str]:
        """Register an app that redirects to ``redirect_uri``; returns ``(client_id,
        client_secret)``. Raises ValueError for a redirect URI that is not absolute http(s)."""
        url = yarl.URL(redirect_uri)
        if url.scheme not in ("http", "https") or not url.host:
            raise ValueError(f"redirect_uri must be an absolute http(s) URL, got {redirect_uri!r}")
        client_id = "app_" + secrets.token_hex(8)
        client_secret = "mkp_secret_" + secrets.token_urlsafe(24)
        self.apps[client_id] = OAuthApp(client_id, client_secret, redirect_uri)
        return client_id, client_secret

    def authenticate(self, token: str) -> str | None:
        """The rate-limit key of a live access token (the token itself), else None."""
        access = self._access.get(token)
        if access is None or access.revoked or access.grant.revoked:
            return None
        return token if self._clock() < access.expires else None

    def revoke_access_tokens(self) -> int:
        """Make every access token issued so far invalid now (the API answers 401 to it, as
        when a token is revoked before its time); returns how many were live."""
        live = [a for a in self._access.values() if not a.revoked]
        for access in live:
            access.revoked = True
        return len(live)

    def revoke_grants(self) -> int:
        """Revoke every grant (the user disconnected the app): its tokens stop working and a
        refresh answers 400 ``invalid_grant``; returns how many were revoked."""
        live = [g for g in self.grants if not g.revoked]
        for grant in live:
            grant.revoked = True
        return len(live)

    def token_requests(self, grant_type: str | None = None) -> list[RequestRecord]:
        """The requests to ``/oauth/tokens`` (of one ``grant_type`` when given)."""
        return [
            r
            for r in self.requests
            if r.path == "/oauth/tokens"
            and (
                grant_type is None
                or (isinstance(r.body, dict) and r.body.get("grant_type") == grant_type)
            )
        ]

    # -- the endpoints ---------------------------------------------------------------------
    async def _authorize(self, request: web.Request) -> web.StreamResponse:
        query = dict(request.query)
        record = self._record(request, "oauth-authorize", "GET /oauth/authorize", query)
        app = self.apps.get(query.get("client_id", ""))
        redirect_uri = query.get("redirect_uri", "")
        if app is None or redirect_uri != app.redirect_uri:
            record.status = 400
            record.response_body = "unknown client_id or a redirect_uri it did not register"
            return web.Response(status=400, text=record.response_body)
        state = query.get("state")
        scopes = tuple(query.get("scope", "").split())
        problem: tuple[str, str] | None = None
        if query.get("response_type") != "code":
            problem = ("unsupported_response_type", "response_type must be code")
        elif not state:
            problem = ("invalid_request", "state is required")
        elif not scopes:
            problem = ("invalid_scope", "at least one scope is required")
        elif query.get("prompt", "consent") not in ("consent", "login"):
            problem = ("invalid_request", "prompt must be consent or login")
        if problem is not None:
            answer = {"error": problem[0], "error_description": problem[1]}
        else:
            code = "code_" + secrets.token_urlsafe(24)
            expires = self._clock() + self.code_lifetime
            self._codes[code] = _Code(app.client_id, app.redirect_uri, scopes, expires)
            answer = {"code": code}
        if state:
            answer["state"] = state
        location = yarl.URL(app.redirect_uri).update_query(answer)
        record.status = 302
        record.response_headers = {"Location": _masked_location(location)}
        raise web.HTTPFound(location=str(location))

    async def _tokens(self, request: web.Request) -> web.Response:
        record = self._record(request, "oauth-tokens", "POST /oauth/tokens", dict(request.query))
        try:
            try:
                body = json.loads(await request.read() or b"null")
            except ValueError:
                raise _Refused(400, "invalid_request", "the body must be JSON") from None
            if not isinstance(body, dict):
                raise _Refused(400, "invalid_request", "the body must be a JSON object")
            record.body = {k: MASK if k in _SECRET_FIELDS else v for k, v in body.items()}
            app = self._client(body)
            grant_type = body.get("grant_type")
            if grant_type == "authorization_code":
                answer = self._exchange(app, body)
            elif grant_type == "refresh_token":
                answer = self._refreshed(app, body)
            else:
                raise _Refused(400, "unsupported_grant_type", "grant_type is not supported")
            status = 200
        except _Refused as refused:
            status = refused.status
            answer = {
                "error": refused.error,
                "error_description": refused.description,
                "message": refused.description,
            }
        record.status = status
        record.response_body = {k: MASK if k in _SECRET_FIELDS else v for k, v in answer.items()}
        record.response_headers = {"Content-Type": "application/json"}
        notify_response(record)
        return web.json_response(answer, status=status)

    # -- pieces ----------------------------------------------------------------------------
    def _record(
        self, request: web.Request, operation_id: str, route: str, query: dict[str, str]
    ) -> RequestRecord:
        masked = {k: MASK if k in _SECRET_FIELDS else v for k, v in query.items()}
        record = RequestRecord(
            index=len(self.requests),
            method=request.method,
            path=request.path,
            query=masked,
            headers={k: v for k, v in request.headers.items() if k.lower() != "authorization"},
            operation_id=operation_id,
            route=route,
        )
        self.requests.append(record)
        return record

    def _client(self, body: dict[str, Any]) -> OAuthApp:
        app = self.apps.get(str(body.get("client_id", "")))
        secret = body.get("client_secret")
        if (
            app is None
            or not isinstance(secret, str)
            or not hmac.compare_digest(secret.encode(), app.client_secret.encode())
        ):
            raise _Refused(401, "invalid_client", "Client authentication failed")
        return app

    def _exchange(self, app: OAuthApp, body: dict[str, Any]) -> dict[str, Any]:
        code = self._codes.pop(str(body.get("code", "")), None)  # a code works once
        if (
            code is None
            or code.client_id != app.client_id
            or self._clock() >= code.expires
            or body.get("redirect_uri") != code.redirect_uri
        ):
            raise _Refused(
                400, "invalid_grant", "The authorization code is invalid, used or expired."
            )
        refresh = "mkp_refresh_" + secrets.token_urlsafe(32)
        grant = OAuthGrant(app.client_id, code.scopes, refresh)
        self.grants.append(grant)
        self._refresh[refresh] = grant
        return {**self._issue(grant), "refresh_token": refresh}

    def _refreshed(self, app: OAuthApp, body: dict[str, Any]) -> dict[str, Any]:
        grant = self._refresh.get(str(body.get("refresh_token", "")))
        if grant is None or grant.revoked or grant.client_id != app.client_id:
            raise _Refused(400, "invalid_grant", "The refresh token is invalid.")
        for token in grant.access_tokens:  # the tokens issued before stop working
            self._access[token].revoked = True
        return self._issue(grant)

    def _issue(self, grant: OAuthGrant) -> dict[str, Any]:
        token = "mkp_oauth_" + secrets.token_urlsafe(32)
        lifetime = self.access_token_lifetime
        self._access[token] = _Access(grant, self._clock() + lifetime)
        grant.access_tokens.append(token)
        return {"access_token": token, "expires_in": int(lifetime)}

    def __repr__(self) -> str:
        return f"OAuthServer({self._url or 'not started'}, apps={len(self.apps)})"


def _masked_location(location: yarl.URL) -> str:
    return str(location.update_query({k: MASK for k in location.query if k == "code"}))
