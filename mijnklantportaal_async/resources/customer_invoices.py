"""`mkp.customer_invoices`: the Customer Invoices API (create with PDF or lines, get, list,
mark paid, download the PDF, bulk)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from datetime import datetime
from typing import Any, ClassVar

from mijnklantportaal_async._core import operations as ops
from mijnklantportaal_async.models import (
    CustomerInvoice,
    CustomerInvoiceCreate,
    CustomerInvoiceUpdate,
    ManualCustomerInvoiceCreate,
)
from mijnklantportaal_async.pagination import AsyncPaginator
from mijnklantportaal_async.resources._base import BulkResource, PathArg
from mijnklantportaal_async.resources._raw import RawResponses, raw, raw_list

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

    async def mark_paid(self, invoice_id: str, paid_at: datetime | str) -> CustomerInvoice:
        """Mark a customer invoice paid; returns the invoice as stored after the change.

        ``paid_at`` is when it was paid: a ``datetime`` (aware, or naive in Europe/Amsterdam
        time) or ``"YYYY-mm-dd HH:MM:SS"``, sent as ``{"paidAt": "YYYY-mm-dd HH:MM:SS"}`` in
        portal local time (:class:`CustomerInvoiceUpdate`). The API also updates the
        portal's connected bookkeeping integration. Marking an invoice paid again sets the
        new moment.

        Operation ``mark-customer-invoice-paid``: ``PATCH /customer-invoices/{invoiceId}``
        (JSON). Docs: ``/api-reference/customer-invoices-api/mark-customer-invoice-paid``.

        Raises:
            NotFoundError: no invoice with that ID.
            UnprocessableEntityError: the API rejected ``paidAt`` (``.errors`` names it).
            AmbiguousWriteError: sent, outcome unknown; ``get`` the invoice to see its
                ``paid_at`` (sending the same moment again is harmless).
            RequestValidationError: ``invoice_id`` is empty or ``paid_at`` is not a valid
                date-time (nothing is sent).
        """
        return await self._call(
            "mark_paid",
            ops.MARK_CUSTOMER_INVOICE_PAID,
            invoice_id,
            data=CustomerInvoiceUpdate(paid_at=paid_at),
        )

    async def download_pdf(self, invoice_id: str, *, to: PathArg) -> int:
        """Download a customer invoice's PDF to the path ``to``; returns its size in bytes.

        The API answers with a temporary link (valid 5 minutes) on its storage host, which is
        fetched without the API key; an expired link is asked for again, once. The file is
        written to a temporary file beside ``to`` and renamed when complete, so ``to`` never
        holds a partial PDF; its directory must exist.

        Operation ``get-customer-invoice-pdf``: ``GET /customer-invoices/{invoiceId}/pdf``.
        Docs: ``/api-reference/customer-invoices-api/get-customer-invoice-as-pdf``.

        Raises:
            NotFoundError: no invoice with that ID, or the storage host has no such file.
            PermissionDeniedError: the storage host refused a fresh link too (403).
            APIConnectionError, APITimeoutError: the API or the storage host could not be
                reached, or the download was cut.
            RequestValidationError: ``invoice_id`` is empty (nothing is sent).
            OSError: ``to`` could not be written.
        """
        return await self._download("download_pdf", ops.GET_CUSTOMER_INVOICE_PDF, invoice_id, to=to)

    def stream_pdf(self, invoice_id: str) -> AsyncIterator[bytes]:
        """A customer invoice's PDF as an async iterator of byte chunks (at most 64 KiB
        each), fetched as iteration goes; link and errors as :meth:`download_pdf` (no
        OSError). A link is asked for again only before the first chunk.

        ``b"".join([chunk async for chunk in mkp.customer_invoices.stream_pdf(invoice_id)])``

        Operation ``get-customer-invoice-pdf``: ``GET /customer-invoices/{invoiceId}/pdf``.
        Docs: ``/api-reference/customer-invoices-api/get-customer-invoice-as-pdf``.

        Raises:
            RequestValidationError: ``invoice_id`` is empty (at once, nothing is sent).
            and, while iterating, what :meth:`download_pdf` raises.
        """
        return self._stream("stream_pdf", ops.GET_CUSTOMER_INVOICE_PDF, invoice_id)

    def list(self) -> AsyncPaginator[CustomerInvoice]:
        """Every customer invoice, as an async iterator over pages of 15 fetched as needed.

        Operation ``list-customer-invoices``: ``GET /customer-invoices``.
        Docs: ``/api-reference/customer-invoices-api/list-customer-invoices``.
        """
        return self._list("list", ops.LIST_CUSTOMER_INVOICES)

    @property
    def with_raw_response(self) -> CustomerInvoicesWithRawResponse:
        """This area's methods again, each answering a :class:`RawResponse`: the HTTP
        ``status``, ``headers`` and ``rate_limit``, and ``parse()`` for what it returns."""
        return CustomerInvoicesWithRawResponse(self)


class CustomerInvoicesWithRawResponse(RawResponses[CustomerInvoices]):
    """``with_raw_response`` of :class:`CustomerInvoices`: each method answers a
    :class:`RawResponse` whose ``parse()`` gives what the method returns (``_raw.py``)."""

    create = raw(CustomerInvoices.create)
    create_manual = raw(CustomerInvoices.create_manual)
    get = raw(CustomerInvoices.get)
    mark_paid = raw(CustomerInvoices.mark_paid)
    download_pdf = raw(CustomerInvoices.download_pdf)
    list = raw_list(CustomerInvoices.list)
