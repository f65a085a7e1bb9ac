"""The operations table: every operation of the MijnKlantportaal REST API, once.

One :class:`Operation` row per API operation (67; OAuth's two endpoints live with the OAuth
client): its operationId (the seed page's where it differs from the merged spec, whose name is
then an alias), HTTP method, path template, docs path, how the request travels
(:class:`Body`), the request model, what the answer holds (:class:`Returns`) and its response
model, and the natural key of what a create stores. Three readers, and no second list anywhere:

- the resource classes: each method is its docstring plus one call through its row
  (``resources/_base.py``);
- the FakePortal's routing (``testing/routes.py``), which pairs each row with a handler;
- the table-driven tests (``tests/core/test_operations.py`` and the per-row examples), which also
  check this table against ``tests/data/openapi.yaml``.

A row without a ``response`` model is not in the client yet (the FakePortal answers it 501).
Adding an operation is five steps: see ``docs/architecture.md``, "Adding an operation".
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from typing import Any, Generic, TypeVar, overload

import attrs

from mijnklantportaal_async import models
from mijnklantportaal_async._core import natural_keys
from mijnklantportaal_async._core.downloads import DownloadLink
from mijnklantportaal_async._core.natural_keys import NaturalKey

__all__ = ["OPERATIONS", "Body", "Operation", "Returns", "by_id"]

Q = TypeVar("Q")
R = TypeVar("R")

_PARAM = re.compile(r"\{([A-Za-z]+)\}")


class Body(enum.Enum):
    """How an operation's request travels."""

    NONE = "none"
    """No body and no query parameters of the caller's."""
    JSON = "json"
    """The request model as a JSON object (camelCase keys)."""
    MULTIPART = "multipart"
    """The request model as streamed multipart/form-data (PHP bracket names, ``1``/``0``)."""
    QUERY = "query"
    """The request model as query parameters of a GET."""


class Returns(enum.Enum):
    """What a 2xx answer holds."""

    OBJECT = "object"
    """One object: the response model."""
    PAGE = "page"
    """A Laravel simple-paginator page whose ``data`` items are the response model."""
    DATA_LIST = "data list"
    """A plain ``{"data": [...]}`` list of the response model, not paginated."""
    DOWNLOAD = "download link"
    """``{"link", "expiresAt"}``: a pre-signed URL, valid 5 minutes, fetched without the key."""


@attrs.frozen
class Operation(Generic[Q, R]):
    """One API operation.

    Attributes:
        operation_id: the docs' operationId (``"create-customer-invoice"``).
        method: ``GET``, ``POST``, ``PATCH`` or ``DELETE``.
        path: the path template under the API root, ``{name}`` for a path parameter
            (``"/customer-invoices/{invoiceId}"``).
        docs: the docs page's path (``"/api-reference/customer-invoices-api/..."``).
        body: how the request travels.
        request: the request model (``CustomerInvoiceCreate``), None when there is none.
        response: the response model, or the item model of a list; None: not in the client yet.
        returns: what the answer holds.
        natural_key: what identifies the object a create stores (bulk reconcile, the journal,
            the import command's duplicate check), None where the kind has none.
        aliases: other operationIds it is known by (the merged spec's, where the seed differs).
    """

    operation_id: str
    method: str
    path: str
    docs: str
    body: Body = Body.NONE
    request: type[Q] | None = None
    response: type[R] | None = None
    returns: Returns = Returns.OBJECT
    natural_key: NaturalKey | None = None
    aliases: tuple[str, ...] = ()
    _path_params: tuple[str, ...] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_path_params", tuple(_PARAM.findall(self.path)))

    @property
    def path_params(self) -> tuple[str, ...]:
        """The path parameters' names, in order (``("invoiceId",)``)."""
        return self._path_params

    @property
    def key(self) -> str:
        """``"METHOD /template"``, e.g. ``"POST /customer-invoices"``."""
        return f"{self.method} {self.path}"

    @property
    def names(self) -> frozenset[str]:
        """Every name it is known by: operationId, aliases and :attr:`key`."""
        return frozenset({self.operation_id, *self.aliases, self.key})

    def fill(self, params: Mapping[str, str]) -> str:
        """The path with each ``{name}`` replaced by ``params[name]`` (already quoted)."""
        if not self._path_params:
            return self.path
        return _PARAM.sub(lambda match: params[match.group(1)], self.path)


@overload
def _op(
    operation_id: str,
    method: str,
    path: str,
    docs: str,
    *,
    request: type[Q],
    response: type[R],
    body: Body,
    returns: Returns = ...,
    natural_key: NaturalKey | None = ...,
    aliases: tuple[str, ...] = ...,
) -> Operation[Q, R]: ...


@overload
def _op(
    operation_id: str,
    method: str,
    path: str,
    docs: str,
    *,
    response: type[R],
    returns: Returns = ...,
) -> Operation[None, R]: ...


@overload
def _op(
    operation_id: str,
    method: str,
    path: str,
    docs: str,
    *,
    body: Body = ...,
    returns: Returns = ...,
) -> Operation[Any, Any]: ...


def _op(operation_id: str, method: str, path: str, docs: str, **row: Any) -> Operation[Any, Any]:
    """One row: an :class:`Operation`, typed by its request and response models (a row with
    neither is not in the client yet)."""
    return Operation(operation_id, method, path, docs, **row)


# Agreements API
LIST_AGREEMENTS = _op(
    "list-agreements",
    "GET",
    "/agreements",
    "/api-reference/agreements-api/list-agreements",
    returns=Returns.PAGE,
    response=models.Agreement,
)
CREATE_AGREEMENT = _op(
    "create-agreement",
    "POST",
    "/agreements",
    "/api-reference/agreements-api/create-agreement",
    body=Body.MULTIPART,
    request=models.AgreementCreate,
    response=models.Agreement,
    natural_key=natural_keys.AGREEMENT,
)
GET_AGREEMENT = _op(
    "get-agreement",
    "GET",
    "/agreements/{agreementId}",
    "/api-reference/agreements-api/get-agreement",
    response=models.Agreement,
)
DOWNLOAD_AGREEMENT_DOCUMENT = _op(
    "download-agreement-document",
    "GET",
    "/agreements/{agreementId}/documents/{documentId}/download",
    "/api-reference/agreements-api/download-agreement-document",
    returns=Returns.DOWNLOAD,
    response=DownloadLink,
)
# Appointments API
LIST_APPOINTMENTS = _op(
    "list-appointments",
    "GET",
    "/appointments",
    "/api-reference/appointments-api/list-appointments",
    body=Body.QUERY,
    request=models.AppointmentQuery,
    response=models.Appointment,
    returns=Returns.DATA_LIST,
)
SCHEDULE_APPOINTMENT = _op(
    "schedule-appointment",
    "POST",
    "/appointments",
    "/api-reference/appointments-api/schedule-appointment",
    body=Body.JSON,
    request=models.AppointmentCreate,
    response=models.Appointment,
)
GET_APPOINTMENT = _op(
    "get-appointment",
    "GET",
    "/appointments/{appointmentId}",
    "/api-reference/appointments-api/get-appointment",
    response=models.Appointment,
)
CHANGE_APPOINTMENT_STATUS = _op(
    "change-appointment-status",
    "PATCH",
    "/appointments/{appointmentId}",
    "/api-reference/appointments-api/change-appointment-status",
    body=Body.JSON,
    request=models.AppointmentStatusChange,
    response=models.Appointment,
)
# Customers API
LIST_CUSTOMERS = _op(
    "list-customers",
    "GET",
    "/customers",
    "/api-reference/customers-api/list-customers",
    returns=Returns.PAGE,
    response=models.Customer,
)
CREATE_CUSTOMER = _op(
    "create-customer",
    "POST",
    "/customers",
    "/api-reference/customers-api/create-customer",
    body=Body.JSON,
    request=models.CustomerCreate,
    response=models.Customer,
    natural_key=natural_keys.CUSTOMER,
)
GET_CUSTOMER = _op(
    "get-customer",
    "GET",
    "/customers/{customerId}",
    "/api-reference/customers-api/get-customer",
    response=models.Customer,
)
EDIT_CUSTOMER = _op(
    "edit-customer",
    "PATCH",
    "/customers/{customerId}",
    "/api-reference/customers-api/edit-customer",
    body=Body.JSON,
    request=models.CustomerUpdate,
    response=models.Customer,
)
# Customer Groups API
LIST_CUSTOMER_GROUPS = _op(
    "list-customer-groups",
    "GET",
    "/customer-groups",
    "/api-reference/customer-groups-api/list-customer-groups",
    returns=Returns.PAGE,
    response=models.CustomerGroup,
)
CREATE_CUSTOMER_GROUP = _op(
    "create-customer-group",
    "POST",
    "/customer-groups",
    "/api-reference/customer-groups-api/create-customer-group",
    body=Body.JSON,
    request=models.CustomerGroupCreate,
    response=models.CustomerGroup,
    natural_key=natural_keys.CUSTOMER_GROUP,
)
GET_CUSTOMER_GROUP = _op(
    "get-customer-group",
    "GET",
    "/customer-groups/{customerGroupId}",
    "/api-reference/customer-groups-api/get-customer-group",
    response=models.CustomerGroup,
)
EDIT_CUSTOMER_GROUP = _op(
    "edit-customer-group",
    "PATCH",
    "/customer-groups/{customerGroupId}",
    "/api-reference/customer-groups-api/edit-customer-group",
    body=Body.JSON,
    request=models.CustomerGroupUpdate,
    response=models.CustomerGroup,
)
ADD_CUSTOMERS_TO_CUSTOMER_GROUP = _op(
    "add-customers-to-customer-group",
    "POST",
    "/customer-groups/{customerGroupId}/customers",
    "/api-reference/customer-groups-api/add-customers-to-customer-group",
    body=Body.JSON,
    request=models.CustomerGroupCustomersAdd,
    response=models.Customer,
    returns=Returns.DATA_LIST,
)
# Customer Invoices API
LIST_CUSTOMER_INVOICES = _op(
    "list-customer-invoices",
    "GET",
    "/customer-invoices",
    "/api-reference/customer-invoices-api/list-customer-invoices",
    returns=Returns.PAGE,
    response=models.CustomerInvoice,
)
CREATE_CUSTOMER_INVOICE = _op(
    "create-customer-invoice",
    "POST",
    "/customer-invoices",
    "/api-reference/customer-invoices-api/create-customer-invoice",
    body=Body.MULTIPART,
    request=models.CustomerInvoiceCreate,
    response=models.CustomerInvoice,
    natural_key=natural_keys.CUSTOMER_INVOICE,
)
CREATE_MANUAL_CUSTOMER_INVOICE = _op(
    "create-manual-customer-invoice",
    "POST",
    "/customer-invoices/manual",
    "/api-reference/customer-invoices-api/create-manual-customer-invoice",
    body=Body.JSON,
    request=models.ManualCustomerInvoiceCreate,
    response=models.CustomerInvoice,
    natural_key=natural_keys.CUSTOMER_INVOICE,
)
GET_CUSTOMER_INVOICE = _op(
    "get-customer-invoice",
    "GET",
    "/customer-invoices/{invoiceId}",
    "/api-reference/customer-invoices-api/get-customer-invoice",
    response=models.CustomerInvoice,
)
MARK_CUSTOMER_INVOICE_PAID = _op(
    "mark-customer-invoice-paid",
    "PATCH",
    "/customer-invoices/{invoiceId}",
    "/api-reference/customer-invoices-api/mark-customer-invoice-paid",
    body=Body.JSON,
    request=models.CustomerInvoiceUpdate,
    response=models.CustomerInvoice,
)
GET_CUSTOMER_INVOICE_PDF = _op(
    "get-customer-invoice-pdf",
    "GET",
    "/customer-invoices/{invoiceId}/pdf",
    "/api-reference/customer-invoices-api/get-customer-invoice-as-pdf",
    returns=Returns.DOWNLOAD,
    response=DownloadLink,
)
# Customer Offers API
LIST_CUSTOMER_OFFERS = _op(
    "list-customer-offers",
    "GET",
    "/customer-offers",
    "/api-reference/customer-offers-api/list-customer-offers",
    returns=Returns.PAGE,
    response=models.CustomerOffer,
)
CREATE_CUSTOMER_OFFER = _op(
    "create-customer-offer",
    "POST",
    "/customer-offers",
    "/api-reference/customer-offers-api/create-customer-offer",
    body=Body.MULTIPART,
    request=models.CustomerOfferCreate,
    response=models.CustomerOffer,
    natural_key=natural_keys.CUSTOMER_OFFER,
)
# The seed page names it create-customer-offer-manual; the merged spec guessed the alias.
CREATE_CUSTOMER_OFFER_MANUAL = _op(
    "create-customer-offer-manual",
    "POST",
    "/customer-offers/manual",
    "/api-reference/customer-offers-api/create-manual-customer-offer",
    body=Body.JSON,
    request=models.ManualCustomerOfferCreate,
    response=models.CustomerOffer,
    natural_key=natural_keys.CUSTOMER_OFFER,
    aliases=("create-manual-customer-offer",),
)
GET_CUSTOMER_OFFER = _op(
    "get-customer-offer",
    "GET",
    "/customer-offers/{offerId}",
    "/api-reference/customer-offers-api/get-customer-offer",
    response=models.CustomerOffer,
)
MARK_CUSTOMER_OFFER_ACCEPTED_OR_REJECTED = _op(
    "mark-customer-offer-accepted-or-rejected",
    "PATCH",
    "/customer-offers/{offerId}",
    "/api-reference/customer-offers-api/mark-customer-offer-accepted-or-rejected",
    body=Body.JSON,
    request=models.CustomerOfferUpdate,
    response=models.CustomerOffer,
)
# Customer Subscriptions API
LIST_CUSTOMER_SUBSCRIPTIONS = _op(
    "list-customer-subscriptions",
    "GET",
    "/customer-subscriptions",
    "/api-reference/customer-subscriptions-api/list-customer-subscriptions",
    returns=Returns.PAGE,
    response=models.CustomerSubscription,
)
CREATE_CUSTOMER_SUBSCRIPTION = _op(
    "create-customer-subscription",
    "POST",
    "/customer-subscriptions",
    "/api-reference/customer-subscriptions-api/create-customer-subscription",
    body=Body.JSON,
    request=models.CustomerSubscriptionCreate,
    response=models.CustomerSubscription,
)
GET_CUSTOMER_SUBSCRIPTION = _op(
    "get-customer-subscription",
    "GET",
    "/customer-subscriptions/{subscriptionId}",
    "/api-reference/customer-subscriptions-api/get-customer-subscription",
    response=models.CustomerSubscription,
)
CHANGE_CUSTOMER_SUBSCRIPTION = _op(
    "change-customer-subscription",
    "PATCH",
    "/customer-subscriptions/{subscriptionId}",
    "/api-reference/customer-subscriptions-api/change-customer-subscription",
    body=Body.JSON,
    request=models.CustomerSubscriptionUpdate,
    response=models.CustomerSubscription,
)
# Customer Subscription Packages API
LIST_CUSTOMER_SUBSCRIPTION_PACKAGES = _op(
    "list-customer-subscription-packages",
    "GET",
    "/customer-subscription-packages",
    "/api-reference/customer-subscription-packages-api/list-customer-subscription-packages",
    returns=Returns.PAGE,
    response=models.CustomerSubscriptionPackage,
)
CREATE_CUSTOMER_SUBSCRIPTION_PACKAGE = _op(
    "create-customer-subscription-package",
    "POST",
    "/customer-subscription-packages",
    "/api-reference/customer-subscription-packages-api/create-customer-subscription-package",
    body=Body.JSON,
    request=models.CustomerSubscriptionPackageCreate,
    response=models.CustomerSubscriptionPackage,
)
GET_CUSTOMER_SUBSCRIPTION_PACKAGE = _op(
    "get-customer-subscription-package",
    "GET",
    "/customer-subscription-packages/{packageId}",
    "/api-reference/customer-subscription-packages-api/get-customer-subscription-package",
    response=models.CustomerSubscriptionPackage,
)
CHANGE_CUSTOMER_SUBSCRIPTION_PACKAGE = _op(
    "change-customer-subscription-package",
    "PATCH",
    "/customer-subscription-packages/{packageId}",
    "/api-reference/customer-subscription-packages-api/change-customer-subscription-package",
    body=Body.JSON,
    request=models.CustomerSubscriptionPackageUpdate,
    response=models.CustomerSubscriptionPackage,
)
SIGN_UP_CUSTOMER_SUBSCRIPTION_PACKAGE = _op(
    "sign-up-customer-subscription-package",
    "POST",
    "/customer-subscription-packages/{packageId}/sign-up",
    "/api-reference/customer-subscription-packages-api/sign-up-a-customer-for-a-customer-subscription-package",
    body=Body.JSON,
    request=models.CustomerSubscriptionPackageSignUp,
    response=models.CustomerSubscription,
)
# Files API
# One route, two uses: this row is the upload (multipart, a FileUpload; ?directory= from the
# model); mkp.files.create_directory sends a DirectoryCreate as JSON on the same route
# (resources/files.py, resources/_base.py same_route).
POST_FILES = _op(
    "post-files",
    "POST",
    "/files",
    "/api-reference/files-api/uploading-a-file-or-creating-a-directory",
    body=Body.MULTIPART,
    request=models.FileUpload,
    response=models.FileOrDirectory,
)
GET_FILE = _op(
    "get-file",
    "GET",
    "/files/{fileOrDirId}",
    "/api-reference/files-api/get-file-or-directory",
    response=models.FileOrDirectory,
)
DOWNLOAD_FILE = _op(
    "download-file",
    "GET",
    "/files/{fileId}/download",
    "/api-reference/files-api/download-file",
    response=DownloadLink,
    returns=Returns.DOWNLOAD,
)
# File Request API
LIST_FILE_REQUESTS = _op(
    "list-file-requests",
    "GET",
    "/file-requests",
    "/api-reference/file-request-api/list-file-requests",
    returns=Returns.PAGE,
    response=models.FileRequest,
)
CREATE_FILE_REQUEST = _op(
    "create-file-request",
    "POST",
    "/file-requests",
    "/api-reference/file-request-api/create-file-request",
    body=Body.JSON,
    request=models.FileRequestCreate,
    response=models.FileRequest,
)
GET_FILE_REQUEST = _op(
    "get-file-request",
    "GET",
    "/file-requests/{requestId}",
    "/api-reference/file-request-api/get-file-request",
    response=models.FileRequest,
)
# File Share API
LIST_FILE_SHARES = _op(
    "list-file-shares",
    "GET",
    "/file-shares",
    "/api-reference/file-share-api/list-file-shares",
    returns=Returns.PAGE,
    response=models.FileShare,
)
CREATE_FILE_SHARE = _op(
    "create-file-share",
    "POST",
    "/file-shares",
    "/api-reference/file-share-api/create-file-share",
    body=Body.JSON,
    request=models.FileShareCreate,
    response=models.FileShare,
)
# Invoices API
LIST_MIJNKLANTPORTAAL_INVOICES = _op(
    "list-mijnklantportaal-invoices",
    "GET",
    "/invoices",
    "/api-reference/invoices-api/list-mijnklantportaal-invoices",
    returns=Returns.PAGE,
    response=models.MijnKlantportaalInvoice,
)
GET_MIJNKLANTPORTAAL_INVOICE = _op(
    "get-mijnklantportaal-invoice",
    "GET",
    "/invoices/{invoiceId}",
    "/api-reference/invoices-api/get-mijnklantportaal-invoice",
    response=models.MijnKlantportaalInvoice,
)
# Payment Links API
LIST_PAYMENT_LINKS = _op(
    "list-payment-links",
    "GET",
    "/payment-links",
    "/api-reference/payment-links-api/list-payment-links",
    returns=Returns.PAGE,
    response=models.PaymentLink,
)
CREATE_PAYMENT_LINK = _op(
    "create-payment-link",
    "POST",
    "/payment-links",
    "/api-reference/payment-links-api/create-payment-link",
    body=Body.JSON,
    request=models.PaymentLinkCreate,
    response=models.PaymentLink,
)
GET_PAYMENT_LINK = _op(
    "get-payment-link",
    "GET",
    "/payment-links/{linkId}",
    "/api-reference/payment-links-api/get-payment-link",
    response=models.PaymentLink,
)
CLOSE_PAYMENT_LINK = _op(
    "close-payment-link",
    "DELETE",
    "/payment-links/{linkId}",
    "/api-reference/payment-links-api/close-payment-link",
    response=models.PaymentLink,
)
LIST_PAYMENT_LINK_PAYMENT = _op(
    "list-payment-link-payment",
    "GET",
    "/payment-links/{linkId}/payments",
    "/api-reference/payment-links-api/list-payment-link-payments",
    returns=Returns.PAGE,
    response=models.PaymentLinkPayment,
)
# Punch Cards API
LIST_PUNCH_CARDS = _op(
    "list-punch-cards",
    "GET",
    "/punch-cards",
    "/api-reference/punch-cards-api/list-punch-cards",
    response=models.PunchCard,
    returns=Returns.PAGE,
)
CREATE_PUNCH_CARD = _op(
    "create-punch-card",
    "POST",
    "/punch-cards",
    "/api-reference/punch-cards-api/create-punch-card",
    body=Body.JSON,
    request=models.PunchCardCreate,
    response=models.PunchCard,
)
GET_PUNCH_CARD = _op(
    "get-punch-card",
    "GET",
    "/punch-cards/{punchCardId}",
    "/api-reference/punch-cards-api/get-punch-card",
    response=models.PunchCard,
)
EDIT_PUNCH_CARD = _op(
    "edit-punch-card",
    "PATCH",
    "/punch-cards/{punchCardId}",
    "/api-reference/punch-cards-api/edit-punch-card",
    body=Body.JSON,
    request=models.PunchCardUpdate,
    response=models.PunchCard,
)
LIST_BOUGHT_PUNCH_CARDS = _op(
    "list-bought-punch-cards",
    "GET",
    "/punch-cards/{punchCardId}/issued",
    "/api-reference/punch-cards-api/list-issued-cards-for-punch-card",
    response=models.IssuedPunchCard,
    returns=Returns.PAGE,
)
ISSUE_NEW_PUNCH_CARD = _op(
    "issue-new-punch-card",
    "POST",
    "/punch-cards/{punchCardId}/issued",
    "/api-reference/punch-cards-api/issue-new-punch-card",
    body=Body.JSON,
    request=models.IssuedPunchCardCreate,
    response=models.IssuedPunchCard,
)
GET_BOUGHT_PUNCH_CARD = _op(
    "get-bought-punch-card",
    "GET",
    "/punch-cards/{punchCardId}/issued/{issuedPunchCardId}",
    "/api-reference/punch-cards-api/get-an-issued-punch-card",
    response=models.IssuedPunchCard,
)
STAMP_ISSUED_PUNCH_CARD = _op(
    "stamp-issued-punch-card",
    "POST",
    "/punch-cards/{punchCardId}/issued/{issuedPunchCardId}/stamp",
    "/api-reference/punch-cards-api/stamp-an-issued-punch-card",
    body=Body.JSON,
    request=models.PunchCardStamp,
    response=models.IssuedPunchCard,
)
# Tickets API
LIST_TICKETS = _op(
    "list-tickets",
    "GET",
    "/tickets",
    "/api-reference/tickets-api/list-ticket-records",
    returns=Returns.PAGE,
    response=models.Ticket,
)
GET_TICKET = _op(
    "get-ticket",
    "GET",
    "/tickets/{ticketId}",
    "/api-reference/tickets-api/get-ticket-record",
    response=models.Ticket,
)
ADD_TICKET_MESSAGE = _op(
    "add-ticket-message",
    "POST",
    "/tickets/{ticketId}",
    "/api-reference/tickets-api/add-message-to-the-ticket",
    body=Body.JSON,
    request=models.TicketMessageCreate,
    response=models.Ticket,
)
CLOSE_TICKET = _op(
    "close-ticket",
    "PATCH",
    "/tickets/{ticketId}",
    "/api-reference/tickets-api/close-the-ticket",
    response=models.Ticket,
)
# Webhooks API
LIST_WEBHOOKS = _op(
    "list-webhooks",
    "GET",
    "/webhooks",
    "/api-reference/webhooks-api/list-webhook-records",
    returns=Returns.PAGE,
    response=models.Webhook,
)
CREATE_WEBHOOK = _op(
    "create-webhook",
    "POST",
    "/webhooks",
    "/api-reference/webhooks-api/create-webhook-record",
    body=Body.JSON,
    request=models.WebhookCreate,
    response=models.Webhook,
)
GET_WEBHOOK = _op(
    "get-webhook",
    "GET",
    "/webhooks/{webhookId}",
    "/api-reference/webhooks-api/get-webhook-record",
    response=models.Webhook,
)


OPERATIONS: tuple[Operation[Any, Any], ...] = tuple(
    value for value in list(globals().values()) if isinstance(value, Operation)
)
"""Every row above, in the order of the API's docs."""

_BY_ID = {name: op for op in OPERATIONS for name in (op.operation_id, *op.aliases)}


def by_id(operation_id: str) -> Operation[Any, Any]:
    """The row of ``operation_id`` (or one of its aliases).

    Raises:
        KeyError: no such operation.
    """
    return _BY_ID[operation_id]
