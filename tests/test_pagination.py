"""AsyncPaginator: follows Laravel's ``next_page_url`` lazily, page by page, and stops safely."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import pytest
import yarl

from mijnklantportaal_async._core.http import ApiRequest, ApiResponse
from mijnklantportaal_async.models.customers import Customer
from mijnklantportaal_async.pagination import AsyncPaginator, Page, PaginationError

T = TypeVar("T")

BASE = "https://api.mijnklantportaal.nl/v1"
LIST = f"{BASE}/customers"


def envelope(page: int, ids: list[str], next_page_url: str | None) -> dict[str, Any]:
    """A Laravel simple-paginator answer, as the docs show it."""
    return {
        "current_page": page,
        "data": [{"id": i, "companyName": f"Company {i}"} for i in ids],
        "first_page_url": f"{LIST}?page=1",
        "from": 1,
        "next_page_url": next_page_url,
        "path": LIST,
        "per_page": 15,
        "prev_page_url": None,
        "to": len(ids),
    }


class FakeHttp:
    """Answers GETs from a dict of absolute URL -> body and records every URL asked for."""

    def __init__(self, bodies: dict[str, Any]) -> None:
        self.bodies = bodies
        self.fetched: list[str] = []
        self.requests: list[ApiRequest] = []

    async def request(self, req: ApiRequest, cast_to: Callable[[ApiResponse], T]) -> T:
        self.requests.append(req)
        return cast_to(self._answer(yarl.URL(BASE + req.path).with_query(req.params or {})))

    async def request_url(
        self, url: str | yarl.URL, *, operation_id: str, cast_to: Callable[[ApiResponse], T]
    ) -> T:
        assert operation_id == "list-customers"
        return cast_to(self._answer(yarl.URL(url)))

    def _answer(self, url: yarl.URL) -> ApiResponse:
        self.fetched.append(str(url))
        return ApiResponse(200, {}, self.bodies[str(url)], url)


def customers(http: FakeHttp, params: dict[str, str] | None = None) -> AsyncPaginator[Customer]:
    return AsyncPaginator(
        http, "/customers", operation_id="list-customers", item_type=Customer, params=params
    )


THREE_PAGES = {
    LIST: envelope(1, ["cst_1", "cst_2"], f"{LIST}?page=2"),
    f"{LIST}?page=2": envelope(2, ["cst_3", "cst_4"], f"{LIST}?page=3"),
    f"{LIST}?page=3": envelope(3, ["cst_5"], None),
}


async def test_iterates_every_page_in_order_and_stops_on_null_next_page_url() -> None:
    http = FakeHttp(THREE_PAGES)
    got = [c async for c in customers(http)]
    assert [c.id for c in got] == ["cst_1", "cst_2", "cst_3", "cst_4", "cst_5"]
    assert got[0].company_name == "Company cst_1"  # built by _wire.from_wire
    assert http.fetched == [LIST, f"{LIST}?page=2", f"{LIST}?page=3"]
    first = http.requests[0]
    assert (first.method, first.path, first.operation_id) == ("GET", "/customers", "list-customers")


async def test_pages_are_fetched_only_when_iteration_needs_them() -> None:
    http = FakeHttp(THREE_PAGES)
    paginator = customers(http)
    assert http.fetched == []  # building the paginator sends nothing
    async for customer in paginator:
        assert customer.id == "cst_1"
        break
    assert http.fetched == [LIST]

    items = aiter(paginator)
    assert [(await anext(items)).id for _ in range(3)] == ["cst_1", "cst_2", "cst_3"]
    assert http.fetched == [LIST, LIST, f"{LIST}?page=2"]  # a new loop starts at page 1


async def test_the_docs_stray_trailing_comma_in_next_page_url_is_dropped() -> None:
    http = FakeHttp(
        {
            LIST: envelope(1, ["cst_1"], f"{LIST}?page=2,"),
            f"{LIST}?page=2": envelope(2, ["cst_2"], None),
        }
    )
    assert [c.id async for c in customers(http)] == ["cst_1", "cst_2"]
    assert http.fetched == [LIST, f"{LIST}?page=2"]


async def test_pages_yields_page_objects() -> None:
    http = FakeHttp(THREE_PAGES)
    pages = [p async for p in customers(http).pages()]
    assert all(isinstance(p, Page) for p in pages)
    assert [(p.current_page, p.next_page_url) for p in pages] == [
        (1, f"{LIST}?page=2"),
        (2, f"{LIST}?page=3"),
        (3, None),
    ]
    assert [[c.id for c in p.items] for p in pages] == [
        ["cst_1", "cst_2"],
        ["cst_3", "cst_4"],
        ["cst_5"],
    ]


async def test_an_empty_list_yields_nothing() -> None:
    http = FakeHttp({LIST: envelope(1, [], None)})
    assert [c async for c in customers(http)] == []
    pages = [p async for p in customers(http).pages()]
    assert [(p.items, p.next_page_url) for p in pages] == [((), None)]


async def test_an_empty_page_in_the_middle_is_passed_over() -> None:
    http = FakeHttp(
        {
            LIST: envelope(1, [], f"{LIST}?page=2"),
            f"{LIST}?page=2": envelope(2, ["cst_9"], None),
        }
    )
    assert [c.id async for c in customers(http)] == ["cst_9"]


async def test_a_server_that_loops_raises_instead_of_iterating_for_ever() -> None:
    http = FakeHttp(
        {
            LIST: envelope(1, ["cst_1"], f"{LIST}?page=2"),
            f"{LIST}?page=2": envelope(2, ["cst_2"], f"{LIST}?page=2,"),
        }
    )
    items = aiter(customers(http))
    assert [(await anext(items)).id for _ in range(2)] == ["cst_1", "cst_2"]
    with pytest.raises(PaginationError, match="already fetched"):
        await anext(items)
    assert http.fetched == [LIST, f"{LIST}?page=2"]


async def test_a_next_page_url_back_to_the_first_page_is_a_loop_too() -> None:
    http = FakeHttp({LIST: envelope(1, ["cst_1"], LIST)})
    with pytest.raises(PaginationError):
        [c async for c in customers(http)]
    assert http.fetched == [LIST]


async def test_an_answer_without_a_data_array_is_a_pagination_error() -> None:
    http = FakeHttp({LIST: {"message": "Server Error"}})
    with pytest.raises(PaginationError, match=r"list-customers: .*no data array"):
        [c async for c in customers(http)]


async def test_an_item_that_is_not_the_model_is_a_typed_error_naming_the_list() -> None:
    bad = envelope(1, ["cst_1"], None)
    bad["data"].append({"companyName": "no id"})
    http = FakeHttp({LIST: bad})
    # The request path turns this ValueError into an APIResponseValidationError (a read) or an
    # AmbiguousWriteError (a write): tests/test_unreadable_responses.py, through the client.
    with pytest.raises(ValueError, match=r"list-customers: a list item is not a Customer"):
        [c async for c in customers(http)]


async def test_query_parameters_are_kept_on_the_following_pages() -> None:
    http = FakeHttp(
        {
            f"{LIST}?status=open": envelope(1, ["cst_1"], f"{LIST}?page=2"),
            f"{LIST}?page=2&status=open": envelope(2, ["cst_2"], None),
        }
    )
    assert [c.id async for c in customers(http, {"status": "open"})] == ["cst_1", "cst_2"]
    assert http.requests[0].params == {"status": "open"}
    assert http.fetched[1] == f"{LIST}?page=2&status=open"


async def test_a_relative_next_page_url_is_resolved_against_the_page_it_came_from() -> None:
    http = FakeHttp(
        {
            LIST: envelope(1, ["cst_1"], "/v1/customers?page=2"),
            f"{LIST}?page=2": envelope(2, ["cst_2"], None),
        }
    )
    assert [c.id async for c in customers(http)] == ["cst_1", "cst_2"]
