"""asyncio-first client for the MijnKlantportaal REST API.

``async with MijnKlantportaal() as mkp: await mkp.customer_invoices.create(...)``; see README.md.
"""

from mijnklantportaal_async._core.http import RetryPolicy, Timeouts
from mijnklantportaal_async._version import __version__
from mijnklantportaal_async.bulk import BulkItemResult, BulkReport, DuplicateItemError, ItemStatus
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
    InsufficientBalanceError,
    LicenseLimitError,
    MijnKlantportaalError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RequestValidationError,
    ServerError,
    UnprocessableEntityError,
)
from mijnklantportaal_async.models import agreements as _agreements
from mijnklantportaal_async.models import common as _common
from mijnklantportaal_async.models import customer_invoices as _customer_invoices
from mijnklantportaal_async.models import customer_offers as _customer_offers
from mijnklantportaal_async.models import customers as _customers
from mijnklantportaal_async.models.agreements import *
from mijnklantportaal_async.models.common import *
from mijnklantportaal_async.models.customer_invoices import *
from mijnklantportaal_async.models.customer_offers import *
from mijnklantportaal_async.models.customers import *
from mijnklantportaal_async.pagination import AsyncPaginator, Page, PaginationError
from mijnklantportaal_async.ratelimit import RateLimit, RateLimiter
from mijnklantportaal_async.uploads import Upload, UploadConsumedError, signature_data_uri

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
    "ClientClosedError",
    "DuplicateItemError",
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
    "Page",
    "PaginationError",
    "PermissionDeniedError",
    "RateLimit",
    "RateLimitError",
    "RateLimiter",
    "RequestValidationError",
    "RetryPolicy",
    "ServerError",
    "Timeouts",
    "UnprocessableEntityError",
    "Upload",
    "UploadConsumedError",
    "__version__",
    "signature_data_uri",
]
# Every request and response model, as each area module's __all__ lists it (one level deep,
# so that type checkers follow it too).
__all__ += _agreements.__all__
__all__ += _common.__all__
__all__ += _customer_invoices.__all__
__all__ += _customer_offers.__all__
__all__ += _customers.__all__
