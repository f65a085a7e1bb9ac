"""The operations table (``_core/operations.py``) against tests/data/openapi.yaml, and every
check of a call run on every row's example (``tests/operation_examples.py``), through the
public client:

- the table is the spec's operations: each once, same method, path, operationId (or alias),
  request content type, kind of answer and docs page;
- wire shape: method, quoted path, headers, body, and the answer read as the row says;
- wrong input: a request of the wrong class or a bad path ID is refused, nothing sent;
- error statuses: each becomes its class of ``mijnklantportaal_async.errors``; what is retried
  and what is ambiguous (writes) follows the exactly-once rules;
- the FakePortal serves each example, and its answer is what the spec declares.

Adding an operation to the client needs one row in ``tests/operation_examples.py``, no test here
(docs/architecture.md, "Adding an operation").
"""

from __future__ import annotations

import re
import types
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import quote

import attrs
import pytest
from operation_examples import (
    EXAMPLES,
    SEED_IDS,
    SIGNED_QUERY,
    Example,
    answer_body,
    call,
    keywords_of,
    make,
    split,
    storage_path,
)
from recording_server import API_KEY, Answer, RecordingServer, recording_server
from test_fakeportal_spec import spec_check

from mijnklantportaal_async import MijnKlantportaal, RetryPolicy
from mijnklantportaal_async._core.operations import OPERATIONS, Body, Operation, Returns, by_id
from mijnklantportaal_async.errors import (
    AmbiguousWriteError,
    APIConnectionError,
    APIStatusError,
    AuthenticationError,
    InsufficientBalanceError,
    LicenseLimitError,
    NotFoundError,
    RateLimitError,
    RequestValidationError,
    ServerError,
    UnprocessableEntityError,
)
from mijnklantportaal_async.resources._base import Resource
from mijnklantportaal_async.testing import FakePortal, RequestRecord

DOCS_SITE = "https://docs.developers.mijnklantportaal.nl"
RETRIES = 1
"""Retries of the clients here; no backoff (the retry itself is tested in test_http*.py)."""


def rows(operations: Any = OPERATIONS) -> pytest.MarkDecorator:
    """Parametrize over rows of the table, by operationId."""
    return pytest.mark.parametrize("row", operations, ids=lambda row: row.operation_id)


def examples(selected: Any = EXAMPLES) -> pytest.MarkDecorator:
    """Parametrize over examples, by operationId."""
    return pytest.mark.parametrize("example", selected, ids=lambda example: example.id)


WITH_REQUEST = [
    example
    for example in EXAMPLES
    if example.operation.request is not None
    and isinstance(split(example, example.args(SEED_IDS))[1], example.operation.request)
]
"""Examples whose method takes the row's request model (not those that build it from their
arguments, like ``mark_paid(invoice_id, paid_at)``: the model's own tests check those)."""
TAKING_A_VALUE = [example for example in EXAMPLES if example.value_of is not None]
"""Examples whose method takes one field's value and builds the request model from it
(``reply(ticket_id, message)``)."""
WITH_PATH_IDS = [example for example in EXAMPLES if example.operation.path_params]
TAKING_A_MODEL = [example for example in WITH_REQUEST if not example.keywords]
TAKING_KEYWORDS = [example for example in WITH_REQUEST if example.keywords]


def is_write(row: Operation[Any, Any]) -> bool:
    return row.method != "GET"


# -- the table against the spec --------------------------------------------------------------


def spec_operations() -> dict[str, dict[str, Any]]:
    """``"METHOD /path"`` -> the spec's operation, OAuth's left out (the OAuth client has it)."""
    return {
        f"{method.upper()} {path}": operation
        for path, item in spec_check().spec["paths"].items()
        if not path.startswith("/oauth/")
        for method, operation in item.items()
        if method in {"get", "post", "put", "patch", "delete"}
    }


def resolve(node: Any) -> Any:
    """``node`` with its ``$ref`` (into the spec) followed."""
    while isinstance(node, dict) and "$ref" in node:
        target: Any = spec_check().spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def properties(schema: Any) -> dict[str, Any]:
    """A schema's properties, ``allOf`` parts merged."""
    schema = resolve(schema)
    merged = dict(schema.get("properties", {}))
    for part in schema.get("allOf", []):
        merged |= properties(part)
    return merged


def success(row: Operation[Any, Any]) -> tuple[int, Any]:
    """The spec's one 2xx status of ``row``, and its JSON schema."""
    responses = spec_operations()[row.key]["responses"]
    [(status, response)] = [(int(s), r) for s, r in responses.items() if str(s).startswith("2")]
    return status, resolve(response)["content"]["application/json"]["schema"]


def test_every_spec_operation_is_one_row_and_every_row_is_in_the_spec() -> None:
    keys = [row.key for row in OPERATIONS]
    assert len(keys) == len(set(keys))
    names = [name for row in OPERATIONS for name in (row.operation_id, *row.aliases)]
    assert len(names) == len(set(names))
    assert set(keys) == set(spec_operations())


@rows()
def test_the_row_names_the_spec_s_operation(row: Operation[Any, Any]) -> None:
    spec_id = spec_operations()[row.key]["operationId"]
    if row.operation_id == spec_id:
        assert row.aliases == ()
    else:  # the seed page's name wins; the spec's is an alias
        assert row.aliases == (spec_id,)
    assert by_id(spec_id) is row


def test_the_manual_offer_keeps_the_seed_page_s_name() -> None:
    row = by_id("create-manual-customer-offer")
    assert row.operation_id == "create-customer-offer-manual"
    assert [op.operation_id for op in OPERATIONS if op.aliases] == [row.operation_id]


@rows()
def test_the_row_sends_what_the_spec_accepts(row: Operation[Any, Any]) -> None:
    content = spec_operations()[row.key].get("requestBody", {}).get("content", {})
    if "multipart/form-data" in content:  # post-files takes JSON too; the upload is multipart
        assert row.body is Body.MULTIPART
    elif "application/json" in content:
        assert row.body is Body.JSON
    else:
        assert row.body is Body.NONE or (row.body is Body.QUERY and row.method == "GET")


@rows()
def test_the_row_reads_the_answer_the_spec_declares(row: Operation[Any, Any]) -> None:
    _, schema = success(row)
    fields = properties(schema)
    if {"current_page", "next_page_url", "data"} <= set(fields):
        expected = Returns.PAGE
    elif set(fields) == {"data"} and resolve(fields["data"]).get("type") == "array":
        expected = Returns.DATA_LIST
    elif set(fields) == {"link", "expiresAt"}:
        expected = Returns.DOWNLOAD
    else:
        expected = Returns.OBJECT
    assert row.returns is expected


@rows()
def test_the_row_s_docs_page_is_the_spec_s(row: Operation[Any, Any]) -> None:
    docs = spec_operations()[row.key].get("externalDocs", {}).get("url")
    if docs is not None:
        assert DOCS_SITE + row.docs == docs


def test_every_row_the_client_calls_has_one_example() -> None:
    called = sorted(row.operation_id for row in OPERATIONS if row.response is not None)
    assert sorted(example.id for example in EXAMPLES) == called


@examples()
def test_the_example_s_answer_is_what_the_spec_declares(example: Example) -> None:
    status, _ = success(example.operation)
    record = RequestRecord(
        index=0,
        method=example.operation.method,
        path="/v1" + example.operation.path,
        query={},
        headers={},
        operation_id=example.id,
        route=example.operation.key,
        status=status,
        response_body=answer_body(example),
        response_headers={"Content-Type": "application/json"},
    )
    assert spec_check().problems(record) == []


# -- on the wire -----------------------------------------------------------------------------


@asynccontextmanager
async def serving(*script: Answer) -> AsyncIterator[tuple[RecordingServer, MijnKlantportaal]]:
    """A recording server answering from ``script``, and a client of it (no rate limit,
    :data:`RETRIES` retries without backoff)."""
    async with (
        recording_server(script=script) as server,
        MijnKlantportaal(
            api_key=API_KEY,
            base_url=server.url,
            rate_limit=None,
            retry=RetryPolicy(max_retries=RETRIES, backoff_base=0.0, backoff_cap=0.0),
        ) as mkp,
    ):
        yield server, mkp


def answered(example: Example) -> tuple[Answer, ...]:
    """What a server answers to ``example``'s call: the 2xx, and for a download the file its
    link (to the same server) serves."""
    status, _ = success(example.operation)
    if example.operation.returns is Returns.DOWNLOAD:
        assert example.download is not None, "a download row's example says the file served"
        link = Answer(status, make_body=lambda base_url: answer_body(example, base_url))
        return link, Answer(200, example.download, {"Content-Type": "application/octet-stream"})
    return (Answer(status, answer_body(example)),)


def assert_read_as_the_row_says(example: Example, result: Any) -> None:
    row = example.operation
    if row.returns is Returns.DOWNLOAD:
        assert result == example.download  # the bytes written to the path given
        return
    if row.returns is Returns.PAGE:
        assert isinstance(result, list)
        assert result
        items = result
    elif row.returns is Returns.DATA_LIST:
        assert isinstance(result, tuple)
        items = list(result)
    else:
        items = [result]
    assert all(type(item) is row.response for item in items)


def path_of(row: Operation[Any, Any], ids: tuple[str, ...]) -> str:
    quoted = {
        name: quote(value.strip(), safe="")
        for name, value in zip(row.path_params, ids, strict=True)
    }
    return "/v1" + row.fill(quoted)


@examples()
async def test_the_call_sends_the_documented_request_and_reads_the_answer(
    example: Example,
) -> None:
    row = example.operation
    args = example.args(SEED_IDS)
    async with serving(*answered(example)) as (server, mkp):
        result = await call(example, mkp, *args)

    request, *fetched = server.requests
    if row.returns is Returns.DOWNLOAD:  # then the link, without the API's headers
        [storage] = fetched
        assert (storage.method, storage.raw_path) == ("GET", storage_path(example))
        assert storage.query == SIGNED_QUERY
        assert "Authorization" not in storage.headers
        assert "Idempotency-Key" not in storage.headers
    else:
        assert fetched == []
    ids, _ = split(example, args)
    assert (request.method, request.raw_path) == (row.method, path_of(row, ids))
    assert request.query == example.query
    assert request.headers["Authorization"] == f"Bearer {API_KEY}"
    assert request.headers["Accept"] == "application/json"
    if is_write(row):
        assert len(request.headers["Idempotency-Key"]) == 36
    else:
        assert "Idempotency-Key" not in request.headers
    if row.body is Body.JSON:
        assert request.headers["Content-Type"].startswith("application/json")
        assert example.json is not None, "a JSON row's example says the body on the wire"
        assert request.json == example.json
    elif row.body is Body.MULTIPART:
        assert request.headers["Content-Type"].startswith("multipart/form-data; boundary=")
        assert example.form is not None, "a multipart row's example says the form on the wire"
        assert request.form() == example.form
        files = {name: (p.filename, p.content_type, p.data) for name, p in request.files().items()}
        assert files == example.files
    else:
        assert not request.has_body
    assert_read_as_the_row_says(example, result)
    first = result[0] if isinstance(result, list | tuple) else result
    assert getattr(first, "id", None) == example.answer.get("id")


@examples(WITH_PATH_IDS)
async def test_each_path_id_is_one_quoted_path_segment(example: Example) -> None:
    row = example.operation
    args = example.args(SEED_IDS)
    ids, _ = split(example, args)
    odd = tuple(f" {value}/../x y?#%" for value in ids)  # spaces around are trimmed
    async with serving(*answered(example)) as (server, mkp):
        await call(example, mkp, *odd, *args[len(ids) :])
    request = server.requests[0]
    assert request.raw_path == path_of(row, odd)
    assert request.raw_path.count("/") == row.path.count("/") + 1  # + 1: /v1


# -- wrong input: refused before anything is sent ---------------------------------------------


def _article(name: str) -> str:
    return f"an {name}" if name[:1] in "AEIOU" else f"a {name}"


def public_name(example: Example, mkp: MijnKlantportaal) -> tuple[str, Mapping[type[Any], str]]:
    """``"mkp.customers.create()"``: where the example's method is on the client; and the hints
    its resource gives for a request of a wrong class (tests/resources/test_wrong_model.py
    checks their text)."""
    method = example.method(mkp)
    assert isinstance(method, types.MethodType)
    resource = method.__self__
    assert isinstance(resource, Resource)
    area = next(name for name, value in vars(mkp).items() if value is resource)
    return f"mkp.{area}.{method.__name__}()", resource.hints.get(method.__name__, {})


def wrong_data(example: Example) -> list[Any]:
    """A request model of another class, None, and a dict."""
    other = next(
        o
        for o in WITH_REQUEST
        if o.takes is None and o.operation.request is not example.operation.request
    )
    _, data = split(other, other.args(SEED_IDS))
    return [data, None, {"name": "Service contract"}]


@pytest.mark.parametrize(
    ("example", "wrong"),
    [
        pytest.param(example, index, id=f"{example.id}-{kind}")
        for example in TAKING_A_MODEL
        for index, kind in enumerate(["other-model", "None", "dict"])
    ],
)
async def test_a_request_of_the_wrong_class_is_refused_before_sending(
    example: Example, wrong: int
) -> None:
    row = example.operation
    assert row.request is not None
    data = wrong_data(example)[wrong]
    ids, _ = split(example, example.args(SEED_IDS))
    async with serving(*answered(example)) as (server, mkp):
        with pytest.raises(TypeError) as caught:
            await call(example, mkp, *ids, data)
        name, hints = public_name(example, mkp)
    got = "None" if data is None else _article(type(data).__name__)
    takes = example.takes or _article(row.request.__name__)
    expected = f"{example.argument}: {name} takes {takes}, got {got}"
    hint = hints.get(type(data))
    assert str(caught.value) == (f"{expected}; {hint}" if hint else expected)
    assert server.requests == []


@pytest.mark.parametrize(
    ("example", "name"),
    [
        pytest.param(example, field.name, id=f"{example.id}-{field.name}")
        for example in TAKING_KEYWORDS
        for field in attrs.fields(type(split(example, example.args(SEED_IDS))[1]))
    ],
)
async def test_a_missing_keyword_value_is_refused_naming_it_before_sending(
    example: Example, name: str
) -> None:
    """A method that builds its request model from keyword arguments refuses a bad one as
    the model would (None for a field the API requires), naming the keyword."""
    ids, data = split(example, example.args(SEED_IDS))
    keywords = keywords_of(data) | {name: None}
    async with serving(*answered(example)) as (server, mkp):
        with pytest.raises(RequestValidationError) as caught:
            await example.method(mkp)(*ids, **keywords)
    assert caught.value.field == name
    assert server.requests == []


@pytest.mark.parametrize(
    ("example", "wrong"),
    [
        pytest.param(example, index, id=f"{example.id}-{kind}")
        for example in TAKING_A_VALUE
        for index, kind in enumerate(["other-model", "dict", "number"])
    ],
)
async def test_a_wrong_value_of_the_method_s_argument_is_refused_naming_it_before_sending(
    example: Example, wrong: int
) -> None:
    """A method that builds the request model from a value (``reply(ticket_id, message)``)
    refuses a wrong value as the model would, naming the field."""
    data = [wrong_data(example)[0], {"name": "Service contract"}, 12.5][wrong]
    ids, _ = split(example, example.args(SEED_IDS))
    async with serving(*answered(example)) as (server, mkp):
        with pytest.raises(RequestValidationError) as caught:
            await call(example, mkp, *ids, data)
    assert caught.value.field == example.value_of
    assert server.requests == []


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


@pytest.mark.parametrize(
    ("example", "position", "bad"),
    [
        pytest.param(example, position, bad, id=f"{example.id}-{name}-{bad!r}")
        for example in WITH_PATH_IDS
        for position, name in enumerate(example.operation.path_params)
        for bad in ["", "   "]
    ],
)
async def test_a_bad_path_id_is_refused_naming_it_before_sending(
    example: Example, position: int, bad: str
) -> None:
    args = list(example.args(SEED_IDS))
    args[position] = bad
    async with serving(*answered(example)) as (server, mkp):
        with pytest.raises(RequestValidationError) as caught:
            await call(example, mkp, *args)
    assert caught.value.field == _snake(example.operation.path_params[position])
    assert server.requests == []


# -- error statuses --------------------------------------------------------------------------

REFUSALS: dict[int, tuple[type[APIStatusError], Answer]] = {
    401: (AuthenticationError, Answer(401, {"message": "Unauthenticated."})),
    402: (InsufficientBalanceError, Answer(402, {"message": "Insufficient balance."})),
    404: (NotFoundError, Answer(404, {"message": "No Record can be found for the given ID"})),
    422: (
        UnprocessableEntityError,
        Answer(
            422,
            {"message": "The given data was invalid.", "errors": {"name": ["Too long."]}},
        ),
    ),
    426: (LicenseLimitError, Answer(426, {"message": "License limit reached."})),
    # a Retry-After past MAX_RETRY_WAIT (300 s) is not waited for: raised at once
    429: (
        RateLimitError,
        Answer(429, {"code": 429, "message": "Too many requests."}, {"Retry-After": "3600"}),
    ),
}
"""Answers the server gives without processing: the typed error, never retried here."""

GATEWAY_PAGE = "<!DOCTYPE html><html><head><title>{} Bad Gateway</title></head></html>"
MAY_HAVE_PROCESSED: dict[str, Answer] = {
    "500": Answer(500, {"message": "Server Error"}),
    "502": Answer(502, GATEWAY_PAGE.format(502)),
    "504": Answer(504, GATEWAY_PAGE.format(504)),
    "reset": Answer(reset=True),
}
"""Answers after which the server may have processed the request."""


@pytest.mark.parametrize(
    ("example", "status"),
    [
        pytest.param(example, status, id=f"{example.id}-{status}")
        for example in EXAMPLES
        for status in REFUSALS
    ],
)
async def test_a_refusal_is_its_typed_error_and_is_not_resent(
    example: Example, status: int
) -> None:
    cls, answer = REFUSALS[status]
    async with serving(answer) as (server, mkp):
        with pytest.raises(APIStatusError) as caught:
            await call(example, mkp, *example.args(SEED_IDS))
    assert type(caught.value) is cls
    assert caught.value.status == status
    assert caught.value.body == answer.body
    assert len(server.requests) == 1
    if isinstance(caught.value, UnprocessableEntityError):
        assert caught.value.errors == {"name": ["Too long."]}
    if isinstance(caught.value, RateLimitError):
        assert caught.value.retry_after == 3600.0


@pytest.mark.parametrize(
    ("example", "failure"),
    [
        pytest.param(example, failure, id=f"{example.id}-{failure}")
        for example in EXAMPLES
        for failure in MAY_HAVE_PROCESSED
    ],
)
async def test_a_write_that_may_have_been_processed_is_ambiguous_a_read_is_retried(
    example: Example, failure: str
) -> None:
    row = example.operation
    args = example.args(SEED_IDS)
    async with serving(MAY_HAVE_PROCESSED[failure]) as (server, mkp):
        with pytest.raises((AmbiguousWriteError, ServerError, APIConnectionError)) as caught:
            await call(example, mkp, *args)
    raised: Any = caught.value
    if is_write(row):
        assert isinstance(raised, AmbiguousWriteError)
        assert len(server.requests) == 1  # never resent blindly
        ids, data = split(example, args)
        key = row.natural_key.of(data) if row.natural_key is not None else {}
        assert raised.natural_key == key
        assert (raised.method, raised.path) == (row.method, path_of(row, ids).removeprefix("/v1"))
        assert raised.__cause__ is raised.cause
        raised = raised.cause
    elif failure == "reset":  # aiohttp itself also resends a GET once on a dropped line
        assert len(server.requests) in (1 + RETRIES, 2 * (1 + RETRIES))
    else:
        assert len(server.requests) == 1 + RETRIES
    if failure == "reset":
        assert type(raised) is APIConnectionError
        assert raised.sent is True
    else:
        assert type(raised) is ServerError
        assert raised.status == int(failure)


@examples()
async def test_a_503_with_retry_after_is_resent_and_its_answer_read(example: Example) -> None:
    busy = Answer(503, {"message": "Service Unavailable"}, {"Retry-After": "0"})
    async with serving(busy, *answered(example)) as (server, mkp):
        result = await call(example, mkp, *example.args(SEED_IDS))
    assert_read_as_the_row_says(example, result)
    first, second = server.requests[:2]  # a download's link is fetched after them
    assert first.headers.get("Idempotency-Key") == second.headers.get("Idempotency-Key")


# -- the FakePortal --------------------------------------------------------------------------


@examples()
async def test_the_fake_portal_serves_the_example_as_the_spec_declares(
    example: Example, fake_portal_responses: list[RequestRecord]
) -> None:
    async with FakePortal(rate_limit=None) as portal, portal.client(rate_limit=None) as mkp:
        given: dict[str, str] = {}
        for kind in example.needs:
            await make(kind, mkp, given, portal)
        before = len(portal.requests)
        result = await call(example, mkp, *example.args(given))

    [record] = portal.requests[before:]
    assert record.operation_id == example.id
    assert record.status == success(example.operation)[0]
    assert spec_check().validate([record]) == []
    assert any(seen is record for seen in fake_portal_responses)  # checked again at teardown
    assert_read_as_the_row_says(example, result)
    if example.operation.returns is Returns.DOWNLOAD:  # the link, fetched without the key
        [storage] = portal.storage.requests
        assert (storage.status, storage.authorization) == (200, False)
