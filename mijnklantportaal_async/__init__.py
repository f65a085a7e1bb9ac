"""asyncio-first client for the MijnKlantportaal REST API.

``async with MijnKlantportaal() as mkp: await mkp.customer_invoices.create(...)``; see README.md.
"""

from mijnklantportaal_async._core.http import RetryPolicy, Timeouts
from mijnklantportaal_async._core.log import configure_from_env as _configure_from_env
from mijnklantportaal_async._core.responses import RateLimitState, RawResponse
from mijnklantportaal_async._version import __version__
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
from mijnklantportaal_async.models import agreements as _agreements
from mijnklantportaal_async.models import appointments as _appointments
from mijnklantportaal_async.models import common as _common
from mijnklantportaal_async.models import customer_groups as _customer_groups
from mijnklantportaal_async.models import customer_invoices as _customer_invoices
from mijnklantportaal_async.models import customer_offers as _customer_offers
from mijnklantportaal_async.models import (
    customer_subscription_packages as _customer_subscription_packages,
)
from mijnklantportaal_async.models import customer_subscriptions as _customer_subscriptions
from mijnklantportaal_async.models import customers as _customers
from mijnklantportaal_async.models import file_requests as _file_requests
from mijnklantportaal_async.models import file_shares as _file_shares
from mijnklantportaal_async.models import files as _files
from mijnklantportaal_async.models import mijnklantportaal_invoices as _mijnklantportaal_invoices
from mijnklantportaal_async.models import payment_links as _payment_links
from mijnklantportaal_async.models import punch_cards as _punch_cards
from mijnklantportaal_async.models import tickets as _tickets
from mijnklantportaal_async.models import webhooks as _webhooks
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

__all__ = [
    "APIConnectionError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AmbiguousWriteError",
    "AsyncPaginator",
    "AuthenticationError",
    "BulkItemResult",
    "BulkReport",
    "ChangedItemError",
    "ClientClosedError",
    "ConflictError",
    "DuplicateItemError",
    "EventLoopError",
    "InsufficientBalanceError",
    "ItemStatus",
    "JournalCorruptError",
    "JournalError",
    "JournalLockedError",
    "JournalMismatchError",
    "LicenseLimitError",
    "MijnKlantportaal",
    "MijnKlantportaalError",
    "NotFoundError",
    "OAuthClient",
    "OAuthError",
    "OAuthToken",
    "Page",
    "PaginationError",
    "PermissionDeniedError",
    "RateLimit",
    "RateLimitError",
    "RateLimitState",
    "RateLimiter",
    "RawResponse",
    "RequestValidationError",
    "RetryPolicy",
    "ServerError",
    "StoredDuplicate",
    "Timeouts",
    "UnprocessableEntityError",
    "Upload",
    "UploadConsumedError",
    "Verification",
    "WebhookEvent",
    "WebhookPayloadError",
    "WebhookSignatureError",
    "__version__",
    "parse_webhook",
    "signature_data_uri",
]
# Every request and response model, as each area module's __all__ lists it (one level deep,
# so that type checkers follow it too).
__all__ += _agreements.__all__
__all__ += _appointments.__all__
__all__ += _common.__all__
__all__ += _customer_groups.__all__
__all__ += _customer_invoices.__all__
__all__ += _customer_offers.__all__
__all__ += _customer_subscription_packages.__all__
__all__ += _customer_subscriptions.__all__
__all__ += _customers.__all__
__all__ += _file_requests.__all__
__all__ += _file_shares.__all__
__all__ += _files.__all__
__all__ += _mijnklantportaal_invoices.__all__
__all__ += _payment_links.__all__
__all__ += _punch_cards.__all__
__all__ += _tickets.__all__

# MIJNKLANTPORTAAL_LOG=debug|info: the library's log lines to stderr, with no code (once).
_configure_from_env()
__all__ += _webhooks.__all__
