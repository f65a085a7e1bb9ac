"""One class per API area, each calling the one shared request path."""

from mijnklantportaal_async.resources.agreements import Agreements
from mijnklantportaal_async.resources.appointments import Appointments
from mijnklantportaal_async.resources.customer_groups import CustomerGroups
from mijnklantportaal_async.resources.customer_invoices import CustomerInvoices
from mijnklantportaal_async.resources.customer_offers import CustomerOffers
from mijnklantportaal_async.resources.customer_subscription_packages import (
    CustomerSubscriptionPackages,
)
from mijnklantportaal_async.resources.customer_subscriptions import CustomerSubscriptions
from mijnklantportaal_async.resources.customers import Customers
from mijnklantportaal_async.resources.file_requests import FileRequests
from mijnklantportaal_async.resources.file_shares import FileShares
from mijnklantportaal_async.resources.files import Files
from mijnklantportaal_async.resources.mijnklantportaal_invoices import MijnKlantportaalInvoices
from mijnklantportaal_async.resources.payment_links import PaymentLinks
from mijnklantportaal_async.resources.punch_cards import PunchCards
from mijnklantportaal_async.resources.tickets import Tickets
from mijnklantportaal_async.resources.webhooks import Webhooks

__all__ = [
    "Agreements",
    "Appointments",
    "CustomerGroups",
    "CustomerInvoices",
    "CustomerOffers",
    "CustomerSubscriptionPackages",
    "CustomerSubscriptions",
    "Customers",
    "FileRequests",
    "FileShares",
    "Files",
    "MijnKlantportaalInvoices",
    "PaymentLinks",
    "PunchCards",
    "Tickets",
    "Webhooks",
]
