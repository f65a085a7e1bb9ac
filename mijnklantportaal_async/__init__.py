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
from mijnklantportaal_async.models import (
    Agreement,
    AgreementCreate,
    AgreementDocument,
    AgreementSigner,
    AgreementSignerCreate,
    Customer,
    CustomerCreate,
    CustomerInvoice,
    CustomerInvoiceCreate,
    CustomerInvoiceLinks,
    CustomerOffer,
    CustomerOfferCreate,
    CustomerOfferLinks,
    Link,
    ManualCustomerOfferCreate,
    OfferLine,
)
from mijnklantportaal_async.pagination import AsyncPaginator, Page, PaginationError
from mijnklantportaal_async.ratelimit import RateLimit, RateLimiter
from mijnklantportaal_async.uploads import Upload, UploadConsumedError, signature_data_uri

__all__ = [
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
    "AsyncPaginator",
    "AuthenticationError",
    "BulkItemResult",
    "BulkReport",
    "ClientClosedError",
    "Customer",
    "CustomerCreate",
    "CustomerInvoice",
    "CustomerInvoiceCreate",
    "CustomerInvoiceLinks",
    "CustomerOffer",
    "CustomerOfferCreate",
    "CustomerOfferLinks",
    "DuplicateItemError",
    "InsufficientBalanceError",
    "ItemStatus",
    "JournalCorruptError",
    "JournalError",
    "JournalLockedError",
    "JournalMismatchError",
    "LicenseLimitError",
    "Link",
    "ManualCustomerOfferCreate",
    "MijnKlantportaal",
    "MijnKlantportaalError",
    "NotFoundError",
    "OfferLine",
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
