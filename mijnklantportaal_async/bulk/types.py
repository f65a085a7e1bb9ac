"""The bulk engine's public types: what a run is given and what it reports.

:class:`BulkKind` says how one kind of object is created, listed and keyed (its
:class:`~mijnklantportaal_async._core.natural_keys.NaturalKey`); a run reports one
:class:`BulkItemResult` per input (its :class:`ItemStatus`), gathered in a :class:`BulkReport`
with the :class:`Verification` of a run that had ambiguous outcomes; the errors of an item
that was not created: :class:`DuplicateItemError` (its natural key repeats an earlier input's),
:class:`ConflictError` (the portal holds another object with its key),
:class:`ChangedItemError` (done in an earlier run, changed since).
Import them from :mod:`mijnklantportaal_async.bulk`; what the statuses promise is in
``docs/architecture.md``, "Exactly once".
"""

from __future__ import annotations

import enum
from collections.abc import AsyncIterable, Awaitable, Callable, Mapping
from typing import Any, Generic, TypeVar

import attrs

from mijnklantportaal_async._core.natural_keys import NaturalKey
from mijnklantportaal_async.bulk.journal import content_digests
from mijnklantportaal_async.errors import MijnKlantportaalError

__all__ = [
    "BulkItemResult",
    "BulkKind",
    "BulkReport",
    "ChangedItemError",
    "ConflictError",
    "DuplicateItemError",
    "ItemStatus",
    "StoredDuplicate",
    "Verification",
]

Q = TypeVar("Q")
R = TypeVar("R")


class ItemStatus(enum.StrEnum):
    """What happened to one input item."""

    CREATED = "created"  # created by this run
    ADOPTED = "adopted"  # found stored after an ambiguous failure or an interrupted run
    SKIPPED = "skipped"  # done in an earlier run, per the journal; no request sent
    EXISTS = "exists"  # already stored (found by key, its fields agree) before the run sent it
    FAILED = "failed"  # not created; ``error`` says why
    CONFLICT = "conflict"  # another object has its key; ``error`` is a ConflictError
    CHANGED = "changed"  # done earlier, changed since; ``error`` is a ChangedItemError

    @property
    def failure(self) -> bool:
        """True for the statuses of an item that is not (known to be) stored as asked:
        ``failed``, ``conflict`` and ``changed``."""
        return self in (ItemStatus.FAILED, ItemStatus.CONFLICT, ItemStatus.CHANGED)


def _show(value: Any) -> str:
    return "(none)" if value is None else str(value)


class ConflictError(MijnKlantportaalError):
    """The portal holds an object with the item's natural key whose other fields differ: it
    is not the object requested, so it is neither adopted nor counted as existing, and the
    item is not created (it could not be told apart by its key).

    ``key`` is the natural key, ``stored_id`` the stored object's ID, ``differences`` maps
    each differing field to ``(requested, stored)``.
    """

    def __init__(
        self,
        key: Mapping[str, Any],
        stored_id: str,
        differences: Mapping[str, tuple[Any, Any]],
    ) -> None:
        self.key = dict(key)
        self.stored_id = stored_id
        self.differences = dict(differences)
        shown = ", ".join(f"{k}={v!r}" for k, v in self.key.items())
        fields = "; ".join(
            f"{name}: {_show(requested)} here, {_show(stored)} stored"
            for name, (requested, stored) in self.differences.items()
        )
        super().__init__(
            f"{shown} is already stored as {stored_id} with other values ({fields}); "
            "it was not created: change the key, or the stored object"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.key, self.stored_id, self.differences))


class ChangedItemError(MijnKlantportaalError):
    """The journal records the item as done (``id``) in an earlier run, but its content has
    changed since (``fields``: the changed field names). It is not sent again: the stored
    object keeps the old values; update it, or give the item a new key."""

    def __init__(self, key: Mapping[str, Any], id: str | None, fields: tuple[str, ...]) -> None:
        self.key = dict(key)
        self.id = id
        self.fields = tuple(fields)
        shown = ", ".join(f"{k}={v!r}" for k, v in self.key.items())
        super().__init__(
            f"{shown} was stored as {id} by an earlier run, but its {', '.join(self.fields)} "
            "changed since; it was not sent again (the stored object has the old values)"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.key, self.id, self.fields))


@attrs.frozen(kw_only=True)
class StoredDuplicate:
    """A natural key of the run that the portal holds more than once: ``key`` and the
    ``ids`` of the objects that have it."""

    key: Mapping[str, Any]
    ids: tuple[str, ...]


@attrs.frozen(kw_only=True)
class Verification:
    """The check made after a run with an ambiguous outcome (a create whose answer was lost,
    an item found in flight in the journal): one more scan, after the grace period, for the
    run's natural keys stored more than once. ``duplicates`` lists them (empty: none);
    ``error`` is what made the scan fail (then duplicates are unknown)."""

    duplicates: tuple[StoredDuplicate, ...] = ()
    error: BaseException | None = None


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
    key), ``status``, ``object`` (the created, adopted or existing object, else None), ``id``
    (its ID; for skipped and changed items the ID the journal records), ``error`` (the typed
    error of a failed, conflict or changed item) and ``attempts`` (create calls made in this
    run; HTTP retries inside one call not counted)."""

    index: int
    key: Mapping[str, Any]
    status: ItemStatus
    object: R | None = None
    id: str | None = None
    error: BaseException | None = None
    attempts: int = 0


@attrs.frozen(kw_only=True)
class BulkReport(Generic[R]):
    """All results of a run, one per input in input order, and ``elapsed`` seconds;
    ``verification``: the duplicate check after a run with ambiguous outcomes, else None."""

    results: tuple[BulkItemResult[R], ...]
    elapsed: float
    verification: Verification | None = None

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
    def exists(self) -> int:
        """Number of items found already stored before they were sent (not created again)."""
        return self._count(ItemStatus.EXISTS)

    @property
    def failed(self) -> int:
        """Number of items that are not stored as asked: status ``failed``, ``conflict`` or
        ``changed`` (see :attr:`counts` for each)."""
        return len(self.failures)

    @property
    def duplicates(self) -> tuple[StoredDuplicate, ...]:
        """Keys of this run the portal holds more than once, found by the verification."""
        return () if self.verification is None else self.verification.duplicates

    @property
    def ok(self) -> bool:
        """True when no item failed and no key of the run is stored more than once (as far
        as a verification that ran could tell)."""
        return self.failed == 0 and not self.duplicates

    @property
    def counts(self) -> dict[str, int]:
        """Items per status: ``{"created": n, "adopted": n, "skipped": n, "exists": n,
        "failed": n, "conflict": n, "changed": n}`` (each item counted once)."""
        return {status.value: self._count(status) for status in ItemStatus}

    @property
    def failures(self) -> tuple[BulkItemResult[R], ...]:
        """The results that are failures (``failed``, ``conflict``, ``changed``), in input
        order."""
        return tuple(result for result in self.results if result.status.failure)


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
    keeps its starting concurrency). ``fingerprint``: a short digest per field of an item's
    content (``{"amount": "9f86d081884c7d65", ...}``), kept in the journal so a rerun can tell
    that a done item changed; default :func:`~mijnklantportaal_async.bulk.journal.content_digests`.
    """

    name: str
    create: Callable[[Q], Awaitable[R]]
    scan: Callable[[], AsyncIterable[R]]
    natural_key: NaturalKey
    id_of: Callable[[R], str]
    check_item: Callable[[Q], None] = _accept
    in_flight_to_fill: Callable[[], int | None] | None = None
    fingerprint: Callable[[Q], Mapping[str, str]] = content_digests
