"""``create_many`` on each of the five resources against the FakePortal, with "stored, then the
response lost" faults (500 or a reset after storing) on its create routes: every object is
stored exactly once, and exactly the ones whose response was lost are adopted, found through
that resource's own list endpoint and natural key (customers by e-mail in any case and company
name, agreements by name and signer e-mails in any order, offers of both kinds by number,
customer groups by name)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import attrs
import pytest
from test_fakeportal_support import PNG

from mijnklantportaal_async import (
    AgreementCreate,
    AgreementSignerCreate,
    CustomerCreate,
    CustomerGroupCreate,
    CustomerInvoiceCreate,
    CustomerOfferCreate,
    ManualCustomerOfferCreate,
    MijnKlantportaal,
    OfferLine,
    signature_data_uri,
)
from mijnklantportaal_async.bulk import ItemStatus
from mijnklantportaal_async.testing import FakePortal

N = 24
PDF = b"%PDF-1.4\n% kinds\n%%EOF\n"
# every other create of each route is stored and its response lost: 500, then a reset
PLAN = ["500_after_store", None, "reset_after_store", None] * 3
LOST_PER_ROUTE = 6


@attrs.frozen
class Case:
    """One resource: its attribute on the client, the create routes, the requests to make
    (given a customer ID), and the natural key of a stored wire object."""

    resource: str
    routes: Sequence[str]
    requests: Callable[[str], list[Any]]
    key: Callable[[dict[str, Any]], Hashable]


def customers(_customer_id: str) -> list[Any]:
    return [
        CustomerCreate(
            company_name=f"Bulk {n} BV",
            address="Kade 1",
            zip_code="1011AA",
            city="Amsterdam",
            primary_email=f"Contact.{n}@Bulk.Example",  # the portal may store it in any case
        )
        for n in range(N)
    ]


def invoices(customer_id: str) -> list[Any]:
    return [
        CustomerInvoiceCreate(
            customer_id=customer_id,
            invoice_number=f"INV-{n:03d}",
            issued_at=date(2024, 4, 29),
            amount=Decimal("12.95"),
            pdf=PDF,
        )
        for n in range(N)
    ]


def offers(customer_id: str) -> list[Any]:
    """File and manual offers, alternating."""
    made: list[Any] = []
    for n in range(N):
        common: dict[str, Any] = {
            "customer_id": customer_id,
            "offer_number": f"OFF-{n:03d}",
            "issued_at": date(2024, 4, 1),
            "expires_at": date(2024, 5, 1),
        }
        if n % 2:
            line = OfferLine(description="Work", amount_excl_vat=Decimal("10.00"), vat_rate=21)
            made.append(ManualCustomerOfferCreate(**common, lines=[line]))
        else:
            made.append(CustomerOfferCreate(**common, amount=Decimal("12.10"), pdf=PDF))
    return made


def agreements(_customer_id: str) -> list[Any]:
    def signer(first: str, email: str) -> AgreementSignerCreate:
        return AgreementSignerCreate(
            first_name=first, last_name="Bakker", email=email, should_identify=False
        )

    return [
        AgreementCreate(
            name=f"Contract {n}",
            signer_name="John Doe",
            signer_signature_data=signature_data_uri(PNG),
            signers=[signer("Dirk", f"Dirk.{n}@Example.com"), signer("Anna", f"anna.{n}@x.nl")],
            documents=[PDF],
        )
        for n in range(N)
    ]


def customer_groups(customer_id: str) -> list[Any]:
    return [CustomerGroupCreate(name=f"Group {n}", customers=[customer_id]) for n in range(N)]


CASES = {
    "customers": Case(
        "customers",
        ["create-customer"],
        customers,
        lambda c: (c["primaryEmail"].lower(), c["companyName"]),
    ),
    "customer_invoices": Case(
        "customer_invoices", ["create-customer-invoice"], invoices, lambda i: i["invoiceNumber"]
    ),
    "customer_offers": Case(
        "customer_offers",
        ["create-customer-offer", "create-manual-customer-offer"],
        offers,
        lambda o: o["offerNumber"],
    ),
    "agreements": Case(
        "agreements",
        ["create-agreement"],
        agreements,
        lambda a: (a["name"], tuple(sorted(s["email"].lower() for s in a["signers"]))),
    ),
    "customer_groups": Case(
        "customer_groups", ["create-customer-group"], customer_groups, lambda g: g["name"]
    ),
}


async def a_customer(mkp: MijnKlantportaal) -> str:
    made = await mkp.customers.create(
        CustomerCreate(
            company_name="Owner BV",
            address="Kade 1",
            zip_code="1011AA",
            city="Amsterdam",
            primary_email="owner@example.com",
        )
    )
    return made.id


@pytest.mark.parametrize("name", list(CASES))
async def test_create_many_stores_each_object_once_and_adopts_what_lost_its_response(
    name: str,
) -> None:
    case = CASES[name]
    async with FakePortal(rate_limit=None) as portal, portal.client(rate_limit=None) as mkp:
        owner = await a_customer(mkp)
        for route in case.routes:
            portal.faults.script(route, PLAN)
        requests = case.requests(owner)
        report = await getattr(mkp, case.resource).create_many(
            iter(requests), concurrency=4, grace=0.0
        )

        for route in case.routes:
            assert portal.faults.pending(route) == []  # every planned fault happened
        stored: dict[str, dict[str, Any]] = dict(portal.objects(case.resource))
        if name == "customers":
            stored.pop(owner)
        if name == "customer_groups":  # each group once on its member, adopted ones too
            assert sorted(portal.customers[owner]["customerGroups"]) == sorted(stored)
        keys = Counter(case.key(obj) for obj in stored.values())
        assert len(stored) == N
        assert len(keys) == N  # no object stored twice
        assert report.counts == {
            "created": N - LOST_PER_ROUTE * len(case.routes),
            "adopted": LOST_PER_ROUTE * len(case.routes),
            "skipped": 0,
            "exists": 0,
            "failed": 0,
            "conflict": 0,
            "changed": 0,
        }
        assert report.duplicates == ()  # the verification after the lost answers found none
        lost = {r.stored_id for r in portal.faults.records if r.stored}
        assert {r.id for r in report.results if r.status is ItemStatus.ADOPTED} == lost
        for request, result in zip(requests, report.results, strict=True):
            assert result.key == request.natural_key()
            assert result.id in stored


@pytest.mark.parametrize(
    ("max_attempts", "status"), [(1, ItemStatus.FAILED), (2, ItemStatus.CREATED)]
)
async def test_max_attempts_bounds_the_creates_of_an_item_the_look_up_found_missing(
    max_attempts: int, status: ItemStatus
) -> None:
    async with FakePortal(rate_limit=None) as portal, portal.client(rate_limit=None) as mkp:
        portal.faults.script("create-customer", ["500_before"])  # ambiguous, but not stored
        report = await mkp.customers.create_many(
            customers("")[:1], max_attempts=max_attempts, grace=0.0
        )

    (result,) = report.results
    assert (result.status, result.attempts) == (status, max_attempts)
    assert len(portal.customers) == (status is ItemStatus.CREATED)


async def test_max_attempts_below_one_is_refused_before_any_request() -> None:
    async with FakePortal(rate_limit=None) as portal, portal.client(rate_limit=None) as mkp:
        with pytest.raises(ValueError, match="max_attempts"):
            await mkp.customers.create_many(customers("")[:1], max_attempts=0)
    assert not portal.requests
