"""The attrs request and response models, one module per API area.

Request classes (``<Thing>Create``, ``<Thing>Update``) are frozen, keyword-only and validated
when built: a bad value raises ``RequestValidationError`` naming the snake_case field. An
update sends only the fields the caller set: the others hold :data:`UNSET` and are left out;
None is sent as null where the API lets a field be cleared. Response classes (the
plain noun) are frozen, keyword-only, and tolerant: every field but ``id`` may be missing.
Wire names (camelCase) are known only to ``mijnklantportaal_async._core.wire``.
"""

from mijnklantportaal_async.models import (
    agreements,
    common,
    customer_invoices,
    customer_offers,
    customers,
)
from mijnklantportaal_async.models.agreements import *
from mijnklantportaal_async.models.common import *
from mijnklantportaal_async.models.customer_invoices import *
from mijnklantportaal_async.models.customer_offers import *
from mijnklantportaal_async.models.customers import *

# Each area module's __all__ is its public models: a new model is exported here, and from the
# package top level, by listing it there.
__all__ = []
__all__ += agreements.__all__
__all__ += common.__all__
__all__ += customer_invoices.__all__
__all__ += customer_offers.__all__
__all__ += customers.__all__
