"""The FakePortal's routing table: every REST operation of the API, implemented or not.

One row per operation of ``openapi.yaml`` (67, OAuth aside): operationId (the seed page's where
it differs from the spec's, which is then an alias), method, path template
(relative to ``/v1``, OpenAPI/aiohttp ``{name}`` syntax) and the handler. Rows without a handler
answer 501 with a JSON message naming the operation, after authentication and the rate limit
like any other.

To implement another operation, write its handler in ``handlers/`` and put it in its row. If it
stores a kind of object the portal does not hold yet (appointments, webhooks, ...), also add
the kind to ``state.KINDS`` and its documented ID prefix to ``state.ID_PREFIXES``;
``portal.objects("webhooks")`` then shows what it stored (a named property like
``portal.customers`` is a convenience, not a requirement). Nothing else changes.
"""

from __future__ import annotations

import attrs

from mijnklantportaal_async.testing.handlers import (
    agreements,
    customer_invoices,
    customer_offers,
    customers,
)
from mijnklantportaal_async.testing.handlers._common import Handler

__all__ = ["ROUTES", "Route", "route_names"]


@attrs.frozen
class Route:
    """One API operation: ``operation_id``, HTTP ``method``, ``path`` template under ``/v1``,
    its ``handler`` (None: not implemented, answered 501) and ``aliases``: other operationIds
    it is known by (where the seed pages and the spec name it differently, the seed's name is
    ``operation_id`` and the spec's an alias)."""

    operation_id: str
    method: str
    path: str
    handler: Handler | None = None
    aliases: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """``"METHOD /template"``, e.g. ``"POST /customer-invoices"``."""
        return f"{self.method} {self.path}"

    @property
    def names(self) -> frozenset[str]:
        """Every name the fault API accepts for it: operationId, aliases and :attr:`key`."""
        return frozenset({self.operation_id, *self.aliases, self.key})


def _r(
    operation_id: str,
    method: str,
    path: str,
    handler: Handler | None = None,
    *,
    aliases: tuple[str, ...] = (),
) -> Route:
    return Route(operation_id, method, path, handler, aliases)


ROUTES: tuple[Route, ...] = (
    # Agreements API
    _r("list-agreements", "GET", "/agreements", agreements.list_agreements),
    _r("create-agreement", "POST", "/agreements", agreements.create_agreement),
    _r("get-agreement", "GET", "/agreements/{agreementId}", agreements.get_agreement),
    _r(
        "download-agreement-document",
        "GET",
        "/agreements/{agreementId}/documents/{documentId}/download",
    ),
    # Appointments API
    _r("list-appointments", "GET", "/appointments"),
    _r("schedule-appointment", "POST", "/appointments"),
    _r("get-appointment", "GET", "/appointments/{appointmentId}"),
    _r("change-appointment-status", "PATCH", "/appointments/{appointmentId}"),
    # Customers API
    _r("list-customers", "GET", "/customers", customers.list_customers),
    _r("create-customer", "POST", "/customers", customers.create_customer),
    _r("get-customer", "GET", "/customers/{customerId}", customers.get_customer),
    _r("edit-customer", "PATCH", "/customers/{customerId}"),
    # Customer Groups API
    _r("list-customer-groups", "GET", "/customer-groups"),
    _r("create-customer-group", "POST", "/customer-groups"),
    _r("get-customer-group", "GET", "/customer-groups/{customerGroupId}"),
    _r("edit-customer-group", "PATCH", "/customer-groups/{customerGroupId}"),
    _r("add-customers-to-customer-group", "POST", "/customer-groups/{customerGroupId}/customers"),
    # Customer Invoices API
    _r(
        "list-customer-invoices",
        "GET",
        "/customer-invoices",
        customer_invoices.list_customer_invoices,
    ),
    _r(
        "create-customer-invoice",
        "POST",
        "/customer-invoices",
        customer_invoices.create_customer_invoice,
    ),
    _r(
        "create-manual-customer-invoice",
        "POST",
        "/customer-invoices/manual",
        customer_invoices.create_manual_customer_invoice,
    ),
    _r(
        "get-customer-invoice",
        "GET",
        "/customer-invoices/{invoiceId}",
        customer_invoices.get_customer_invoice,
    ),
    _r("mark-customer-invoice-paid", "PATCH", "/customer-invoices/{invoiceId}"),
    _r("get-customer-invoice-pdf", "GET", "/customer-invoices/{invoiceId}/pdf"),
    # Customer Offers API
    _r("list-customer-offers", "GET", "/customer-offers", customer_offers.list_customer_offers),
    _r("create-customer-offer", "POST", "/customer-offers", customer_offers.create_customer_offer),
    _r(
        "create-customer-offer-manual",  # the seed page's name, which the client uses
        "POST",
        "/customer-offers/manual",
        customer_offers.create_manual_customer_offer,
        aliases=("create-manual-customer-offer",),  # openapi.yaml's guess
    ),
    _r(
        "get-customer-offer",
        "GET",
        "/customer-offers/{offerId}",
        customer_offers.get_customer_offer,
    ),
    _r("mark-customer-offer-accepted-or-rejected", "PATCH", "/customer-offers/{offerId}"),
    # Customer Subscriptions API
    _r("list-customer-subscriptions", "GET", "/customer-subscriptions"),
    _r("create-customer-subscription", "POST", "/customer-subscriptions"),
    _r("get-customer-subscription", "GET", "/customer-subscriptions/{subscriptionId}"),
    _r("change-customer-subscription", "PATCH", "/customer-subscriptions/{subscriptionId}"),
    # Customer Subscription Packages API
    _r("list-customer-subscription-packages", "GET", "/customer-subscription-packages"),
    _r("create-customer-subscription-package", "POST", "/customer-subscription-packages"),
    _r("get-customer-subscription-package", "GET", "/customer-subscription-packages/{packageId}"),
    _r(
        "change-customer-subscription-package",
        "PATCH",
        "/customer-subscription-packages/{packageId}",
    ),
    _r(
        "sign-up-customer-subscription-package",
        "POST",
        "/customer-subscription-packages/{packageId}/sign-up",
    ),
    # Files API
    _r("post-files", "POST", "/files"),
    _r("get-file", "GET", "/files/{fileOrDirId}"),
    _r("download-file", "GET", "/files/{fileId}/download"),
    # File Request API
    _r("list-file-requests", "GET", "/file-requests"),
    _r("create-file-request", "POST", "/file-requests"),
    _r("get-file-request", "GET", "/file-requests/{requestId}"),
    # File Share API
    _r("list-file-shares", "GET", "/file-shares"),
    _r("create-file-share", "POST", "/file-shares"),
    # Invoices API (MijnKlantportaal's own invoices)
    _r("list-mijnklantportaal-invoices", "GET", "/invoices"),
    _r("get-mijnklantportaal-invoice", "GET", "/invoices/{invoiceId}"),
    # Payment Links API
    _r("list-payment-links", "GET", "/payment-links"),
    _r("create-payment-link", "POST", "/payment-links"),
    _r("get-payment-link", "GET", "/payment-links/{linkId}"),
    _r("close-payment-link", "DELETE", "/payment-links/{linkId}"),
    _r("list-payment-link-payment", "GET", "/payment-links/{linkId}/payments"),
    # Punch Cards API
    _r("list-punch-cards", "GET", "/punch-cards"),
    _r("create-punch-card", "POST", "/punch-cards"),
    _r("get-punch-card", "GET", "/punch-cards/{punchCardId}"),
    _r("edit-punch-card", "PATCH", "/punch-cards/{punchCardId}"),
    _r("list-bought-punch-cards", "GET", "/punch-cards/{punchCardId}/issued"),
    _r("issue-new-punch-card", "POST", "/punch-cards/{punchCardId}/issued"),
    _r(
        "get-bought-punch-card",
        "GET",
        "/punch-cards/{punchCardId}/issued/{issuedPunchCardId}",
    ),
    _r(
        "stamp-issued-punch-card",
        "POST",
        "/punch-cards/{punchCardId}/issued/{issuedPunchCardId}/stamp",
    ),
    # Tickets API
    _r("list-tickets", "GET", "/tickets"),
    _r("get-ticket", "GET", "/tickets/{ticketId}"),
    _r("add-ticket-message", "POST", "/tickets/{ticketId}"),
    _r("close-ticket", "PATCH", "/tickets/{ticketId}"),
    # Webhooks API
    _r("list-webhooks", "GET", "/webhooks"),
    _r("create-webhook", "POST", "/webhooks"),
    _r("get-webhook", "GET", "/webhooks/{webhookId}"),
)


def route_names(routes: tuple[Route, ...] = ROUTES) -> frozenset[str]:
    """Every name a route can be called by in the fault API: operationIds, their aliases and
    ``"METHOD /template"`` keys."""
    return frozenset(name for route in routes for name in route.names)
