"""What every resource shares: the request path, the wire converter and the bulk engine."""

from __future__ import annotations

import os
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Mapping
from typing import Any, Generic, TypeVar
from urllib.parse import quote

from mijnklantportaal_async._core.http import ApiRequest, HTTPCore
from mijnklantportaal_async._core.wire import from_wire, to_wire
from mijnklantportaal_async.bulk import (
    BulkItemResult,
    BulkKind,
    BulkReport,
    create_many,
    iter_create_many,
)
from mijnklantportaal_async.bulk.journal import Journal, JournalIdentity
from mijnklantportaal_async.errors import RequestValidationError
from mijnklantportaal_async.pagination import AsyncPaginator

Q = TypeVar("Q")
R = TypeVar("R")

JournalArg = str | os.PathLike[str] | Journal | None
OnResult = Callable[[BulkItemResult[Any]], None] | None


def expect_model(
    call: str,
    data: object,
    expected: tuple[type[Any], ...],
    *,
    what: str = "data",
    hints: Mapping[type[Any], str] | None = None,
) -> None:
    """Refuse a request object of the wrong class before any I/O.

    ``call`` names the method (``"mkp.customers.create()"``), ``what`` the parameter;
    ``hints`` says, per wrong class, where it should have gone instead.

    Raises:
        TypeError: ``data`` is not an instance of one of ``expected``; the message names the
            parameter, the method, the expected class and the class given.
    """
    if isinstance(data, expected):
        return
    names = " or ".join(cls.__name__ for cls in expected)
    got = "None" if data is None else _article(type(data).__name__)
    message = f"{what}: {call} takes {_article(names)}, got {got}"
    hint = (hints or {}).get(type(data))
    raise TypeError(f"{message}; {hint}" if hint else message)


def _article(name: str) -> str:
    return f"an {name}" if name[:1] in "AEIOU" else f"a {name}"


def checked_item(call: str, *expected: type[Any]) -> Callable[[Any], None]:
    """A bulk ``check_item`` that refuses an item of the wrong class with the
    :func:`expect_model` TypeError, so ``create_many`` reports that item failed with it."""

    def check(item: Any) -> None:
        expect_model(call, item, expected, what="items")

    return check


def path_id(field: str, value: str) -> str:
    """Check an object ID given by the caller and quote it for use as one path segment.

    Raises:
        RequestValidationError: the ID is not a non-empty string.
    """
    if not isinstance(value, str) or not value.strip():
        raise RequestValidationError(field, "must be a non-empty ID string")
    return quote(value.strip(), safe="")


class Resource:
    """Base of the per-area resource classes (``mkp.customers``, ``mkp.customer_invoices``...)."""

    def __init__(self, http: HTTPCore, journal_identity: Callable[[], JournalIdentity]) -> None:
        self._http = http
        self._journal_identity = journal_identity

    async def _post(
        self,
        path: str,
        operation_id: str,
        cls: type[R],
        *,
        body: Any,
        multipart: bool = False,
        natural_key: Mapping[str, Any] | None = None,
    ) -> R:
        wire = to_wire(body)
        request = ApiRequest(
            method="POST",
            path=path,
            operation_id=operation_id,
            json=None if multipart else wire,
            form=wire if multipart else None,
            natural_key=natural_key,
        )
        return await self._send(request, cls)

    async def _get(self, path: str, operation_id: str, cls: type[R]) -> R:
        return await self._send(ApiRequest(method="GET", path=path, operation_id=operation_id), cls)

    async def _send(self, request: ApiRequest, cls: type[R]) -> R:
        """Send ``request`` and read its 2xx body as ``cls``.

        Raises:
            APIResponseValidationError: a read's 2xx body is not a ``cls`` (HTML, a missing
                ``id``, a malformed field).
            AmbiguousWriteError: the same for a write: it was probably created; the error
                carries the natural key, its ``cause`` the APIResponseValidationError.
        """
        response = await self._http.request(request)
        try:
            return from_wire(cls, response.body)
        except ValueError as exc:
            problem = str(exc)
        raise self._http.unreadable_response(request, response, problem)

    def _list(self, path: str, operation_id: str, cls: type[R]) -> AsyncPaginator[R]:
        return AsyncPaginator(self._http, path, operation_id=operation_id, item_type=cls)

    def _journal(self, journal: JournalArg) -> Journal | str | os.PathLike[str] | None:
        if journal is None or isinstance(journal, Journal):
            return journal
        return Journal(journal, identity=self._journal_identity())


class BulkResource(Resource, Generic[Q, R]):
    """A resource whose objects can be created in bulk, each exactly once.

    Subclasses say how in :meth:`_kind`: the create call, the list scan, and the natural key
    read off a request and off a stored object.
    """

    def _kind(self) -> BulkKind[Q, R]:
        raise NotImplementedError

    async def create_many(
        self,
        items: Iterable[Q] | AsyncIterable[Q],
        *,
        concurrency: int = 4,
        journal: JournalArg = None,
        on_result: OnResult = None,
        max_attempts: int = 3,
    ) -> BulkReport[R]:
        """Create many objects, each exactly once, paced by the client's rate limit.

        Args:
            items: any iterable or async iterable of request objects, consumed lazily (a
                generator of a million items is never materialised).
            concurrency: how many creates are in flight at once.
            journal: a path to an append-only JSON-lines journal; re-running the same input
                with it skips what is done and reconciles what was in flight when the process
                died. It belongs to one portal and key (``JournalMismatchError`` otherwise).
            on_result: called with each :class:`BulkItemResult` as it completes.
            max_attempts: create calls per item at most (>= 1), counting a call made again
                after a look-up found an ambiguous create missing; HTTP retries inside one
                call (429, 503) are not counted.

        Returns:
            A :class:`BulkReport`: one result per input, in input order, each ``created``,
            ``adopted`` (it already existed after an ambiguous failure, found by its natural
            key through the list endpoint), ``skipped`` (done in an earlier run, per the
            journal) or ``failed`` (with the typed error). One failed item never stops the
            others; a rejected item (4xx) is never retried. An item of the wrong class
            (say a ``CustomerCreate`` given to ``customer_invoices``) fails with a
            ``TypeError`` naming the class expected, and is never sent.

        Raises:
            JournalMismatchError: the journal belongs to another portal or key.
            ValueError: ``concurrency`` or ``max_attempts`` < 1.
        """
        return await create_many(
            self._kind(),
            items,
            concurrency=concurrency,
            journal=self._journal(journal),
            on_result=on_result,
            max_attempts=max_attempts,
        )

    def iter_create_many(
        self,
        items: Iterable[Q] | AsyncIterable[Q],
        *,
        concurrency: int = 4,
        journal: JournalArg = None,
        on_result: OnResult = None,
        max_attempts: int = 3,
    ) -> AsyncIterator[BulkItemResult[R]]:
        """Like :meth:`create_many`, but yields each :class:`BulkItemResult` as it completes."""
        return iter_create_many(
            self._kind(),
            items,
            concurrency=concurrency,
            journal=self._journal(journal),
            on_result=on_result,
            max_attempts=max_attempts,
        )
