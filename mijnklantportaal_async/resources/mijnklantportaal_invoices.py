"""`mkp.invoices`: the Invoices API: the portal owner's own bills FROM MijnKlantportaal
(licence fees, other costs; ``fac_...``), not the invoices to customers
(``mkp.customer_invoices``)."""

from __future__ import annotations

from mijnklantportaal_async._core import operations as ops
from mijnklantportaal_async.models import MijnKlantportaalInvoice
from mijnklantportaal_async.pagination import AsyncPaginator
from mijnklantportaal_async.resources._base import Resource
from mijnklantportaal_async.resources._raw import RawResponses, raw, raw_list


class MijnKlantportaalInvoices(Resource):
    """The Invoices API; reached as ``mkp.invoices``: the bills MijnKlantportaal sends the
    portal owner (IDs ``fac_...``, lines ``fcl_...``). These are NOT customer invoices: those
    are ``mkp.customer_invoices`` (``inv_...``). Read only: the API creates none.

    Operations: list-mijnklantportaal-invoices, get-mijnklantportaal-invoice (scope
    ``businessoperations.read``).
    """

    area = "invoices"

    def list(self) -> AsyncPaginator[MijnKlantportaalInvoice]:
        """Every bill from MijnKlantportaal, as an async iterator of
        :class:`MijnKlantportaalInvoice`; pages of 15 are fetched as iteration needs them.

        Operation ``list-mijnklantportaal-invoices``: ``GET /invoices``.
        Docs: ``/api-reference/invoices-api/list-mijnklantportaal-invoices``.
        Amounts (EUR) arrive as JSON numbers and are read exactly into ``Decimal``;
        ``issued_at`` is an aware datetime (UTC). The order is the server's.
        """
        return self._list("list", ops.LIST_MIJNKLANTPORTAAL_INVOICES)

    async def get(self, invoice_id: str) -> MijnKlantportaalInvoice:
        """Get one bill from MijnKlantportaal by ID (``fac_...``), with its lines.

        Operation ``get-mijnklantportaal-invoice``: ``GET /invoices/{invoiceId}``.
        Docs: ``/api-reference/invoices-api/get-mijnklantportaal-invoice``.

        Raises:
            NotFoundError: no MijnKlantportaal invoice with that ID (an ``inv_...`` customer
                invoice ID is not one: use ``mkp.customer_invoices.get``).
            RequestValidationError: ``invoice_id`` is empty (nothing is sent).
        """
        return await self._call("get", ops.GET_MIJNKLANTPORTAAL_INVOICE, invoice_id)

    @property
    def with_raw_response(self) -> MijnKlantportaalInvoicesWithRawResponse:
        """This area's methods again, each answering a :class:`RawResponse`: the HTTP
        ``status``, ``headers`` and ``rate_limit``, and ``parse()`` for what it returns."""
        return MijnKlantportaalInvoicesWithRawResponse(self)


class MijnKlantportaalInvoicesWithRawResponse(RawResponses[MijnKlantportaalInvoices]):
    """``with_raw_response`` of :class:`MijnKlantportaalInvoices`: each method answers a
    :class:`RawResponse` whose ``parse()`` gives what the method returns (``_raw.py``)."""

    list = raw_list(MijnKlantportaalInvoices.list)
    get = raw(MijnKlantportaalInvoices.get)
