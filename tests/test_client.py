"""The client object: key handling, session ownership, the shared rate limiter, closing, and
working under aioresponses (ID checks and paths: tests/core/test_operations.py)."""

from __future__ import annotations

import asyncio
import re
from datetime import date

import aiohttp
import pytest
import yarl
from aioresponses import aioresponses
from seed_examples import CUSTOMER, CUSTOMER_INVOICE

from mijnklantportaal_async import (
    ClientClosedError,
    CustomerInvoiceCreate,
    EventLoopError,
    MijnKlantportaal,
    MijnKlantportaalError,
    RateLimiter,
    Upload,
)

BASE = "https://api.mijnklantportaal.nl/v1"
KEY = "live-key-8d2f61c0a9e3"


def test_api_key_falls_back_to_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MIJNKLANTPORTAAL_API_KEY", KEY)
    assert repr(MijnKlantportaal()) == f"MijnKlantportaal(base_url='{BASE}')"


def test_no_key_at_all_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MIJNKLANTPORTAAL_API_KEY", raising=False)
    with pytest.raises(ValueError, match=r"api_key.*MIJNKLANTPORTAAL_API_KEY"):
        MijnKlantportaal()


async def test_base_url_falls_back_to_the_environment(
    monkeypatch: pytest.MonkeyPatch, mocked: aioresponses
) -> None:
    """What ``python -m mijnklantportaal_async.testing`` prints is what the client reads."""
    monkeypatch.setenv("MIJNKLANTPORTAAL_BASE_URL", "http://127.0.0.1:8080/v1/")
    mocked.get("http://127.0.0.1:8080/v1/customers/cst_1", payload=CUSTOMER)
    async with MijnKlantportaal(api_key=KEY) as mkp:
        assert str(mkp.base_url) == "http://127.0.0.1:8080/v1"
        assert (await mkp.customers.get("cst_1")).id == CUSTOMER["id"]
    assert list(mocked.requests) == [("GET", yarl.URL("http://127.0.0.1:8080/v1/customers/cst_1"))]


def test_an_explicit_base_url_wins_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MIJNKLANTPORTAAL_BASE_URL", "http://127.0.0.1:8080/v1")
    explicit = MijnKlantportaal(api_key=KEY, base_url="https://portal.example.nl/v1")
    assert str(explicit.base_url) == "https://portal.example.nl/v1"
    monkeypatch.setenv("MIJNKLANTPORTAAL_BASE_URL", "")
    assert str(MijnKlantportaal(api_key=KEY).base_url) == BASE


def test_a_bad_base_url_in_the_environment_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MIJNKLANTPORTAAL_BASE_URL", "http://portal.example.nl/v1")
    with pytest.raises(ValueError, match=r"must be https.*from the MIJNKLANTPORTAAL_BASE_URL"):
        MijnKlantportaal(api_key=KEY)


def test_repr_never_shows_the_key() -> None:
    mkp = MijnKlantportaal(api_key=KEY)
    assert KEY not in repr(mkp)
    assert KEY not in repr(vars(mkp))


async def test_a_session_passed_in_is_used_and_left_open(mocked: aioresponses) -> None:
    mocked.get(re.compile(r".*/customers/cst_abc12345def678$"), payload=CUSTOMER)
    async with aiohttp.ClientSession() as session:
        async with MijnKlantportaal(api_key=KEY, session=session) as mkp:
            await mkp.customers.get("cst_abc12345def678")
        assert not session.closed


async def test_a_shared_rate_limiter_counts_every_request(mocked: aioresponses) -> None:
    now = [0.0]

    async def sleep(seconds: float) -> None:
        now[0] += seconds

    limiter = RateLimiter(2, 60, clock=lambda: now[0], sleep=sleep)
    mocked.get(re.compile(r".*/customers/.*"), payload=CUSTOMER, repeat=True)
    async with MijnKlantportaal(api_key=KEY, rate_limit=limiter) as mkp:
        await mkp.customers.get("cst_a")
        await mkp.customers.get("cst_b")
    assert await limiter.remaining() == 0


async def test_a_closed_client_refuses_calls_before_taking_a_rate_slot(
    mocked: aioresponses,
) -> None:
    limiter = RateLimiter(2, 60, clock=lambda: 0.0)
    mkp = MijnKlantportaal(api_key=KEY, rate_limit=limiter)
    await mkp.aclose()
    with pytest.raises(ClientClosedError, match="this client is closed; make a new one"):
        await mkp.customers.get("cst_a")
    with pytest.raises(RuntimeError):  # what it was before it had a class of its own
        await mkp.customers.get("cst_a")
    assert await limiter.remaining() == 2
    assert not mocked.requests


async def test_a_multipart_create_works_under_aioresponses(mocked: aioresponses) -> None:
    # aioresponses deep-copies the request's arguments, file parts included
    mocked.post(f"{BASE}/customer-invoices", status=201, payload=CUSTOMER_INVOICE)
    async with MijnKlantportaal(api_key=KEY) as mkp:
        invoice = await mkp.customer_invoices.create(
            CustomerInvoiceCreate(
                customer_id="cst_abc12345def678",
                invoice_number="2024-001",
                issued_at=date(2024, 4, 29),
                amount="12.95",
                pdf=Upload(b"%PDF-1.4 tiny", filename="2024-001.pdf"),
            )
        )
    assert invoice.invoice_number == "2024-001"
    [call] = mocked.requests[("POST", yarl.URL(f"{BASE}/customer-invoices"))]
    assert call.kwargs["headers"]["Authorization"] == f"Bearer {KEY}"
    assert call.kwargs["headers"]["Idempotency-Key"]


def test_a_client_used_from_a_second_event_loop_says_to_make_one_per_loop(
    mocked: aioresponses,
) -> None:
    mkp = MijnKlantportaal(api_key=KEY, base_url=BASE, session=None, rate_limit=None)
    mocked.get(f"{BASE}/customers/cst_1", payload=CUSTOMER, repeat=True)

    async def get() -> str:
        return (await mkp.customers.get("cst_1")).id

    async def close() -> None:
        await mkp.aclose()

    assert asyncio.run(get()) == CUSTOMER["id"]
    with pytest.raises(EventLoopError, match="one client per event loop") as info:
        asyncio.run(get())
    assert isinstance(info.value, MijnKlantportaalError)
    assert len(mocked.requests[("GET", yarl.URL(f"{BASE}/customers/cst_1"))]) == 1  # not sent
    asyncio.run(close())
