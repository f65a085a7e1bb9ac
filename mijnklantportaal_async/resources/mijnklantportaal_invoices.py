"""`mkp.invoices`: the Invoices API (the portal owner's own bills from MijnKlantportaal)."""

from __future__ import annotations

from mijnklantportaal_async.resources._base import Resource


class MijnKlantportaalInvoices(Resource):
    """The Invoices API (the portal owner's own bills from MijnKlantportaal); reached as
    ``mkp.invoices``.

    Operations: list-mijnklantportaal-invoices, get-mijnklantportaal-invoice.
    """

    area = "invoices"
