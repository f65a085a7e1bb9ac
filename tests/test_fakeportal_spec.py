"""The spec check every FakePortal response of the suite goes through, and its own tests.

``spec_check()`` (built once per session) validates the records of sent responses against
tests/data/openapi.yaml: a status the spec declares for the operation with openapi-core
(body and headers), anything else against ``Error_ApiError`` with openapi-schema-validator's
OAS 3.1 (jsonschema) validator. tests/conftest.py runs it on every response each test made
(``watch_responses``) and fails the test at teardown on a violation.

Where the spec conflicts with the seed pages or with what the Laravel API sends, the seed / the
real behaviour is kept and the spec is patched here, each patch with its reason:

1. ``CustomerInvoice.dueAt``: on the create-customer-invoice seed page (request and response),
   missing from the merged spec. Added (string or null) so it is validated too.
2. ``PaginationMeta.from`` / ``to``: the spec says integer; Laravel's simple paginator sends
   null on an empty page. Made nullable.
3. ``AgreementSigner.signature`` / ``signatureHash`` / ``signedAt``: typed string, but a signer
   who has not signed yet has none; the FakePortal sends null. Made nullable.
4. ``Invoice.subtotalAmount`` / ``vatAmount`` / ``totalAmount`` (MijnKlantportaal's own bills):
   typed string, but the docs' examples and the API send JSON numbers (api/NOTES.md sections 8
   and 10), as the spec's own ``InvoiceLine`` amounts are typed. Made numbers.

Responses the spec cannot describe are handled explicitly, each with its reason
(:data:`NOT_API_BODIES`, :data:`ERROR_SHAPE_ONLY`).
"""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import yaml
from openapi_core import OpenAPI
from openapi_core.testing import MockRequest, MockResponse
from openapi_schema_validator import OAS31Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from test_fakeportal_support import FakeClock, auth, create_customer

from mijnklantportaal_async.testing import FakePortal, RequestRecord, watch_responses

SPEC_PATH = Path(__file__).parent / "data" / "openapi.yaml"
HOST = "https://api.mijnklantportaal.nl"
SPEC_URI = "urn:mijnklantportaal:openapi"

NULLABLE_STRING = {"type": ["string", "null"]}
NULLABLE_INTEGER = {"type": ["integer", "null"]}

NOT_API_BODIES = {
    "text/html": (
        "the 502/504 pages of 502_before/504_before are what a gateway (nginx) in front of the "
        "API sends, not API responses: the spec has nothing to say about them"
    ),
}
"""Content types that are not checked, with the reason."""

ERROR_SHAPE_ONLY = {
    "undeclared": (
        "a status the spec does not list for the operation (401 on every operation, injected "
        "500/503, 426 on the manual invoice): the body must still be an API error"
    ),
    "unimplemented": (
        "501 is the FakePortal's own answer for an operation it does not implement yet; no "
        "real response exists to compare, so only the API error shape is checked"
    ),
    "no route": (
        "an unknown path or method matches no operation; Laravel's JSON 404/405 is an API error"
    ),
}
"""Responses checked only against ``Error_ApiError``, by why."""


def patched_spec() -> dict[str, Any]:
    """The spec with the documented seed/Laravel deviations applied (see module docstring)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    spec: dict[str, Any] = yaml.load(SPEC_PATH.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 - a safe loader
    schemas = spec["components"]["schemas"]
    schemas["CustomerInvoice"]["properties"]["dueAt"] = dict(NULLABLE_STRING)
    for field in ("from", "to"):
        schemas["PaginationMeta"]["properties"][field].update(NULLABLE_INTEGER)
    for field in ("signature", "signatureHash", "signedAt"):
        schemas["AgreementSigner"]["properties"][field].update(NULLABLE_STRING)
    for field in ("subtotalAmount", "vatAmount", "totalAmount"):
        schemas["Invoice"]["properties"][field]["type"] = "number"
    return spec


class SpecCheck:
    """Validates records of sent FakePortal responses against the patched spec.

    :meth:`validate` (the per-test check) runs openapi-schema-validator's OAS 3.1 validator
    (the one openapi-core runs on bodies), compiled once per schema with the spec as a
    ``referencing`` registry, on each body and on the headers the spec declares (429's
    ``retry-after`` / ``x-ratelimit-reset``): about 0.1 ms an object. :meth:`openapi_problems`
    has openapi-core validate a response whole (request matching included); building it takes
    about 1 s, so only the conformance scenario uses it, as a cross-check.
    """

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        resource = Resource.from_contents(spec, default_specification=DRAFT202012)
        self._registry: Registry[Any] = Registry().with_resource(SPEC_URI, resource)
        self._validators: dict[str, OAS31Validator] = {}
        self.error_schema = self._validator("/components/schemas/Error_ApiError")

    @functools.cached_property
    def openapi(self) -> OpenAPI:
        """openapi-core's view of the spec (about 1 s to build, on first use)."""
        return OpenAPI.from_dict(copy.deepcopy(self.spec))

    def _validator(self, pointer: str) -> OAS31Validator:
        validator = self._validators.get(pointer)
        if validator is None:
            reference = {"$ref": f"{SPEC_URI}#{pointer}"}
            validator = OAS31Validator(reference, registry=self._registry)
            self._validators[pointer] = validator
        return validator

    def declared(self, record: RequestRecord) -> tuple[str, dict[str, Any]] | None:
        """The spec's response object for the record's operation and status, with its JSON
        pointer in the spec (a ``$ref`` to ``components/responses`` followed); None when the
        spec does not list that status for the operation."""
        assert record.route is not None
        method, path = record.route.split(" ", 1)
        escaped = path.replace("~", "~0").replace("/", "~1")
        pointer = f"/paths/{escaped}/{method.lower()}/responses/{record.status}"
        response = self.spec["paths"][path][method.lower()]["responses"].get(str(record.status))
        if response is None:
            return None
        if "$ref" in response:
            pointer = response["$ref"].removeprefix("#")
            response = self.spec["components"]["responses"][pointer.rsplit("/", 1)[1]]
        return pointer, response

    def validate(self, records: Iterable[RequestRecord]) -> list[str]:
        """One line per violation: ``operation (METHOD /path) -> status: what is wrong``."""
        failures = []
        for record in records:
            if record.status is None:
                continue  # no response was sent
            content_type = record.response_headers.get("Content-Type", "").split(";")[0]
            if content_type in NOT_API_BODIES:
                continue
            where = f"{record.method} {record.path} -> {record.status}"
            if record.operation_id is not None:
                where = f"{record.operation_id} ({where.replace(' ->', ') ->', 1)}"
            failures += [f"{where}: {problem}" for problem in self.problems(record)]
        return failures

    def problems(self, record: RequestRecord) -> list[str]:
        """What is wrong with one sent JSON response (empty: it conforms)."""
        declared = None
        if record.route is not None and record.status != 501:
            declared = self.declared(record)
        if declared is None:  # see ERROR_SHAPE_ONLY
            return _messages(self.error_schema, record.response_body)
        pointer, response = declared
        problems = self._header_problems(pointer, response, record.response_headers)
        if "application/json" not in response.get("content", {}):
            return [*problems, "the spec declares no JSON body for this status"]
        schema = self._validator(f"{pointer}/content/application~1json/schema")
        return problems + _messages(schema, record.response_body)

    def _header_problems(
        self, pointer: str, response: dict[str, Any], sent: dict[str, str]
    ) -> list[str]:
        """The declared headers: present when required, and valid (as OpenAPI reads a simple
        header: an ``integer``/``number`` schema gets the text converted first)."""
        lowered = {name.lower(): value for name, value in sent.items()}
        problems = []
        for name, header in response.get("headers", {}).items():
            text = lowered.get(name.lower())
            if text is None:
                if header.get("required"):
                    problems.append(f"header {name} is missing")
                continue
            kind = header.get("schema", {}).get("type")
            value: Any = text
            try:
                value = (
                    int(text) if kind == "integer" else float(text) if kind == "number" else text
                )
            except ValueError:
                problems.append(f"header {name}: {text!r} is not of type {kind!r}")
                continue
            validator = self._validator(f"{pointer}/headers/{name}/schema")
            problems += [
                f"header {name}: {error.message}" for error in validator.iter_errors(value)
            ]
        return problems

    def openapi_problems(self, record: RequestRecord) -> list[str]:
        """openapi-core's verdict on a response of a status the spec declares (body and
        headers; the request is matched to its operation as the real API's would be)."""
        request = MockRequest(HOST, record.method, record.path, args=record.query)
        response = MockResponse(
            data=json.dumps(record.response_body).encode(),
            status_code=record.status or 0,
            headers=record.response_headers,
        )
        try:
            self.openapi.validate_response(request, response)
        except Exception as exc:
            cause = exc.__cause__
            errors = getattr(cause, "schema_errors", None)
            if errors:
                return [f"{error.message} at {error.json_path}" for error in errors]
            return [f"{type(exc).__name__}: {exc} {cause!r}"]
        return []


def _messages(validator: OAS31Validator, body: Any) -> list[str]:
    return [f"{error.message} at {error.json_path}" for error in validator.iter_errors(body)]


@functools.cache
def spec_check() -> SpecCheck:
    """The session's one SpecCheck (parsing the spec and building the validator take ~1 s)."""
    return SpecCheck(patched_spec())


# -- the check itself ------------------------------------------------------------------------


async def test_a_body_that_breaks_the_spec_is_named_with_its_route_and_violation(
    fake_portal_responses: list[RequestRecord],
) -> None:
    async with FakePortal(clock=FakeClock()) as portal, aiohttp.ClientSession() as session:
        customer = await create_customer(session, portal)
        portal.state.store.objects["customers"][customer["id"]]["companyName"] = 12
        async with session.get(f"{portal.url}/customers/{customer['id']}", headers=auth(portal)):
            pass
    broken = fake_portal_responses[-1]
    check = spec_check()
    assert check.validate([broken]) == [
        f"get-customer (GET /v1/customers/{customer['id']}) -> 200: "
        "12 is not of type 'string' at $.companyName"
    ]
    assert check.openapi_problems(broken) == check.problems(broken)  # the same verdict
    fake_portal_responses.clear()  # broken on purpose, checked above: not this test's failure


def test_html_gateway_pages_are_skipped_and_undeclared_statuses_need_the_error_shape() -> None:
    def record(status: int, body: Any, content_type: str, route: str | None) -> RequestRecord:
        return RequestRecord(
            index=0,
            method="POST",
            path="/v1/customers",
            query={},
            headers={},
            operation_id="create-customer" if route else None,
            route=route,
            status=status,
            response_body=body,
            response_headers={"Content-Type": content_type},
        )

    check = spec_check()
    json = "application/json"
    assert check.validate([record(502, "<html>...</html>", "text/html", "POST /customers")]) == []
    unauthenticated = record(401, {"message": "Unauthenticated."}, json, "POST /customers")
    assert check.validate([unauthenticated]) == []
    assert check.validate([record(404, ["not", "an", "error"], json, None)]) == [
        "POST /v1/customers -> 404: ['not', 'an', 'error'] is not of type 'object' at $"
    ]
    assert len(check.validate([record(501, "text", json, "POST /customers")])) == 1
    limited = record(429, {"code": 429, "message": "Too many requests."}, json, "POST /customers")
    assert check.validate([limited]) == []
    limited.response_headers.update({"Retry-After": "soon", "X-RateLimit-Reset": "1714330860"})
    assert check.validate([limited]) == [
        "create-customer (POST /v1/customers) -> 429: header retry-after: "
        "'soon' is not of type 'integer'"
    ]


def test_the_teardown_fails_a_test_whose_portal_broke_the_spec(
    pytester: pytest.Pytester, fake_portal_responses: list[RequestRecord]
) -> None:
    pytester.makeconftest((Path(__file__).parent / "conftest.py").read_text(encoding="utf-8"))
    pytester.makepyfile(
        test_broken="""
        import asyncio
        import aiohttp
        from mijnklantportaal_async.testing import FakePortal

        def test_breaks_the_spec():
            async def main():
                async with FakePortal() as portal, aiohttp.ClientSession() as session:
                    auth = {"Authorization": "Bearer " + portal.api_key}
                    customer = {"companyName": "Jan BV", "address": "Kade 1", "zipCode": "1011AA",
                                "city": "Amsterdam", "primaryEmail": "jan@example.com"}
                    url = portal.url + "/customers"
                    async with session.post(url, json=customer, headers=auth) as response:
                        stored = await response.json()
                    portal.state.store.objects["customers"][stored["id"]]["companyName"] = 12
                    async with session.get(url, headers=auth) as response:
                        assert response.status == 200
            asyncio.run(main())
        """
    )
    quick = ["no:cacheprovider", "no:asyncio", "no:hypothesispytest", "no:benchmark"]
    result = pytester.runpytest_inprocess(*(arg for name in quick for arg in ("-p", name)))
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of test_breaks_the_spec*",
            "*list-customers (GET /v1/customers) -> 200: 12 is not of type 'string' at *",
        ]
    )
    assert len(fake_portal_responses) == 2
    fake_portal_responses.clear()  # the inner run's responses, broken on purpose


async def test_watches_nest_and_see_only_the_responses_sent_inside_them() -> None:
    async with FakePortal() as portal, aiohttp.ClientSession() as session:

        async def get() -> None:
            async with session.get(portal.url + "/customers", headers=auth(portal)):
                pass

        with watch_responses() as outer:
            with watch_responses() as inner:
                await get()
            await get()
        await get()
    assert [r.index for r in inner] == [0]
    assert [r.index for r in outer] == [0, 1]
    assert len(portal.requests) == 3
