"""Every error status the FakePortal can give, through each of the client's five creates.

For each create operation and each status the portal can produce for it (401, 402 where the
operation has a balance, 422, 426 where it has a licence, 429, and each injected fault), the
client raises the documented typed error from ``mijnklantportaal_async.errors`` and the portal
holds what the fault says: nothing for an error or a fault before processing, the object once
for a fault after the store (then ``AmbiguousWriteError``). The client runs with retries on, so
the request count shows what it resends: only a 503 with ``Retry-After`` (then stored once),
never a write that may have been processed. 429 runs without retries: the client would honour
the portal's ``Retry-After`` of 60 s.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from decimal import Decimal
from typing import Any

import attrs
import pytest
from test_fakeportal_support import PNG, FakeClock

from mijnklantportaal_async import (
    AgreementCreate,
    AgreementSignerCreate,
    CustomerCreate,
    CustomerInvoiceCreate,
    CustomerOfferCreate,
    ManualCustomerOfferCreate,
    MijnKlantportaal,
    OfferLine,
    RetryPolicy,
    Timeouts,
    signature_data_uri,
)
from mijnklantportaal_async.errors import (
    AmbiguousWriteError,
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    InsufficientBalanceError,
    LicenseLimitError,
    MijnKlantportaalError,
    RateLimitError,
    ServerError,
    UnprocessableEntityError,
)
from mijnklantportaal_async.testing import FakePortal, FaultConfig, FaultKind

RETRY = RetryPolicy(max_retries=2, backoff_base=0.0, backoff_cap=0.0)
NO_RETRY = RetryPolicy(max_retries=0)
PDF = b"%PDF-1.4\n% client error matrix\n%%EOF\n"
TOO_LONG = "x" * 256  # the portal allows 255 characters; the client leaves that to it
UNKNOWN_CUSTOMER = "cst_unknown0000000"


def customer(name: str = "Test Company BV") -> CustomerCreate:
    return CustomerCreate(
        company_name=name,
        address="Teststreet 123",
        zip_code="1234AB",
        city="Amsterdam",
        primary_email="john.doe@test.com",
    )


def invoice(customer_id: str) -> CustomerInvoiceCreate:
    return CustomerInvoiceCreate(
        customer_id=customer_id,
        invoice_number="2024-001",
        issued_at=date(2024, 4, 29),
        amount=Decimal("12.95"),
        pdf=PDF,
    )


def offer(customer_id: str) -> CustomerOfferCreate:
    return CustomerOfferCreate(
        customer_id=customer_id,
        offer_number="2024-001",
        issued_at=date(2024, 4, 29),
        expires_at=date(2024, 5, 29),
        amount=Decimal("12.95"),
        pdf=PDF,
    )


def manual_offer(customer_id: str) -> ManualCustomerOfferCreate:
    line = OfferLine(description="Website template", amount_excl_vat=Decimal("10"), vat_rate=21)
    return ManualCustomerOfferCreate(
        customer_id=customer_id,
        offer_number="2025-001",
        issued_at=date(2025, 4, 14),
        expires_at=date(2025, 4, 30),
        lines=[line],
    )


def agreement(name: str = "Service contract") -> AgreementCreate:
    signer = AgreementSignerCreate(
        first_name="Dirk Jan",
        last_name="Bakker",
        email="dj.bakker@domain.com",
        should_identify=True,
    )
    return AgreementCreate(
        name=name,
        signer_name="John Doe",
        signer_signature_data=signature_data_uri(PNG),
        signers=[signer],
        documents=[PDF],
    )


@attrs.frozen
class Operation:
    """One client create: its seed operationId, where the portal stores it, the call with a
    valid request and with one the portal answers 422 (naming ``invalid_field``), and the
    ``natural_key`` an AmbiguousWriteError carries."""

    operation_id: str
    stored: str
    create: Callable[[MijnKlantportaal, str], Awaitable[Any]]
    create_invalid: Callable[[MijnKlantportaal, str], Awaitable[Any]]
    invalid_field: str
    natural_key: dict[str, Any]
    licence: dict[str, Any] | None = None  # FakePortal options that answer 426
    balance: bool = False  # has a 402


def owned_by_customer(
    operation_id: str,
    stored: str,
    create: Callable[[MijnKlantportaal, Any], Awaitable[Any]],
    build: Callable[[str], Any],
) -> Operation:
    """A create of a customer's document, ``build(customer_id)`` sent by ``create``: valid for
    the owner customer, answered 422 on ``customerId`` for an unknown one, and 426 when the
    licence limit is 0."""
    return Operation(
        operation_id,
        stored,
        lambda mkp, cid: create(mkp, build(cid)),
        lambda mkp, _: create(mkp, build(UNKNOWN_CUSTOMER)),
        "customerId",
        build(UNKNOWN_CUSTOMER).natural_key(),
        licence={"license_limit": 0},
    )


OPERATIONS = {
    "create-customer": Operation(
        "create-customer",
        "customers",
        lambda mkp, _: mkp.customers.create(customer()),
        lambda mkp, _: mkp.customers.create(customer(TOO_LONG)),
        "companyName",
        customer().natural_key(),
    ),
    "create-customer-invoice": owned_by_customer(
        "create-customer-invoice",
        "customer_invoices",
        lambda mkp, request: mkp.customer_invoices.create(request),
        invoice,
    ),
    "create-customer-offer": owned_by_customer(
        "create-customer-offer",
        "customer_offers",
        lambda mkp, request: mkp.customer_offers.create(request),
        offer,
    ),
    "create-customer-offer-manual": owned_by_customer(
        "create-customer-offer-manual",
        "customer_offers",
        lambda mkp, request: mkp.customer_offers.create_manual(request),
        manual_offer,
    ),
    "create-agreement": Operation(
        "create-agreement",
        "agreements",
        lambda mkp, _: mkp.agreements.create(agreement()),
        lambda mkp, _: mkp.agreements.create(agreement(TOO_LONG)),
        "name",
        agreement().natural_key(),
        licence={"agreements_enabled": False},
        balance=True,
    ),
}

# What each answer becomes: the typed error (None: success), the error an AmbiguousWriteError
# wraps, whether the object is stored, and how often the client sent the create.
Outcome = tuple[type[MijnKlantportaalError] | None, type[Exception] | None, bool, int]
ANSWERS: dict[str, Outcome] = {
    "401": (AuthenticationError, None, False, 1),
    "402": (InsufficientBalanceError, None, False, 1),
    "422": (UnprocessableEntityError, None, False, 1),
    "426": (LicenseLimitError, None, False, 1),
    "429": (RateLimitError, None, False, 1),
    FaultKind.ERROR_500: (AmbiguousWriteError, ServerError, False, 1),
    FaultKind.ERROR_502: (AmbiguousWriteError, ServerError, False, 1),
    FaultKind.ERROR_503: (None, None, True, 2),  # Retry-After: not processed, so resent
    FaultKind.ERROR_504: (AmbiguousWriteError, ServerError, False, 1),
    FaultKind.RESET_BEFORE: (AmbiguousWriteError, APIConnectionError, False, 1),
    FaultKind.RESET_AFTER_STORE: (AmbiguousWriteError, APIConnectionError, True, 1),
    FaultKind.STALL_AFTER_STORE: (AmbiguousWriteError, APITimeoutError, True, 1),
    FaultKind.ERROR_500_AFTER_STORE: (AmbiguousWriteError, ServerError, True, 1),
}


def cases() -> list[Any]:
    out = []
    for name, operation in OPERATIONS.items():
        for answer in ANSWERS:
            if (answer == "402" and not operation.balance) or (
                answer == "426" and operation.licence is None
            ):
                continue
            out.append(pytest.param(name, answer, id=f"{name}-{answer}"))
    return out


def portal_options(operation: Operation, answer: str) -> dict[str, Any]:
    # retry_after=0: an injected 503 says "Retry-After: 0", so its retry does not wait
    options: dict[str, Any] = {
        "clock": FakeClock(),
        "rate_limit": None,
        "faults": FaultConfig(retry_after=0),
    }
    if answer == "426":
        options.update(operation.licence or {})
    elif answer == "402":
        options["balance"] = 0
    elif answer == "429":
        options["rate_limit"] = 1  # the owner customer takes the one slot
    return options


@pytest.mark.parametrize(("name", "answer"), cases())
async def test_each_error_status_is_its_typed_error_and_leaves_the_documented_state(
    name: str, answer: str
) -> None:
    operation = OPERATIONS[name]
    error, cause, stored, attempts = ANSWERS[answer]
    async with FakePortal(**portal_options(operation, answer)) as portal:
        async with portal.client(rate_limit=None) as owner_client:
            owner = (await owner_client.customers.create(customer("Owner BV"))).id
        client = MijnKlantportaal(
            api_key="wrong-key" if answer == "401" else portal.api_key,
            base_url=portal.url,
            rate_limit=None,
            retry=NO_RETRY if answer == "429" else RETRY,
            # a stall never answers: the read timeout ends it
            timeouts=Timeouts(read=0.1 if answer == FaultKind.STALL_AFTER_STORE else 30.0),
        )
        if answer in FaultKind.__members__.values():
            portal.faults.script(operation.operation_id, [answer])
        create = operation.create_invalid if answer == "422" else operation.create
        async with client as mkp:
            if error is None:
                await create(mkp, owner)
            else:
                with pytest.raises(error) as caught:
                    await create(mkp, owner)

    if error is not None:
        raised = caught.value
        if isinstance(raised, AmbiguousWriteError):
            assert cause is not None
            assert isinstance(raised.cause, cause)
            if isinstance(raised.cause, ServerError):
                assert raised.cause.status == int(answer[:3])  # 500_before -> 500
            assert raised.natural_key == operation.natural_key
        if isinstance(raised, APIStatusError):
            assert raised.status == int(answer)
        if isinstance(raised, UnprocessableEntityError):
            assert operation.invalid_field in raised.errors
    created = [obj for key, obj in getattr(portal, operation.stored).items() if key != owner]
    # portal.requests[0] made the owner; then the create was sent ``attempts`` times
    sent = [r for r in portal.requests[1:] if r.operation_id == operation.operation_id]
    assert len(sent) == attempts
    if stored:
        [obj] = created
        assert [r.stored_id for r in sent if r.stored_id] == [obj["id"]]
    else:
        assert created == []
        assert [r.stored_id for r in sent] == [None]
    if answer in FaultKind.__members__.values():
        [record] = portal.faults.records
        assert (record.kind, record.request_index) == (answer, sent[0].index)
        assert record.stored_id == (obj["id"] if stored and attempts == 1 else None)
