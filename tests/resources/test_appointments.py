"""``mkp.appointments``: schedule, list a range, get, change the status, against the FakePortal."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from model_examples import customer
from test_fakeportal_support import FakeClock

from mijnklantportaal_async import (
    AmbiguousWriteError,
    AppointmentCreate,
    AppointmentStatus,
    CustomerCreate,
    MijnKlantportaal,
    NotFoundError,
    RequestValidationError,
    RetryPolicy,
    UnprocessableEntityError,
)
from mijnklantportaal_async.testing import FakePortal, FaultKind

pytestmark = pytest.mark.fake_portal(rate_limit=None, clock=FakeClock())  # 2024-04-28 21:00


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2025, 3, day, hour, minute)


def meeting(day: int = 5, hour: int = 14, **fields: Any) -> AppointmentCreate:
    return AppointmentCreate(
        **{
            "name": "Contract extension",
            "starts_at": at(day, hour),
            "ends_at": at(day, hour + 1),
            "attendee_name": "John Doe",
            "attendee_email": "johndoe@example.com",
            **fields,
        }
    )


async def test_a_scheduled_appointment_is_stored_and_read_back(
    fake_portal: FakePortal, mkp: MijnKlantportaal
) -> None:
    scheduled = await mkp.appointments.schedule(meeting())

    assert scheduled.id.startswith("apt_")
    assert scheduled.status is AppointmentStatus.SCHEDULED
    assert scheduled.starts_at == datetime(2025, 3, 5, 13, 0, tzinfo=UTC)  # 14:00 CET
    assert (scheduled.attendee_name, scheduled.customer_id) == ("John Doe", None)
    assert await mkp.appointments.get(scheduled.id) == scheduled
    assert fake_portal.requests[0].body == {
        "name": "Contract extension",
        "startsAt": "2025-03-05 14:00",
        "endsAt": "2025-03-05 15:00",
        "attendeeName": "John Doe",
        "attendeeEmail": "johndoe@example.com",
    }


async def test_a_customer_s_appointment_needs_no_attendee(mkp: MijnKlantportaal) -> None:
    owner = await mkp.customers.create(CustomerCreate(**customer()))

    scheduled = await mkp.appointments.schedule(
        AppointmentCreate(
            name="Intake", starts_at=at(6, 9), ends_at=at(6, 10), customer_id=owner.id
        )
    )

    assert scheduled.customer_id == owner.id
    assert scheduled.attendee_email == owner.primary_email  # the FakePortal's choice


async def test_an_unknown_customer_is_refused_by_the_portal(mkp: MijnKlantportaal) -> None:
    with pytest.raises(UnprocessableEntityError) as info:
        await mkp.appointments.schedule(
            AppointmentCreate(
                name="Intake", starts_at=at(6, 9), ends_at=at(6, 10), customer_id="cst_unknown"
            )
        )
    assert "customerId" in info.value.errors


async def test_the_list_holds_the_range_from_start_at_for_days(
    fake_portal: FakePortal, mkp: MijnKlantportaal
) -> None:
    first = await mkp.appointments.schedule(meeting(day=5, hour=9))
    second = await mkp.appointments.schedule(meeting(day=3, hour=9))
    await mkp.appointments.schedule(meeting(day=12, hour=9))  # after the 7 days

    found = await mkp.appointments.list(start_at=at(3, 9), days=7)

    assert [appointment.id for appointment in found] == [second.id, first.id]  # by start
    assert fake_portal.requests[-1].query == {"start_at": "2025-03-03 09:00", "days": "7"}
    # [03-03 09:01, 03-05 09:01): the second starts before, the first just inside
    assert await mkp.appointments.list(start_at="2025-03-03 09:01", days=2) == (first,)
    assert await mkp.appointments.list(start_at="2025-03-03 09:01", days=1) == ()
    assert len(await mkp.appointments.list(start_at=at(1, 0), days=31)) == 3


async def test_without_a_start_the_list_starts_now_for_7_days(
    fake_portal: FakePortal, mkp: MijnKlantportaal
) -> None:
    now = fake_portal.now().replace(tzinfo=None, second=0, microsecond=0)
    soon = await mkp.appointments.schedule(
        AppointmentCreate(
            name="Soon",
            starts_at=now.replace(hour=22),
            ends_at=now.replace(hour=23),
            attendee_name="Jan",
            attendee_email="jan@example.com",
        )
    )

    assert [appointment.id for appointment in await mkp.appointments.list()] == [soon.id]
    assert fake_portal.requests[-1].query == {}


async def test_a_status_change_is_what_a_later_get_returns(
    fake_portal: FakePortal, mkp: MijnKlantportaal
) -> None:
    scheduled = await mkp.appointments.schedule(meeting())

    canceled = await mkp.appointments.change_status(scheduled.id, AppointmentStatus.CANCELED)

    assert canceled.status is AppointmentStatus.CANCELED
    assert (await mkp.appointments.get(scheduled.id)).status is AppointmentStatus.CANCELED
    assert fake_portal.requests[-2].body == {"status": "canceled"}
    again = await mkp.appointments.change_status(scheduled.id, "scheduled")
    assert again.status is AppointmentStatus.SCHEDULED


async def test_a_pending_appointment_is_confirmed(
    fake_portal: FakePortal, mkp: MijnKlantportaal
) -> None:
    scheduled = await mkp.appointments.schedule(meeting())
    fake_portal.state.store.objects["appointments"][scheduled.id]["status"] = "pending"
    assert (await mkp.appointments.get(scheduled.id)).status is AppointmentStatus.PENDING

    confirmed = await mkp.appointments.change_status(scheduled.id, AppointmentStatus.SCHEDULED)

    assert confirmed.status is AppointmentStatus.SCHEDULED


async def test_bad_input_is_refused_naming_the_field_before_anything_is_sent(
    fake_portal: FakePortal, mkp: MijnKlantportaal
) -> None:
    with pytest.raises(RequestValidationError) as info:
        await mkp.appointments.change_status("apt_abc12346def678", AppointmentStatus.PENDING)
    assert info.value.field == "status"
    with pytest.raises(RequestValidationError) as info:
        await mkp.appointments.list(start_at=datetime(2025, 3, 5, 14, 30, 15))
    assert info.value.field == "start_at"
    with pytest.raises(RequestValidationError) as info:
        await mkp.appointments.list(days=0)
    assert info.value.field == "days"
    with pytest.raises(RequestValidationError) as info:
        await mkp.appointments.get(" ")
    assert info.value.field == "appointment_id"
    assert fake_portal.requests == ()


async def test_an_unknown_appointment_is_not_found(mkp: MijnKlantportaal) -> None:
    with pytest.raises(NotFoundError, match="No Appointment can be found"):
        await mkp.appointments.get("apt_unknown0000000")
    with pytest.raises(NotFoundError):
        await mkp.appointments.change_status("apt_unknown0000000", "canceled")


async def test_a_schedule_whose_answer_is_lost_is_ambiguous_and_not_sent_again(
    fake_portal: FakePortal,
) -> None:
    fake_portal.faults.script("schedule-appointment", [FaultKind.ERROR_500_AFTER_STORE])
    async with fake_portal.client(rate_limit=None, retry=RetryPolicy(max_retries=3)) as mkp:
        with pytest.raises(AmbiguousWriteError) as info:
            await mkp.appointments.schedule(meeting())
        assert info.value.natural_key == {}  # an appointment has none: never resent blindly
        [stored] = await mkp.appointments.list(start_at=at(5, 0), days=1)
    assert [r.operation_id for r in fake_portal.requests].count("schedule-appointment") == 1
    assert stored.attendee_name == "John Doe"  # it was stored once: look it up, then decide
