"""The attrs request and response models, one module per API area.

Request classes (``<Thing>Create``, ``<Thing>Update``) are frozen, keyword-only and validated
when built: a bad value raises ``RequestValidationError`` naming the snake_case field. An
update sends only the fields the caller set: the others hold :data:`UNSET` and are left out;
None is sent as null where the API lets a field be cleared. Response classes (the
plain noun) are frozen, keyword-only, and tolerant: every field but ``id`` may be missing.
Wire names (camelCase) are known only to ``mijnklantportaal_async._core.wire``.
"""

from mijnklantportaal_async.models.agreements import (
    Agreement,
    AgreementCreate,
    AgreementDocument,
    AgreementSigner,
    AgreementSignerCreate,
)
from mijnklantportaal_async.models.common import UNSET, Link, Unset
from mijnklantportaal_async.models.customer_invoices import (
    CustomerInvoice,
    CustomerInvoiceCreate,
    CustomerInvoiceLinks,
)
from mijnklantportaal_async.models.customer_offers import (
    CustomerOffer,
    CustomerOfferCreate,
    CustomerOfferLinks,
    ManualCustomerOfferCreate,
    OfferLine,
)
from mijnklantportaal_async.models.customers import Customer, CustomerCreate, CustomerUpdate

__all__ = [
    "UNSET",
    "Agreement",
    "AgreementCreate",
    "AgreementDocument",
    "AgreementSigner",
    "AgreementSignerCreate",
    "Customer",
    "CustomerCreate",
    "CustomerInvoice",
    "CustomerInvoiceCreate",
    "CustomerInvoiceLinks",
    "CustomerOffer",
    "CustomerOfferCreate",
    "CustomerOfferLinks",
    "CustomerUpdate",
    "Link",
    "ManualCustomerOfferCreate",
    "OfferLine",
    "Unset",
]
