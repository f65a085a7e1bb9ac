"""One class per API area, each calling the one shared request path."""

from mijnklantportaal_async.resources.agreements import Agreements
from mijnklantportaal_async.resources.customer_invoices import CustomerInvoices
from mijnklantportaal_async.resources.customer_offers import CustomerOffers
from mijnklantportaal_async.resources.customers import Customers

__all__ = ["Agreements", "CustomerInvoices", "CustomerOffers", "Customers"]
