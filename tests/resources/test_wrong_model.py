"""A request object of the wrong class is refused by the resource before anything is sent.

``mkp.customer_invoices.create(CustomerCreate(...))`` used to be sent (and refused by the
server with a 422), a manual offer given to ``customer_offers.create`` went to the file
endpoint, and ``None`` gave an AttributeError from inside. Each create method now raises a
TypeError naming the class it takes (each create: tests/core/test_operations.py); here the
hints between the two offer creates, and ``create_many`` reporting such an item failed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from model_examples import customer, invoice, line, manual, offer

from mijnklantportaal_async import (
    CustomerCreate,
    CustomerInvoiceCreate,
    CustomerOfferCreate,
    InvoiceLine,
    ItemStatus,
    ManualCustomerInvoiceCreate,
    ManualCustomerOfferCreate,
    MijnKlantportaal,
)
from mijnklantportaal_async.testing import FakePortal

pytestmark = pytest.mark.fake_portal(rate_limit=None)

CUSTOMER = CustomerCreate(**customer())
INVOICE = CustomerInvoiceCreate(**invoice())
OFFER = CustomerOfferCreate(**offer())
MANUAL = ManualCustomerOfferCreate(**manual())

Create = Callable[[MijnKlantportaal], Callable[[Any], Awaitable[Any]]]

CASES: list[tuple[str, Create, object, str]] = [
    (
        "offer-gets-manual",
        lambda m: m.customer_offers.create,
        MANUAL,
        "data: mkp.customer_offers.create() takes a CustomerOfferCreate, got a "
        "ManualCustomerOfferCreate; use mkp.customer_offers.create_manual() for it",
    ),
    (
        "manual-gets-file-offer",
        lambda m: m.customer_offers.create_manual,
        OFFER,
        "data: mkp.customer_offers.create_manual() takes a ManualCustomerOfferCreate, got a "
        "CustomerOfferCreate; use mkp.customer_offers.create() for an offer with a PDF",
    ),
]
"""The hints a resource gives for a request meant for its other create; every create refusing
every wrong class (and None, and a dict) is in tests/core/test_operations.py."""


@pytest.mark.parametrize(
    ("create", "data", "message"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
async def test_an_offer_meant_for_the_other_create_is_refused_with_a_hint(
    fake_portal: FakePortal, mkp: MijnKlantportaal, create: Create, data: object, message: str
) -> None:
    with pytest.raises(TypeError) as info:
        await create(mkp)(data)

    assert str(info.value) == message
    assert fake_portal.requests == ()


async def test_create_many_reports_an_item_of_the_wrong_class_failed(
    fake_portal: FakePortal, mkp: MijnKlantportaal
) -> None:
    customer_id = (await mkp.customers.create(CUSTOMER)).id
    good = CustomerInvoiceCreate(**invoice(customer_id=customer_id))

    items: list[Any] = [CUSTOMER, good, None]

    report = await mkp.customer_invoices.create_many(items)

    assert [r.status for r in report.results] == [
        ItemStatus.FAILED,
        ItemStatus.CREATED,
        ItemStatus.FAILED,
    ]
    wrong, _, missing = report.results
    assert isinstance(wrong.error, TypeError)
    assert str(wrong.error) == (
        "items: mkp.customer_invoices.create_many() takes a CustomerInvoiceCreate or "
        "ManualCustomerInvoiceCreate, got a CustomerCreate"
    )
    assert str(missing.error).endswith("got None")
    assert [r.operation_id for r in fake_portal.requests] == [
        "create-customer",
        "list-customer-invoices",  # what the portal holds already: nothing
        "create-customer-invoice",
    ]


async def test_offer_create_many_takes_both_offer_kinds_and_refuses_others(
    fake_portal: FakePortal, mkp: MijnKlantportaal
) -> None:
    customer_id = (await mkp.customers.create(CUSTOMER)).id
    items: list[Any] = [
        CustomerOfferCreate(**offer(customer_id=customer_id)),
        ManualCustomerOfferCreate(**manual(customer_id=customer_id)),
        INVOICE,
    ]

    report = await mkp.customer_offers.create_many(items)

    assert [r.status for r in report.results] == [
        ItemStatus.CREATED,
        ItemStatus.CREATED,
        ItemStatus.FAILED,
    ]
    assert str(report.results[2].error) == (
        "items: mkp.customer_offers.create_many() takes a CustomerOfferCreate or "
        "ManualCustomerOfferCreate, got a CustomerInvoiceCreate"
    )


async def test_invoice_create_many_takes_manual_invoices_too(
    fake_portal: FakePortal, mkp: MijnKlantportaal
) -> None:
    customer_id = (await mkp.customers.create(CUSTOMER)).id
    items: list[Any] = [
        CustomerInvoiceCreate(**invoice(customer_id=customer_id)),
        ManualCustomerInvoiceCreate(
            customer_id=customer_id,
            invoice_number="2024-002",
            issued_at="2024-04-29",
            lines=[InvoiceLine(**line())],
        ),
    ]

    report = await mkp.customer_invoices.create_many(items)

    assert [r.status for r in report.results] == [ItemStatus.CREATED, ItemStatus.CREATED]
    assert [r.operation_id for r in fake_portal.requests[1:]] == [
        "list-customer-invoices",
        "create-customer-invoice",
        "create-manual-customer-invoice",
    ]
