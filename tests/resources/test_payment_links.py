"""``mkp.payment_links``: create, get, list, close and the payments of a link, against the
FakePortal through the public client; and the request model's refusals before any I/O."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from aioresponses import aioresponses
from model_examples import refused
from operation_examples import PAYMENT_LINK
from test_fakeportal_support import SEED_TIME, FakeClock

from mijnklantportaal_async import (
    AmbiguousWriteError,
    APIResponseValidationError,
    MijnKlantportaal,
    NotFoundError,
    PaymentLink,
    PaymentLinkCreate,
    PaymentLinkPayment,
    PaymentLinkStatus,
    RequestValidationError,
    UnprocessableEntityError,
)
from mijnklantportaal_async._core.wire import to_wire
from mijnklantportaal_async.testing import FakePortal, FaultKind
from mijnklantportaal_async.testing.handlers.payment_links import record_payment

CLOCK_START = SEED_TIME  # 2024-04-28T21:00:00+02:00


@pytest.fixture
def fake_portal_options() -> dict[str, Any]:
    """Each test's portal: no rate limit, and its own clock standing at :data:`CLOCK_START`."""
    return {"rate_limit": None, "clock": FakeClock(CLOCK_START)}


def link(**changes: Any) -> PaymentLinkCreate:
    fields: dict[str, Any] = {"description": "Contribution costs", "amount": "12.95"}
    return PaymentLinkCreate(**(fields | changes))


# -- the request model ----------------------------------------------------------------------


def test_the_create_model_sends_money_as_a_string_and_the_date_as_a_date() -> None:
    data = link(amount=Decimal("25"), expires_at="2024-05-04", reusable=False)
    assert data.amount == Decimal("25")
    assert data.expires_at == date(2024, 5, 4)
    assert to_wire(data) == {
        "description": "Contribution costs",
        "amount": "25.00",
        "expiresAt": "2024-05-04",
        "reusable": False,
    }
    assert to_wire(link()) == {"description": "Contribution costs", "amount": "12.95"}


@pytest.mark.parametrize(
    ("changes", "field", "reason"),
    [
        ({"amount": 12.95}, "amount", "must not be a float"),
        ({"amount": "0"}, "amount", "must be more than 0"),
        ({"amount": Decimal("-5.00")}, "amount", "must be more than 0"),
        ({"amount": "12.955"}, "amount", "more than 2 decimals"),
        ({"amount": "12,95"}, "amount", "decimal separator"),
        ({"description": "  "}, "description", "must not be empty"),
        ({"expires_at": "2024-04-31"}, "expires_at", "not a real date"),
        ({"expires_at": datetime(2024, 5, 4, 12)}, "expires_at", "not a datetime"),
        ({"reusable": "yes"}, "reusable", "must be True or False"),
        ({"reusable": 1}, "reusable", "must be True or False"),
        ({"currency": "EUR"}, "currency", "is not a field of PaymentLinkCreate"),
    ],
)
def test_bad_input_is_refused_naming_the_field(
    changes: dict[str, Any], field: str, reason: str
) -> None:
    error = refused(link, **changes)
    assert error.field == field
    assert reason in error.reason


def test_description_and_amount_are_required() -> None:
    assert refused(PaymentLinkCreate, description="Contribution costs").field == "amount"
    assert refused(PaymentLinkCreate, amount="12.95").field == "description"


# -- create, get, list ----------------------------------------------------------------------


async def test_a_created_link_is_open_with_a_checkout_url_and_reads_back(
    fake_portal: FakePortal, mkp: MijnKlantportaal
) -> None:
    created = await mkp.payment_links.create(link(expires_at=date(2024, 5, 4), reusable=True))

    assert created.id.startswith("plk_")
    assert created.status is PaymentLinkStatus.OPEN
    assert created.amount == Decimal("12.95")
    assert created.currency == "EUR"
    assert created.reusable is True
    assert (
        created.checkout_url == f"{fake_portal.url.removesuffix('/v1')}/payment-link/{created.id}"
    )
    # a link expiring on a date can be paid all that day, portal time
    assert created.expires_at == datetime.fromisoformat("2024-05-04T23:59:59+02:00")
    assert created.created_at == datetime.fromtimestamp(CLOCK_START).astimezone()
    assert await mkp.payment_links.get(created.id) == created
    assert fake_portal.requests[0].body == {
        "description": "Contribution costs",
        "amount": "12.95",
        "expiresAt": "2024-05-04",
        "reusable": True,
    }


async def test_a_link_is_single_use_and_never_expires_unless_asked(mkp: MijnKlantportaal) -> None:
    created = await mkp.payment_links.create(link())
    assert created.reusable is False
    assert created.expires_at is None


async def test_list_holds_every_link_in_creation_order_over_pages(mkp: MijnKlantportaal) -> None:
    made = [await mkp.payment_links.create(link(amount=f"{n}.00")) for n in range(1, 18)]

    listed = [item async for item in mkp.payment_links.list()]

    assert [item.id for item in listed] == [item.id for item in made]
    assert all(isinstance(item, PaymentLink) for item in listed)
    assert listed[16].amount == Decimal("17.00")


async def test_an_unknown_link_is_not_found(mkp: MijnKlantportaal) -> None:
    with pytest.raises(NotFoundError) as info:
        await mkp.payment_links.get("plk_unknown0000000")
    assert info.value.body == {"message": "No Payment Link can be found for the given ID"}
    with pytest.raises(NotFoundError):
        await mkp.payment_links.close("plk_unknown0000000")
    with pytest.raises(NotFoundError):
        [payment async for payment in mkp.payment_links.list_payments("plk_unknown0000000")]


async def test_the_portal_refuses_an_expiry_before_its_today(mkp: MijnKlantportaal) -> None:
    # the portal's clock says 2024-04-28; the client cannot know the portal's date, so it sends
    with pytest.raises(UnprocessableEntityError) as info:
        await mkp.payment_links.create(link(expires_at=date(2024, 4, 27)))
    assert list(info.value.errors) == ["expiresAt"]
    created = await mkp.payment_links.create(link(expires_at=date(2024, 4, 28)))
    assert created.status is PaymentLinkStatus.OPEN


async def test_an_empty_link_id_is_refused_before_sending(
    fake_portal: FakePortal, mkp: MijnKlantportaal
) -> None:
    for call in (mkp.payment_links.get, mkp.payment_links.close):
        with pytest.raises(RequestValidationError) as info:
            await call(" ")
        assert info.value.field == "link_id"
    with pytest.raises(RequestValidationError):
        mkp.payment_links.list_payments("")
    assert fake_portal.requests == ()


# -- close ----------------------------------------------------------------------------------


async def test_close_closes_the_link_and_a_second_close_is_422(
    fake_portal: FakePortal, mkp: MijnKlantportaal
) -> None:
    created = await mkp.payment_links.create(link(reusable=True))

    closed = await mkp.payment_links.close(created.id)

    assert closed.id == created.id
    assert closed.status is PaymentLinkStatus.CLOSED
    assert closed.checkout_url is None
    assert (await mkp.payment_links.get(created.id)).status is PaymentLinkStatus.CLOSED
    assert [item.status async for item in mkp.payment_links.list()] == [PaymentLinkStatus.CLOSED]
    delete = fake_portal.requests[-3]
    assert (delete.method, delete.path, delete.status) == (
        "DELETE",
        f"/v1/payment-links/{created.id}",
        200,
    )

    with pytest.raises(UnprocessableEntityError) as info:
        await mkp.payment_links.close(created.id)
    assert info.value.status == 422
    assert info.value.body == {"message": "Payment Link is already closed"}
    assert fake_portal.objects("payment_links")[created.id]["status"] == "closed"


async def test_a_close_whose_answer_is_lost_is_ambiguous_and_not_resent(
    fake_portal: FakePortal, mkp: MijnKlantportaal
) -> None:
    created = await mkp.payment_links.create(link())
    fake_portal.faults.script("close-payment-link", [FaultKind.RESET_AFTER_STORE])

    with pytest.raises(AmbiguousWriteError) as info:
        await mkp.payment_links.close(created.id)

    assert info.value.natural_key == {}  # a payment link has no natural key
    closes = [r for r in fake_portal.requests if r.operation_id == "close-payment-link"]
    assert len(closes) == 1  # neither the client nor aiohttp sent it again
    assert (await mkp.payment_links.get(created.id)).status is PaymentLinkStatus.CLOSED


async def test_an_ambiguous_create_is_not_resent(
    fake_portal: FakePortal, mkp: MijnKlantportaal
) -> None:
    fake_portal.faults.script("create-payment-link", [FaultKind.ERROR_500_AFTER_STORE])

    with pytest.raises(AmbiguousWriteError) as info:
        await mkp.payment_links.create(link())

    assert info.value.natural_key == {}
    assert len(fake_portal.requests) == 1
    assert len(fake_portal.objects("payment_links")) == 1  # it was stored, once


# -- payments and expiry --------------------------------------------------------------------


async def test_payments_are_listed_per_link_and_a_paid_single_use_link_is_paid(
    fake_portal: FakePortal, mkp: MijnKlantportaal
) -> None:
    single = await mkp.payment_links.create(link())
    reusable = await mkp.payment_links.create(link(amount="5.00", reusable=True))
    assert [p async for p in mkp.payment_links.list_payments(single.id)] == []

    paid = record_payment(fake_portal.state, single.id, payers_name="Jan Jansen")
    for name in ("Anna", "Piet"):
        record_payment(fake_portal.state, reusable.id, payers_name=name)

    [payment] = [p async for p in mkp.payment_links.list_payments(single.id)]
    assert isinstance(payment, PaymentLinkPayment)
    assert payment.id == paid["id"]
    assert payment.id.startswith("plp_")
    assert payment.payment_link_id == single.id
    assert (payment.amount, payment.currency) == (Decimal("12.95"), "EUR")
    assert (payment.status, payment.payers_name) == ("paid", "Jan Jansen")
    assert payment.integration == "mollie"
    assert payment.integration_id is not None
    assert payment.integration_id.startswith("tr_")
    again = await mkp.payment_links.get(single.id)
    assert (again.status, again.checkout_url) == (PaymentLinkStatus.PAID, None)
    with pytest.raises(ValueError, match="is paid"):
        record_payment(fake_portal.state, single.id)

    payments = [p async for p in mkp.payment_links.list_payments(reusable.id)]
    assert [p.payers_name for p in payments] == ["Anna", "Piet"]
    assert all(p.amount == Decimal("5.00") for p in payments)
    assert (await mkp.payment_links.get(reusable.id)).status is PaymentLinkStatus.OPEN


async def test_a_link_expires_after_its_day_and_can_still_be_closed(
    fake_portal: FakePortal, mkp: MijnKlantportaal
) -> None:
    clock = fake_portal.state.clock
    assert isinstance(clock, FakeClock)
    created = await mkp.payment_links.create(link(expires_at=date(2024, 4, 29)))

    clock.advance(timedelta(hours=26, minutes=59, seconds=59).total_seconds())  # 29th 23:59:59
    assert (await mkp.payment_links.get(created.id)).status is PaymentLinkStatus.OPEN
    clock.advance(1)

    expired = await mkp.payment_links.get(created.id)
    assert (expired.status, expired.checkout_url) == (PaymentLinkStatus.EXPIRED, None)
    with pytest.raises(ValueError, match="is expired"):
        record_payment(fake_portal.state, created.id)
    assert (await mkp.payment_links.close(created.id)).status is PaymentLinkStatus.CLOSED
    with pytest.raises(ValueError, match="is closed"):
        record_payment(fake_portal.state, created.id)


async def test_a_status_outside_the_documented_set_makes_the_answer_unreadable(
    mocked: aioresponses,
) -> None:
    base = "https://api.mijnklantportaal.nl/v1"
    answer = PAYMENT_LINK | {"status": "pending"}
    mocked.get(f"{base}/payment-links/{PAYMENT_LINK['id']}", payload=answer)
    mocked.get(f"{base}/payment-links/plk_ok", payload=PAYMENT_LINK | {"id": "plk_ok"})

    async with MijnKlantportaal(api_key="mkp_test_key", rate_limit=None) as client:
        with pytest.raises(APIResponseValidationError, match="pending"):
            await client.payment_links.get(PAYMENT_LINK["id"])
        read = await client.payment_links.get("plk_ok")

    assert read.status is PaymentLinkStatus.OPEN
    assert read.expires_at == datetime.fromisoformat("2024-05-14T21:00:00+02:00")
    assert (
        read.checkout_url == f"https://demo.mijnklantportaal.nl/payment-link/{PAYMENT_LINK['id']}"
    )
