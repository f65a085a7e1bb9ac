"""Appointments' request models: whole-minute date-times written ``Y-m-d H:i``, the attendee
rule without a customer, and the statuses ``change-appointment-status`` may set."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from model_examples import refused

from mijnklantportaal_async import (
    AppointmentCreate,
    AppointmentQuery,
    AppointmentStatus,
    AppointmentStatusChange,
)
from mijnklantportaal_async._core.wire import to_query, to_wire


def appointment(**overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "name": "Contract extension",
        "starts_at": datetime(2025, 3, 5, 14, 30),
        "ends_at": datetime(2025, 3, 5, 16, 0),
        "attendee_name": "John Doe",
        "attendee_email": "johndoe@example.com",
    }
    return fields | overrides


def test_date_times_are_sent_to_the_minute_in_portal_time() -> None:
    created = AppointmentCreate(
        **appointment(
            starts_at=datetime(2025, 3, 5, 13, 30, tzinfo=UTC),  # 14:30 in Amsterdam (CET)
            ends_at="2025-03-05 16:00:00",
        )
    )
    assert to_wire(created) == {
        "name": "Contract extension",
        "startsAt": "2025-03-05 14:30",
        "endsAt": "2025-03-05 16:00",
        "attendeeName": "John Doe",
        "attendeeEmail": "johndoe@example.com",
    }


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (datetime(2025, 3, 5, 14, 30, 27), "must be a whole minute"),
        (datetime(2025, 3, 5, 14, 30, 0, 5), "must be a whole minute"),
        ("2025-03-05 14:30:27", "must be a whole minute"),
        ("2025-03-05T14:30", "'YYYY-mm-dd HH:MM' format"),
        ("2025-02-30 14:30", "is not a real date-time"),
        ("2025-03-30 02:30", "does not exist in portal time"),
        (date(2025, 3, 5), "must be a datetime.datetime or a 'YYYY-mm-dd HH:MM' string"),
        (1741181400, "must be a datetime.datetime"),
        (None, "is required"),
    ],
)
def test_a_start_that_is_not_a_whole_existing_minute_is_refused(value: Any, reason: str) -> None:
    error = refused(AppointmentCreate, **appointment(starts_at=value))
    assert error.field == "starts_at"
    assert reason in error.reason


def test_the_end_must_come_after_the_start_whatever_the_time_zones() -> None:
    error = refused(AppointmentCreate, **appointment(ends_at=datetime(2025, 3, 5, 14, 30)))
    assert (error.field, error.reason) == (
        "ends_at",
        "2025-03-05 14:30 is not after starts_at 2025-03-05 14:30",
    )
    # 13:45 UTC is 14:45 in Amsterdam: after a naive 14:30 there
    later = AppointmentCreate(**appointment(ends_at=datetime(2025, 3, 5, 13, 45, tzinfo=UTC)))
    assert to_wire(later)["endsAt"] == "2025-03-05 14:45"


@pytest.mark.parametrize("missing", ["attendee_name", "attendee_email"])
def test_without_a_customer_the_attendee_is_required(missing: str) -> None:
    fields = appointment()
    del fields[missing]
    error = refused(AppointmentCreate, **fields)
    assert (error.field, error.reason) == (missing, "is required when no customer_id is given")


def test_with_a_customer_the_attendee_is_optional_and_not_sent() -> None:
    fields = appointment(customer_id="cst_abc12345def678")
    del fields["attendee_name"], fields["attendee_email"]
    assert to_wire(AppointmentCreate(**fields)) == {
        "name": "Contract extension",
        "startsAt": "2025-03-05 14:30",
        "endsAt": "2025-03-05 16:00",
        "customerId": "cst_abc12345def678",
    }


def test_an_attendee_email_must_be_an_address() -> None:
    error = refused(AppointmentCreate, **appointment(attendee_email="john at example"))
    assert error.field == "attendee_email"


def test_the_query_is_written_as_the_docs_say_and_leaves_out_what_is_not_given() -> None:
    query = AppointmentQuery(start_at="2025-03-05 09:00", days=14)
    assert to_query(query) == {"start_at": "2025-03-05 09:00", "days": "14"}
    assert to_query(AppointmentQuery()) == {}


@pytest.mark.parametrize(
    ("days", "reason"), [(0, "at least 1"), (True, "must be an int"), ("7", "must be an int")]
)
def test_days_is_a_positive_int(days: Any, reason: str) -> None:
    error = refused(AppointmentQuery, days=days)
    assert error.field == "days"
    assert reason in error.reason


@pytest.mark.parametrize("status", [AppointmentStatus.SCHEDULED, "canceled", " scheduled "])
def test_a_status_change_takes_scheduled_or_canceled(status: str) -> None:
    change = AppointmentStatusChange(status=status)
    assert isinstance(change.status, AppointmentStatus)
    assert to_wire(change) == {"status": change.status.value}


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (AppointmentStatus.PENDING, "cannot be set to 'pending'"),
        ("confirmed", "must be 'scheduled' or 'canceled', not 'confirmed'"),
        (1, "must be an AppointmentStatus or its value"),
        (None, "is required"),
    ],
)
def test_any_other_status_is_refused(status: Any, reason: str) -> None:
    error = refused(AppointmentStatusChange, status=status)
    assert error.field == "status"
    assert reason in error.reason
