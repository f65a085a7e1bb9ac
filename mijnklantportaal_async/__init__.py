"""asyncio-first client for the MijnKlantportaal REST API.

``async with MijnKlantportaal() as mkp: await mkp.customer_invoices.create(...)``; see README.md.

Every public name is importable from here, and each is imported on first use (PEP 562's module
``__getattr__``): ``import mijnklantportaal_async`` loads almost nothing, ``MijnKlantportaal``
loads the request path, a model loads the models (docs/architecture.md, "Import policy").
Type checkers, IDEs and the API reference read the imports under ``TYPE_CHECKING``; at run
time ``_EXPORTS`` says where each name lives. ``tests/test_lazy_imports.py`` keeps the two,
``__all__`` and every module's own ``__all__`` in agreement.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mijnklantportaal_async._core.lazy import lazy_exports
from mijnklantportaal_async._core.log import configure_from_env as _configure_from_env
from mijnklantportaal_async._version import __version__

if TYPE_CHECKING:
    from mijnklantportaal_async._core.responses import RateLimitState, RawResponse
    from mijnklantportaal_async._core.settings import RetryPolicy, Timeouts
    from mijnklantportaal_async.bulk import (
        BulkItemResult,
        BulkReport,
        ChangedItemError,
        ConflictError,
        DuplicateItemError,
        ItemStatus,
        StoredDuplicate,
        Verification,
    )
    from mijnklantportaal_async.bulk.journal import (
        JournalCorruptError,
        JournalError,
        JournalLockedError,
        JournalMismatchError,
    )
    from mijnklantportaal_async.client import MijnKlantportaal
    from mijnklantportaal_async.errors import (
        AmbiguousWriteError,
        APIConnectionError,
        APIResponseValidationError,
        APIStatusError,
        APITimeoutError,
        AuthenticationError,
        ClientClosedError,
        EventLoopError,
        InsufficientBalanceError,
        LicenseLimitError,
        MijnKlantportaalError,
        NotFoundError,
        OAuthError,
        PermissionDeniedError,
        RateLimitError,
        RequestValidationError,
        ServerError,
        UnprocessableEntityError,
        WebhookPayloadError,
        WebhookSignatureError,
    )
    from mijnklantportaal_async.models.agreements import *
    from mijnklantportaal_async.models.appointments import *
    from mijnklantportaal_async.models.common import *
    from mijnklantportaal_async.models.customer_groups import *
    from mijnklantportaal_async.models.customer_invoices import *
    from mijnklantportaal_async.models.customer_offers import *
    from mijnklantportaal_async.models.customer_subscription_packages import *
    from mijnklantportaal_async.models.customer_subscriptions import *
    from mijnklantportaal_async.models.customers import *
    from mijnklantportaal_async.models.file_requests import *
    from mijnklantportaal_async.models.file_shares import *
    from mijnklantportaal_async.models.files import *
    from mijnklantportaal_async.models.mijnklantportaal_invoices import *
    from mijnklantportaal_async.models.payment_links import *
    from mijnklantportaal_async.models.punch_cards import *
    from mijnklantportaal_async.models.tickets import *
    from mijnklantportaal_async.models.webhooks import *
    from mijnklantportaal_async.oauth import OAuthClient, OAuthToken
    from mijnklantportaal_async.pagination import AsyncPaginator, Page, PaginationError
    from mijnklantportaal_async.ratelimit import RateLimit, RateLimiter
    from mijnklantportaal_async.uploads import Upload, UploadConsumedError, signature_data_uri
    from mijnklantportaal_async.webhooks import WebhookEvent, parse_webhook

__all__ = [  # every public name, once; sorted
    "UNSET",
    "APIConnectionError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "Agreement",
    "AgreementCreate",
    "AgreementDocument",
    "AgreementSigner",
    "AgreementSignerCreate",
    "AmbiguousWriteError",
    "Appointment",
    "AppointmentCreate",
    "AppointmentQuery",
    "AppointmentStatus",
    "AppointmentStatusChange",
    "AsyncPaginator",
    "AuthenticationError",
    "BulkItemResult",
    "BulkReport",
    "ChangedItemError",
    "ClientClosedError",
    "ConflictError",
    "Customer",
    "CustomerCreate",
    "CustomerGroup",
    "CustomerGroupCreate",
    "CustomerGroupCustomersAdd",
    "CustomerGroupUpdate",
    "CustomerInvoice",
    "CustomerInvoiceCreate",
    "CustomerInvoiceLinks",
    "CustomerInvoiceUpdate",
    "CustomerOffer",
    "CustomerOfferCreate",
    "CustomerOfferLinks",
    "CustomerOfferUpdate",
    "CustomerSubscription",
    "CustomerSubscriptionCreate",
    "CustomerSubscriptionOptions",
    "CustomerSubscriptionPackage",
    "CustomerSubscriptionPackageCreate",
    "CustomerSubscriptionPackageSignUp",
    "CustomerSubscriptionPackageUpdate",
    "CustomerSubscriptionUpdate",
    "CustomerUpdate",
    "DirectoryCreate",
    "DuplicateItemError",
    "EventLoopError",
    "ExpiryPeriod",
    "FileOrDirectory",
    "FileOrDirectoryType",
    "FileRequest",
    "FileRequestCreate",
    "FileRequestLinks",
    "FileShare",
    "FileShareCreate",
    "FileShareLinks",
    "FileUpload",
    "InsufficientBalanceError",
    "InvoiceLine",
    "IssuedPunchCard",
    "IssuedPunchCardCreate",
    "IssuedPunchCardStatus",
    "ItemStatus",
    "JournalCorruptError",
    "JournalError",
    "JournalLockedError",
    "JournalMismatchError",
    "LicenseLimitError",
    "Link",
    "ManualCustomerInvoiceCreate",
    "ManualCustomerOfferCreate",
    "MijnKlantportaal",
    "MijnKlantportaalError",
    "MijnKlantportaalInvoice",
    "MijnKlantportaalInvoiceLine",
    "NotFoundError",
    "OAuthClient",
    "OAuthError",
    "OAuthToken",
    "OfferLine",
    "Page",
    "PaginationError",
    "PaymentLink",
    "PaymentLinkCreate",
    "PaymentLinkPayment",
    "PaymentLinkStatus",
    "PermissionDeniedError",
    "PunchCard",
    "PunchCardCreate",
    "PunchCardStamp",
    "PunchCardUpdate",
    "RateLimit",
    "RateLimitError",
    "RateLimitState",
    "RateLimiter",
    "RawResponse",
    "RequestValidationError",
    "RequestedFile",
    "RequestedFileCreate",
    "RetryPolicy",
    "ServerError",
    "StoredDuplicate",
    "SubscriptionInterval",
    "SubscriptionStatus",
    "Ticket",
    "TicketAttachment",
    "TicketMessage",
    "TicketMessageCreate",
    "TicketSource",
    "TicketStatus",
    "Timeouts",
    "UnprocessableEntityError",
    "Unset",
    "Upload",
    "UploadConsumedError",
    "Verification",
    "Webhook",
    "WebhookCreate",
    "WebhookEvent",
    "WebhookPayloadError",
    "WebhookSignatureError",
    "WebhookType",
    "__version__",
    "parse_webhook",
    "signature_data_uri",
]

_EXPORTS: dict[str, tuple[str, ...]] = {
    # module (under mijnklantportaal_async) -> the public names it gives the top level
    "_core.responses": ("RateLimitState", "RawResponse"),
    "_core.settings": ("RetryPolicy", "Timeouts"),
    "bulk": (
        "BulkItemResult",
        "BulkReport",
        "ChangedItemError",
        "ConflictError",
        "DuplicateItemError",
        "ItemStatus",
        "StoredDuplicate",
        "Verification",
    ),
    "bulk.journal": (
        "JournalCorruptError",
        "JournalError",
        "JournalLockedError",
        "JournalMismatchError",
    ),
    "client": ("MijnKlantportaal",),
    "errors": (
        "AmbiguousWriteError",
        "APIConnectionError",
        "APIResponseValidationError",
        "APIStatusError",
        "APITimeoutError",
        "AuthenticationError",
        "ClientClosedError",
        "EventLoopError",
        "InsufficientBalanceError",
        "LicenseLimitError",
        "MijnKlantportaalError",
        "NotFoundError",
        "OAuthError",
        "PermissionDeniedError",
        "RateLimitError",
        "RequestValidationError",
        "ServerError",
        "UnprocessableEntityError",
        "WebhookPayloadError",
        "WebhookSignatureError",
    ),
    "models.agreements": (
        "Agreement",
        "AgreementCreate",
        "AgreementDocument",
        "AgreementSigner",
        "AgreementSignerCreate",
    ),
    "models.appointments": (
        "Appointment",
        "AppointmentCreate",
        "AppointmentQuery",
        "AppointmentStatus",
        "AppointmentStatusChange",
    ),
    "models.common": ("UNSET", "Link", "Unset"),
    "models.customer_groups": (
        "CustomerGroup",
        "CustomerGroupCreate",
        "CustomerGroupCustomersAdd",
        "CustomerGroupUpdate",
    ),
    "models.customer_invoices": (
        "CustomerInvoice",
        "CustomerInvoiceCreate",
        "CustomerInvoiceLinks",
        "CustomerInvoiceUpdate",
        "InvoiceLine",
        "ManualCustomerInvoiceCreate",
    ),
    "models.customer_offers": (
        "CustomerOffer",
        "CustomerOfferCreate",
        "CustomerOfferLinks",
        "CustomerOfferUpdate",
        "ManualCustomerOfferCreate",
        "OfferLine",
    ),
    "models.customer_subscription_packages": (
        "CustomerSubscriptionPackage",
        "CustomerSubscriptionPackageCreate",
        "CustomerSubscriptionPackageSignUp",
        "CustomerSubscriptionPackageUpdate",
    ),
    "models.customer_subscriptions": (
        "CustomerSubscription",
        "CustomerSubscriptionCreate",
        "CustomerSubscriptionOptions",
        "CustomerSubscriptionUpdate",
        "SubscriptionInterval",
        "SubscriptionStatus",
    ),
    "models.customers": ("Customer", "CustomerCreate", "CustomerUpdate"),
    "models.file_requests": (
        "FileRequest",
        "FileRequestCreate",
        "FileRequestLinks",
        "RequestedFile",
        "RequestedFileCreate",
    ),
    "models.file_shares": ("FileShare", "FileShareCreate", "FileShareLinks"),
    "models.files": ("DirectoryCreate", "FileOrDirectory", "FileOrDirectoryType", "FileUpload"),
    "models.mijnklantportaal_invoices": ("MijnKlantportaalInvoice", "MijnKlantportaalInvoiceLine"),
    "models.payment_links": (
        "PaymentLink",
        "PaymentLinkCreate",
        "PaymentLinkPayment",
        "PaymentLinkStatus",
    ),
    "models.punch_cards": (
        "ExpiryPeriod",
        "IssuedPunchCard",
        "IssuedPunchCardCreate",
        "IssuedPunchCardStatus",
        "PunchCard",
        "PunchCardCreate",
        "PunchCardStamp",
        "PunchCardUpdate",
    ),
    "models.tickets": (
        "Ticket",
        "TicketAttachment",
        "TicketMessage",
        "TicketMessageCreate",
        "TicketSource",
        "TicketStatus",
    ),
    "models.webhooks": ("Webhook", "WebhookCreate", "WebhookType"),
    "oauth": ("OAuthClient", "OAuthToken"),
    "pagination": ("AsyncPaginator", "Page", "PaginationError"),
    "ratelimit": ("RateLimit", "RateLimiter"),
    "uploads": ("Upload", "UploadConsumedError", "signature_data_uri"),
    "webhooks": ("WebhookEvent", "parse_webhook"),
}
_SUBMODULES = frozenset(
    # reached as attributes (mijnklantportaal_async.errors.NotFoundError) without an import
    # of their own, as when this module imported them all
    {
        "bulk",
        "client",
        "errors",
        "models",
        "oauth",
        "pagination",
        "ratelimit",
        "resources",
        "uploads",
        "webhooks",
    }
)


if not TYPE_CHECKING:  # type checkers see the imports above, and no catch-all __getattr__
    __getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, _SUBMODULES, globals(), __all__)

# MIJNKLANTPORTAAL_LOG=debug|info: the library's log lines to stderr, with no code (once).
_configure_from_env()
