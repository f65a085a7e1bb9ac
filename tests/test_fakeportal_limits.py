"""The FakePortal's rolling-window rate limit (with a fake clock, no sleeps) and its headers."""

from __future__ import annotations

import aiohttp
import pytest
from test_fakeportal_support import FakeClock, call

from mijnklantportaal_async.testing import FakePortal, LicenseLimits, RollingWindow


async def test_60_requests_pass_the_61st_gets_429_and_time_frees_the_window() -> None:
    clock = FakeClock()
    async with FakePortal(clock=clock) as portal, aiohttp.ClientSession() as session:
        for n in range(60):
            status, _, headers = await call(session, portal, "GET", "/customers")
            assert status == 200
            assert headers["X-RateLimit-Limit"] == "60"
            assert headers["X-RateLimit-Remaining"] == str(59 - n)
            clock.advance(0.5)  # 60 requests spread over 30 seconds
        status, body, headers = await call(session, portal, "GET", "/customers")
        assert status == 429
        assert body == {"code": 429, "message": "Too many requests."}
        assert headers["X-RateLimit-Remaining"] == "0"
        assert headers["Retry-After"] == "30"  # the first request leaves the window at 60 s
        assert headers["X-RateLimit-Reset"] == str(int(clock.now) + 30)

        clock.advance(29)
        status, _, headers = await call(session, portal, "GET", "/customers")
        assert (status, headers["Retry-After"]) == (429, "1")
        clock.advance(1)
        status, _, headers = await call(session, portal, "GET", "/customers")
        assert status == 200
        assert headers["X-RateLimit-Remaining"] == "0"  # the 2nd request still fills a slot


async def test_refused_requests_do_not_use_slots_or_store_anything() -> None:
    clock = FakeClock()
    async with FakePortal(rate_limit=1, clock=clock) as portal, aiohttp.ClientSession() as session:
        await call(session, portal, "GET", "/customers")
        for _ in range(5):
            status, _, _ = await call(session, portal, "POST", "/customers", json={"city": "x"})
            assert status == 429
        assert portal.customers == {}
        clock.advance(60)
        assert (await call(session, portal, "GET", "/customers"))[0] == 200


async def test_limit_and_period_are_configurable() -> None:
    clock = FakeClock()
    async with (
        FakePortal(rate_limit=3, rate_period=10.0, clock=clock) as portal,
        aiohttp.ClientSession() as session,
    ):
        statuses = [(await call(session, portal, "GET", "/customers"))[0] for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        assert portal.requests[-1].response_headers["Retry-After"] == "10"
        clock.advance(10)
        assert (await call(session, portal, "GET", "/customers"))[0] == 200


async def test_each_key_has_its_own_window() -> None:
    async with FakePortal(rate_limit=1, clock=FakeClock()) as portal:
        other = portal.add_api_key()
        async with aiohttp.ClientSession() as session:
            assert (await call(session, portal, "GET", "/customers"))[0] == 200
            assert (await call(session, portal, "GET", "/customers"))[0] == 429
            headers = {"Authorization": f"Bearer {other}"}
            async with session.get(portal.url + "/customers", headers=headers) as response:
                assert response.status == 200


async def test_rate_limit_none_turns_limit_and_headers_off() -> None:
    async with FakePortal(rate_limit=None) as portal, aiohttp.ClientSession() as session:
        for _ in range(70):
            status, _, headers = await call(session, portal, "GET", "/customers")
            assert status == 200
        assert "X-RateLimit-Limit" not in headers


async def test_unauthenticated_requests_use_no_slot() -> None:
    async with (
        FakePortal(rate_limit=1, clock=FakeClock()) as portal,
        aiohttp.ClientSession() as session,
    ):
        for _ in range(3):
            async with session.get(portal.url + "/customers") as response:
                assert response.status == 401
        assert (await call(session, portal, "GET", "/customers"))[0] == 200


def test_rolling_window_rounds_retry_after_up_to_whole_seconds() -> None:
    clock = FakeClock(1000.0)
    window = RollingWindow(2, 60.0, clock=clock)
    assert window.hit("k").remaining == 1
    clock.advance(0.25)
    assert window.hit("k").remaining == 0
    refused = window.hit("k")
    assert (refused.allowed, refused.retry_after, refused.reset_at) == (False, 60, 1060)
    clock.advance(59.5)  # first hit leaves at 1060.0; 0.25 s to go
    assert window.hit("k").retry_after == 1
    assert window.remaining("k") == 0
    clock.advance(0.25)
    assert window.remaining("k") == 1


@pytest.mark.parametrize(("limit", "period"), [(0, 60.0), (60, 0.0)])
def test_rolling_window_refuses_nonsense_settings(limit: int, period: float) -> None:
    with pytest.raises(ValueError, match="rate_"):
        RollingWindow(limit, period, clock=FakeClock())


def test_licence_limits_count_per_kind_and_month() -> None:
    limits = LicenseLimits(1, per_kind={"offers": None})
    assert limits.allows("invoices", "2024-04")
    limits.count("invoices", "2024-04")
    assert not limits.allows("invoices", "2024-04")
    assert limits.allows("invoices", "2024-05")
    for _ in range(10):
        limits.count("offers", "2024-04")
    assert limits.allows("offers", "2024-04")
    with pytest.raises(ValueError, match="license limit kind"):
        LicenseLimits(per_kind={"agreements": 1})
