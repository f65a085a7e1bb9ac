"""The FakePortal's routing: every row of the operations table, paired with its handler.

The operations (operationId, aliases, method, path template) come from
``mijnklantportaal_async._core.operations``, the one table the client reads too; each handler
module says which operations it serves in its ``HANDLERS`` dict. A row without a handler answers
501 with a JSON message naming the operation, after authentication and the rate limit like any
other.

To serve another operation, write its handler in ``handlers/`` and add it to that module's
``HANDLERS``. If it stores a kind of object the portal does not hold yet (appointments,
webhooks, ...), also add the kind to ``state.KINDS`` and its documented ID prefix to
``state.ID_PREFIXES``; ``portal.objects("webhooks")`` then shows what it stored. See
``docs/architecture.md``, "Adding an operation".
"""

from __future__ import annotations

import attrs

from mijnklantportaal_async._core.operations import OPERATIONS
from mijnklantportaal_async.testing.handlers import (
    agreements,
    appointments,
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
)
from mijnklantportaal_async.testing.handlers._common import Handler

__all__ = ["HANDLERS", "ROUTES", "Route", "route_names"]


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


HANDLERS: dict[str, Handler] = {
    **agreements.HANDLERS,
    **appointments.HANDLERS,
    **customer_groups.HANDLERS,
    **customer_invoices.HANDLERS,
    **customer_offers.HANDLERS,
    **customer_subscription_packages.HANDLERS,
    **customer_subscriptions.HANDLERS,
    **customers.HANDLERS,
    **file_requests.HANDLERS,
    **file_shares.HANDLERS,
    **files.HANDLERS,
    **mijnklantportaal_invoices.HANDLERS,
    **payment_links.HANDLERS,
    **punch_cards.HANDLERS,
    **tickets.HANDLERS,
}
"""Every handler by the operationId it serves."""

ROUTES: tuple[Route, ...] = tuple(
    Route(op.operation_id, op.method, op.path, HANDLERS.get(op.operation_id), op.aliases)
    for op in OPERATIONS
)
"""One route per operation of the table, in its order."""

_unknown = set(HANDLERS) - {route.operation_id for route in ROUTES}
if _unknown:  # a handler registered under a name the table does not have
    raise RuntimeError(f"handlers for operations not in the table: {sorted(_unknown)}")


def route_names(routes: tuple[Route, ...] = ROUTES) -> frozenset[str]:
    """Every name a route can be called by in the fault API: operationIds, their aliases and
    ``"METHOD /template"`` keys."""
    return frozenset(name for route in routes for name in route.names)
