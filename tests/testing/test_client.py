"""The client against the FakePortal: what the client sends the portal parses and stores, and
the portal's own refusals (422 with field errors, 401, 429 with its Retry-After) reach the
client as typed errors. Every operation's example against the portal, and the spec check of
its answer: tests/core/test_operations.py; the state the portal keeps after each injected
fault: test_client_errors.py.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from test_fakeportal_support import PNG, FakeClock

from mijnklantportaal_async import (
    AgreementCreate,
    AgreementSignerCreate,
    AuthenticationError,
    CustomerCreate,
    CustomerInvoiceCreate,
    CustomerOfferCreate,
    ManualCustomerOfferCreate,
    OfferLine,
    RateLimitError,
    RetryPolicy,
    UnprocessableEntityError,
    signature_data_uri,
)
from mijnklantportaal_async.testing import FakePortal

FAST = RetryPolicy(max_retries=2, backoff_base=0.0, backoff_cap=0.0)
CUSTOMER = CustomerCreate(
    company_name="Test Company BV",
    address="Teststreet 123",
    zip_code="1234AB",
    city="Amsterdam",
    primary_email="john.doe@test.com",
)


def invoice(customer_id: str, number: str = "2024-001") -> CustomerInvoiceCreate:
    return CustomerInvoiceCreate(
        customer_id=customer_id,
        invoice_number=number,
        issued_at=date(2024, 4, 29),
        amount=Decimal("12.95"),
        pdf=b"%PDF-1.4\n%%EOF\n",
    )


def agreement(should_identify: bool = False) -> AgreementCreate:
    return AgreementCreate(
        name="Service contract",
        signer_name="John Doe",
        signer_signature_data=signature_data_uri(PNG),
        signers=[
            AgreementSignerCreate(
                first_name="Dirk Jan",
                last_name="Bakker",
                email="dj.bakker@domain.com",
                should_identify=should_identify,
            )
        ],
        documents=[b"%PDF-1.4\n%%EOF\n"],
    )


async def test_the_five_operations_round_trip() -> None:
    async with FakePortal() as portal, portal.client(retry=FAST) as mkp:
        customer = await mkp.customers.create(CUSTOMER)
        created = await mkp.customer_invoices.create(invoice(customer.id))
        offer = await mkp.customer_offers.create(
            CustomerOfferCreate(
                customer_id=customer.id,
                offer_number="2024-001",
                issued_at=date(2024, 4, 29),
                expires_at=date(2024, 5, 29),
                amount=Decimal("12.95"),
                pdf=b"%PDF-1.4\n%%EOF\n",
            )
        )
        manual = await mkp.customer_offers.create_manual(
            ManualCustomerOfferCreate(
                customer_id=customer.id,
                offer_number="2025-001",
                issued_at=date(2025, 4, 14),
                expires_at=date(2025, 4, 30),
                lines=[
                    OfferLine(
                        description="Website template", amount_excl_vat=Decimal("10"), vat_rate=21
                    )
                ],
            )
        )
        signed = await mkp.agreements.create(agreement(should_identify=True))
    assert portal.customers[customer.id]["companyName"] == "Test Company BV"
    assert portal.customer_invoices[created.id]["amount"] == "12.95"
    assert created.amount == Decimal("12.95")
    assert offer.id in portal.customer_offers
    assert manual.amount == Decimal("12.10")
    assert signed.signers[0].should_identify is True
    assert portal.requests[-1].form[-1] == ("signers[0][shouldIdentify]", "1")


async def test_unknown_customer_and_bad_fields_are_unprocessable_with_wire_errors() -> None:
    async with FakePortal() as portal, portal.client(retry=FAST) as mkp:
        with pytest.raises(UnprocessableEntityError) as caught:
            await mkp.customer_invoices.create(invoice("cst_unknown0000000"))
    assert caught.value.errors == {"customerId": ["The selected customer id is invalid."]}


async def test_a_client_with_a_wrong_key_gets_401() -> None:
    async with FakePortal() as portal, portal.client(api_key="wrong", rate_limit=None) as mkp:
        assert mkp.sandbox
        with pytest.raises(AuthenticationError) as caught:
            await mkp.customers.create(CUSTOMER)
    assert caught.value.status == 401
    assert len(portal.customers) == 0


async def test_client_keywords_override_the_portal_defaults() -> None:
    async with FakePortal() as portal:
        other = portal.client(base_url="http://localhost:1/v1", sandbox=False)
        assert (str(other.base_url), other.sandbox) == ("http://localhost:1/v1", False)
        await other.aclose()


async def test_429_becomes_a_rate_limit_error_with_retry_after() -> None:
    async with (
        FakePortal(rate_limit=1, clock=FakeClock()) as portal,
        portal.client(rate_limit=None, retry=RetryPolicy(max_retries=0)) as mkp,
    ):
        await mkp.customers.create(CUSTOMER)
        with pytest.raises(RateLimitError) as caught:
            await mkp.customers.create(CUSTOMER)
    assert caught.value.retry_after == 60
    assert len(portal.customers) == 1
