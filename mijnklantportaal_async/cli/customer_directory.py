"""Customer IDs by e-mail, for CSV rows that name their customer by ``customer_email``.

:class:`CustomerDirectory` is read once per ``mijnklantportaal import`` run from the portal's
customer list (``list-customers``) and resolves an e-mail to the one customer that has it.
Re-exported by :mod:`mijnklantportaal_async.cli.csv_files`.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, Iterable

from mijnklantportaal_async.errors import RequestValidationError
from mijnklantportaal_async.models import Customer

__all__ = ["CustomerDirectory"]


class CustomerDirectory:
    """Customer IDs by primary e-mail (compared case-insensitively), to resolve ``customer_email``.

    Build it from ``mkp.customers.list()`` with :meth:`from_customers` (one pass over the list,
    ``list-customers``) or from ``(email, id)`` pairs.
    """

    def __init__(self, pairs: Iterable[tuple[str, str]] = ()) -> None:
        self._ids: dict[str, list[str]] = {}
        for email, customer_id in pairs:
            self.add(email, customer_id)

    def add(self, email: str, customer_id: str) -> None:
        """Record that ``email`` belongs to customer ``customer_id``."""
        ids = self._ids.setdefault(email.strip().lower(), [])
        if customer_id not in ids:
            ids.append(customer_id)

    @classmethod
    async def from_customers(cls, customers: AsyncIterable[Customer]) -> CustomerDirectory:
        """Read every customer of an async iterable (``mkp.customers.list()``)."""
        directory = cls()
        async for customer in customers:
            if customer.primary_email and customer.id:
                directory.add(customer.primary_email, customer.id)
        return directory

    def __len__(self) -> int:
        return len(self._ids)

    def resolve(self, email: str) -> str:
        """The one customer ID for ``email``. Raises RequestValidationError
        (``customer_email``): no customer has that e-mail, or several do."""
        ids = self._ids.get(email.strip().lower(), [])
        if not ids:
            raise RequestValidationError("customer_email", f"no customer with e-mail {email}")
        if len(ids) > 1:
            raise RequestValidationError(
                "customer_email",
                f"{len(ids)} customers have e-mail {email} ({', '.join(ids)}): "
                "give customer_id instead",
            )
        return ids[0]
