"""One example call per row of the operations table that the client implements (a row with a
``response`` model): the table-driven tests in ``tests/core/test_operations.py`` and
``tests/testing/test_client_errors.py`` run every check on every example.

An :class:`Example` says how to call the operation on a client, with what (the seed page's
request, as the docs show it), what the server answers (the seed page's response body) and what
must be on the wire. Adding an operation to the client is adding its row here; a test fails
while a row with a response model has none.

IDs an example refers to (a customer's for an invoice, the invoice's for a get) come from a
``given`` mapping, kind -> ID: the seed IDs on the wire (:data:`SEED_IDS`), the IDs of objects
created first (``needs``, by :data:`CREATES`, or by :data:`MADE_BY_THE_PORTAL` for a kind the
API cannot create) against a FakePortal.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, Awaitable, Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, cast

import attrs
import seed_examples as seed
from model_examples import PDF, SIGNATURE, agreement, customer, invoice, line, manual, offer, signer

from mijnklantportaal_async import (
    AgreementCreate,
    AgreementSignerCreate,
    AppointmentCreate,
    AppointmentStatus,
    CustomerCreate,
    CustomerInvoiceCreate,
    CustomerOfferCreate,
    CustomerUpdate,
    InvoiceLine,
    ManualCustomerInvoiceCreate,
    ManualCustomerOfferCreate,
    MijnKlantportaal,
    OfferLine,
    Upload,
)
from mijnklantportaal_async._core import operations as ops
from mijnklantportaal_async._core.operations import Operation, Returns
from mijnklantportaal_async.testing import FakePortal

Given = Mapping[str, str]
"""Kind (``"customers"``, as the FakePortal names its stores) -> the ID of such an object."""

TERMS = b"%PDF-1.7\nterms\n%%EOF\n"


def _no_args(given: Given) -> tuple[Any, ...]:
    return ()


@attrs.frozen
class Example:
    """One example call of a row.

    Attributes:
        operation: the row.
        method: the client method that calls it (``lambda mkp: mkp.customers.get``).
        args: its positional arguments for the IDs in ``given``: the path IDs in the order of
            the path, then the request model where the row has one.
        answer: the seed's 2xx body: the object itself, also for a list (wrapped in a one-page
            envelope or a ``{"data": [...]}`` list by :func:`answer_body`).
        json: the JSON body that must be on the wire (``Body.JSON`` rows).
        form: the text fields of the multipart body that must be on the wire, exactly.
        files: its file parts: field name -> (file name, content type, bytes).
        query: the query parameters that must be on the wire.
        needs: kinds a FakePortal must hold first (made by :data:`CREATES` or
            :data:`MADE_BY_THE_PORTAL`, in order).
        argument: for a method that takes one field of the row's request model as a value
            rather than the model (``mkp.appointments.change_status(appointment_id,
            status)``), that field's name: a wrong value there is refused naming it, where a
            wrong model is refused with a TypeError for the others.
    """

    operation: Operation[Any, Any]
    method: Callable[[MijnKlantportaal], Callable[..., Any]]
    args: Callable[[Given], tuple[Any, ...]] = _no_args
    answer: Mapping[str, Any] = attrs.Factory(dict)
    json: Any = None
    form: Mapping[str, str] | None = None
    files: Mapping[str, tuple[str, str, bytes]] = attrs.Factory(dict)
    query: Mapping[str, str] = attrs.Factory(dict)
    needs: tuple[str, ...] = ()
    argument: str | None = None

    @property
    def id(self) -> str:
        """The row's operationId (the pytest parameter ID)."""
        return self.operation.operation_id


SEED_IDS: Given = {
    "customers": seed.CUSTOMER["id"],
    "customer_invoices": seed.CUSTOMER_INVOICE["id"],
    "customer_offers": seed.CUSTOMER_OFFER["id"],
    "agreements": seed.AGREEMENT["id"],
    "appointments": "apt_abc12346def678",
    "tickets": "tic_abc12345def678",
}
"""The seed pages' IDs, which the seed answers carry (the spec's examples' for the kinds the
seed pages do not cover)."""


# -- Agreements API --------------------------------------------------------------------------

CREATE_AGREEMENT = Example(
    ops.CREATE_AGREEMENT,
    lambda mkp: mkp.agreements.create,
    lambda given: (
        AgreementCreate(
            **agreement(
                signers=[
                    AgreementSignerCreate(**signer()),
                    AgreementSignerCreate(
                        **signer(
                            first_name="Anna",
                            last_name="de Vries",
                            email="anna@domain.com",
                            should_identify=False,
                        )
                    ),
                ],
                documents=[
                    Upload(PDF, filename="Contract version_2.pdf"),
                    Upload(TERMS, filename="Terms.pdf"),
                ],
            )
        ),
    ),
    answer=seed.AGREEMENT,
    form={
        "name": "Service contract",
        "signerName": "John Doe",
        "signerSignatureData": SIGNATURE,
        "signers[0][firstName]": "Dirk Jan",
        "signers[0][lastName]": "Bakker",
        "signers[0][email]": "dj.bakker@domain.com",
        "signers[0][shouldIdentify]": "1",
        "signers[1][firstName]": "Anna",
        "signers[1][lastName]": "de Vries",
        "signers[1][email]": "anna@domain.com",
        "signers[1][shouldIdentify]": "0",
    },
    files={
        "documents[0]": ("Contract version_2.pdf", "application/pdf", PDF),
        "documents[1]": ("Terms.pdf", "application/pdf", TERMS),
    },
)
LIST_AGREEMENTS = Example(
    ops.LIST_AGREEMENTS,
    lambda mkp: mkp.agreements.list,
    answer=seed.AGREEMENT,
    needs=("agreements",),
)
GET_AGREEMENT = Example(
    ops.GET_AGREEMENT,
    lambda mkp: mkp.agreements.get,
    lambda given: (given["agreements"],),
    answer=seed.AGREEMENT,
    needs=("agreements",),
)

# -- Customers API ---------------------------------------------------------------------------

CREATE_CUSTOMER = Example(
    ops.CREATE_CUSTOMER,
    lambda mkp: mkp.customers.create,
    lambda given: (CustomerCreate(**customer(country_code="NL")),),
    answer=seed.CUSTOMER,
    json={
        "companyName": "Test Company BV",
        "address": "Teststreet 123",
        "zipCode": "1234AB",
        "city": "Amsterdam",
        "primaryEmail": "john.doe@test.com",
        "countryCode": "NL",
    },
)
EDIT_CUSTOMER = Example(
    ops.EDIT_CUSTOMER,
    lambda mkp: mkp.customers.update,
    lambda given: (given["customers"], CustomerUpdate(city="Utrecht", country_code="NL")),
    answer=seed.CUSTOMER,
    json={"city": "Utrecht", "countryCode": "NL"},
    needs=("customers",),
)
LIST_CUSTOMERS = Example(
    ops.LIST_CUSTOMERS,
    lambda mkp: mkp.customers.list,
    answer=seed.CUSTOMER,
    needs=("customers",),
)
GET_CUSTOMER = Example(
    ops.GET_CUSTOMER,
    lambda mkp: mkp.customers.get,
    lambda given: (given["customers"],),
    answer=seed.CUSTOMER,
    needs=("customers",),
)

# -- Customer Invoices API -------------------------------------------------------------------

CREATE_CUSTOMER_INVOICE = Example(
    ops.CREATE_CUSTOMER_INVOICE,
    lambda mkp: mkp.customer_invoices.create,
    lambda given: (
        CustomerInvoiceCreate(
            **invoice(
                customer_id=given["customers"],
                due_at=date(2024, 5, 28),
                paid_at=datetime(2024, 5, 11, 12, 59),
                send_notification=True,
                pdf=Upload(PDF, filename="2024-001.pdf"),
            )
        ),
    ),
    answer=seed.CUSTOMER_INVOICE,
    form={
        "customerId": seed.CUSTOMER["id"],
        "invoiceNumber": "2024-001",
        "issuedAt": "2024-04-29",
        "dueAt": "2024-05-28",
        "paidAt": "2024-05-11 12:59:00",
        "amount": "12.95",
        "sendNotification": "1",
    },
    files={"pdf": ("2024-001.pdf", "application/pdf", PDF)},
    needs=("customers",),
)
LIST_CUSTOMER_INVOICES = Example(
    ops.LIST_CUSTOMER_INVOICES,
    lambda mkp: mkp.customer_invoices.list,
    answer=seed.CUSTOMER_INVOICE,
    needs=("customer_invoices",),
)
GET_CUSTOMER_INVOICE = Example(
    ops.GET_CUSTOMER_INVOICE,
    lambda mkp: mkp.customer_invoices.get,
    lambda given: (given["customer_invoices"],),
    answer=seed.CUSTOMER_INVOICE,
    needs=("customer_invoices",),
)

# -- Customer Offers API ---------------------------------------------------------------------

CREATE_CUSTOMER_OFFER = Example(
    ops.CREATE_CUSTOMER_OFFER,
    lambda mkp: mkp.customer_offers.create,
    lambda given: (
        CustomerOfferCreate(
            **offer(
                customer_id=given["customers"],
                send_notification=True,
                accepted_at=datetime(2024, 5, 11, 12, 59),
                accepted_via_ip="123.45.67.89",
                accepted_via_user_agent="Mozilla/5.0 (X11; Linux x86_64)",
                pdf=Upload(PDF, filename="offerte 2024-001.pdf"),
            )
        ),
    ),
    answer=seed.CUSTOMER_OFFER,
    form={
        "customerId": seed.CUSTOMER["id"],
        "offerNumber": "2024-001",
        "issuedAt": "2024-04-29",
        "expiresAt": "2024-05-29",
        "amount": "12.95",
        "sendNotification": "1",
        "acceptedAt": "2024-05-11 12:59:00",
        "acceptedViaIp": "123.45.67.89",
        "acceptedViaUserAgent": "Mozilla/5.0 (X11; Linux x86_64)",
    },
    files={"pdf": ("offerte 2024-001.pdf", "application/pdf", PDF)},
    needs=("customers",),
)
CREATE_CUSTOMER_OFFER_MANUAL = Example(
    ops.CREATE_CUSTOMER_OFFER_MANUAL,
    lambda mkp: mkp.customer_offers.create_manual,
    lambda given: (
        ManualCustomerOfferCreate(
            **manual(
                customer_id=given["customers"],
                offer_number="2014-001",
                issued_at=date(2025, 4, 14),
                expires_at=date(2025, 4, 30),
                send_notification=False,
                lines=[
                    OfferLine(**line()),
                    OfferLine(description="Advies", amount_excl_vat=Decimal("100"), vat_rate=0),
                ],
            )
        ),
    ),
    answer=seed.CUSTOMER_OFFER,
    json={
        "customerId": seed.CUSTOMER["id"],
        "offerNumber": "2014-001",
        "issuedAt": "2025-04-14",
        "expiresAt": "2025-04-30",
        "sendNotification": False,
        "lines": [
            {"description": "Website template", "amountExclVat": "12.95", "vatRate": 21},
            {"description": "Advies", "amountExclVat": "100.00", "vatRate": 0},
        ],
    },
    needs=("customers",),
)
CREATE_MANUAL_CUSTOMER_INVOICE = Example(
    ops.CREATE_MANUAL_CUSTOMER_INVOICE,
    lambda mkp: mkp.customer_invoices.create_manual,
    lambda given: (
        ManualCustomerInvoiceCreate(
            customer_id=given["customers"],
            invoice_number="2015-001",
            issued_at=date(2025, 4, 14),
            due_at=date(2025, 5, 14),
            lines=[InvoiceLine(**line())],
        ),
    ),
    answer=seed.CUSTOMER_INVOICE,
    json={
        "customerId": seed.CUSTOMER["id"],
        "invoiceNumber": "2015-001",
        "issuedAt": "2025-04-14",
        "dueAt": "2025-05-14",
        "lines": [{"description": "Website template", "amountExclVat": "12.95", "vatRate": 21}],
    },
    needs=("customers",),
)
LIST_CUSTOMER_OFFERS = Example(
    ops.LIST_CUSTOMER_OFFERS,
    lambda mkp: mkp.customer_offers.list,
    answer=seed.CUSTOMER_OFFER,
    needs=("customer_offers",),
)
GET_CUSTOMER_OFFER = Example(
    ops.GET_CUSTOMER_OFFER,
    lambda mkp: mkp.customer_offers.get,
    lambda given: (given["customer_offers"],),
    answer=seed.CUSTOMER_OFFER,
    needs=("customer_offers",),
)

# -- Appointments API ------------------------------------------------------------------------

APPOINTMENT = {
    "id": "apt_abc12346def678",
    "customerId": "cst_abc12345def678",
    "attendeeName": "John Doe",
    "attendeeEmail": "john.doe@example.com",
    "startsAt": "2025-03-05T16:00:00+02:00",
    "endsAt": "2025-03-05T16:30:00+02:00",
    "status": "scheduled",
    "onlineMeetingLink": "https://meet.google.com/abc-123",
    "createdAt": "2025-03-04T17:23:14+02:00",
}
"""The spec's Appointment example (the docs have no seed page for appointments)."""

LIST_APPOINTMENTS = Example(
    ops.LIST_APPOINTMENTS,
    lambda mkp: mkp.appointments.list,
    lambda given: (datetime(2025, 3, 5, 14, 30), 14),
    answer=APPOINTMENT,
    query={"start_at": "2025-03-05 14:30", "days": "14"},
    needs=("appointments",),
    argument="start_at",
)
SCHEDULE_APPOINTMENT = Example(
    ops.SCHEDULE_APPOINTMENT,
    lambda mkp: mkp.appointments.schedule,
    lambda given: (
        AppointmentCreate(
            name="Contract extension",
            starts_at=datetime(2025, 3, 5, 14, 30),
            ends_at=datetime(2025, 3, 5, 16, 0),
            customer_id=given["customers"],
        ),
    ),
    answer=APPOINTMENT,
    json={
        "name": "Contract extension",
        "startsAt": "2025-03-05 14:30",
        "endsAt": "2025-03-05 16:00",
        "customerId": seed.CUSTOMER["id"],
    },
    needs=("customers",),
)
GET_APPOINTMENT = Example(
    ops.GET_APPOINTMENT,
    lambda mkp: mkp.appointments.get,
    lambda given: (given["appointments"],),
    answer=APPOINTMENT,
    needs=("appointments",),
)
CHANGE_APPOINTMENT_STATUS = Example(
    ops.CHANGE_APPOINTMENT_STATUS,
    lambda mkp: mkp.appointments.change_status,
    lambda given: (given["appointments"], AppointmentStatus.CANCELED),
    answer={**APPOINTMENT, "status": "canceled"},
    json={"status": "canceled"},
    needs=("appointments",),
    argument="status",
)

# -- Tickets API -----------------------------------------------------------------------------

TICKET_LISTED = {
    "id": "tic_abc12345def678",
    "customerId": "cst_abc12354678",
    "title": "Invoice issue",
    "source": "portal",
    "status": "open",
    "createdAt": "2024-04-29T21:00:00+02:00",
}
"""The spec's Ticket example: a list item, without messages."""
TICKET = {
    **TICKET_LISTED,
    "messages": [
        {
            "id": "tim_abc12345def678",
            "postedBy": "John Appleseed",
            "isPostedByCustomer": True,
            "message": "<p>Hello, help me with my invoice please</p>",
            "postedAt": "2024-04-29T21:00:00+02:00",
            "attachments": [
                {
                    "id": "tma_abc12345def678",
                    "name": "Screenshot.png",
                    "size": 1256,
                    "mime": "image/png",
                }
            ],
        }
    ],
}
"""The spec's TicketWithMessages example."""

LIST_TICKETS = Example(
    ops.LIST_TICKETS,
    lambda mkp: mkp.tickets.list,
    answer=TICKET_LISTED,
    needs=("tickets",),
)
GET_TICKET = Example(
    ops.GET_TICKET,
    lambda mkp: mkp.tickets.get,
    lambda given: (given["tickets"],),
    answer=TICKET,
    needs=("tickets",),
)
ADD_TICKET_MESSAGE = Example(
    ops.ADD_TICKET_MESSAGE,
    lambda mkp: mkp.tickets.reply,
    lambda given: (given["tickets"], "<p>We will look into it!</p>"),
    answer=TICKET,
    json={"message": "<p>We will look into it!</p>"},
    needs=("tickets",),
    argument="message",
)
CLOSE_TICKET = Example(
    ops.CLOSE_TICKET,
    lambda mkp: mkp.tickets.close,
    lambda given: (given["tickets"],),
    answer={**TICKET, "status": "closed"},
    needs=("tickets",),
)


EXAMPLES: tuple[Example, ...] = tuple(
    value for value in list(globals().values()) if isinstance(value, Example)
)
"""Every example above."""

CREATES: Mapping[str, Example] = {
    "customers": CREATE_CUSTOMER,
    "customer_invoices": CREATE_CUSTOMER_INVOICE,
    "customer_offers": CREATE_CUSTOMER_OFFER,
    "agreements": CREATE_AGREEMENT,
    "appointments": SCHEDULE_APPOINTMENT,
}
"""How to make an object of each kind an example ``needs``."""

MADE_BY_THE_PORTAL: Mapping[str, Callable[[FakePortal], str]] = {
    "tickets": lambda portal: str(
        portal.add_ticket(title="Invoice issue", message="<p>Hello, help me please</p>")["id"]
    ),
}
"""Kinds the API has no create operation for (customers open tickets): how a FakePortal gets
one, returning its ID."""


# -- running an example ----------------------------------------------------------------------


def split(example: Example, args: tuple[Any, ...]) -> tuple[tuple[Any, ...], Any]:
    """``args`` as (the path IDs, the request model or None)."""
    count = len(example.operation.path_params)
    ids, rest = args[:count], args[count:]
    return ids, (rest[0] if rest else None)


async def call(example: Example, mkp: MijnKlantportaal, *args: Any) -> Any:
    """Call ``example``'s method with ``args`` and return what it gives: the response model,
    a tuple of them for a ``{"data": [...]}`` list, a list of the items of every page for a
    paginated list (all fetched)."""
    result = example.method(mkp)(*args)
    if example.operation.returns is Returns.PAGE:
        return [item async for item in cast(AsyncIterable[Any], result)]
    return await cast(Awaitable[Any], result)


def answer_body(example: Example, base_url: str = "https://api.mijnklantportaal.nl/v1") -> Any:
    """The 2xx body a server sends for ``example``: its answer, in a one-page Laravel envelope
    for a paginated list or a ``{"data": [...]}`` list."""
    returns = example.operation.returns
    if returns is Returns.DATA_LIST:
        return {"data": [example.answer]}
    if returns is not Returns.PAGE:
        return example.answer
    operation = example.operation
    path = base_url + operation.fill({name: name for name in operation.path_params})
    return {
        "current_page": 1,
        "data": [example.answer],
        "first_page_url": f"{path}?page=1",
        "from": 1,
        "next_page_url": None,
        "path": path,
        "per_page": 15,
        "prev_page_url": None,
        "to": 1,
    }


async def make(
    kind: str, mkp: MijnKlantportaal, given: dict[str, str], portal: FakePortal | None = None
) -> None:
    """Create an object of ``kind`` through ``mkp`` (first what it needs) and add its ID to
    ``given``; a kind already in ``given`` is left as it is. A kind of
    :data:`MADE_BY_THE_PORTAL` is stored on ``portal``, the FakePortal ``mkp`` is bound to."""
    if kind in given:
        return
    if kind in MADE_BY_THE_PORTAL:
        assert portal is not None, f"{kind} are made by the FakePortal: pass it to make()"
        given[kind] = MADE_BY_THE_PORTAL[kind](portal)
        return
    example = CREATES[kind]
    for needed in example.needs:
        await make(needed, mkp, given)
    created = await call(example, mkp, *example.args(given))
    given[kind] = created.id
