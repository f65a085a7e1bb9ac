"""OAuth end to end against the FakePortal: authorize, exchange, refresh, and a client that
refreshes its token before it expires and once on a 401, one refresh at a time; the client
secret, the code and the tokens never printed."""

from __future__ import annotations

import asyncio
import logging
import secrets
import traceback
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import aiohttp
import pytest
import yarl
from aiohttp import web
from aiohttp.test_utils import TestServer
from test_fakeportal_support import FakeClock

import mijnklantportaal_async
from mijnklantportaal_async import (
    APIConnectionError,
    APIResponseValidationError,
    AuthenticationError,
    Customer,
    CustomerCreate,
    MijnKlantportaal,
    OAuthClient,
    OAuthError,
    OAuthToken,
    Upload,
)
from mijnklantportaal_async.testing import FakePortal

REDIRECT = "https://app.example.org/oauth/callback"
PACKAGE_DIR = mijnklantportaal_async.__file__.rsplit("/", 1)[0]
LIFETIME = 3600


def customer(n: int = 1) -> CustomerCreate:
    return CustomerCreate(
        company_name=f"OAuth {n} BV",
        address="Teststreet 1",
        zip_code="1234AB",
        city="Amsterdam",
        primary_email=f"oauth{n}@example.org",
    )


async def consent(url: str) -> tuple[str, str]:
    """Follow the authorize URL as a browser would; the FakePortal consents at once. Returns
    the redirect's (code, state)."""
    async with (
        aiohttp.ClientSession() as session,
        session.get(url, allow_redirects=False) as response,
    ):
        assert response.status == 302
        location = yarl.URL(response.headers["Location"])
    assert str(location.with_query(None)) == REDIRECT
    return location.query["code"], location.query["state"]


@dataclass
class Dance:
    portal: FakePortal
    clock: FakeClock
    oauth: OAuthClient
    client_secret: str
    token: OAuthToken

    def secrets(self) -> list[str]:
        """Every secret of the grant so far: the client secret and each token issued."""
        found = [self.client_secret]
        for grant in self.portal.oauth.grants:
            found += [grant.refresh_token, *grant.access_tokens]
        return found


@pytest.fixture
async def dance() -> AsyncIterator[Dance]:
    clock = FakeClock()
    async with FakePortal(clock=clock, oauth_token_lifetime=LIFETIME) as portal:
        client_id, client_secret = portal.register_oauth_app(redirect_uri=REDIRECT)
        oauth = OAuthClient(
            client_id=client_id,
            client_secret=client_secret,
            redirect_uri=REDIRECT,
            base_url=portal.oauth_url,
            clock=clock,
        )
        state = secrets.token_urlsafe(16)
        code, returned = await consent(
            oauth.authorization_url(scopes=["customers.read", "customers.write"], state=state)
        )
        assert secrets.compare_digest(returned, state)
        token = await oauth.exchange_code(code)
        yield Dance(portal, clock, oauth, client_secret, token)


def oauth_client(d: Dance, **kwargs: Any) -> MijnKlantportaal:
    return MijnKlantportaal(oauth=d.oauth, token=d.token, base_url=d.portal.url, **kwargs)


async def test_the_dance_gives_a_token_the_api_accepts(dance: Dance) -> None:
    token = dance.token
    grant = dance.portal.oauth.grants[0]
    assert grant.scopes == ("customers.read", "customers.write")
    assert token.access_token == grant.access_tokens[0]
    assert token.refresh_token == grant.refresh_token
    assert token.expires_at == datetime.fromtimestamp(dance.clock() + LIFETIME, tz=UTC)
    exchange = dance.portal.oauth.token_requests("authorization_code")
    assert len(exchange) == 1
    assert exchange[0].status == 200
    assert exchange[0].body["client_secret"] == "***"  # the portal's log masks it
    async with oauth_client(dance) as mkp:
        created = await mkp.customers.create(customer())
        assert (await mkp.customers.get(created.id)).primary_email == "oauth1@example.org"
    assert dance.portal.oauth.token_requests("refresh_token") == []


async def test_authorization_url_carries_what_the_docs_list(dance: Dance) -> None:
    url = yarl.URL(
        dance.oauth.authorization_url(scopes=["customers.read"], state="s1", prompt="login")
    )
    assert str(url.with_query(None)) == dance.portal.oauth_url + "/oauth/authorize"
    assert dict(url.query) == {
        "client_id": dance.oauth.client_id,
        "redirect_uri": REDIRECT,
        "response_type": "code",
        "scope": "customers.read",
        "state": "s1",
        "prompt": "login",
    }


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"scopes": "customers.read", "state": "s"}, TypeError),
        ({"scopes": [], "state": "s"}, ValueError),
        ({"scopes": ["customers read"], "state": "s"}, ValueError),
        ({"scopes": ["customers.read"], "state": ""}, ValueError),
        ({"scopes": ["customers.read"], "state": "s", "prompt": "none"}, ValueError),
    ],
)
def test_a_bad_authorization_url_is_refused(kwargs: dict[str, Any], error: type[Exception]) -> None:
    oauth = OAuthClient(client_id="app_1", client_secret="s3cr3t", redirect_uri=REDIRECT)
    with pytest.raises(error):
        oauth.authorization_url(**kwargs)


async def test_a_code_works_once(dance: Dance) -> None:
    code, _ = await consent(dance.oauth.authorization_url(scopes=["tickets.read"], state="x"))
    await dance.oauth.exchange_code(code)
    with pytest.raises(OAuthError) as info:
        await dance.oauth.exchange_code(code)
    assert isinstance(info.value, AuthenticationError)
    assert (info.value.status, info.value.error) == (400, "invalid_grant")


async def test_the_authorize_endpoint_redirects_errors_with_state(dance: Dance) -> None:
    url = yarl.URL(dance.oauth.authorization_url(scopes=["x.read"], state="st"))
    async with (
        aiohttp.ClientSession() as session,
        session.get(url.update_query(response_type="token"), allow_redirects=False) as response,
    ):
        location = yarl.URL(response.headers["Location"])
    assert response.status == 302
    assert location.query["error"] == "unsupported_response_type"
    assert location.query["state"] == "st"
    assert "code" not in location.query


async def test_wrong_client_credentials_are_an_oauth_error(dance: Dance) -> None:
    wrong = OAuthClient(
        client_id=dance.oauth.client_id,
        client_secret="not-the-secret",
        redirect_uri=REDIRECT,
        base_url=dance.portal.oauth_url,
    )
    with pytest.raises(OAuthError) as info:
        await wrong.refresh(dance.token)
    assert (info.value.status, info.value.error) == (401, "invalid_client")


async def test_refresh_keeps_the_refresh_token_and_revokes_the_old_access_token(
    dance: Dance,
) -> None:
    new = await dance.oauth.refresh(dance.token)
    assert new.refresh_token == dance.token.refresh_token  # the answer has none: kept
    assert new.access_token != dance.token.access_token
    async with MijnKlantportaal(dance.token.access_token, base_url=dance.portal.url) as old:
        with pytest.raises(AuthenticationError):
            await old.customers.get("cst_abc12345def678")


async def test_the_client_refreshes_before_the_token_expires(dance: Dance) -> None:
    saved: list[OAuthToken] = []
    async with oauth_client(dance, on_token_refresh=saved.append) as mkp:
        created = await mkp.customers.create(customer())
        dance.clock.advance(LIFETIME - 30)  # within the 60 s margin, not yet expired
        await mkp.customers.get(created.id)
        assert mkp.oauth_token == saved[0]
    assert len(dance.portal.oauth.token_requests("refresh_token")) == 1
    assert saved[0].access_token == dance.portal.oauth.grants[0].access_tokens[-1]
    assert saved[0].expires_at == datetime.fromtimestamp(dance.clock() + LIFETIME, tz=UTC)
    # no 401 was needed: every API request was accepted
    assert [r.status for r in dance.portal.requests] == [201, 200]


async def test_calls_racing_an_expired_token_make_one_refresh(dance: Dance) -> None:
    refreshed: list[OAuthToken] = []

    async def save(token: OAuthToken) -> None:  # a coroutine function works too
        await asyncio.sleep(0)
        refreshed.append(token)

    async with oauth_client(dance, on_token_refresh=save) as mkp:
        created = await mkp.customers.create(customer())
        dance.clock.advance(LIFETIME + 1)
        results = await asyncio.gather(*(mkp.customers.get(created.id) for _ in range(8)))
    assert all(isinstance(r, Customer) for r in results)
    assert len(dance.portal.oauth.token_requests("refresh_token")) == 1
    assert len(refreshed) == 1
    assert [r.status for r in dance.portal.requests].count(401) == 0


async def test_a_401_refreshes_once_and_sends_again(dance: Dance) -> None:
    async with oauth_client(dance) as mkp:
        created = await mkp.customers.create(customer())
        dance.portal.oauth.revoke_access_tokens()  # the API refuses a token not yet expired
        results = await asyncio.gather(*(mkp.customers.get(created.id) for _ in range(5)))
    assert {r.id for r in results} == {created.id}
    assert len(dance.portal.oauth.token_requests("refresh_token")) == 1
    statuses = [r.status for r in dance.portal.requests]
    assert statuses.count(401) == 5
    assert statuses.count(200) == 5


async def test_a_second_401_after_a_refresh_is_final(dance: Dance) -> None:
    def revoke_again(token: OAuthToken) -> None:
        dance.portal.oauth.revoke_access_tokens()

    async with oauth_client(dance, on_token_refresh=revoke_again) as mkp:
        dance.portal.oauth.revoke_access_tokens()
        with pytest.raises(AuthenticationError) as info:
            await mkp.customers.get("cst_abc12345def678")
    assert not isinstance(info.value, OAuthError)  # the API's 401, not the OAuth server's
    assert len(dance.portal.oauth.token_requests("refresh_token")) == 1
    assert [r.status for r in dance.portal.requests] == [401, 401]


async def test_a_refused_refresh_is_an_oauth_error_and_never_tried_again(dance: Dance) -> None:
    async with oauth_client(dance) as mkp:
        dance.portal.oauth.revoke_grants()  # the user disconnected the app
        dance.clock.advance(LIFETIME + 1)
        calls = [mkp.customers.get("cst_abc12345def678") for _ in range(4)]
        outcomes = await asyncio.gather(*calls, return_exceptions=True)
        with pytest.raises(OAuthError):
            await mkp.customers.get("cst_abc12345def678")
    assert all(isinstance(o, OAuthError) for o in outcomes)
    assert len({id(o) for o in outcomes}) == 4  # each call its own error object
    assert len(dance.portal.oauth.token_requests("refresh_token")) == 1
    assert dance.portal.requests == ()  # nothing reached the API


async def test_an_on_token_refresh_that_fails_is_logged_and_the_call_goes_on(
    dance: Dance, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(token: OAuthToken) -> None:
        raise OSError(f"disk full while saving {token.access_token}")

    caplog.set_level(logging.DEBUG, logger="mijnklantportaal_async")
    async with oauth_client(dance, on_token_refresh=broken) as mkp:
        dance.clock.advance(LIFETIME)
        async for _ in mkp.customers.list():
            pass
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "OSError: disk full while saving [redacted]" in warnings[0]
    assert all(s not in caplog.text for s in dance.secrets())


async def test_an_unreachable_oauth_host_is_a_connection_error() -> None:
    server = TestServer(web.Application(), host="127.0.0.1")
    await server.start_server()
    url = str(server.make_url(""))
    await server.close()  # nothing listens there now
    client_secret, code = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
    oauth = OAuthClient(
        client_id="app_1", client_secret=client_secret, redirect_uri=REDIRECT, base_url=url
    )
    with pytest.raises(APIConnectionError) as info:
        await oauth.exchange_code(code)
    assert info.value.sent is False
    assert_hidden(info.value, [client_secret, code])


async def test_a_token_answer_without_an_access_token_keeps_no_body() -> None:
    leaked, client_secret, code = (secrets.token_urlsafe(16) for _ in range(3))

    async def tokens(request: web.Request) -> web.Response:
        return web.json_response({"access_token": 5, "refresh_token": leaked})

    app = web.Application()
    app.router.add_post("/oauth/tokens", tokens)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    try:
        oauth = OAuthClient(
            client_id="app_1",
            client_secret=client_secret,
            redirect_uri=REDIRECT,
            base_url=str(server.make_url("")),
        )
        with pytest.raises(APIResponseValidationError) as info:
            await oauth.exchange_code(code)
    finally:
        await server.close()
    assert info.value.body is None
    assert_hidden(info.value, [client_secret, code, leaked])


# -- the secrets never printed ----------------------------------------------------------------


def shows(value: Any, hidden: list[str], depth: int = 0) -> bool:
    """Whether a tool capturing locals would show a secret: strings as they are, mappings and
    collections item by item (as Sentry expands them), other objects by their repr."""
    if depth > 5:
        return False
    if isinstance(value, str):
        return any(s in value for s in hidden)
    if isinstance(value, bytes | bytearray):
        return any(s.encode() in value for s in hidden)
    if isinstance(value, Mapping):
        return any(
            shows(k, hidden, depth + 1) or shows(v, hidden, depth + 1) for k, v in value.items()
        )
    if isinstance(value, list | tuple | set | frozenset):
        return any(shows(item, hidden, depth + 1) for item in value)
    try:
        text = repr(value)
    except Exception:
        return False
    return any(s in text for s in hidden)


def assert_hidden(exc: BaseException, hidden: list[str]) -> None:
    """No secret in the exception, its chain, attributes, formatted traceback or the locals of
    the library's frames in it."""
    seen: list[BaseException] = []
    current: BaseException | None = exc
    frames = 0
    while current is not None and current not in seen:
        seen.append(current)
        for text in (str(current), repr(current), repr(vars(current)), repr(current.args)):
            assert not any(s in text for s in hidden), text
        for frame, _ in traceback.walk_tb(current.__traceback__):
            if frame.f_code.co_filename.startswith(PACKAGE_DIR):
                frames += 1
                bad = [n for n, v in frame.f_locals.items() if shows(v, hidden)]
                assert bad == [], f"{frame.f_code.co_name}: {bad}"
        current = current.__cause__ or current.__context__
    assert frames, "expected frames of the library in the traceback"
    formatted = "".join(traceback.format_exception(exc))
    assert not any(s in formatted for s in hidden)


async def test_secrets_never_show_in_reprs_logs_errors_or_frame_locals(
    dance: Dance, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # the root logger: aiohttp's too
    caplog.set_level(logging.DEBUG, logger="mijnklantportaal_async")
    async with oauth_client(dance, on_token_refresh=lambda t: None) as mkp:
        await mkp.customers.create(customer())
        dance.portal.oauth.revoke_access_tokens()
        await mkp.customers.get(next(iter(dance.portal.customers)))  # 401, refresh, again
        dance.clock.advance(LIFETIME)
        await mkp.customers.get(next(iter(dance.portal.customers)))  # refresh before expiry
        printable = [repr(mkp), repr(dance.oauth), repr(dance.token), repr(mkp.oauth_token)]
        dance.portal.oauth.revoke_grants()
        dance.clock.advance(LIFETIME)
        with pytest.raises(OAuthError) as refused:
            await mkp.customers.get("cst_abc12345def678")
    wrong_code = "code_" + secrets.token_urlsafe(16)
    with pytest.raises(OAuthError) as bad_code:
        await dance.oauth.exchange_code(wrong_code)
    hidden = dance.secrets()
    assert len(hidden) == 5  # the client secret, one refresh token, three access tokens
    assert "***" in printable[2]
    for text in printable:
        assert not any(s in text for s in hidden), text
    assert not any(s in caplog.text for s in hidden)
    for record in caplog.records:
        assert not shows(record.args, hidden)
        assert not shows(vars(record), hidden)
    assert_hidden(refused.value, hidden)
    assert_hidden(bad_code.value, [*hidden, wrong_code])


def test_an_oauth_client_checks_its_arguments_without_echoing_the_secret() -> None:
    with pytest.raises(TypeError, match="client_id"):
        OAuthClient(client_id=1, client_secret="s3cr3t", redirect_uri=REDIRECT)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="base_url") as info:
        OAuthClient(
            client_id="a", client_secret="s3cr3t", redirect_uri=REDIRECT, base_url="http://x.org"
        )
    assert "s3cr3t" not in str(info.value)
    with pytest.raises(ValueError, match="client_secret"):
        OAuthClient(client_id="a", client_secret=" ", redirect_uri=REDIRECT)


def test_a_client_takes_oauth_or_a_key_not_both(dance: Dance) -> None:
    with pytest.raises(ValueError, match="api_key"):
        MijnKlantportaal("key", oauth=dance.oauth, token=dance.token)
    with pytest.raises(ValueError, match="token"):
        MijnKlantportaal(oauth=dance.oauth)
    with pytest.raises(ValueError, match="oauth"):
        MijnKlantportaal("key", token=dance.token)
    with pytest.raises(TypeError, match="token"):
        MijnKlantportaal(oauth=dance.oauth, token="abc")  # type: ignore[arg-type]


def test_a_token_round_trips_through_its_dict() -> None:
    token = OAuthToken(
        access_token="a1", refresh_token="r1", expires_at=datetime(2030, 1, 1, tzinfo=UTC)
    )
    assert OAuthToken.from_dict(token.to_dict()) == token
    assert repr(token) == (
        "OAuthToken(access_token='***', refresh_token='***', "
        "expires_at=datetime.datetime(2030, 1, 1, 0, 0, tzinfo=datetime.timezone.utc))"
    )
    with pytest.raises(TypeError, match="aware"):
        OAuthToken(access_token="a1", expires_at=datetime(2030, 1, 1))


async def test_a_401_to_a_one_shot_upload_renews_the_token_but_does_not_resend(
    dance: Dance,
) -> None:
    async def chunks() -> AsyncIterator[bytes]:  # a stream: it cannot be read twice
        yield b"%PDF-1.7\n"
        yield b"%%EOF\n"

    async with oauth_client(dance) as mkp:
        dance.portal.oauth.revoke_access_tokens()
        with pytest.raises(AuthenticationError):
            await mkp.files.upload(Upload(chunks(), filename="a.pdf"))
        stored = await mkp.files.upload(b"%PDF-1.7\n%%EOF\n")  # the renewed token works
    assert stored.id.startswith("fsf_")
    assert len(dance.portal.oauth.token_requests("refresh_token")) == 1
    assert [r.status for r in dance.portal.requests] == [401, 201]
