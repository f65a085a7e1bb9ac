"""The wire converter: exact request dicts, and the seed pages' responses read into models."""

from __future__ import annotations

import base64
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import attrs
import pytest
from seed_examples import AGREEMENT, CUSTOMER, CUSTOMER_INVOICE, CUSTOMER_OFFER

from mijnklantportaal_async._core.wire import WIRE_NAME_OVERRIDES, from_wire, to_wire, wire_name
from mijnklantportaal_async.models import (
    UNSET,
    Agreement,
    AgreementCreate,
    AgreementDocument,
    AgreementSigner,
    AgreementSignerCreate,
    Customer,
    CustomerInvoice,
    CustomerInvoiceCreate,
    CustomerInvoiceLinks,
    CustomerOffer,
    CustomerUpdate,
    Link,
    ManualCustomerOfferCreate,
    OfferLine,
    Unset,
)
from mijnklantportaal_async.models._validators import (
    DateInput,
    day,
    name_errors,
    text_update,
    unless_unset,
    update_model,
)
from mijnklantportaal_async.uploads import Upload

PDF = b"%PDF-1.4\n%%EOF\n"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)
SIGNATURE = "data:image/png;base64," + base64.b64encode(PNG).decode()
CEST = timezone(timedelta(hours=2))
SEED_CUSTOMER_URL = "https://api.mijnklantportaal.nl/v1/customers/cst_abc12345def678"
HASH = "PwZVOc2K5rqcpqljbM2xkzJub9FtmA307pvuoJXoiqHDuEyZB7NVqdKbb3SPXt1P"


def test_wire_names_are_the_mechanical_camel_case() -> None:
    names = ["accepted_via_ip", "amount_excl_vat", "signer_signature_data", "city", "zip_code"]
    assert [wire_name(name) for name in names] == [
        "acceptedViaIp",
        "amountExclVat",
        "signerSignatureData",
        "city",
        "zipCode",
    ]


def test_the_override_table_wins_over_camel_case(monkeypatch: pytest.MonkeyPatch) -> None:
    @attrs.frozen(kw_only=True)
    class Odd:
        vat_id: str

    monkeypatch.setitem(WIRE_NAME_OVERRIDES, "vat_id", "VATNumber")
    assert to_wire(Odd(vat_id="NL001")) == {"VATNumber": "NL001"}
    assert from_wire(Odd, {"VATNumber": "NL001"}) == Odd(vat_id="NL001")


# The seed operations' whole request bodies are asserted on the wire, once each, by the
# table-driven tests (tests/operation_examples.py); these tests pin what the converter itself does.


def test_the_upload_passes_through_and_money_gets_two_decimals() -> None:
    model = CustomerInvoiceCreate(
        customer_id="cst_abc12345def678",
        invoice_number="2024-001",
        issued_at=date(2024, 4, 29),
        amount="12.9",
        pdf=PDF,
    )
    wire = to_wire(model)
    assert wire["pdf"] is model.pdf
    assert wire["amount"] == "12.90"


def test_unset_optional_fields_are_omitted_not_null() -> None:
    model = CustomerInvoiceCreate(
        customer_id="cst_1", invoice_number="1", issued_at="2024-04-29", amount=0, pdf=PDF
    )
    assert sorted(to_wire(model)) == ["amount", "customerId", "invoiceNumber", "issuedAt", "pdf"]
    assert to_wire(model)["amount"] == "0.00"


def day_update(value: DateInput | Unset) -> date | Unset:
    return unless_unset(day, value)


@update_model
@attrs.frozen(kw_only=True, field_transformer=name_errors)
class ClearableUpdate:
    """An update with a field the API lets be cleared (CustomerUpdate has none)."""

    subject: str | Unset = attrs.field(default=UNSET, converter=text_update)
    due_at: date | Unset | None = attrs.field(
        default=UNSET, converter=attrs.converters.optional(day_update)
    )


def test_an_update_sends_a_value_leaves_unset_out_and_sends_none_as_null() -> None:
    assert to_wire(ClearableUpdate(subject=" Hi ")) == {"subject": "Hi"}
    assert to_wire(ClearableUpdate(due_at="2024-05-01")) == {"dueAt": "2024-05-01"}
    assert to_wire(ClearableUpdate(due_at=None)) == {"dueAt": None}
    assert to_wire(ClearableUpdate(subject="Hi", due_at=None)) == {"subject": "Hi", "dueAt": None}
    assert to_wire(ClearableUpdate(subject=UNSET, due_at=None)) == {"dueAt": None}


def test_customer_update_sends_only_what_was_set() -> None:
    update = CustomerUpdate(city="Utrecht", country_code="BE", address=UNSET)
    assert to_wire(update) == {"city": "Utrecht", "countryCode": "BE"}


def test_a_create_model_never_sends_null_where_an_update_would() -> None:
    @attrs.frozen(kw_only=True)
    class Create:
        subject: str
        due_at: date | None = date(2024, 5, 1)  # a None where the default is not None

    assert to_wire(Create(subject="Hi", due_at=None)) == {"subject": "Hi"}
    assert to_wire(Create(subject="Hi")) == {"subject": "Hi", "dueAt": "2024-05-01"}


def test_an_update_model_field_must_default_to_unset() -> None:
    with pytest.raises(TypeError, match=r"Broken.city of an update model must default to UNSET"):

        @update_model
        @attrs.frozen(kw_only=True)
        class Broken:
            city: str | Unset | None = attrs.field(default=None)


@pytest.mark.parametrize(
    ("moment", "local"),
    [
        (datetime(2024, 5, 11, 10, 59, tzinfo=UTC), "2024-05-11 12:59:00"),  # CEST, +02:00
        (datetime(2024, 1, 11, 11, 59, tzinfo=UTC), "2024-01-11 12:59:00"),  # CET, +01:00
        (datetime(2024, 5, 11, 12, 59, 30, 999999), "2024-05-11 12:59:30"),  # naive: as is
    ],
)
def test_request_date_times_are_sent_in_portal_local_time(moment: datetime, local: str) -> None:
    model = CustomerInvoiceCreate(
        customer_id="c",
        invoice_number="1",
        issued_at="2024-01-01",
        amount=1,
        pdf=PDF,
        paid_at=moment,
    )
    assert to_wire(model)["paidAt"] == local


def test_nested_lines_become_a_list_and_negative_money_keeps_its_sign() -> None:
    model = ManualCustomerOfferCreate(
        customer_id="cst_abc12345def678",
        offer_number="2014-001",
        issued_at=date(2025, 4, 14),
        expires_at=date(2025, 4, 30),
        lines=(
            OfferLine(description="Website template", amount_excl_vat="12.95", vat_rate=21),
            OfferLine(description="Korting", amount_excl_vat=Decimal("-5"), vat_rate=0),
        ),
    )
    assert to_wire(model)["lines"] == [
        {"description": "Website template", "amountExclVat": "12.95", "vatRate": 21},
        {"description": "Korting", "amountExclVat": "-5.00", "vatRate": 0},
    ]


def test_signers_given_as_dicts_are_built_and_the_documents_pass_through() -> None:
    contract, terms = Upload(PDF, filename="Contract.pdf"), Upload(PDF, filename="Terms.pdf")
    model = AgreementCreate(
        name="Service contract",
        signer_name="John Doe",
        signer_signature_data=SIGNATURE,
        signers=[
            AgreementSignerCreate(
                first_name="Dirk Jan",
                last_name="Bakker",
                email="dj.bakker@domain.com",
                should_identify=True,
            ),
            {"first_name": "Anna", "last_name": "de Vries", "email": "anna@domain.com",
             "should_identify": False},
        ],
        documents=[contract, terms],
    )  # fmt: skip
    wire = to_wire(model)
    documents = wire.pop("documents")
    assert [a is b for a, b in zip(documents, model.documents, strict=True)] == [True, True]
    assert [doc.filename for doc in documents] == ["Contract.pdf", "Terms.pdf"]
    assert wire["signers"] == [
        {"firstName": "Dirk Jan", "lastName": "Bakker", "email": "dj.bakker@domain.com",
         "shouldIdentify": True},
        {"firstName": "Anna", "lastName": "de Vries", "email": "anna@domain.com",
         "shouldIdentify": False},
    ]  # fmt: skip


def test_money_is_sent_exactly_even_beyond_the_decimal_context_precision() -> None:
    amount = "123456789012345678901234567890.10"
    model = OfferLine(description="x", amount_excl_vat=amount, vat_rate=0)
    assert to_wire(model)["amountExclVat"] == amount


def test_to_wire_refuses_what_is_not_a_model() -> None:
    with pytest.raises(TypeError):
        to_wire({"companyName": "x"})


def test_seed_customer_response() -> None:
    assert from_wire(Customer, CUSTOMER) == Customer(
        id="cst_abc12345def678",
        company_name="Test Company BV",
        address="Teststreet 123",
        zip_code="1234AB",
        city="Amsterdam",
        country_code="NL",
        primary_email="john.doe@test.com",
        phone="+312012345678",
        integration="acumulus",
        integration_id="123456789",
        customer_groups=("cug_123abc567",),
        created_at=datetime(2024, 4, 28, 21, 0, tzinfo=CEST),
    )
    created_at = from_wire(Customer, CUSTOMER).created_at
    assert created_at is not None
    assert created_at.utcoffset() == timedelta(hours=2)


def test_seed_customer_invoice_response() -> None:
    invoice = from_wire(CustomerInvoice, CUSTOMER_INVOICE)
    assert (invoice.issued_at, invoice.due_at) == (date(2024, 4, 29), date(2024, 5, 28))
    assert type(invoice.issued_at) is date
    assert (invoice.amount, invoice.currency) == (Decimal("12.95"), "EUR")
    assert isinstance(invoice.amount, Decimal)
    assert invoice.paid_at == datetime(2024, 5, 28, 21, 0, tzinfo=CEST)
    assert invoice.links == CustomerInvoiceLinks(
        customer=Link(href=SEED_CUSTOMER_URL, type="application/json"),
        online_payment_link=Link(
            href="https://portal.mijnklantportaal.nl/public-invoice/inv_abc123/pay/123-abc",
            type="text/html",
        ),
    )


def test_seed_customer_offer_response_keeps_the_ip_as_sent() -> None:
    offer = from_wire(CustomerOffer, CUSTOMER_OFFER)
    assert offer.expires_at == date(2024, 5, 29)
    assert offer.accepted_at == offer.rejected_at == datetime(2024, 5, 14, 19, 0, tzinfo=UTC)
    assert offer.accepted_via_ip == "123.456.7.8.9"
    assert offer.links is not None
    assert offer.links.customer == Link(href=SEED_CUSTOMER_URL, type="<string>")


def test_seed_agreement_response_with_signers_and_documents() -> None:
    agreement = from_wire(Agreement, AGREEMENT)
    assert (agreement.status, agreement.signer_name) == ("sent", "John Doe")
    (signer,) = agreement.signers
    assert isinstance(signer, AgreementSigner)
    assert (signer.first_name, signer.should_identify) == ("Dirk Jan", True)
    assert (signer.signature, signer.signed_at) == (None, None)  # not signed yet
    assert agreement.documents == (
        AgreementDocument(
            id="agd_abc12346def678",
            document_name="Contract version_2.pdf",
            file_size=512,
            file_hash=HASH,
        ),
    )


def test_a_signed_signer_has_its_signature_and_an_aware_signed_at() -> None:
    signed = AGREEMENT["signers"][0] | {
        "signature": AGREEMENT["signerSignature"],
        "signatureHash": HASH,
        "signedAt": "2025-09-13T17:23:14+02:00",
    }
    (signer,) = from_wire(Agreement, AGREEMENT | {"signers": [signed]}).signers
    assert (signer.signature, signer.signature_hash) == (AGREEMENT["signerSignature"], HASH)
    assert signer.signed_at == datetime(2025, 9, 13, 17, 23, 14, tzinfo=CEST)


def test_responses_tolerate_unknown_and_missing_optional_fields() -> None:
    invoice = from_wire(CustomerInvoice, {"id": "inv_1", "brandNewField": {"x": 1}, "paidAt": None})
    assert invoice == CustomerInvoice(id="inv_1")
    item = from_wire(Agreement, {"id": "agr_1", "name": "Service contract", "status": "signed"})
    assert (item.signers, item.documents) == ((), ())


def test_responses_read_null_lists_and_phps_empty_array_for_an_object() -> None:
    agreement = from_wire(Agreement, {"id": "agr_1", "signers": None, "documents": None})
    assert (agreement.signers, agreement.documents) == ((), ())
    assert from_wire(CustomerInvoice, {"id": "inv_1", "links": []}).links == CustomerInvoiceLinks()
    assert from_wire(Customer, {"id": "cst_1", "customerGroups": None}).customer_groups == ()


def test_a_timestamp_without_offset_is_read_in_portal_local_time() -> None:
    invoice = from_wire(CustomerInvoice, {"id": "inv_1", "paidAt": "2024-05-11 12:59:00"})
    assert invoice.paid_at == datetime(2024, 5, 11, 10, 59, tzinfo=UTC)


@pytest.mark.parametrize(("raw", "expected"), [(True, True), (0, False), ("1", True)])
def test_booleans_are_read_strictly_also_as_php_sends_them(raw: Any, expected: bool) -> None:
    signer = from_wire(AgreementSigner, {"id": "ags_1", "shouldIdentify": raw})
    assert signer.should_identify is expected


@pytest.mark.parametrize(
    "body", [{"companyName": "no id"}, ["not", "an", "object"], {"id": "cst_1", "createdAt": "x"}]
)
def test_a_response_that_does_not_fit_raises_value_error_naming_the_class(body: Any) -> None:
    with pytest.raises(ValueError, match="cannot read Customer from the response"):
        from_wire(Customer, body)
