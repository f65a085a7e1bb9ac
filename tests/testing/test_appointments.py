"""The FakePortal's Appointments API on the wire: the rules the client refuses to break
(so only a raw request reaches them), each answered as Laravel's validator would."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from test_fakeportal_support import FakeClock, call, create_customer

from mijnklantportaal_async.testing import FakePortal

BODY = {"name": "Contract extension", "startsAt": "2025-03-05 14:30", "endsAt": "2025-03-05 16:00"}
ATTENDEE = {"attendeeName": "John Doe", "attendeeEmail": "johndoe@example.com"}


@pytest.fixture
async def wire() -> AsyncIterator[tuple[FakePortal, aiohttp.ClientSession]]:
    async with (
        FakePortal(rate_limit=None, clock=FakeClock()) as portal,
        aiohttp.ClientSession() as session,
    ):
        yield portal, session


async def test_the_docs_example_with_seconds_is_taken_as_well(
    wire: tuple[FakePortal, aiohttp.ClientSession],
) -> None:
    portal, session = wire
    body = {**BODY, **ATTENDEE, "startsAt": "2025-03-05 14:30:00", "endsAt": "2025-03-05 16:00:00"}
    status, appointment, _ = await call(session, portal, "POST", "/appointments", json=body)
    assert status == 201
    assert (appointment["startsAt"], appointment["endsAt"]) == (
        "2025-03-05T14:30:00+01:00",
        "2025-03-05T16:00:00+01:00",
    )
    assert appointment["status"] == "scheduled"
    assert portal.objects("appointments")[appointment["id"]] == appointment


async def test_without_a_customer_the_attendee_is_required(
    wire: tuple[FakePortal, aiohttp.ClientSession],
) -> None:
    portal, session = wire
    status, body, _ = await call(session, portal, "POST", "/appointments", json=BODY)
    assert status == 422
    assert body["errors"] == {
        "attendeeName": ["The attendee name field is required when customer id is not present."],
        "attendeeEmail": ["The attendee email field is required when customer id is not present."],
    }
    assert len(portal.objects("appointments")) == 0


async def test_a_customer_stands_in_for_the_attendee(
    wire: tuple[FakePortal, aiohttp.ClientSession],
) -> None:
    portal, session = wire
    owner = await create_customer(session, portal)
    body = {**BODY, "customerId": owner["id"]}
    status, appointment, _ = await call(session, portal, "POST", "/appointments", json=body)
    assert status == 201
    assert (appointment["attendeeName"], appointment["attendeeEmail"]) == (
        owner["companyName"],
        owner["primaryEmail"],
    )


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            {"customerId": "cst_missing0000000"},
            "customerId",
            "The selected customer id is invalid.",
        ),
        (
            {"startsAt": "2025-03-05T14:30"},
            "startsAt",
            "The starts at field must match the format Y-m-d H:i.",
        ),
        (
            {"endsAt": "2025-02-30 16:00"},
            "endsAt",
            "The ends at field must match the format Y-m-d H:i.",
        ),
        (
            {"endsAt": "2025-03-05 14:30"},
            "endsAt",
            "The ends at field must be a date after starts at.",
        ),
        ({"name": None}, "name", "The name field is required."),
        (
            {"attendeeEmail": "john at x"},
            "attendeeEmail",
            "The attendee email field must be a valid email address.",
        ),
    ],
)
async def test_a_bad_field_is_a_422_naming_it(
    wire: tuple[FakePortal, aiohttp.ClientSession], change: dict[str, Any], field: str, message: str
) -> None:
    portal, session = wire
    body = {**BODY, **ATTENDEE, **change}
    status, answer, _ = await call(session, portal, "POST", "/appointments", json=body)
    assert (status, answer["errors"]) == (422, {field: [message]})


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"start_at": "tomorrow"}, "The start at field must match the format Y-m-d H:i."),
        ({"days": "seven"}, "The days field must be an integer."),
        ({"days": "0"}, "The days field must be at least 1."),
    ],
)
async def test_a_bad_range_is_a_422(
    wire: tuple[FakePortal, aiohttp.ClientSession], query: dict[str, str], message: str
) -> None:
    portal, session = wire
    status, answer, _ = await call(session, portal, "GET", "/appointments", params=query)
    [field] = query
    assert (status, answer["errors"]) == (422, {field: [message]})


async def test_a_start_with_seconds_is_taken_in_the_query(
    wire: tuple[FakePortal, aiohttp.ClientSession],
) -> None:
    portal, session = wire
    await call(session, portal, "POST", "/appointments", json={**BODY, **ATTENDEE})
    query = {"start_at": "2025-03-05 14:30:00", "days": "1"}
    status, answer, _ = await call(session, portal, "GET", "/appointments", params=query)
    assert status == 200
    assert [a["startsAt"] for a in answer["data"]] == ["2025-03-05T14:30:00+01:00"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"status": "pending"}, "The selected status is invalid."),
        ({}, "The status field is required."),
    ],
)
async def test_only_scheduled_and_canceled_can_be_set(
    wire: tuple[FakePortal, aiohttp.ClientSession], body: dict[str, str], message: str
) -> None:
    portal, session = wire
    _, appointment, _ = await call(
        session, portal, "POST", "/appointments", json={**BODY, **ATTENDEE}
    )
    path = f"/appointments/{appointment['id']}"
    status, answer, _ = await call(session, portal, "PATCH", path, json=body)
    assert (status, answer["errors"]) == (422, {"status": [message]})
    assert portal.objects("appointments")[appointment["id"]]["status"] == "scheduled"


async def test_an_unknown_appointment_is_a_404_before_its_body_is_read(
    wire: tuple[FakePortal, aiohttp.ClientSession],
) -> None:
    portal, session = wire
    path = "/appointments/apt_missing0000000"
    for method, body in (("GET", None), ("PATCH", {"status": "pending"})):
        status, answer, _ = await call(session, portal, method, path, json=body)
        assert (status, answer) == (
            404,
            {"message": "No Appointment can be found for the given ID"},
        )
