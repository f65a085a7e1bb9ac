"""Date-times at the edges of the calendar: a request moment that portal time cannot show is
refused when the model is built (RequestValidationError naming the field), never an
OverflowError when it is sent; a date of year 1 or 9999 is a date like any other."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from mijnklantportaal_async import CustomerInvoiceCreate, RequestValidationError
from mijnklantportaal_async._core.wire import to_wire


def invoice(**kwargs: object) -> CustomerInvoiceCreate:
    fields: dict[str, object] = {
        "customer_id": "cst_1",
        "invoice_number": "2024-001",
        "issued_at": date(2024, 4, 29),
        "amount": Decimal("12.95"),
        "pdf": b"%PDF-1.4",
    }
    return CustomerInvoiceCreate(**(fields | kwargs))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "moment",
    [
        datetime(1, 1, 1),  # 00:00 in Amsterdam (+00:19:32 then) is year 0 in UTC
        datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=5))),
        datetime(9999, 12, 31, 23, 59, tzinfo=timezone(timedelta(hours=-12))),
        datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=14))),
        datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC),  # year 10000 in Amsterdam
        "0001-01-01 00:00:00",
    ],
)
def test_a_moment_portal_time_cannot_show_is_refused_naming_the_field(moment: object) -> None:
    with pytest.raises(RequestValidationError) as info:
        invoice(paid_at=moment)
    assert info.value.field == "paid_at"
    assert "out of range" in info.value.reason


@pytest.mark.parametrize(
    ("moment", "wire"),
    [
        (datetime(1, 1, 2), "0001-01-02 00:00:00"),
        (datetime(9999, 12, 31, 20, tzinfo=UTC), "9999-12-31 21:00:00"),
    ],
)
def test_a_moment_near_the_edges_is_sent_with_a_four_digit_year(
    moment: datetime, wire: str
) -> None:
    assert to_wire(invoice(paid_at=moment))["paidAt"] == wire


@pytest.mark.parametrize("day", [date(1, 1, 1), date(9999, 12, 31)])
def test_dates_of_year_1_and_9999_are_sent_as_they_are(day: date) -> None:
    assert to_wire(invoice(issued_at=day, due_at=day))["issuedAt"] == day.isoformat()
