"""The FakePortal's subscription and package handlers on the wire, where the client refuses the
input before sending (bad intervals, negative amounts, missing fields, empty changes), and its
renewal arithmetic."""

from __future__ import annotations

from datetime import date

import aiohttp
import pytest
from test_fakeportal_support import FakeClock, call, create_customer

from mijnklantportaal_async import SubscriptionInterval
from mijnklantportaal_async.testing import FakePortal
from mijnklantportaal_async.testing.handlers.customer_subscriptions import INTERVALS, renewal_after

PACKAGE = {"name": "Phone subscription", "interval": "1 month", "amount": "12.95", "vatRate": 21}


def test_the_portal_knows_the_intervals_the_client_sends() -> None:
    assert set(INTERVALS) == {str(member) for member in SubscriptionInterval}


@pytest.mark.parametrize(
    ("start", "interval", "day", "renewal"),
    [
        (date(2024, 5, 4), "1 year", date(2024, 4, 28), date(2025, 5, 4)),  # planned: the first
        (date(2024, 1, 31), "1 month", date(2024, 4, 28), date(2024, 4, 30)),  # clamped
        (date(2024, 1, 31), "1 month", date(2024, 4, 30), date(2024, 5, 31)),  # not drifting
        (date(2023, 8, 31), "6 months", date(2024, 2, 29), date(2024, 8, 31)),
        (date(2024, 2, 29), "1 year", date(2024, 3, 1), date(2025, 2, 28)),
        (date(2024, 1, 1), "14 days", date(2024, 1, 15), date(2024, 1, 29)),  # on the day: next
        (date(2024, 1, 1), "2 months", date(2024, 2, 29), date(2024, 3, 1)),
    ],
)
def test_the_next_renewal_is_whole_intervals_from_the_start(
    start: date, interval: str, day: date, renewal: date
) -> None:
    assert renewal_after(start, interval, day) == renewal


async def test_a_create_checks_every_field_as_the_docs_say() -> None:
    async with FakePortal(rate_limit=None) as portal, aiohttp.ClientSession() as session:
        customer = await create_customer(session, portal)
        status, body, _ = await call(session, portal, "POST", "/customer-subscriptions", json={})
        assert status == 422
        assert list(body["errors"]) == [
            "customerId",
            "description",
            "startDate",
            "interval",
            "amount",
            "vatRate",
        ]
        bad = {
            "customerId": customer["id"],
            "description": "Contribution costs",
            "startDate": "2024-04-31",
            "interval": "1 week",
            "amount": "-12.95",
            "vatRate": 20,
            "createPayment": "maybe",
        }
        status, body, _ = await call(session, portal, "POST", "/customer-subscriptions", json=bad)
        assert status == 422
        assert body["errors"] == {
            "startDate": ["The start date field must match the format Y-m-d."],
            "interval": ["The selected interval is invalid."],
            "amount": ["The amount field must be at least 0."],
            "vatRate": ["The selected vat rate is invalid."],
            "createPayment": ["The create payment field must be true or false."],
        }
        assert len(portal.objects("customer_subscriptions")) == 0


async def test_a_change_needs_one_field_and_checks_each_like_create() -> None:
    async with (
        FakePortal(rate_limit=None, clock=FakeClock()) as portal,
        aiohttp.ClientSession() as session,
    ):
        customer = await create_customer(session, portal)
        fields = {
            "customerId": customer["id"],
            "description": "Contribution costs",
            "startDate": "2024-05-04",
            "interval": "1 year",
            "amount": "12.95",
            "vatRate": 21,
        }
        status, stored, _ = await call(
            session, portal, "POST", "/customer-subscriptions", json=fields
        )
        assert status == 201
        assert stored["id"].startswith("sub_")
        assert (stored["status"], stored["renewsAt"]) == ("planned", "2025-05-04")
        assert "invoiceDescription" not in stored["options"]
        path = f"/customer-subscriptions/{stored['id']}"
        status, body, _ = await call(session, portal, "PATCH", path, json={})
        assert (status, list(body["errors"])) == (422, ["description"])
        status, body, _ = await call(
            session, portal, "PATCH", path, json={"terminatedAt": "2024-07-04T22:01:00+02:00"}
        )
        assert (status, list(body["errors"])) == (422, ["terminatedAt"])
        status, body, _ = await call(session, portal, "PATCH", path, json={"amount": "1.005"})
        assert (status, list(body["errors"])) == (422, ["amount"])
        status, body, _ = await call(
            session, portal, "PATCH", path, json={"terminatedAt": "2024-07-04 22:01:00"}
        )
        assert status == 200
        assert body["terminatedAt"] == "2024-07-04T22:01:00+02:00"
        assert body["status"] == "terminated"
        assert portal.objects("customer_subscriptions")[stored["id"]] == body
        status, _, _ = await call(
            session, portal, "PATCH", "/customer-subscriptions/sub_x", json={"amount": "1.00"}
        )
        assert status == 404


async def test_packages_are_checked_and_a_sign_up_answers_404_before_reading_the_body() -> None:
    async with FakePortal(rate_limit=None) as portal, aiohttp.ClientSession() as session:
        path = "/customer-subscription-packages"
        status, body, _ = await call(
            session, portal, "POST", path, json=PACKAGE | {"interval": "monthly", "amount": 5}
        )
        assert (status, list(body["errors"])) == (422, ["interval", "amount"])
        status, package, _ = await call(session, portal, "POST", path, json=PACKAGE)
        assert status == 201
        assert package["id"].startswith("spg_")
        assert "description" not in package  # a string in the spec: left out, never null
        status, body, _ = await call(session, portal, "PATCH", f"{path}/{package['id']}", json={})
        assert (status, list(body["errors"])) == (422, ["name"])
        status, body, _ = await call(
            session, portal, "PATCH", f"{path}/{package['id']}", json={"availableForSale": "x"}
        )
        assert (status, list(body["errors"])) == (422, ["availableForSale"])
        status, body, _ = await call(session, portal, "POST", f"{path}/spg_x/sign-up", json={})
        assert (status, body["message"]) == (
            404,
            "No Customer Subscription Package can be found for the given ID",
        )
        status, body, _ = await call(
            session, portal, "POST", f"{path}/{package['id']}/sign-up", json={}
        )
        assert (status, list(body["errors"])) == (422, ["customerId", "startDate"])
        customer = await create_customer(session, portal)
        status, body, _ = await call(
            session,
            portal,
            "POST",
            f"{path}/{package['id']}/sign-up",
            json={"customerId": customer["id"], "startDate": "2024-05-04", "invoiceText": None},
        )
        assert status == 201
        assert body["options"] == {
            "createInvoice": False,
            "createPayment": False,
            "followUpFailedPayment": False,
        }
        assert list(portal.objects("customer_subscriptions")) == [body["id"]]
