"""The bulk engine's public types: what a run is given and what it reports.

:class:`BulkKind` says how one kind of object is created, listed and keyed (its
:class:`~mijnklantportaal_async._core.natural_keys.NaturalKey`); a run reports one
:class:`BulkItemResult` per input (its :class:`ItemStatus`), gathered in a :class:`BulkReport`;
:class:`DuplicateItemError` is the error of an input whose natural key repeats an earlier one.
Import them from :mod:`mijnklantportaal_async.bulk`; what the statuses promise is in
``docs/architecture.md``, "Exactly once".
"""

from __future__ import annotations

import enum
from collections.abc import AsyncIterable, Awaitable, Callable, Mapping
from typing import Any, Generic, TypeVar

import attrs

from mijnklantportaal_async._core.natural_keys import NaturalKey
from mijnklantportaal_async.errors import MijnKlantportaalError

__all__ = ["BulkItemResult", "BulkKind", "BulkReport", "DuplicateItemError", "ItemStatus"]

Q = TypeVar("Q")
R = TypeVar("R")


class ItemStatus(enum.StrEnum):
    """What happened to one input item."""

    CREATED = "created"  # created by this run
    ADOPTED = "adopted"  # found stored after an ambiguous failure or an interrupted run
    SKIPPED = "skipped"  # done in an earlier run, per the journal; no request sent
    FAILED = "failed"  # not created; ``error`` says why


class DuplicateItemError(MijnKlantportaalError):
    """Two inputs of one run have the same natural key; the later one is not created.

    ``key`` is the natural key, ``first_index`` and ``index`` the two 0-based input positions.
    """

    def __init__(self, key: Mapping[str, Any], first_index: int, index: int) -> None:
        self.key = dict(key)
        self.first_index = first_index
        self.index = index
        shown = ", ".join(f"{k}={v!r}" for k, v in self.key.items())
        super().__init__(
            f"input {index} has the same natural key ({shown}) as input {first_index}; "
            "it was not created (it could not be told apart from the first)"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.key, self.first_index, self.index))


@attrs.frozen(kw_only=True)
class BulkItemResult(Generic[R]):
    """The outcome for one input: ``index`` (0-based input position), ``key`` (its natural
    key), ``status``, ``object`` (created/adopted object, else None), ``id`` (created, adopted
    or skipped object's ID), ``error`` (the typed error of a failed item) and ``attempts``
    (create calls made in this run; HTTP retries inside one call not counted)."""

    index: int
    key: Mapping[str, Any]
    status: ItemStatus
    object: R | None = None
    id: str | None = None
    error: BaseException | None = None
    attempts: int = 0


@attrs.frozen(kw_only=True)
class BulkReport(Generic[R]):
    """All results of a run, one per input in input order, and ``elapsed`` seconds."""

    results: tuple[BulkItemResult[R], ...]
    elapsed: float

    def _count(self, status: ItemStatus) -> int:
        return sum(1 for result in self.results if result.status is status)

    @property
    def created(self) -> int:
        """Number of items created by this run."""
        return self._count(ItemStatus.CREATED)

    @property
    def adopted(self) -> int:
        """Number of items found already stored (after an ambiguous failure or a crash)."""
        return self._count(ItemStatus.ADOPTED)

    @property
    def skipped(self) -> int:
        """Number of items done by an earlier run (per the journal)."""
        return self._count(ItemStatus.SKIPPED)

    @property
    def failed(self) -> int:
        """Number of failed items."""
        return self._count(ItemStatus.FAILED)

    @property
    def ok(self) -> bool:
        """True when no item failed."""
        return self.failed == 0

    @property
    def counts(self) -> dict[str, int]:
        """``{"created": n, "adopted": n, "skipped": n, "failed": n}``."""
        return {status.value: self._count(status) for status in ItemStatus}

    @property
    def failures(self) -> tuple[BulkItemResult[R], ...]:
        """The failed results, in input order."""
        return tuple(result for result in self.results if result.status is ItemStatus.FAILED)


def _accept(item: object) -> None:
    """The default :attr:`BulkKind.check_item`: every item is sent."""


@attrs.frozen(kw_only=True)
class BulkKind(Generic[Q, R]):
    """How one kind of object (request type ``Q``, stored type ``R``) is created and found.

    ``name``: the journal's kind (``"customer_invoices"``); ``create``: one create call
    (raises errors.py types); ``scan``: every stored object (list endpoint, all pages, any
    order); ``natural_key``: what identifies an object of the kind, read off a request and off
    a stored object alike (``natural_keys.CUSTOMER_INVOICE``: ``{"invoice_number":
    "2024-001"}``) and how two keys are matched; ``id_of``: a stored object's ID;
    ``check_item``: called with each item before anything else is done with it; raising (a
    TypeError for an item of the wrong class) fails that item with the error, unsent.
    Default: every item is accepted. ``in_flight_to_fill``: how many creates in flight at once
    keep the client's rate limit full (its limiter's rate times the round trip seen so far), or
    None while unknown; read when the caller gave no ``concurrency``. Default: none (the run
    keeps its starting concurrency).
    """

    name: str
    create: Callable[[Q], Awaitable[R]]
    scan: Callable[[], AsyncIterable[R]]
    natural_key: NaturalKey
    id_of: Callable[[R], str]
    check_item: Callable[[Q], None] = _accept
    in_flight_to_fill: Callable[[], int | None] | None = None
