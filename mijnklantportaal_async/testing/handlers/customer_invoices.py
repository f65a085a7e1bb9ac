"""FakePortal handlers for the Customer Invoices API.

create-customer-invoice (POST /customer-invoices, multipart with ``pdf``; seed page),
create-manual-customer-invoice (POST /customer-invoices/manual, JSON with ``lines``),
list-customer-invoices, get-customer-invoice, mark-customer-invoice-paid (PATCH, ``paidAt``) and
get-customer-invoice-pdf (a download link). Docs: /api-reference/customer-invoices-api/.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from mijnklantportaal_async.testing.handlers._common import (
    Call,
    Handler,
    Reply,
    customer_link,
    paginate,
    stored,
)
from mijnklantportaal_async.testing.handlers._documents import (
    check_customer,
    check_license,
    check_lines,
    notify,
)
from mijnklantportaal_async.testing.handlers._downloads import stand_in_pdf, stored_bytes
from mijnklantportaal_async.testing.state import AMSTERDAM, PortalState, atom, money
from mijnklantportaal_async.testing.validation import Validator
from mijnklantportaal_async.testing.webhooks import deliver

__all__ = [
    "HANDLERS",
    "create_customer_invoice",
    "create_manual_customer_invoice",
    "get_customer_invoice",
    "get_customer_invoice_pdf",
    "list_customer_invoices",
    "mark_customer_invoice_paid",
]


async def create_customer_invoice(call: Call) -> Reply:
    """POST /customer-invoices (create-customer-invoice), multipart/form-data.

    Required: customerId (a stored customer), invoiceNumber, issuedAt (``YYYY-mm-dd``), amount
    (EUR string, at most 2 decimals), pdf (a file starting with ``%PDF-``). Optional: dueAt
    (``YYYY-mm-dd``), paidAt (``YYYY-mm-dd HH:mm:ss``), sendNotification (boolean).
    201 + CustomerInvoice; 422 on bad input; 426 when the month's licence limit is reached.
    """
    body = await call.body()
    state = call.state
    check = Validator(body.data)
    customer_id = check_customer(check, state)
    number = check.string("invoiceNumber", required=True)
    issued_at = check.date("issuedAt", required=True)
    due_at = check.date("dueAt")
    paid_at = check.datetime("paidAt")
    amount = check.money("amount", required=True)
    send = check.boolean("sendNotification")
    pdf = check.file("pdf", required=True, pdf=True)
    check.check()
    assert customer_id is not None
    assert number is not None
    assert issued_at is not None
    assert amount is not None
    assert pdf is not None
    check_license(state, "invoices")
    invoice = _store(state, customer_id, number, issued_at, due_at, paid_at, amount)
    state.store.files[invoice["id"]] = pdf
    notify(call, "invoice", invoice, send)
    return Reply(201, invoice, stored_id=invoice["id"])


async def create_manual_customer_invoice(call: Call) -> Reply:
    """POST /customer-invoices/manual (create-manual-customer-invoice), JSON.

    Required: customerId, invoiceNumber, issuedAt and ``lines`` (each description,
    amountExclVat, vatRate 0/9/21); optional dueAt (not before issuedAt) and sendNotification.
    The invoice amount is the total including VAT. 201 + CustomerInvoice; 422; 426 at the
    licence limit.
    """
    body = await call.body()
    state = call.state
    check = Validator(body.data)
    customer_id = check_customer(check, state)
    number = check.string("invoiceNumber", required=True)
    issued_at = check.date("issuedAt", required=True)
    due_at = check.date("dueAt")
    check.after_or_equal("dueAt", due_at, "issuedAt", issued_at)
    total = check_lines(check)
    send = check.boolean("sendNotification")
    check.check()
    assert customer_id is not None
    assert number is not None
    assert issued_at is not None
    assert total is not None
    check_license(state, "invoices")
    invoice = _store(state, customer_id, number, issued_at, due_at, None, total)
    notify(call, "invoice", invoice, send)
    return Reply(201, invoice, stored_id=invoice["id"])


def _store(
    state: PortalState,
    customer_id: str,
    number: str,
    issued_at: date,
    due_at: date | None,
    paid_at: datetime | None,
    amount: Decimal,
) -> dict[str, Any]:
    invoice_id = state.store.new_id("customer_invoices")
    token = hashlib.sha256(invoice_id.encode()).hexdigest()[:12]
    invoice = {
        "id": invoice_id,
        "customerId": customer_id,
        "invoiceNumber": number,
        "issuedAt": issued_at.isoformat(),
        "dueAt": due_at.isoformat() if due_at else None,
        "currency": "EUR",
        "amount": money(amount),
        "paidAt": atom(paid_at.replace(tzinfo=AMSTERDAM)) if paid_at else None,
        "createdAt": atom(state.now()),
        "links": {
            "customer": customer_link(state, customer_id),
            "onlinePaymentLink": {
                "href": f"{state.site_root}/public-invoice/{invoice_id}/pay/{token}",
                "type": "text/html",
            },
        },
    }
    state.store.add("customer_invoices", invoice)
    state.license.count("invoices", state.month())
    deliver(state, "invoice-created", invoice)
    return invoice


async def list_customer_invoices(call: Call) -> Reply:
    """GET /customer-invoices (list-customer-invoices): paginated, oldest first."""
    state = call.state
    invoices = state.store.all("customer_invoices")
    return Reply(200, paginate(state, "/customer-invoices", invoices, call))


async def get_customer_invoice(call: Call) -> Reply:
    """GET /customer-invoices/{invoiceId} (get-customer-invoice): the invoice, or 404."""
    return Reply(200, _invoice(call))


def _invoice(call: Call) -> dict[str, Any]:
    return stored(call, "customer_invoices", "invoiceId", "Customer Invoice")


async def mark_customer_invoice_paid(call: Call) -> Reply:
    """PATCH /customer-invoices/{invoiceId} (mark-customer-invoice-paid), JSON.

    Required: paidAt (``YYYY-mm-dd HH:mm:ss``, portal local time, a real moment). Sets the
    invoice's ``paidAt``; marking a paid invoice paid again sets the new moment (so resending
    the same request changes nothing). 200 + the CustomerInvoice; 404; 422.
    """
    invoice = _invoice(call)
    body = await call.body()
    check = Validator(body.data)
    paid_at = check.datetime("paidAt", required=True)
    check.check()
    assert paid_at is not None
    invoice["paidAt"] = atom(paid_at.replace(tzinfo=AMSTERDAM))
    deliver(call.state, "invoice-paid", invoice)
    return Reply(200, invoice)


async def get_customer_invoice_pdf(call: Call) -> Reply:
    """GET /customer-invoices/{invoiceId}/pdf (get-customer-invoice-pdf): 200
    ``{"link", "expiresAt"}``, a storage link valid 5 minutes (``testing/storage.py``); 404.

    The link serves ``application/pdf``: the uploaded PDF's exact bytes when the portal holds
    them (``keep_files``, or a PDF of at most 1 KiB); else, and for a manual invoice (which has
    no upload), a small PDF the portal makes naming the invoice number, date and amount.
    """
    state = call.state
    invoice = _invoice(call)
    uploaded = state.store.files.get(invoice["id"])
    data = stored_bytes(uploaded) if uploaded is not None else None
    if data is None:
        detail = [
            f"Issued {invoice['issuedAt']}",
            f"Amount {invoice['currency']} {invoice['amount']}",
        ]
        if uploaded is not None:
            detail += [
                f"Stands in for the uploaded {uploaded.filename} ({uploaded.size} bytes),",
                f"sha256 {uploaded.sha256}:",
                "start the FakePortal with keep_files=True to serve its bytes.",
            ]
        data = stand_in_pdf(f"Invoice {invoice['invoiceNumber']}", detail)
    filename = uploaded.filename if uploaded is not None else f"{invoice['invoiceNumber']}.pdf"
    link = state.storage.link_for(data, filename=filename, content_type="application/pdf")
    return Reply(200, link)


HANDLERS: dict[str, Handler] = {
    "create-customer-invoice": create_customer_invoice,
    "create-manual-customer-invoice": create_manual_customer_invoice,
    "list-customer-invoices": list_customer_invoices,
    "get-customer-invoice": get_customer_invoice,
    "mark-customer-invoice-paid": mark_customer_invoice_paid,
    "get-customer-invoice-pdf": get_customer_invoice_pdf,
}
"""This module's handlers by operationId (``testing/routes.py`` joins them to the table)."""
