"""A row edited after it was imported: the journal keeps a digest of each field of each item,
so a rerun reports a done item whose content changed as ``changed`` (a failure naming the
fields), never silently ``skipped``. Journals written before the digests keep working."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from mijnklantportaal_async import (
    ChangedItemError,
    CustomerCreate,
    CustomerInvoiceCreate,
    ItemStatus,
)
from mijnklantportaal_async.testing import FakePortal

PDF = b"%PDF-1.4\n% one\n%%EOF\n"


def invoice(customer_id: str, number: str, amount: str = "12.95", pdf: bytes = PDF) -> Any:
    return CustomerInvoiceCreate(
        customer_id=customer_id,
        invoice_number=number,
        issued_at=dt.date(2024, 4, 29),
        amount=Decimal(amount),
        pdf=pdf,
    )


async def test_a_done_row_edited_since_is_changed_naming_the_fields(tmp_path: Path) -> None:
    journal = tmp_path / "invoices.journal.jsonl"
    async with FakePortal(rate_limit=None) as portal, portal.client(rate_limit=None) as mkp:
        owner = (
            await mkp.customers.create(
                CustomerCreate(
                    company_name="Owner BV",
                    address="Kade 1",
                    zip_code="1011AA",
                    city="Amsterdam",
                    primary_email="owner@example.com",
                )
            )
        ).id
        first = await mkp.customer_invoices.create_many(
            [invoice(owner, "A"), invoice(owner, "B"), invoice(owner, "C")], journal=journal
        )
        rerun = await mkp.customer_invoices.create_many(
            [
                invoice(owner, "A"),
                invoice(owner, "B", amount="13.95"),
                invoice(owner, "C", pdf=b"%PDF-1.4\n% two\n%%EOF\n"),
            ],
            journal=journal,
        )

    assert first.created == 3
    same, amount, pdf = rerun.results
    assert same.status is ItemStatus.SKIPPED
    assert (amount.status, pdf.status) == (ItemStatus.CHANGED, ItemStatus.CHANGED)
    assert isinstance(amount.error, ChangedItemError)
    assert isinstance(pdf.error, ChangedItemError)
    assert (amount.error.fields, pdf.error.fields) == (("amount",), ("pdf",))
    assert amount.id == first.results[1].id
    assert "its amount changed since" in str(amount.error)
    assert rerun.failed == 2
    assert len(portal.customer_invoices) == 3  # nothing sent again
    assert {i["amount"] for i in portal.customer_invoices.values()} == {"12.95"}


async def test_a_journal_without_content_digests_still_skips_what_it_records(
    tmp_path: Path,
) -> None:
    journal = tmp_path / "old.journal.jsonl"
    async with FakePortal(rate_limit=None) as portal, portal.client(rate_limit=None) as mkp:
        owner = (
            await mkp.customers.create(
                CustomerCreate(
                    company_name="Owner BV",
                    address="Kade 1",
                    zip_code="1011AA",
                    city="Amsterdam",
                    primary_email="owner@example.com",
                )
            )
        ).id
        await mkp.customer_invoices.create_many([invoice(owner, "A")], journal=journal)
        records = [json.loads(line) for line in journal.read_text().splitlines()]
        assert all("content" in r for r in records if r.get("state") in ("sending", "created"))
        for record in records:
            record.pop("content", None)  # as a journal of an earlier version wrote it
        journal.write_text("".join(json.dumps(r) + "\n" for r in records))
        rerun = await mkp.customer_invoices.create_many(
            [invoice(owner, "A", amount="99.00")], journal=journal
        )

    assert rerun.results[0].status is ItemStatus.SKIPPED  # nothing to compare with: trusted
    assert len(portal.customer_invoices) == 1


def test_the_journal_keeps_digests_never_the_values(tmp_path: Path) -> None:
    from mijnklantportaal_async.bulk.journal import content_digests

    digests = content_digests(invoice("cst_1", "2024-001", amount="1234.56"))
    assert set(digests) == {"customer_id", "invoice_number", "issued_at", "amount", "pdf"}
    assert all(len(d) == 16 for d in digests.values())
    assert "1234.56" not in json.dumps(digests)
