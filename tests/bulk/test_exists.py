"""What the portal already holds, against the FakePortal through the resources' ``create_many``:
a rerun without the journal duplicates nothing (``exists``), an object found by its key is
taken only when its fields agree (else ``conflict``, naming them and the stored ID), and
``if_exists="create"`` opts out of the scan.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from test_fakeportal_support import PNG

from mijnklantportaal_async import (
    AgreementCreate,
    AgreementSignerCreate,
    ConflictError,
    CustomerCreate,
    CustomerInvoiceCreate,
    CustomerOfferCreate,
    InvoiceLine,
    ItemStatus,
    ManualCustomerInvoiceCreate,
    MijnKlantportaal,
    signature_data_uri,
)
from mijnklantportaal_async.bulk import BulkReport, create_many
from mijnklantportaal_async.testing import FakePortal

PDF = b"%PDF-1.4\n% exists\n%%EOF\n"


def invoice(customer_id: str, number: str, amount: str = "12.95", **kw: Any) -> Any:
    return CustomerInvoiceCreate(
        customer_id=customer_id,
        invoice_number=number,
        issued_at=dt.date(2024, 4, 29),
        amount=Decimal(amount),
        pdf=PDF,
        **kw,
    )


def numbers(portal: FakePortal) -> Counter[str]:
    return Counter(inv["invoiceNumber"] for inv in portal.customer_invoices.values())


async def customer(mkp: MijnKlantportaal, email: str = "owner@example.com") -> str:
    made = await mkp.customers.create(
        CustomerCreate(
            company_name="Owner BV",
            address="Kade 1",
            zip_code="1011AA",
            city="Amsterdam",
            primary_email=email,
        )
    )
    return made.id


async def test_a_rerun_without_the_journal_creates_nothing_again_and_scans_once(
    tmp_path: Path,
) -> None:
    async with FakePortal(rate_limit=None) as portal, portal.client(rate_limit=None) as mkp:
        owner = await customer(mkp)
        items = [invoice(owner, f"E-{n:03d}") for n in range(100)]
        first = await mkp.customer_invoices.create_many(items, journal=tmp_path / "a.jsonl")
        before = len(portal.requests)
        pages: list[int] = []
        again = await mkp.customer_invoices.create_many(
            items, journal=tmp_path / "elsewhere.jsonl", on_scan_page=pages.append
        )
        without = await mkp.customer_invoices.create_many(items)  # no journal at all

    assert first.created == 100
    assert again.exists == without.exists == 100
    assert again.ok
    assert without.ok
    assert numbers(portal) == Counter(f"E-{n:03d}" for n in range(100))  # each once
    assert [r.id for r in again.results] == [r.id for r in first.results]
    assert all(r.object is not None and r.attempts == 0 for r in again.results)
    # one scan per run, one list request per 15 stored objects, no create
    listed = [r.operation_id for r in portal.requests[before:]]
    assert listed == ["list-customer-invoices"] * 7 * 2
    assert pages == [15] * 6 + [10]


async def test_if_exists_create_opts_out_of_the_scan() -> None:
    async with FakePortal(rate_limit=None) as portal, portal.client(rate_limit=None) as mkp:
        owner = await customer(mkp)
        items = [invoice(owner, f"C-{n}") for n in range(3)]
        await mkp.customer_invoices.create_many(items)
        before = len(portal.requests)
        report = await mkp.customer_invoices.create_many(items, if_exists="create")

    assert report.created == 3
    assert numbers(portal) == Counter({f"C-{n}": 2 for n in range(3)})  # as asked
    assert {r.operation_id for r in portal.requests[before:]} == {"create-customer-invoice"}


async def test_an_older_object_with_the_key_but_other_fields_is_a_conflict_never_created() -> None:
    async with FakePortal(rate_limit=None) as portal, portal.client(rate_limit=None) as mkp:
        owner = await customer(mkp)
        other = await customer(mkp, "other@example.com")
        older = await mkp.customer_invoices.create(invoice(other, "2023-001", "99.00"))
        report = await mkp.customer_invoices.create_many(
            [invoice(owner, "2023-001"), invoice(owner, "2023-002")]
        )

    conflict, created = report.results
    assert conflict.status is ItemStatus.CONFLICT
    assert created.status is ItemStatus.CREATED
    error = conflict.error
    assert isinstance(error, ConflictError)
    assert error.stored_id == older.id
    assert error.differences == {
        "customer_id": (owner, other),
        "amount": (Decimal("12.95"), Decimal("99.00")),
    }
    assert older.id in str(error)
    assert "amount: 12.95 here, 99.00 stored" in str(error)
    assert report.failed == 1
    assert report.failures == (conflict,)
    assert not report.ok
    assert numbers(portal) == {"2023-001": 1, "2023-002": 1}  # the older one, untouched


@pytest.mark.parametrize("fault", ["500_before", "reset_before", "reset_after_store"])
async def test_an_ambiguous_create_next_to_an_older_object_with_its_key_is_never_adopted_as_it(
    fault: str,
) -> None:
    # With the pre-scan off the create is sent; its answer is lost. The look-up finds the
    # older invoice that only shares the number: not ours. Ours is created (or, when the lost
    # attempt stored it, adopted), never the older one taken for it.
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    async with FakePortal(rate_limit=None) as portal, portal.client(rate_limit=None) as mkp:
        owner = await customer(mkp)
        older = await mkp.customer_invoices.create(invoice(owner, "2023-001", "99.00"))
        portal.faults.script("create-customer-invoice", [fault])
        report = await create_many(
            mkp.customer_invoices._kind(),
            [invoice(owner, "2023-001")],
            if_exists="create",
            sleep=sleep,
        )

    (result,) = report.results
    stored = {i["id"]: i["amount"] for i in portal.customer_invoices.values()}
    assert result.id != older.id
    assert stored == {older.id: "99.00", result.id: "12.95"}  # ours, once, and the older one
    expected = ItemStatus.ADOPTED if fault == "reset_after_store" else ItemStatus.CREATED
    assert result.status is expected
    assert report.duplicates == ()  # two objects of one key, but both were there as asked
    if expected is ItemStatus.CREATED:
        assert slept[0] == 30.0  # the grace period, before it was sent again


async def test_with_the_scan_an_older_object_is_found_before_anything_is_sent() -> None:
    async with FakePortal(rate_limit=None) as portal, portal.client(rate_limit=None) as mkp:
        owner = await customer(mkp)
        await mkp.customer_invoices.create(invoice(owner, "2023-001", "99.00"))
        before = len(portal.requests)
        report = await mkp.customer_invoices.create_many([invoice(owner, "2023-001")])

    assert report.results[0].status is ItemStatus.CONFLICT
    assert [r.operation_id for r in portal.requests[before:]] == ["list-customer-invoices"]


async def test_each_kind_compares_its_own_fields() -> None:
    signer = AgreementSignerCreate(
        first_name="Anna", last_name="Jansen", email="anna@example.com", should_identify=False
    )
    agreement = AgreementCreate(
        name="Contract 1",
        signer_name="Owner BV",
        signer_signature_data=signature_data_uri(PNG),
        signers=[signer],
        documents=[PDF],
    )
    async with FakePortal(rate_limit=None) as portal, portal.client(rate_limit=None) as mkp:
        owner = await customer(mkp)
        await mkp.agreements.create(agreement)
        await mkp.customer_offers.create(
            CustomerOfferCreate(
                customer_id=owner,
                offer_number="O-1",
                issued_at=dt.date(2024, 4, 29),
                expires_at=dt.date(2024, 5, 29),
                amount=Decimal("10.00"),
                pdf=PDF,
            )
        )
        manual = ManualCustomerInvoiceCreate(
            customer_id=owner,
            invoice_number="M-1",
            issued_at=dt.date(2024, 4, 29),
            lines=[InvoiceLine(description="Work", amount_excl_vat=Decimal("100.00"), vat_rate=21)],
        )
        await mkp.customer_invoices.create_manual(manual)

        same: list[BulkReport[Any]] = [
            await mkp.agreements.create_many([agreement]),
            await mkp.customer_invoices.create_many([manual]),
            await mkp.customers.create_many(
                [
                    CustomerCreate(
                        company_name="Owner BV",
                        address=" kade  1",  # a person reads it as the same address
                        zip_code="1011 aa",
                        city="AMSTERDAM",
                        primary_email="OWNER@example.com",
                    )
                ]
            ),
        ]
        renamed = AgreementSignerCreate(
            first_name="Anne", last_name="Jansen", email="ANNA@example.com", should_identify=False
        )
        differ: list[BulkReport[Any]] = [
            await mkp.agreements.create_many(
                [AgreementCreate(**{**_fields(agreement), "signers": [renamed]})]
            ),
            await mkp.customer_offers.create_many(
                [
                    CustomerOfferCreate(
                        customer_id=owner,
                        offer_number="O-1",
                        issued_at=dt.date(2024, 4, 29),
                        expires_at=dt.date(2024, 6, 30),
                        amount=Decimal("10.00"),
                        pdf=PDF,
                    )
                ]
            ),
            await mkp.customer_invoices.create_many(
                [
                    ManualCustomerInvoiceCreate(
                        customer_id=owner,
                        invoice_number="M-1",
                        issued_at=dt.date(2024, 4, 29),
                        lines=[
                            InvoiceLine(
                                description="Work", amount_excl_vat=Decimal("90.00"), vat_rate=21
                            )
                        ],
                    )
                ]
            ),
        ]

    assert [r.results[0].status for r in same] == [ItemStatus.EXISTS] * 3
    conflicts = [r.results[0].error for r in differ]
    assert all(isinstance(e, ConflictError) for e in conflicts)
    assert [sorted(e.differences) for e in conflicts if isinstance(e, ConflictError)] == [
        ["signers"],
        ["expires_at"],
        ["lines"],
    ]
    assert "lines totalling 90.00 excl. VAT (108.90 incl.) here, 121.00 stored" in str(conflicts[2])
    assert len(portal.agreements) == len(portal.customer_offers) == 1


def _fields(obj: Any) -> dict[str, Any]:
    return {f.name: getattr(obj, f.name) for f in attrs.fields(type(obj))}
