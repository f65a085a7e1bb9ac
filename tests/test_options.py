"""Per-call options (``with_options``), raw responses (``with_raw_response``) and the
``MIJNKLANTPORTAAL_LOG`` switch, through the public names against the FakePortal."""

from __future__ import annotations

import asyncio
import inspect
import os
import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, assert_type

import pytest
from model_examples import customer, invoice

from mijnklantportaal_async import (
    APITimeoutError,
    ClientClosedError,
    Customer,
    CustomerCreate,
    CustomerInvoiceCreate,
    MijnKlantportaal,
    NotFoundError,
    Page,
    RateLimiter,
    RateLimitState,
    RawResponse,
    RetryPolicy,
    ServerError,
    Timeouts,
)
from mijnklantportaal_async.client import _AREAS
from mijnklantportaal_async.resources._base import Resource
from mijnklantportaal_async.resources._raw import RawResponses, raw, raw_list
from mijnklantportaal_async.testing import FakePortal, FaultConfig

NO_WAIT = RetryPolicy(max_retries=3, backoff_base=0.0, backoff_cap=0.0)


def a_customer(n: int) -> CustomerCreate:
    return CustomerCreate(**customer(primary_email=f"c{n}@example.org", company_name=f"C{n} BV"))


# -- with_options -----------------------------------------------------------------------------


async def test_a_view_has_its_own_retries_and_headers_and_leaves_the_client_alone() -> None:
    async with (
        FakePortal(faults=FaultConfig(retry_after=0)) as portal,
        portal.client(retry=NO_WAIT) as mkp,
    ):
        created = await mkp.customers.create(a_customer(1))
        view = mkp.with_options(max_retries=0, extra_headers={"X-Trace-Id": "trace-1"})

        portal.faults.script("get-customer", ["503_before"])
        with pytest.raises(ServerError):
            await view.customers.get(created.id)  # no retry on the view
        portal.faults.script("get-customer", ["503_before"])
        assert (await mkp.customers.get(created.id)).id == created.id  # the client retries
        assert (await view.customers.get(created.id)).id == created.id

    gets = [r for r in portal.requests if r.operation_id == "get-customer"]
    assert [(r.status, r.headers.get("X-Trace-Id")) for r in gets] == [
        (503, "trace-1"),
        (503, None),
        (200, None),
        (200, "trace-1"),
    ]


async def test_views_of_views_add_headers_and_the_last_value_wins() -> None:
    async with FakePortal() as portal, portal.client() as mkp:
        view = mkp.with_options(extra_headers={"X-A": "1", "X-B": "1"})
        deeper = view.with_options(extra_headers={"X-B": "2"}, max_retries=1)
        async for _ in deeper.customers.list():
            pass
    headers = portal.requests[-1].headers
    assert (headers["X-A"], headers["X-B"]) == ("1", "2")


async def test_a_view_times_out_on_its_own_timeout() -> None:
    async with (
        FakePortal(faults=FaultConfig(stall_seconds=None)) as portal,
        portal.client() as mkp,
    ):
        created = await mkp.customers.create(a_customer(1))
        portal.faults.script("get-customer", ["stall_after_store"])
        view = mkp.with_options(timeout=0.2, max_retries=0)
        with pytest.raises(APITimeoutError):
            await view.customers.get(created.id)
        assert view._http.timeouts == Timeouts(connect=0.2, read=0.2, total=0.2)
        assert mkp._http.timeouts == Timeouts()  # the client's own are unchanged
        assert (await mkp.customers.get(created.id)).id == created.id


async def test_a_view_shares_the_rate_limiter_and_the_session() -> None:
    now = [1_700_000_000.0]
    limiter = RateLimiter(10, 60, clock=lambda: now[0])
    async with FakePortal(rate_limit=None) as portal:  # no headers: the limiter's own 10
        mkp = portal.client(rate_limit=limiter)
        view = mkp.with_options(timeout=5.0)
        created = await mkp.customers.create(a_customer(1))
        await view.customers.get(created.id)
        await view.customers.get(created.id)
        assert await limiter.remaining() == 7  # one client's call and two of the view
        await view.aclose()  # closes nothing: the client owns the session
        await mkp.customers.get(created.id)
        await mkp.aclose()
        with pytest.raises(ClientClosedError):
            await view.customers.get(created.id)


def test_a_view_takes_the_areas_made_so_far_and_makes_the_others_on_its_own_path() -> None:
    mkp = MijnKlantportaal("key", base_url="http://127.0.0.1:1/v1")
    made = mkp.customers  # made on first use
    assert mkp.customers is made
    view = mkp.with_options(max_retries=0)
    assert "customers" in vars(view)
    assert "tickets" not in vars(view)
    assert view.customers is not made
    assert view.customers._http is view._http
    assert view.tickets._http is view._http  # made by the view, on first use
    assert made._http is mkp._http
    assert mkp.tickets._http is mkp._http
    # each attribute holds the resource of its own name
    assert all(getattr(mkp, name).area == name for name in _AREAS)
    assert len(_AREAS) == len(set(_AREAS)) >= 16


@pytest.mark.parametrize(
    ("kwargs", "error", "named"),
    [
        ({"timeout": "5"}, TypeError, "timeout"),
        ({"timeout": 0}, ValueError, "timeout"),
        ({"timeout": float("inf")}, ValueError, "timeout"),
        ({"max_retries": True}, TypeError, "max_retries"),
        ({"max_retries": -1}, ValueError, "max_retries"),
        ({"extra_headers": [("X-A", "1")]}, TypeError, "extra_headers"),
        ({"extra_headers": {"X-A": 1}}, TypeError, "extra_headers"),
        ({"extra_headers": {"Authorization": "Bearer other"}}, ValueError, "Authorization"),
        ({"extra_headers": {"idempotency-key": "k"}}, ValueError, "idempotency-key"),
        ({"extra_headers": {"X-A": "1\r\nX-Injected: 1"}}, ValueError, "line break"),
        ({"extra_headers": {"Bad Name": "1"}}, ValueError, "header name"),
    ],
)
async def test_bad_options_are_refused_before_anything_is_sent(
    kwargs: dict[str, Any], error: type[Exception], named: str
) -> None:
    async with FakePortal() as portal, portal.client() as mkp:
        with pytest.raises(error, match=named) as info:
            mkp.with_options(**kwargs)
    assert "Bearer other" not in str(info.value)
    assert portal.requests == ()


# -- with_raw_response ------------------------------------------------------------------------


async def test_a_raw_object_has_status_headers_rate_limit_and_the_model() -> None:
    async with FakePortal() as portal, portal.client() as mkp:
        created = await mkp.customers.with_raw_response.create(a_customer(1))
        raw = await mkp.customers.with_raw_response.get(created.parse().id)
    assert_type(raw, RawResponse[Customer])
    assert_type(raw.parse(), Customer)
    assert (created.status, raw.status) == (201, 200)
    assert raw.parse() == created.parse()
    assert raw.operation_id == "get-customer"
    assert raw.headers["content-type"].startswith("application/json")
    sent = portal.requests[-1].response_headers
    assert raw.rate_limit == RateLimitState(
        limit=60, remaining=int(sent["X-RateLimit-Remaining"]), reset=None
    )
    assert raw.rate_limit.remaining == 58


async def test_a_raw_list_is_its_first_page_only() -> None:
    async with FakePortal(rate_limit=None) as portal, portal.client() as mkp:
        await asyncio.gather(*(mkp.customers.create(a_customer(n)) for n in range(17)))
        raw = await mkp.customers.with_raw_response.list()
    assert_type(raw.parse(), Page[Customer])
    page = raw.parse()
    assert raw.status == 200
    assert len(page.items) == 15
    assert page.next_page_url is not None
    assert [r.operation_id for r in portal.requests].count("list-customers") == 1
    assert raw.rate_limit == RateLimitState()  # the portal's limit is off: no headers


async def test_a_raw_download_writes_the_file_and_shows_the_link_answer(tmp_path: Path) -> None:
    async with FakePortal(keep_files=True) as portal, portal.client() as mkp:
        owner = await mkp.customers.create(CustomerCreate(**customer()))
        created = await mkp.customer_invoices.create(
            CustomerInvoiceCreate(**invoice(customer_id=owner.id))
        )
        target = tmp_path / "invoice.pdf"
        raw = await mkp.customer_invoices.with_raw_response.download_pdf(created.id, to=target)
    assert_type(raw.parse(), int)
    assert raw.parse() == target.stat().st_size > 0
    assert raw.operation_id == "get-customer-invoice-pdf"
    assert (raw.status, raw.rate_limit.limit) == (200, 60)


async def test_raw_calls_in_parallel_each_get_their_own_answer() -> None:
    async with FakePortal() as portal, portal.client() as mkp:
        created = await mkp.customers.create(a_customer(1))
        one, two, page = await asyncio.gather(
            mkp.customers.with_raw_response.get(created.id),
            mkp.with_options(max_retries=0).customers.with_raw_response.update(
                created.id, data=_city("Utrecht")
            ),
            mkp.customers.with_raw_response.list(),
        )
    assert [one.operation_id, two.operation_id, page.operation_id] == [
        "get-customer",
        "edit-customer",
        "list-customers",
    ]
    assert two.parse().city == "Utrecht"


def _city(city: str) -> Any:
    from mijnklantportaal_async import CustomerUpdate

    return CustomerUpdate(city=city)


async def test_a_raw_call_raises_as_the_method_does() -> None:
    async with FakePortal() as portal, portal.client() as mkp:
        with pytest.raises(NotFoundError):
            await mkp.customers.with_raw_response.get("cst_abc12345def678")
        with pytest.raises(TypeError):
            await mkp.customers.with_raw_response.create("not a model")  # type: ignore[arg-type]
    assert len(portal.requests) == 1


SKIPPED = {"create_many", "iter_create_many", "with_raw_response"}
"""Bulk creation makes many requests (its report has a result per item); not raw."""


def test_every_resource_has_every_method_raw() -> None:
    mkp = MijnKlantportaal("key", base_url="http://127.0.0.1:1/v1")
    resources = {name: getattr(mkp, name) for name in _AREAS}
    assert len(resources) >= 15
    assert all(isinstance(resource, Resource) for resource in resources.values())
    missing = []
    for name, resource in resources.items():
        view = resource.with_raw_response
        assert isinstance(view, RawResponses)
        for method, _ in inspect.getmembers(type(resource), inspect.isfunction):
            if method.startswith(("_", "stream")) or method in SKIPPED:
                continue  # a stream's request is made when it is iterated: use download_*
            if not isinstance(type(view).__dict__.get(method), raw | raw_list):
                missing.append(f"{name}.{method}")
    assert missing == []


def test_rate_limit_state_reads_the_headers_in_any_case() -> None:
    state = RateLimitState.from_headers(
        {"x-ratelimit-limit": "60", "X-RATELIMIT-REMAINING": "0", "X-RateLimit-Reset": "1700000000"}
    )
    assert state == RateLimitState(60, 0, datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC))
    assert RateLimitState.from_headers({"X-RateLimit-Limit": "soon"}) == RateLimitState()


# -- MIJNKLANTPORTAAL_LOG ---------------------------------------------------------------------

SCRIPT = textwrap.dedent(
    """
    import asyncio
    import mijnklantportaal_async as mkpa
    from mijnklantportaal_async.testing import FakePortal, FaultConfig

    async def main():
        async with FakePortal(faults=FaultConfig(retry_after=0)) as portal:
            portal.faults.script("list-customers", ["503_before"])
            retry = mkpa.RetryPolicy(backoff_base=0, backoff_cap=0)
            for _ in range(2):  # two clients: still one handler, each line once
                async with portal.client(retry=retry) as mkp:
                    async for _ in mkp.customers.list():
                        pass
            print(portal.api_key)

    asyncio.run(main())
    """
)


def run_with_log(tmp_path: Path, value: str | None) -> tuple[str, str]:
    script = tmp_path / "app.py"
    script.write_text(SCRIPT)
    env = {k: v for k, v in os.environ.items() if k != "MIJNKLANTPORTAAL_LOG"}
    if value is not None:
        env["MIJNKLANTPORTAAL_LOG"] = value
    done = subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=True,
    )
    return done.stdout.strip(), done.stderr


def test_the_log_switch_at_debug_prints_every_attempt_once(tmp_path: Path) -> None:
    key, stderr = run_with_log(tmp_path, "debug")
    lines = [line for line in stderr.splitlines() if "GET /customers" in line]
    assert len(lines) == 3, stderr  # 503 then 200, then the second client's 200
    assert "DEBUG] GET /customers -> 200" in lines[1]
    assert "INFO] GET /customers -> 503" in lines[0]
    assert "retrying" in lines[0]
    assert key not in stderr


def test_the_log_switch_at_info_prints_retries_only(tmp_path: Path) -> None:
    key, stderr = run_with_log(tmp_path, "INFO")
    lines = [line for line in stderr.splitlines() if "mijnklantportaal_async" in line]
    assert len(lines) == 1, stderr
    assert "GET /customers -> 503" in lines[0]
    assert key not in stderr


def test_without_the_switch_nothing_is_printed(tmp_path: Path) -> None:
    assert run_with_log(tmp_path, None)[1] == ""
    assert "'loud' ignored" in run_with_log(tmp_path, "loud")[1]
