"""``mkp.customer_invoices``: marking an invoice paid (mark-customer-invoice-paid) and its PDF
(get-customer-invoice-pdf), through the public client against the FakePortal."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from model_examples import customer, invoice, line
from test_fakeportal_support import FakeClock

from mijnklantportaal_async import (
    CustomerCreate,
    CustomerInvoice,
    CustomerInvoiceCreate,
    CustomerInvoiceUpdate,
    InvoiceLine,
    ManualCustomerInvoiceCreate,
    MijnKlantportaal,
    NotFoundError,
    RequestValidationError,
)
from mijnklantportaal_async._core.wire import to_wire
from mijnklantportaal_async.testing import FakePortal

pytestmark = pytest.mark.fake_portal(rate_limit=None)


def listing(directory: Path) -> list[Path]:
    return sorted(directory.iterdir())


# More than the 1 KiB the portal keeps of every upload: only keep_files keeps all of it.
LARGE_PDF = b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"


async def an_invoice(mkp: MijnKlantportaal, **changes: Any) -> CustomerInvoice:
    created = await mkp.customers.create(CustomerCreate(**customer()))
    return await mkp.customer_invoices.create(
        CustomerInvoiceCreate(**invoice(customer_id=created.id, **changes))
    )


def link_requests(portal: FakePortal) -> list[str]:
    return [r.operation_id for r in portal.requests if r.operation_id == "get-customer-invoice-pdf"]


# -- mark-customer-invoice-paid ---------------------------------------------------------------


async def test_marking_paid_changes_what_a_later_get_returns(
    fake_portal: FakePortal, mkp: MijnKlantportaal
) -> None:
    created = await an_invoice(mkp)
    assert created.paid_at is None

    paid = await mkp.customer_invoices.mark_paid(
        created.id, datetime(2024, 5, 11, 12, 0, tzinfo=UTC)
    )

    patch = fake_portal.requests[-1]
    assert (patch.method, patch.path) == ("PATCH", f"/v1/customer-invoices/{created.id}")
    assert patch.body == {"paidAt": "2024-05-11 14:00:00"}  # portal local time (CEST)
    assert paid.paid_at == datetime(2024, 5, 11, 12, 0, tzinfo=UTC)
    assert (await mkp.customer_invoices.get(created.id)).paid_at == paid.paid_at
    assert fake_portal.customer_invoices[created.id]["paidAt"] == "2024-05-11T14:00:00+02:00"
    assert paid.invoice_number == created.invoice_number  # the rest is kept


async def test_marking_a_paid_invoice_paid_again_sets_the_new_moment(
    mkp: MijnKlantportaal,
) -> None:
    created = await an_invoice(mkp, paid_at=datetime(2024, 5, 1, 9, 0))

    await mkp.customer_invoices.mark_paid(created.id, "2024-05-02 10:30:00")
    again = await mkp.customer_invoices.mark_paid(created.id, "2024-05-02 10:30:00")

    assert again.paid_at == datetime.fromisoformat("2024-05-02T10:30:00+02:00")


@pytest.mark.parametrize(
    ("invoice_id", "paid_at", "field"),
    [
        ("inv_abc12345def678", "2024-04-31 14:00:00", "paid_at"),  # the docs' own example
        ("inv_abc12345def678", datetime(2024, 3, 31, 2, 30), "paid_at"),  # summer time gap
        ("inv_abc12345def678", "2024-05-11", "paid_at"),
        ("inv_abc12345def678", None, "paid_at"),
        ("  ", datetime(2024, 5, 11, 12, 0), "invoice_id"),
    ],
)
async def test_a_bad_mark_paid_is_refused_before_anything_is_sent(
    fake_portal: FakePortal, mkp: MijnKlantportaal, invoice_id: str, paid_at: Any, field: str
) -> None:
    with pytest.raises(RequestValidationError) as info:
        await mkp.customer_invoices.mark_paid(invoice_id, paid_at)

    assert info.value.field == field
    assert fake_portal.requests == ()


async def test_marking_an_unknown_invoice_paid_is_not_found(mkp: MijnKlantportaal) -> None:
    with pytest.raises(NotFoundError, match="No Customer Invoice can be found"):
        await mkp.customer_invoices.mark_paid("inv_unknown0000000", datetime(2024, 5, 11, 12, 0))


def test_the_update_model_sends_paid_at_in_portal_local_time() -> None:
    update = CustomerInvoiceUpdate(paid_at=datetime(2024, 1, 5, 8, 0, tzinfo=UTC))
    assert to_wire(update) == {"paidAt": "2024-01-05 09:00:00"}  # CET in winter
    with pytest.raises(RequestValidationError) as info:
        CustomerInvoiceUpdate()  # type: ignore[call-arg]
    assert info.value.field == "paid_at"


# -- get-customer-invoice-pdf -----------------------------------------------------------------


@pytest.mark.fake_portal(rate_limit=None, keep_files=True)
async def test_the_downloaded_pdf_is_the_uploaded_one_fetched_without_the_key(
    fake_portal: FakePortal, mkp: MijnKlantportaal, tmp_path: Path
) -> None:
    created = await an_invoice(mkp, pdf=LARGE_PDF)
    target = tmp_path / "invoice.pdf"

    size = await mkp.customer_invoices.download_pdf(created.id, to=target)
    streamed = b"".join([chunk async for chunk in mkp.customer_invoices.stream_pdf(created.id)])

    assert size == len(LARGE_PDF)
    assert target.read_bytes() == LARGE_PDF
    assert streamed == LARGE_PDF
    assert listing(tmp_path) == [target]  # no temporary file left
    assert link_requests(fake_portal) == ["get-customer-invoice-pdf"] * 2
    assert [(r.status, r.authorization) for r in fake_portal.storage.requests] == [
        (200, False),
        (200, False),
    ]
    assert all("Idempotency-Key" not in r.headers for r in fake_portal.storage.requests)


async def test_a_small_pdf_is_served_exactly_without_keep_files(mkp: MijnKlantportaal) -> None:
    small = b"%PDF-1.4\n% one page\n%%EOF\n"  # within the 1 KiB the portal keeps of each file
    created = await an_invoice(mkp, pdf=small)

    assert b"".join([c async for c in mkp.customer_invoices.stream_pdf(created.id)]) == small


async def test_without_keep_files_a_large_pdf_is_served_as_a_stand_in_that_says_so(
    fake_portal: FakePortal, mkp: MijnKlantportaal
) -> None:
    created = await an_invoice(mkp, pdf=LARGE_PDF)

    served = b"".join([c async for c in mkp.customer_invoices.stream_pdf(created.id)])

    assert served.startswith(b"%PDF-1.4\n")
    assert served.endswith(b"%%EOF\n")
    assert served != LARGE_PDF
    assert b"Invoice 2024-001" in served
    assert fake_portal.files[created.id].sha256.encode() in served
    assert b"keep_files=True" in served


async def test_a_manual_invoice_s_pdf_is_made_by_the_portal(mkp: MijnKlantportaal) -> None:
    created = await mkp.customers.create(CustomerCreate(**customer()))
    manual = await mkp.customer_invoices.create_manual(
        ManualCustomerInvoiceCreate(
            customer_id=created.id,
            invoice_number="2025-017",
            issued_at="2025-04-14",
            lines=[InvoiceLine(**line(amount_excl_vat="100.00"))],
        )
    )

    served = b"".join([c async for c in mkp.customer_invoices.stream_pdf(manual.id)])

    assert served.startswith(b"%PDF-")
    assert b"Invoice 2025-017" in served
    assert b"EUR 121.00" in served


class ExpiringClock(FakeClock):
    """The portal's clock, starting now (so the client's own clock agrees with the links'
    expiry), moved past a link's 5 minutes by :func:`expire_the_first_link`."""

    def __init__(self) -> None:
        super().__init__(time.time())


def expire_the_first_link(portal: FakePortal, clock: ExpiringClock) -> list[dict[str, str]]:
    """Make the storage's first link expire before it is fetched (the portal's clock jumps
    301 seconds right after making it); returns the links handed out."""
    links: list[dict[str, str]] = []
    make = portal.storage.link_for

    def link_for(data: Any, **options: Any) -> dict[str, str]:
        links.append(make(data, **options))
        if len(links) == 1:
            clock.advance(301)
        return links[-1]

    portal.storage.link_for = link_for  # type: ignore[method-assign]
    return links


@pytest.fixture
async def expiring() -> AsyncIterator[tuple[FakePortal, MijnKlantportaal, ExpiringClock]]:
    clock = ExpiringClock()
    async with (
        FakePortal(rate_limit=None, clock=clock) as portal,
        portal.client(rate_limit=None) as mkp,
    ):
        yield portal, mkp, clock


@pytest.mark.parametrize("mode", ["path", "stream"])
async def test_an_expired_link_is_asked_for_again_once(
    expiring: tuple[FakePortal, MijnKlantportaal, ExpiringClock], tmp_path: Path, mode: str
) -> None:
    portal, mkp, clock = expiring
    created = await an_invoice(mkp)
    links = expire_the_first_link(portal, clock)

    if mode == "path":
        await mkp.customer_invoices.download_pdf(created.id, to=tmp_path / "x.pdf")
        served = (tmp_path / "x.pdf").read_bytes()
    else:
        served = b"".join([c async for c in mkp.customer_invoices.stream_pdf(created.id)])

    assert served == invoice()["pdf"]
    assert link_requests(portal) == ["get-customer-invoice-pdf"] * 2
    assert len(links) == 2
    assert [r.status for r in portal.storage.requests] == [403, 200]  # expired, then the fresh
    assert [r.token for r in portal.storage.requests] == [
        link["link"].rsplit("/", 1)[1] for link in links
    ]


async def test_an_unknown_invoice_s_pdf_is_not_found_and_nothing_is_written(
    fake_portal: FakePortal, mkp: MijnKlantportaal, tmp_path: Path
) -> None:
    with pytest.raises(NotFoundError, match="No Customer Invoice can be found"):
        await mkp.customer_invoices.download_pdf("inv_unknown0000000", to=tmp_path / "x.pdf")
    with pytest.raises(NotFoundError):
        async for _ in mkp.customer_invoices.stream_pdf("inv_unknown0000000"):
            pass

    assert listing(tmp_path) == []
    assert fake_portal.storage.requests == []


async def test_an_empty_invoice_id_is_refused_before_any_download(
    fake_portal: FakePortal, mkp: MijnKlantportaal, tmp_path: Path
) -> None:
    with pytest.raises(RequestValidationError) as info:
        mkp.customer_invoices.stream_pdf(" ")  # at once, before iterating
    assert info.value.field == "invoice_id"
    with pytest.raises(RequestValidationError):
        await mkp.customer_invoices.download_pdf("", to=tmp_path / "x.pdf")

    assert fake_portal.requests == ()
    assert listing(tmp_path) == []
