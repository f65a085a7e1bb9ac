"""Create a customer and an invoice with its PDF, import more in bulk, list them.

python examples/quickstart.py --sandbox   # an in-process fake portal: no account needed
python examples/quickstart.py             # your portal: set MIJNKLANTPORTAAL_API_KEY
"""

import asyncio
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

from mijnklantportaal_async import CustomerCreate, CustomerInvoiceCreate, MijnKlantportaal
from mijnklantportaal_async.testing import FakePortal

PDFS = Path(__file__).parent / "pdf"  # example PDFs that ship with the repository


async def main(mkp: MijnKlantportaal) -> None:
    customer = await mkp.customers.create(
        CustomerCreate(
            company_name="Test Company BV",
            address="Teststreet 123",
            zip_code="1234AB",
            city="Amsterdam",
            primary_email="john.doe@test.com",
        )
    )
    print(f"customer {customer.id}: {customer.company_name}")

    invoice = await mkp.customer_invoices.create(
        CustomerInvoiceCreate(
            customer_id=customer.id,
            invoice_number="2024-0001",
            issued_at=date(2024, 4, 29),
            amount=Decimal("12.95"),
            pdf=PDFS / "invoice-2024-0001.pdf",  # streamed from disk, never read whole
        )
    )
    print(f"invoice {invoice.id}: {invoice.invoice_number}, EUR {invoice.amount}")

    # Many at once: each exactly once, paced by the rate limit. Pass journal=Path(...) to
    # make a rerun after a crash resume where it stopped (docs/bulk.md).
    invoices = [
        CustomerInvoiceCreate(
            customer_id=customer.id,
            invoice_number=f"2024-{n:04d}",
            issued_at=date(2024, 4, 29),
            amount=Decimal("99.00"),
            pdf=PDFS / f"invoice-2024-{n:04d}.pdf",
        )
        for n in range(2, 6)
    ]
    report = await mkp.customer_invoices.create_many(invoices)
    print(f"bulk: {report.created} created, {report.failed} failed")

    async for stored in mkp.customer_invoices.list():  # pages are fetched as needed
        print(f"listed {stored.invoice_number}: EUR {stored.amount}")


async def run(*, sandbox: bool) -> None:
    if sandbox:
        async with FakePortal() as portal, portal.client() as mkp:
            await main(mkp)
    else:
        async with MijnKlantportaal() as mkp:  # api_key=... or MIJNKLANTPORTAAL_API_KEY
            await main(mkp)


if __name__ == "__main__":
    asyncio.run(run(sandbox="--sandbox" in sys.argv[1:]))
