"""Valid keyword arguments for each request model (the seed pages' examples), and
:func:`refused`, which builds a model expecting a RequestValidationError."""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from mijnklantportaal_async.errors import RequestValidationError
from mijnklantportaal_async.models import AgreementSignerCreate, OfferLine
from mijnklantportaal_async.uploads import Upload

PDF = b"%PDF-1.4\n%%EOF\n"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)
SIGNATURE = "data:image/png;base64," + base64.b64encode(PNG).decode()


def customer(**changes: Any) -> dict[str, Any]:
    return {
        "company_name": "Test Company BV",
        "address": "Teststreet 123",
        "zip_code": "1234AB",
        "city": "Amsterdam",
        "primary_email": "john.doe@test.com",
    } | changes


def invoice(**changes: Any) -> dict[str, Any]:
    return {
        "customer_id": "cst_abc12345def678",
        "invoice_number": "2024-001",
        "issued_at": date(2024, 4, 29),
        "amount": Decimal("12.95"),
        "pdf": PDF,
    } | changes


def offer(**changes: Any) -> dict[str, Any]:
    return {
        "customer_id": "cst_abc12345def678",
        "offer_number": "2024-001",
        "issued_at": date(2024, 4, 29),
        "expires_at": date(2024, 5, 29),
        "amount": Decimal("12.95"),
        "pdf": PDF,
    } | changes


def line(**changes: Any) -> dict[str, Any]:
    return {"description": "Website template", "amount_excl_vat": "12.95", "vat_rate": 21} | changes


def manual(**changes: Any) -> dict[str, Any]:
    return {
        "customer_id": "cst_abc12345def678",
        "offer_number": "2024-002",
        "issued_at": "2025-04-14",
        "expires_at": "2025-04-30",
        "lines": [OfferLine(**line())],
    } | changes


def signer(**changes: Any) -> dict[str, Any]:
    return {
        "first_name": "Dirk Jan",
        "last_name": "Bakker",
        "email": "dj.bakker@domain.com",
        "should_identify": True,
    } | changes


def agreement(**changes: Any) -> dict[str, Any]:
    return {
        "name": "Service contract",
        "signer_name": "John Doe",
        "signer_signature_data": SIGNATURE,
        "signers": [AgreementSignerCreate(**signer())],
        "documents": [Upload(PDF, filename="Contract.pdf")],
    } | changes


def refused(build: Callable[..., Any], **kwargs: Any) -> RequestValidationError:
    with pytest.raises(RequestValidationError) as info:
        build(**kwargs)
    return info.value
