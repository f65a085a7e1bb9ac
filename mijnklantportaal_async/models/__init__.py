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
    appointments,
    common,
    customer_groups,
    customer_invoices,
    customer_offers,
    customer_subscription_packages,
    customer_subscriptions,
    customers,
    file_requests,
    file_shares,
    files,
    mijnklantportaal_invoices,
    payment_links,
    punch_cards,
    tickets,
    webhooks,
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

# Each area module's __all__ is its public models: a new model is exported here, and from the
# package top level, by listing it there.
__all__ = []
__all__ += agreements.__all__
__all__ += appointments.__all__
__all__ += common.__all__
__all__ += customer_groups.__all__
__all__ += customer_invoices.__all__
__all__ += customer_offers.__all__
__all__ += customer_subscription_packages.__all__
__all__ += customer_subscriptions.__all__
__all__ += customers.__all__
__all__ += file_requests.__all__
__all__ += file_shares.__all__
__all__ += files.__all__
__all__ += mijnklantportaal_invoices.__all__
__all__ += payment_links.__all__
__all__ += punch_cards.__all__
__all__ += tickets.__all__
__all__ += webhooks.__all__
