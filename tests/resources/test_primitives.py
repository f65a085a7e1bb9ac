"""The request shapes the operations table supports, through a resource on a loopback server.

The API's operations travel in a few ways: PATCH and DELETE on an object, query parameters
(appointments take ``start_at`` and ``days``), plain ``{"data": [...]}`` lists that are not
paginated. A resource over rows of each shape, built like the real ones, shows that every shape
reaches the wire as the table says and that the answer is read as the row's model.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import attrs
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from recording_server import API_KEY, recording_server

from mijnklantportaal_async import (
    AmbiguousWriteError,
    APIResponseValidationError,
    MijnKlantportaal,
    RequestValidationError,
    RetryPolicy,
)
from mijnklantportaal_async._core.operations import Body, Operation, Returns
from mijnklantportaal_async.resources._base import Resource


@attrs.frozen(kw_only=True)
class Thing:
    id: str
    name: str | None = None


@attrs.frozen(kw_only=True)
class ThingQuery:
    start_at: datetime
    days: int | None = None
    active: bool | None = None


@attrs.frozen(kw_only=True)
class ThingRename:
    name: str


CLOSE: Operation[None, Thing] = Operation(
    "close-thing", "DELETE", "/things/{thingId}", "/docs/close", response=Thing
)
RENAME: Operation[ThingRename, Thing] = Operation(
    "rename-thing",
    "PATCH",
    "/things/{thingId}/parts/{partId}",
    "/docs/rename",
    body=Body.JSON,
    request=ThingRename,
    response=Thing,
)
SEARCH: Operation[ThingQuery, Thing] = Operation(
    "search-things",
    "GET",
    "/things",
    "/docs/search",
    body=Body.QUERY,
    request=ThingQuery,
    response=Thing,
    returns=Returns.DATA_LIST,
)


class Things(Resource):
    area = "things"

    async def close(self, thing_id: str) -> Thing:
        return await self._call("close", CLOSE, thing_id)

    async def rename(self, thing_id: str, part_id: str, data: ThingRename) -> Thing:
        return await self._call("rename", RENAME, thing_id, part_id, data=data)

    async def search(self, query: ThingQuery) -> tuple[Thing, ...]:
        return await self._data_list("search", SEARCH, data=query)


def things(url: str, **kw: Any) -> tuple[MijnKlantportaal, Things]:
    mkp = MijnKlantportaal(api_key=API_KEY, base_url=url, rate_limit=None, **kw)
    return mkp, Things(mkp._http, mkp._journal_identity)


async def test_delete_sends_no_body_and_reads_the_object() -> None:
    answer = {("DELETE", "/v1/things/thg_1"): (200, {"id": "thg_1", "name": "closed"})}
    async with recording_server(answer) as server:
        mkp, resource = things(server.url)
        async with mkp:
            thing = await resource.close("thg_1")
    assert thing == Thing(id="thg_1", name="closed")
    (request,) = server.requests
    assert request.method == "DELETE"
    assert request.json is None
    assert "Content-Type" not in request.headers
    assert request.headers["Idempotency-Key"]


async def test_patch_fills_every_path_id_quoted_and_sends_json() -> None:
    answer = {("PATCH", "/v1/things/thg%2F1/parts/p%201"): (200, {"id": "thg/1"})}
    async with recording_server(answer) as server:
        mkp, resource = things(server.url)
        async with mkp:
            await resource.rename("thg/1", "p 1", ThingRename(name="New"))
    (request,) = server.requests
    assert request.method == "PATCH"
    assert request.headers["Content-Type"].startswith("application/json")
    assert request.json == {"name": "New"}


async def test_query_parameters_are_snake_case_wire_values_and_the_data_list_is_read() -> None:
    query = "/v1/things?start_at=2025-03-05+14:30:00&days=7&active=1"
    body = {"data": [{"id": "thg_1"}, {"id": "thg_2", "name": "B"}]}
    async with recording_server({("GET", query): (200, body)}) as server:
        mkp, resource = things(server.url)
        async with mkp:
            found = await resource.search(
                ThingQuery(start_at=datetime(2025, 3, 5, 14, 30), days=7, active=True)
            )
    assert found == (Thing(id="thg_1"), Thing(id="thg_2", name="B"))
    (request,) = server.requests
    assert request.method == "GET"
    assert request.json is None


async def test_an_unset_query_field_is_left_out() -> None:
    body: dict[str, Any] = {"data": []}
    async with recording_server({("GET", "/v1/things"): (200, body)}) as server:
        mkp, resource = things(server.url)
        async with mkp:
            assert await resource.search(ThingQuery(start_at=datetime(2025, 1, 1))) == ()
    assert server.requests[0].path == "/v1/things"


@pytest.mark.parametrize("body", [{"data": "nope"}, {"items": []}, [{"id": "thg_1"}]])
async def test_a_data_list_answer_without_a_data_array_is_unreadable(body: Any) -> None:
    async with recording_server({("GET", "/v1/things"): (200, body)}) as server:
        mkp, resource = things(server.url)
        async with mkp:
            with pytest.raises(APIResponseValidationError, match="data array"):
                await resource.search(ThingQuery(start_at=datetime(2025, 1, 1)))


async def test_an_unreadable_answer_to_a_patch_is_ambiguous() -> None:
    answer = {("PATCH", "/v1/things/thg_1/parts/p_1"): (200, {"name": "no id"})}
    async with recording_server(answer) as server:
        mkp, resource = things(server.url, retry=RetryPolicy(max_retries=0))
        async with mkp:
            with pytest.raises(AmbiguousWriteError) as info:
                await resource.rename("thg_1", "p_1", ThingRename(name="x"))
    assert isinstance(info.value.cause, APIResponseValidationError)
    assert len(server.requests) == 1


async def test_bad_ids_and_wrong_models_are_refused_before_any_request() -> None:
    async with recording_server({}) as server:
        mkp, resource = things(server.url)
        async with mkp:
            with pytest.raises(RequestValidationError) as info:
                await resource.rename("thg_1", " ", ThingRename(name="x"))
            assert info.value.field == "part_id"
            with pytest.raises(TypeError, match=r"mkp\.things\.rename\(\) takes a ThingRename"):
                await resource.rename("thg_1", "p_1", Thing(id="x"))  # type: ignore[arg-type]
    assert server.requests == []


async def test_a_delete_cut_off_after_the_server_got_it_is_sent_once_and_ambiguous() -> None:
    received: list[str] = []

    async def drop(request: web.Request) -> web.StreamResponse:
        received.append(request.method)
        assert request.transport is not None
        request.transport.close()  # processed, then the line drops before the answer
        return web.Response()

    app = web.Application()
    app.router.add_delete("/v1/things/{thingId}", drop)
    async with TestServer(app, host="127.0.0.1") as server:
        mkp, resource = things(str(server.make_url("/v1")), retry=RetryPolicy(max_retries=3))
        async with mkp:
            with pytest.raises(AmbiguousWriteError):
                await resource.close("thg_1")
    assert received == ["DELETE"]  # neither aiohttp nor the client sent it again
