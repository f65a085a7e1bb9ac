"""The FakePortal's routing: every row of the operations table, paired with its handler.

The operations (operationId, aliases, method, path template) come from
``mijnklantportaal_async._core.operations``, the one table the client reads too; each handler
module says which operations it serves in its ``HANDLERS`` dict. A row without a handler answers
501 with a JSON message naming the operation, after authentication and the rate limit like any
other.

To serve another operation, write its handler in ``handlers/`` and add it to that module's
``HANDLERS``. If it stores a kind of object the portal does not hold yet, also add the kind
to ``state.KINDS`` and its documented ID prefix to ``state.ID_PREFIXES``;
``portal.objects("<kind>")`` then shows what it stored. See
``docs/architecture.md``, "Adding an operation".
"""

from __future__ import annotations

from typing import Any

import attrs

from mijnklantportaal_async._core.operations import OPERATIONS, Operation
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
    webhooks,
)
from mijnklantportaal_async.testing.handlers._common import Handler

__all__ = ["HANDLERS", "ROUTES", "Route", "route_names"]


@attrs.frozen
class Route:
    """One row of the operations table and the ``handler`` that serves it (None: not
    implemented, answered 501). Its name, method, path template (under ``/v1``), aliases, key
    (``"METHOD /template"``) and names are the row's."""

    operation: Operation[Any, Any]
    handler: Handler | None = None

    @property
    def operation_id(self) -> str:
        return self.operation.operation_id

    @property
    def method(self) -> str:
        return self.operation.method

    @property
    def path(self) -> str:
        return self.operation.path

    @property
    def aliases(self) -> tuple[str, ...]:
        return self.operation.aliases

    @property
    def key(self) -> str:
        """``"METHOD /template"``, e.g. ``"POST /customer-invoices"``."""
        return self.operation.key

    @property
    def names(self) -> frozenset[str]:
        """Every name the fault API accepts for it: operationId, aliases and :attr:`key`."""
        return self.operation.names


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
    **webhooks.HANDLERS,
}
"""Every handler by the operationId it serves."""

ROUTES: tuple[Route, ...] = tuple(Route(op, HANDLERS.get(op.operation_id)) for op in OPERATIONS)
"""One route per operation of the table, in its order."""

_unknown = set(HANDLERS) - {route.operation_id for route in ROUTES}
if _unknown:  # a handler registered under a name the table does not have
    raise RuntimeError(f"handlers for operations not in the table: {sorted(_unknown)}")


def route_names(routes: tuple[Route, ...] = ROUTES) -> frozenset[str]:
    """Every name a route can be called by in the fault API: operationIds, their aliases and
    ``"METHOD /template"`` keys."""
    return frozenset(name for route in routes for name in route.names)
