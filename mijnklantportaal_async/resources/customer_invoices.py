"""`mkp.customer_invoices`: the Customer Invoices API (create with PDF, get, list, bulk)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from mijnklantportaal_async._core import operations as ops
from mijnklantportaal_async.models import (
    CustomerInvoice,
    CustomerInvoiceCreate,
    ManualCustomerInvoiceCreate,
)
from mijnklantportaal_async.pagination import AsyncPaginator
from mijnklantportaal_async.resources._base import BulkResource

AnyInvoiceCreate = CustomerInvoiceCreate | ManualCustomerInvoiceCreate


class CustomerInvoices(BulkResource[AnyInvoiceCreate, CustomerInvoice]):
    """The Customer Invoices API; reached as ``mkp.customer_invoices``.

    Bulk creation (``create_many``) takes invoices with a PDF and manual ones mixed and knows an
    invoice by its ``invoice_number``.
    """

    area = "customer_invoices"
    create_operation = ops.CREATE_CUSTOMER_INVOICE
    also_creates: ClassVar[Mapping[str, ops.Operation[Any, Any]]] = {
        "create_manual": ops.CREATE_MANUAL_CUSTOMER_INVOICE
    }

    async def create(self, data: CustomerInvoiceCreate) -> CustomerInvoice:
        """Add a customer invoice with its PDF; returns the stored invoice (ID ``inv_...``).

        The PDF is streamed from its source (a path is read in chunks, never whole) as
        ``multipart/form-data``; with a known size the request carries a Content-Length.

        Operation ``create-customer-invoice``: ``POST /customer-invoices`` (multipart).
        Docs: ``/api-reference/customer-invoices-api/create-customer-invoice``.

        Raises:
            UnprocessableEntityError: the API rejected a field, e.g. an unknown ``customer_id``.
            LicenseLimitError: this month's invoice limit of the license is reached (426).
            AmbiguousWriteError: sent, outcome unknown; carries ``{"invoice_number": ...}``:
                look it up before creating it again (``create_many`` does this for you).
            RateLimitError, APIConnectionError, AuthenticationError: as for every call.
            TypeError: ``data`` is not a CustomerInvoiceCreate (nothing is sent).
        """
        return await self._call("create", ops.CREATE_CUSTOMER_INVOICE, data=data)

    async def create_manual(self, data: ManualCustomerInvoiceCreate) -> CustomerInvoice:
        """Create a customer invoice from product/service lines (amounts in EUR excl. VAT); the
        portal makes its PDF and its ``amount`` is the total including VAT.

        Operation ``create-manual-customer-invoice``: ``POST /customer-invoices/manual`` (JSON).
        Docs: ``/api-reference/customer-invoices-api/create-manual-customer-invoice``.

        Raises:
            UnprocessableEntityError, LicenseLimitError, AmbiguousWriteError: as for
                :meth:`create`.
            TypeError: ``data`` is not a ManualCustomerInvoiceCreate (nothing is sent).
        """
        return await self._call("create_manual", ops.CREATE_MANUAL_CUSTOMER_INVOICE, data=data)

    async def get(self, invoice_id: str) -> CustomerInvoice:
        """Get one customer invoice by ID (``inv_...``).

        Operation ``get-customer-invoice``: ``GET /customer-invoices/{invoiceId}``.
        Docs: ``/api-reference/customer-invoices-api/get-customer-invoice``.

        Raises:
            NotFoundError: no invoice with that ID.
        """
        return await self._call("get", ops.GET_CUSTOMER_INVOICE, invoice_id)

    def list(self) -> AsyncPaginator[CustomerInvoice]:
        """Every customer invoice, as an async iterator over pages of 15 fetched as needed.

        Operation ``list-customer-invoices``: ``GET /customer-invoices``.
        Docs: ``/api-reference/customer-invoices-api/list-customer-invoices``.
        """
        return self._list("list", ops.LIST_CUSTOMER_INVOICES)
