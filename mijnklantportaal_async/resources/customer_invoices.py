"""`mkp.customer_invoices`: the Customer Invoices API (create with PDF, get, list, bulk)."""

from __future__ import annotations

from mijnklantportaal_async._core import natural_keys
from mijnklantportaal_async.bulk import BulkKind
from mijnklantportaal_async.models import CustomerInvoice, CustomerInvoiceCreate
from mijnklantportaal_async.pagination import AsyncPaginator
from mijnklantportaal_async.resources._base import BulkResource, checked_item, expect_model, path_id


class CustomerInvoices(BulkResource[CustomerInvoiceCreate, CustomerInvoice]):
    """The Customer Invoices API; reached as ``mkp.customer_invoices``.

    Bulk creation (``create_many``) knows an invoice by its ``invoice_number``.
    """

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
        expect_model("mkp.customer_invoices.create()", data, (CustomerInvoiceCreate,))
        return await self._post(
            "/customer-invoices",
            "create-customer-invoice",
            CustomerInvoice,
            body=data,
            multipart=True,
            natural_key=data.natural_key(),
        )

    async def get(self, invoice_id: str) -> CustomerInvoice:
        """Get one customer invoice by ID (``inv_...``).

        Operation ``get-customer-invoice``: ``GET /customer-invoices/{invoiceId}``.
        Docs: ``/api-reference/customer-invoices-api/get-customer-invoice``.

        Raises:
            NotFoundError: no invoice with that ID.
        """
        return await self._get(
            f"/customer-invoices/{path_id('invoice_id', invoice_id)}",
            "get-customer-invoice",
            CustomerInvoice,
        )

    def list(self) -> AsyncPaginator[CustomerInvoice]:
        """Every customer invoice, as an async iterator over pages of 15 fetched as needed.

        Operation ``list-customer-invoices``: ``GET /customer-invoices``.
        Docs: ``/api-reference/customer-invoices-api/list-customer-invoices``.
        """
        return self._list("/customer-invoices", "list-customer-invoices", CustomerInvoice)

    def _kind(self) -> BulkKind[CustomerInvoiceCreate, CustomerInvoice]:
        return BulkKind(
            name="customer_invoices",
            create=self.create,
            scan=self.list,
            check_item=checked_item("mkp.customer_invoices.create_many()", CustomerInvoiceCreate),
            natural_key=natural_keys.CUSTOMER_INVOICE,
            id_of=lambda invoice: invoice.id,
        )
