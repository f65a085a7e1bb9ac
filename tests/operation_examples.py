"""One example call per row of the operations table that the client implements (a row with a
``response`` model): the table-driven tests in ``tests/core/test_operations.py`` and
``tests/testing/test_client_errors.py`` run every check on every example.

An :class:`Example` says how to call the operation on a client, with what (the seed page's
request, as the docs show it), what the server answers (the seed page's response body) and what
must be on the wire. Adding an operation to the client is adding its row here; a test fails
while a row with a response model has none.

IDs an example refers to (a customer's for an invoice, the invoice's for a get) come from a
``given`` mapping, kind -> ID: the seed IDs on the wire (:data:`SEED_IDS`), the IDs of objects
created first (``needs``, by :data:`CREATES`; a part made with its whole, like an agreement's
document, by :data:`PARTS`) against a FakePortal.

A download row (``Returns.DOWNLOAD``) is called through its ``download_*`` method with ``to=`` a
temporary path (:func:`call` returns the bytes written). Its example names no ``answer``: the
answer is a link (:func:`answer_body`) to the server that answered, on a wire test the
recording server itself, which then serves ``download``; against a FakePortal, ``download`` is
what the objects made for ``needs`` must serve. For example::

    GET_CUSTOMER_INVOICE_PDF = Example(
        ops.GET_CUSTOMER_INVOICE_PDF,
        lambda mkp: mkp.customer_invoices.download_pdf,
        lambda given: (given["customer_invoices"],),
        download=PDF,
        needs=("customer_invoices",),
    )
"""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterable, Awaitable, Callable, Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
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
    CustomerGroupCreate,
    CustomerGroupUpdate,
    CustomerInvoiceCreate,
    CustomerOfferCreate,
    CustomerSubscriptionCreate,
    CustomerSubscriptionPackageCreate,
    CustomerSubscriptionPackageSignUp,
    CustomerSubscriptionPackageUpdate,
    CustomerSubscriptionUpdate,
    CustomerUpdate,
    ExpiryPeriod,
    FileRequestCreate,
    FileShareCreate,
    FileUpload,
    InvoiceLine,
    IssuedPunchCardCreate,
    ManualCustomerInvoiceCreate,
    ManualCustomerOfferCreate,
    MijnKlantportaal,
    OfferLine,
    PaymentLinkCreate,
    PunchCardCreate,
    PunchCardStamp,
    PunchCardUpdate,
    RequestedFileCreate,
    SubscriptionInterval,
    Upload,
    WebhookCreate,
    WebhookType,
)
from mijnklantportaal_async._core import operations as ops
from mijnklantportaal_async._core.operations import Operation, Returns
from mijnklantportaal_async.testing import FakePortal
from mijnklantportaal_async.testing.handlers.payment_links import record_payment

Given = Mapping[str, str]
"""Kind (``"customers"``, as the FakePortal names its stores) -> the ID of such an object."""

TERMS = b"%PDF-1.7\nterms\n%%EOF\n"
SUBSCRIPTION_ID = "sub__abc12345def678"  # the docs' examples: two underscores
PACKAGE_ID = "spg_abc12345def678"


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
        download: a download row's file: what its link serves (see the module docstring).
        needs: kinds a FakePortal must hold first (made by :data:`CREATES` or
            :data:`SEEDS`, in order).
        value_of: for a method that takes one field of the row's request model as a value
            rather than the model (``mkp.appointments.change_status(appointment_id,
            status)``), that field's name: a wrong value there is refused naming it, where a
            wrong model is refused with a TypeError for the others.
        argument, takes: for a method that takes plain values and builds the row's request
            model itself (``add_customers(group_id, [ids])``): the parameter's name and what
            its TypeError says it takes (``"a list of customer IDs"``); None: the model.
        keywords: the method takes the request model's fields as keyword arguments
            (``mkp.punch_cards.issue(card_id, customer_id=...)``), not the model: :func:`call`
            passes them so (:func:`keywords_of`).
    """

    operation: Operation[Any, Any]
    method: Callable[[MijnKlantportaal], Callable[..., Any]]
    args: Callable[[Given], tuple[Any, ...]] = _no_args
    answer: Mapping[str, Any] = attrs.Factory(dict)
    json: Any = None
    form: Mapping[str, str] | None = None
    files: Mapping[str, tuple[str, str, bytes]] = attrs.Factory(dict)
    query: Mapping[str, str] = attrs.Factory(dict)
    download: bytes | None = None
    needs: tuple[str, ...] = ()
    argument: str = "data"
    takes: str | None = None
    value_of: str | None = None
    keywords: bool = False

    @property
    def id(self) -> str:
        """The row's operationId (the pytest parameter ID)."""
        return self.operation.operation_id


SEED_IDS: Given = {
    "customers": seed.CUSTOMER["id"],
    "agreement_documents": seed.AGREEMENT["documents"][0]["id"],
    "customer_invoices": seed.CUSTOMER_INVOICE["id"],
    "customer_offers": seed.CUSTOMER_OFFER["id"],
    "agreements": seed.AGREEMENT["id"],
    "customer_groups": "cug_abc12345def678",  # the spec's example: no seed page has a group
    "customer_subscriptions": SUBSCRIPTION_ID,
    "customer_subscription_packages": PACKAGE_ID,
    "punch_cards": "pcd_abc12345def678",
    "issued_punch_cards": "pcb_abc12345def678",
    "directories": "fsd_abc12345678",
    "stored_files": "fsf_abc12345678",
    "file_requests": "frq_abc12345678",
    "payment_links": "plk_abc12345def678",
    "mijnklantportaal_invoices": "fac_abc12345def678",
    "appointments": "apt_abc12346def678",
    "tickets": "tic_abc12345def678",
    "webhooks": "wbh_abc12345def678",
}
"""The seed pages' IDs, which the seed answers carry (the other kinds': the spec's examples)."""


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


# -- Customer Groups API --------------------------------------------------------------------

CUSTOMER_GROUP: Mapping[str, Any] = {
    "id": SEED_IDS["customer_groups"],
    "name": "Webhosting customers",
    "createdAt": "2025-07-27T14:42:00+02:00",
}
"""A CustomerGroup as the spec's examples show it (no seed page covers the groups)."""

LIST_CUSTOMER_GROUPS = Example(
    ops.LIST_CUSTOMER_GROUPS,
    lambda mkp: mkp.customer_groups.list,
    answer=CUSTOMER_GROUP,
    needs=("customer_groups",),
)
CREATE_CUSTOMER_GROUP = Example(
    ops.CREATE_CUSTOMER_GROUP,
    lambda mkp: mkp.customer_groups.create,
    # without customers: the group add-customers' example fills (tests/resources/
    # test_customer_groups.py sends them on create)
    lambda given: (CustomerGroupCreate(name="Webhosting customers"),),
    answer=CUSTOMER_GROUP,
    json={"name": "Webhosting customers"},
)
GET_CUSTOMER_GROUP = Example(
    ops.GET_CUSTOMER_GROUP,
    lambda mkp: mkp.customer_groups.get,
    lambda given: (given["customer_groups"],),
    answer=CUSTOMER_GROUP,
    needs=("customer_groups",),
)
EDIT_CUSTOMER_GROUP = Example(
    ops.EDIT_CUSTOMER_GROUP,
    lambda mkp: mkp.customer_groups.update,
    lambda given: (given["customer_groups"], CustomerGroupUpdate(name="Hosting customers")),
    answer=CUSTOMER_GROUP,
    json={"name": "Hosting customers"},
    needs=("customer_groups",),
)
ADD_CUSTOMERS_TO_CUSTOMER_GROUP = Example(
    ops.ADD_CUSTOMERS_TO_CUSTOMER_GROUP,
    lambda mkp: mkp.customer_groups.add_customers,
    lambda given: (given["customer_groups"], [given["customers"]]),
    answer=seed.CUSTOMER,
    json={"customers": [seed.CUSTOMER["id"]]},
    needs=("customers", "customer_groups"),
    argument="customers",
    takes="a list of customer IDs",
)


# -- Customer Subscriptions API --------------------------------------------------------------

SUBSCRIPTION: dict[str, Any] = {
    "id": SUBSCRIPTION_ID,
    "customerId": seed.CUSTOMER["id"],
    "description": "Website maintenance contract",
    "startsAt": "2024-04-29",
    "interval": "1 year",
    "renewsAt": "2025-04-29",
    "currency": "EUR",
    "amount": "12.95",
    "vatRate": 21,
    "status": "in_progress",
    "options": {
        "createInvoice": True,
        "createPayment": True,
        "invoiceDescription": "Extending subscription",
        "paymentIntegration": "mollie",
        "paymentIntegrationMandateId": "mdt_123abc",
        "followUpFailedPayment": True,
    },
    "terminatedAt": None,
    "createdAt": "2024-04-29T21:00:00+02:00",
}
"""The spec's CustomerSubscription example (no seed page covers subscriptions)."""

CREATE_CUSTOMER_SUBSCRIPTION = Example(
    ops.CREATE_CUSTOMER_SUBSCRIPTION,
    lambda mkp: mkp.customer_subscriptions.create,
    lambda given: (
        CustomerSubscriptionCreate(
            customer_id=given["customers"],
            description="Contribution costs",
            start_date=date(2024, 5, 4),
            interval=SubscriptionInterval.ONE_YEAR,
            amount=Decimal("12.95"),
            vat_rate=21,
            create_invoice=True,
            create_payment=True,
            invoice_description="Extending subscription",
            payment_integration_mandate_id="mdt_123abc",
            follow_up_failed_payment=True,
        ),
    ),
    answer=SUBSCRIPTION,
    json={
        "customerId": seed.CUSTOMER["id"],
        "description": "Contribution costs",
        "startDate": "2024-05-04",
        "interval": "1 year",
        "amount": "12.95",
        "vatRate": 21,
        "createInvoice": True,
        "createPayment": True,
        "invoiceDescription": "Extending subscription",
        "paymentIntegrationMandateId": "mdt_123abc",
        "followUpFailedPayment": True,
    },
    needs=("customers",),
)
LIST_CUSTOMER_SUBSCRIPTIONS = Example(
    ops.LIST_CUSTOMER_SUBSCRIPTIONS,
    lambda mkp: mkp.customer_subscriptions.list,
    answer=SUBSCRIPTION,
    needs=("customer_subscriptions",),
)
GET_CUSTOMER_SUBSCRIPTION = Example(
    ops.GET_CUSTOMER_SUBSCRIPTION,
    lambda mkp: mkp.customer_subscriptions.get,
    lambda given: (given["customer_subscriptions"],),
    answer=SUBSCRIPTION,
    needs=("customer_subscriptions",),
)
CHANGE_CUSTOMER_SUBSCRIPTION = Example(
    ops.CHANGE_CUSTOMER_SUBSCRIPTION,
    lambda mkp: mkp.customer_subscriptions.update,
    lambda given: (
        given["customer_subscriptions"],
        CustomerSubscriptionUpdate(amount="14.95", terminated_at=datetime(2024, 7, 4, 22, 1)),
    ),
    answer=SUBSCRIPTION | {"amount": "14.95", "terminatedAt": "2024-07-04T22:01:00+02:00"},
    json={"amount": "14.95", "terminatedAt": "2024-07-04 22:01:00"},
    needs=("customer_subscriptions",),
)

# -- Customer Subscription Packages API ------------------------------------------------------

PACKAGE: dict[str, Any] = {
    "id": PACKAGE_ID,
    "name": "Phone subscription",
    "description": "1GB per month, 300min per month",
    "interval": "1 month",
    "currency": "EUR",
    "amount": "12.95",
    "vatRate": 21,
    "availableForSale": True,
}
"""The spec's CustomerSubscriptionPackage example (``interval`` another of the values)."""

CREATE_CUSTOMER_SUBSCRIPTION_PACKAGE = Example(
    ops.CREATE_CUSTOMER_SUBSCRIPTION_PACKAGE,
    lambda mkp: mkp.customer_subscription_packages.create,
    lambda given: (
        CustomerSubscriptionPackageCreate(
            name="Phone subscription",
            description="1GB per month, 300min per month",
            interval="1 month",
            amount="12.95",
            vat_rate=21,
            available_for_sale=True,
        ),
    ),
    answer=PACKAGE,
    json={
        "name": "Phone subscription",
        "interval": "1 month",
        "amount": "12.95",
        "vatRate": 21,
        "description": "1GB per month, 300min per month",
        "availableForSale": True,
    },
)
LIST_CUSTOMER_SUBSCRIPTION_PACKAGES = Example(
    ops.LIST_CUSTOMER_SUBSCRIPTION_PACKAGES,
    lambda mkp: mkp.customer_subscription_packages.list,
    answer=PACKAGE,
    needs=("customer_subscription_packages",),
)
GET_CUSTOMER_SUBSCRIPTION_PACKAGE = Example(
    ops.GET_CUSTOMER_SUBSCRIPTION_PACKAGE,
    lambda mkp: mkp.customer_subscription_packages.get,
    lambda given: (given["customer_subscription_packages"],),
    answer=PACKAGE,
    needs=("customer_subscription_packages",),
)
CHANGE_CUSTOMER_SUBSCRIPTION_PACKAGE = Example(
    ops.CHANGE_CUSTOMER_SUBSCRIPTION_PACKAGE,
    lambda mkp: mkp.customer_subscription_packages.update,
    lambda given: (
        given["customer_subscription_packages"],
        CustomerSubscriptionPackageUpdate(amount=Decimal("9.95"), available_for_sale=False),
    ),
    answer=PACKAGE | {"amount": "9.95", "availableForSale": False},
    json={"amount": "9.95", "availableForSale": False},
    needs=("customer_subscription_packages",),
)
SIGN_UP_CUSTOMER_SUBSCRIPTION_PACKAGE = Example(
    ops.SIGN_UP_CUSTOMER_SUBSCRIPTION_PACKAGE,
    lambda mkp: mkp.customer_subscription_packages.sign_up,
    lambda given: (
        given["customer_subscription_packages"],
        CustomerSubscriptionPackageSignUp(
            customer_id=given["customers"],
            start_date=date(2024, 5, 4),
            mandate_id="mdt_abc12345def678",
            create_invoice=True,
        ),
    ),
    answer=SUBSCRIPTION,
    json={
        "customerId": seed.CUSTOMER["id"],
        "startDate": "2024-05-04",
        "mandateId": "mdt_abc12345def678",
        "createInvoice": True,
    },
    needs=("customers", "customer_subscription_packages"),
)


# -- Punch Cards API -------------------------------------------------------------------------

PUNCH_CARD: dict[str, Any] = {
    "id": SEED_IDS["punch_cards"],
    "name": "Driving lessons",
    "description": "Lessons in a BMW, Mon-Fri 09AM-05PM",
    "punches": 20,
    "punchLabel": "lessons",
    "forSale": True,
    "price": "229.95",
    "vatRate": 21,
    "expiryValue": 3,
    "expiryPeriode": "years",
    "createdAt": "2025-11-19T21:00:00+02:00",
}
"""A PunchCard as the spec's examples show it (no seed page covers punch cards)."""
ISSUED_PUNCH_CARD: dict[str, Any] = {
    "id": SEED_IDS["issued_punch_cards"],
    "punchCardId": SEED_IDS["punch_cards"],
    "customerId": SEED_IDS["customers"],
    "punchesLeft": 17,
    "status": "active",
    "expiresAt": "2028-11-19T21:00:00+02:00",
    "issuedAt": "2025-11-19T21:00:00+02:00",
}
"""A PunchCardBought as the spec's examples show it."""

CREATE_PUNCH_CARD = Example(
    ops.CREATE_PUNCH_CARD,
    lambda mkp: mkp.punch_cards.create,
    lambda given: (
        PunchCardCreate(
            name="Driving lessons",
            punches=20,
            punch_label="lessons",
            description="Lessons in a BMW, Mon-Fri 09AM-05PM",
            for_sale=True,
            price="229.95",
            vat_rate=21,
            expiry_value=3,
            expire_period=ExpiryPeriod.YEARS,
        ),
    ),
    answer=PUNCH_CARD,
    json={
        "name": "Driving lessons",
        "punches": 20,
        "punchLabel": "lessons",
        "description": "Lessons in a BMW, Mon-Fri 09AM-05PM",
        "forSale": True,
        "price": "229.95",
        "vatRate": 21,
        "expiryValue": "3",
        "expirePeriod": "years",
    },
)
LIST_PUNCH_CARDS = Example(
    ops.LIST_PUNCH_CARDS,
    lambda mkp: mkp.punch_cards.list,
    answer=PUNCH_CARD,
    needs=("punch_cards",),
)
GET_PUNCH_CARD = Example(
    ops.GET_PUNCH_CARD,
    lambda mkp: mkp.punch_cards.get,
    lambda given: (given["punch_cards"],),
    answer=PUNCH_CARD,
    needs=("punch_cards",),
)
EDIT_PUNCH_CARD = Example(
    ops.EDIT_PUNCH_CARD,
    lambda mkp: mkp.punch_cards.update,
    lambda given: (
        given["punch_cards"],
        PunchCardUpdate(for_sale=True, price="199.95", vat_rate=9),
    ),
    answer=PUNCH_CARD,
    json={"forSale": True, "price": "199.95", "vatRate": 9},
    needs=("punch_cards",),
)
LIST_BOUGHT_PUNCH_CARDS = Example(
    ops.LIST_BOUGHT_PUNCH_CARDS,
    lambda mkp: mkp.punch_cards.list_issued,
    lambda given: (given["punch_cards"],),
    answer=ISSUED_PUNCH_CARD,
    needs=("issued_punch_cards",),
)
ISSUE_NEW_PUNCH_CARD = Example(
    ops.ISSUE_NEW_PUNCH_CARD,
    lambda mkp: mkp.punch_cards.issue,
    lambda given: (
        given["punch_cards"],
        IssuedPunchCardCreate(customer_id=given["customers"]),
    ),
    answer=ISSUED_PUNCH_CARD,
    json={"customerId": SEED_IDS["customers"]},
    needs=("punch_cards", "customers"),
    keywords=True,
)
GET_BOUGHT_PUNCH_CARD = Example(
    ops.GET_BOUGHT_PUNCH_CARD,
    lambda mkp: mkp.punch_cards.get_issued,
    lambda given: (given["punch_cards"], given["issued_punch_cards"]),
    answer=ISSUED_PUNCH_CARD,
    needs=("issued_punch_cards",),
)
STAMP_ISSUED_PUNCH_CARD = Example(
    ops.STAMP_ISSUED_PUNCH_CARD,
    lambda mkp: mkp.punch_cards.stamp,
    lambda given: (
        given["punch_cards"],
        given["issued_punch_cards"],
        PunchCardStamp(stamps=1),
    ),
    answer=ISSUED_PUNCH_CARD,
    json={"stamps": 1},
    needs=("issued_punch_cards",),
    keywords=True,
)


# -- Files API, File Request API, File Share API ----------------------------------------------
# No seed page covers them: the answers are the merged spec's examples.

STORED_FILE: dict[str, Any] = {
    "id": SEED_IDS["stored_files"],
    "type": "file",
    "name": "contract_v2.pdf",
    "size": 1284,
    "mime": "application/pdf",
    "fileShareId": "fss_abc12345678",
    "createdAt": "2024-04-29T21:00:00+02:00",
}
FILE_REQUEST: dict[str, Any] = {
    "id": SEED_IDS["file_requests"],
    "name": "Contract renewal",
    "description": "We need these files to complete your contract renewal",
    "directoryId": SEED_IDS["directories"],
    "customerId": seed.CUSTOMER["id"],
    "requestedFiles": [
        {
            "id": "fqf_abc123456789",
            "name": "Logo",
            "description": "The logo we should put on your website",
            "required": True,
            "maxFileSize": 10240,
        }
    ],
    "completedAt": None,
    "createdAt": "2024-04-29T21:00:00+02:00",
    "links": {"customer": seed.CUSTOMER_INVOICE["links"]["customer"]},
}
FILE_SHARE: dict[str, Any] = {
    "id": "fss_abc12345678",
    "sharedWithCustomerId": seed.CUSTOMER["id"],
    "sharedContent": [STORED_FILE],
    "createdAt": "2024-04-29T21:00:00+02:00",
    "links": {"customer": seed.CUSTOMER_INVOICE["links"]["customer"]},
}

POST_FILES = Example(
    ops.POST_FILES,
    lambda mkp: mkp.files.upload,
    lambda given: (
        FileUpload(file=Upload(PDF, filename="contract_v2.pdf"), directory=given["directories"]),
    ),
    answer=STORED_FILE,
    form={},
    files={"file": ("contract_v2.pdf", "application/pdf", PDF)},
    query={"directory": SEED_IDS["directories"]},
    needs=("directories",),
)
GET_FILE = Example(
    ops.GET_FILE,
    lambda mkp: mkp.files.get,
    lambda given: (given["stored_files"],),
    answer=STORED_FILE,
    needs=("stored_files",),
)
DOWNLOAD_FILE = Example(
    ops.DOWNLOAD_FILE,
    lambda mkp: mkp.files.download,
    lambda given: (given["stored_files"],),
    download=PDF,  # what POST_FILES uploads
    needs=("stored_files",),
)
CREATE_FILE_REQUEST = Example(
    ops.CREATE_FILE_REQUEST,
    lambda mkp: mkp.file_requests.create,
    lambda given: (
        FileRequestCreate(
            name="Contract renewal",
            requested_files=[
                RequestedFileCreate(
                    name="Logo",
                    description="The logo we should put on your website",
                    required=True,
                    max_file_size=10240,
                )
            ],
            description="We need these files to complete your contract renewal",
            customer_id=given["customers"],
            directory_id=given["directories"],
        ),
    ),
    answer=FILE_REQUEST,
    json={
        "name": "Contract renewal",
        "requestedFiles": [
            {
                "name": "Logo",
                "description": "The logo we should put on your website",
                "required": True,
                "maxFileSize": 10240,
            }
        ],
        "description": "We need these files to complete your contract renewal",
        "customerId": seed.CUSTOMER["id"],
        "directoryId": SEED_IDS["directories"],
    },
    needs=("customers", "directories"),
)
LIST_FILE_REQUESTS = Example(
    ops.LIST_FILE_REQUESTS,
    lambda mkp: mkp.file_requests.list,
    answer=FILE_REQUEST,
    needs=("file_requests",),
)
GET_FILE_REQUEST = Example(
    ops.GET_FILE_REQUEST,
    lambda mkp: mkp.file_requests.get,
    lambda given: (given["file_requests"],),
    answer=FILE_REQUEST,
    needs=("file_requests",),
)
CREATE_FILE_SHARE = Example(
    ops.CREATE_FILE_SHARE,
    lambda mkp: mkp.file_shares.create,
    lambda given: (
        FileShareCreate(
            content=[given["directories"], given["stored_files"]],
            customer_id=given["customers"],
        ),
    ),
    answer=FILE_SHARE,
    json={
        "content": [SEED_IDS["directories"], SEED_IDS["stored_files"]],
        "customerId": seed.CUSTOMER["id"],
    },
    needs=("customers", "directories", "stored_files"),
)
LIST_FILE_SHARES = Example(
    ops.LIST_FILE_SHARES,
    lambda mkp: mkp.file_shares.list,
    answer=FILE_SHARE,
    needs=("file_shares",),
)


# -- Customer Invoices, Customer Offers and Agreements API: marks and downloads --------------

MARK_CUSTOMER_INVOICE_PAID = Example(
    ops.MARK_CUSTOMER_INVOICE_PAID,
    lambda mkp: mkp.customer_invoices.mark_paid,
    # not CREATE_CUSTOMER_INVOICE's paidAt: the change must show in the portal's state
    lambda given: (given["customer_invoices"], datetime(2024, 5, 12, 14, 0)),
    answer=seed.CUSTOMER_INVOICE,
    json={"paidAt": "2024-05-12 14:00:00"},
    needs=("customer_invoices",),
)
GET_CUSTOMER_INVOICE_PDF = Example(
    ops.GET_CUSTOMER_INVOICE_PDF,
    lambda mkp: mkp.customer_invoices.download_pdf,
    lambda given: (given["customer_invoices"],),
    download=PDF,  # CREATE_CUSTOMER_INVOICE's pdf
    needs=("customer_invoices",),
)
MARK_CUSTOMER_OFFER_ACCEPTED_OR_REJECTED = Example(
    ops.MARK_CUSTOMER_OFFER_ACCEPTED_OR_REJECTED,
    lambda mkp: mkp.customer_offers.mark_accepted,
    # CREATE_CUSTOMER_OFFER's offer is accepted: accepting it again at another moment changes it
    lambda given: (given["customer_offers"], "2024-05-12 09:30:00"),
    answer=seed.CUSTOMER_OFFER,
    json={"acceptedAt": "2024-05-12 09:30:00"},
    needs=("customer_offers",),
)
DOWNLOAD_AGREEMENT_DOCUMENT = Example(
    ops.DOWNLOAD_AGREEMENT_DOCUMENT,
    lambda mkp: mkp.agreements.download_document,
    lambda given: (given["agreements"], given["agreement_documents"]),
    download=PDF,  # CREATE_AGREEMENT's first document
    needs=("agreement_documents",),
)

# -- Payment Links API -----------------------------------------------------------------------

PAYMENT_LINK: dict[str, Any] = {
    "id": "plk_abc12345def678",
    "description": "Contribution costs",
    "currency": "EUR",
    "amount": "12.95",
    "reusable": True,
    "expiresAt": "2024-05-14T21:00:00+02:00",
    "status": "open",
    "checkoutUrl": "https://demo.mijnklantportaal.nl/payment-link/plk_abc12345def678",
    "createdAt": "2024-04-29T21:00:00+02:00",
}
"""The spec's PaymentLink example (no seed page covers payment links)."""

PAYMENT_LINK_PAYMENT: dict[str, Any] = {
    "id": "plp_abc12345def678",
    "paymentLinkId": "plk_abc12345def678",
    "currency": "EUR",
    "amount": "12.95",
    "status": "paid",
    "payersName": "John Doe",
    "integration": "mollie",
    "integrationId": "tr_123abc",
    "createdAt": "2024-04-29T21:00:00+02:00",
}
"""The spec's PaymentLinkPayment example."""

LIST_PAYMENT_LINKS = Example(
    ops.LIST_PAYMENT_LINKS,
    lambda mkp: mkp.payment_links.list,
    answer=PAYMENT_LINK,
    needs=("payment_links",),
)
CREATE_PAYMENT_LINK = Example(
    ops.CREATE_PAYMENT_LINK,
    lambda mkp: mkp.payment_links.create,
    lambda given: (
        PaymentLinkCreate(
            description="Contribution costs",
            amount="12.95",
            expires_at=date(2099, 5, 4),  # not before the portal's today, whenever this runs
            reusable=True,
        ),
    ),
    answer=PAYMENT_LINK,
    json={
        "description": "Contribution costs",
        "amount": "12.95",
        "expiresAt": "2099-05-04",
        "reusable": True,
    },
)
GET_PAYMENT_LINK = Example(
    ops.GET_PAYMENT_LINK,
    lambda mkp: mkp.payment_links.get,
    lambda given: (given["payment_links"],),
    answer=PAYMENT_LINK,
    needs=("payment_links",),
)
CLOSE_PAYMENT_LINK = Example(
    ops.CLOSE_PAYMENT_LINK,
    lambda mkp: mkp.payment_links.close,
    lambda given: (given["payment_links"],),
    answer=PAYMENT_LINK | {"status": "closed", "checkoutUrl": None},
    needs=("payment_links",),
)
LIST_PAYMENT_LINK_PAYMENT = Example(
    ops.LIST_PAYMENT_LINK_PAYMENT,
    lambda mkp: mkp.payment_links.list_payments,
    lambda given: (given["payment_links"],),
    answer=PAYMENT_LINK_PAYMENT,
    needs=("payment_link_payments",),
)

# -- Invoices API (MijnKlantportaal's own bills) ---------------------------------------------

MIJNKLANTPORTAAL_INVOICE: dict[str, Any] = {
    "id": "fac_abc12345def678",
    "invoiceNumber": "MKP-2025.0010",
    "lines": [
        {
            "id": "fcl_abc12345def678",
            "description": "Pro subscription",
            "quantity": 1,
            "currency": "EUR",
            "amountExclVat": 12.95,
            "vatRate": 21,
            "vatAmount": 2.72,
            "amountInclVat": 15.67,
        }
    ],
    "currency": "EUR",
    "subtotalAmount": 12.95,
    "vatAmount": 2.72,
    "totalAmount": 15.67,
    "issuedAt": "2025-04-12T00:00:00.000Z",
    "isPaid": True,
}
"""The docs' Invoice example: amounts are JSON numbers, ``issuedAt`` has milliseconds and Z."""

LIST_MIJNKLANTPORTAAL_INVOICES = Example(
    ops.LIST_MIJNKLANTPORTAAL_INVOICES,
    lambda mkp: mkp.invoices.list,
    answer=MIJNKLANTPORTAAL_INVOICE,
    needs=("mijnklantportaal_invoices",),
)
GET_MIJNKLANTPORTAAL_INVOICE = Example(
    ops.GET_MIJNKLANTPORTAAL_INVOICE,
    lambda mkp: mkp.invoices.get,
    lambda given: (given["mijnklantportaal_invoices"],),
    answer=MIJNKLANTPORTAAL_INVOICE,
    needs=("mijnklantportaal_invoices",),
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
    value_of="start_at",
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
    value_of="status",
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
    value_of="message",
)
CLOSE_TICKET = Example(
    ops.CLOSE_TICKET,
    lambda mkp: mkp.tickets.close,
    lambda given: (given["tickets"],),
    answer={**TICKET, "status": "closed"},
    needs=("tickets",),
)


# -- Webhooks API ----------------------------------------------------------------------------

WEBHOOK = {
    "id": "wbh_abc12345def678",
    "type": "customer-created",
    "url": "https://mijnklantportaal.nl/webhook-incoming",
    "secret": "OUJX2prdBbJxR77BZlGz",
    "createdAt": "2024-04-29T21:00:00+02:00",
}
"""The spec's Webhook example."""

CREATE_WEBHOOK = Example(
    ops.CREATE_WEBHOOK,
    lambda mkp: mkp.webhooks.create,
    lambda given: (
        WebhookCreate(
            url="https://mijnklantportaal.nl/webhook-incoming", type=WebhookType.CUSTOMER_CREATED
        ),
    ),
    answer=WEBHOOK,
    json={"url": "https://mijnklantportaal.nl/webhook-incoming", "type": "customer-created"},
)
LIST_WEBHOOKS = Example(
    ops.LIST_WEBHOOKS,
    lambda mkp: mkp.webhooks.list,
    answer=WEBHOOK,
    needs=("webhooks",),
)
GET_WEBHOOK = Example(
    ops.GET_WEBHOOK,
    lambda mkp: mkp.webhooks.get,
    lambda given: (given["webhooks"],),
    answer=WEBHOOK,
    needs=("webhooks",),
)


CREATES: Mapping[str, Example] = {
    "customers": CREATE_CUSTOMER,
    "customer_invoices": CREATE_CUSTOMER_INVOICE,
    "customer_offers": CREATE_CUSTOMER_OFFER,
    "agreements": CREATE_AGREEMENT,
    "customer_groups": CREATE_CUSTOMER_GROUP,
    "customer_subscriptions": CREATE_CUSTOMER_SUBSCRIPTION,
    "customer_subscription_packages": CREATE_CUSTOMER_SUBSCRIPTION_PACKAGE,
    "punch_cards": CREATE_PUNCH_CARD,
    "issued_punch_cards": ISSUE_NEW_PUNCH_CARD,
    # post-files' other use; not a module-level Example, so not in EXAMPLES (one per row)
    "directories": Example(
        ops.POST_FILES,
        lambda mkp: mkp.files.create_directory,
        lambda given: ("Contracts",),
    ),
    "stored_files": POST_FILES,
    "file_requests": CREATE_FILE_REQUEST,
    "file_shares": CREATE_FILE_SHARE,
    "payment_links": CREATE_PAYMENT_LINK,
    "appointments": SCHEDULE_APPOINTMENT,
    "webhooks": CREATE_WEBHOOK,
}
"""How to make an object of each kind an example ``needs``."""


@attrs.frozen
class Seed:
    """How to put an object the API cannot create straight into a FakePortal's state:
    ``put(portal, given)`` stores it and returns its ID, after the kinds in ``needs`` exist."""

    put: Callable[[FakePortal, Given], str]
    needs: tuple[str, ...] = ()


SEEDS: Mapping[str, Seed] = {
    "mijnklantportaal_invoices": Seed(
        lambda portal, given: str(portal.add_mijnklantportaal_invoice()["id"])
    ),
    "payment_link_payments": Seed(
        lambda portal, given: str(record_payment(portal.state, given["payment_links"])["id"]),
        needs=("payment_links",),
    ),
    # customers open tickets; the API has no create operation for them
    "tickets": Seed(
        lambda portal, given: str(
            portal.add_ticket(title="Invoice issue", message="<p>Hello, help me please</p>")["id"]
        )
    ),
}
"""Kinds an example ``needs`` that no API operation creates: made in the FakePortal itself."""


EXAMPLES: tuple[Example, ...] = tuple(
    value for value in list(globals().values()) if isinstance(value, Example)
)
"""Every example row above: a row placed after this line would be missed."""


# -- running an example ----------------------------------------------------------------------


def split(example: Example, args: tuple[Any, ...]) -> tuple[tuple[Any, ...], Any]:
    """``args`` as (the path IDs, the request model or None)."""
    count = len(example.operation.path_params)
    ids, rest = args[:count], args[count:]
    return ids, (rest[0] if rest else None)


PARTS: Mapping[str, tuple[str, Callable[[Any], str]]] = {
    "agreement_documents": ("agreements", lambda agreement: agreement.documents[0].id),
}
"""Kinds made with another: kind -> (the kind whose create makes it, its ID in what that
create returns)."""


async def call(example: Example, mkp: MijnKlantportaal, *args: Any) -> Any:
    """Call ``example``'s method with ``args`` and return what it gives: the response model,
    a tuple of them for a ``{"data": [...]}`` list, a list of the items of every page for a
    paginated list (all fetched), the bytes written for a download (``to=`` a temporary file,
    removed again; the size returned is checked against them). For a
    :attr:`Example.keywords` example the request model in ``args`` is passed as its fields'
    keyword arguments."""
    method = example.method(mkp)
    if example.operation.returns is Returns.DOWNLOAD:
        with tempfile.TemporaryDirectory() as where:
            target = Path(where) / "download"
            size = await method(*args, to=target)
            data = target.read_bytes()
        assert size == len(data)
        return data
    if example.keywords:
        ids, data = split(example, args)
        result = method(*ids, **keywords_of(data))
    else:
        result = method(*args)
    if example.operation.returns is Returns.PAGE:
        return [item async for item in cast(AsyncIterable[Any], result)]
    return await cast(Awaitable[Any], result)


def keywords_of(data: Any) -> dict[str, Any]:
    """A request model's fields as keyword arguments (``{"customer_id": "cst_..."}``)."""
    return {field.name: getattr(data, field.name) for field in attrs.fields(type(data))}


def storage_path(example: Example) -> str:
    """The path of the file behind a download example's link (:func:`answer_body`)."""
    return f"/storage/{example.id}.bin"


SIGNED_QUERY = {"X-Amz-Expires": "300", "X-Amz-Signature": "4f1c9a7e2b"}
"""The query of a download example's link: a pre-signed URL's signature, sent as given."""


def answer_body(example: Example, base_url: str = "https://api.mijnklantportaal.nl/v1") -> Any:
    """The 2xx body a server sends for ``example``: its answer, in a one-page Laravel envelope
    for a paginated list or a ``{"data": [...]}`` list; for a download, a link to
    :func:`storage_path` on ``base_url``'s host that expires 5 minutes from now."""
    returns = example.operation.returns
    if returns is Returns.DOWNLOAD:
        query = "&".join(f"{name}={value}" for name, value in SIGNED_QUERY.items())
        expires = datetime.now().astimezone() + timedelta(minutes=5)
        return {
            "link": f"{base_url.removesuffix('/v1')}{storage_path(example)}?{query}",
            "expiresAt": expires.isoformat(timespec="seconds"),
        }
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
    ``given``, with the IDs of the :data:`PARTS` made with it; a kind already in ``given`` is
    left as it is. A kind of :data:`SEEDS` is put into ``portal`` (the FakePortal ``mkp``
    talks to) instead."""
    if kind in given:
        return
    if kind in PARTS:
        whole, _ = PARTS[kind]
        assert whole not in given, f"{kind} is made with {whole}: make it first"
        await make(whole, mkp, given, portal)
        return
    seeded = SEEDS.get(kind)
    for needed in seeded.needs if seeded is not None else CREATES[kind].needs:
        await make(needed, mkp, given, portal)
    if seeded is not None:
        assert portal is not None, f"{kind} is put into a FakePortal: pass it to make()"
        given[kind] = seeded.put(portal, given)
        return
    example = CREATES[kind]
    created = await call(example, mkp, *example.args(given))
    given[kind] = created.id
    for part, (whole, part_id) in PARTS.items():
        if whole == kind:
            given[part] = part_id(created)
