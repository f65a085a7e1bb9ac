"""What every resource shares: the request path, the wire converter and the bulk engine."""

from __future__ import annotations

import copy
import os
import re
from collections.abc import (
    AsyncIterable,
    AsyncIterator,
    Awaitable,
    Callable,
    Iterable,
    Mapping,
)
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Self, TypeVar
from urllib.parse import quote

import attrs

from mijnklantportaal_async._core.downloads import (
    DownloadLink,
    FetchLink,
    download_to,
    iter_download,
)
from mijnklantportaal_async._core.http import (
    ApiRequest,
    FormBody,
    HTTPCore,
    JsonBody,
    RequestBody,
    as_data_list,
    as_model,
)
from mijnklantportaal_async._core.operations import Body, Operation
from mijnklantportaal_async._core.wire import split_query, to_query
from mijnklantportaal_async.bulk import (
    DEFAULT_GRACE,
    BulkItemResult,
    BulkKind,
    BulkReport,
    IfExists,
    Verification,
    create_many,
    iter_create_many,
)
from mijnklantportaal_async.bulk.journal import Journal, JournalIdentity
from mijnklantportaal_async.errors import RequestValidationError
from mijnklantportaal_async.pagination import AsyncPaginator

Q = TypeVar("Q")
R = TypeVar("R")

JournalArg = str | os.PathLike[str] | Journal | None
PathArg = str | os.PathLike[str]
OnResult = Callable[[BulkItemResult[Any]], None] | None
OnScanPage = Callable[[int], None] | None


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
    """Base of the per-area resource classes (``mkp.customers``, ``mkp.customer_invoices``...).

    Each public method is its docstring plus one call through its row of the operations table
    (``_core/operations.py``): :meth:`_call` for one object, :meth:`_list` for a paginated
    list, :meth:`_data_list` for a plain ``{"data": [...]}`` list. The row says the method,
    the path, how the request travels and what the answer is read as; these helpers check the
    caller's input before any I/O (the model's class, each path ID) and build the request.
    """

    area: ClassVar[str]
    """The client attribute that holds it (``"customer_invoices"``), for messages."""

    hints: ClassVar[Mapping[str, Mapping[type[Any], str]]] = {}
    """Per method name: for a request model of the wrong class, where it should go instead."""

    def __init__(self, http: HTTPCore, journal_identity: Callable[[], JournalIdentity]) -> None:
        self._http = http
        self._journal_identity = journal_identity

    def _with_http(self, http: HTTPCore) -> Self:
        """This resource on another request path (a ``with_options`` view's)."""
        clone = copy.copy(self)
        clone._http = http
        return clone

    async def _call(self, method: str, op: Operation[Q, R], *ids: str, data: Q | None = None) -> R:
        """Call ``op`` for the resource method ``method`` and read its answer as the row's
        response model.

        Raises:
            TypeError: ``data`` is not the row's request model (nothing is sent).
            RequestValidationError: an ID is not a non-empty string (nothing is sent).
            and what :meth:`HTTPCore.request` raises.
        """
        request = self._request(method, op, ids, data)
        return await self._http.request(request, cast_to=as_model(_response(op)))

    async def _data_list(
        self, method: str, op: Operation[Q, R], *ids: str, data: Q | None = None
    ) -> tuple[R, ...]:
        """Call ``op`` and read its plain ``{"data": [...]}`` answer; errors as :meth:`_call`."""
        request = self._request(method, op, ids, data)
        return await self._http.request(request, cast_to=as_data_list(_response(op)))

    async def _download(
        self, method: str, op: Operation[None, DownloadLink], *ids: str, to: PathArg
    ) -> int:
        """Ask ``op`` for a download link and write the file to ``to`` (atomically: a
        temporary file beside it, renamed when complete); returns its size in bytes. The link
        is fetched without the API key; an expired link is asked for again, once.

        Raises:
            NotFoundError: no such object (the API's 404), or the stored file is gone.
            APIConnectionError, APITimeoutError: the storage host could not be reached.
            OSError: the file could not be written.
        """
        fetch = self._link_fetcher(method, op, ids)
        return await download_to(self._http.session(), fetch, to, timeouts=self._http.timeouts)

    def _stream(
        self, method: str, op: Operation[None, DownloadLink], *ids: str
    ) -> AsyncIterator[bytes]:
        """Like :meth:`_download`, but yields the file's bytes in chunks as they arrive."""
        fetch = self._link_fetcher(method, op, ids)
        return iter_download(self._http.session(), fetch, timeouts=self._http.timeouts)

    def _link_fetcher(
        self, method: str, op: Operation[None, DownloadLink], ids: tuple[str, ...]
    ) -> FetchLink:
        request = self._request(method, op, ids, None)  # IDs checked now, before any I/O

        async def fetch_link() -> DownloadLink:
            return await self._http.request(request, cast_to=as_model(DownloadLink))

        return fetch_link

    def _list(
        self, method: str, op: Operation[Q, R], *ids: str, query: Q | None = None
    ) -> AsyncPaginator[R]:
        """A paginator over ``op``'s pages; the input is checked now, nothing is sent until
        iteration starts. Errors as :meth:`_call`."""
        request = self._request(method, op, ids, query)
        return AsyncPaginator(
            self._http,
            request.path,
            operation_id=op.operation_id,
            item_type=_response(op),
            params=request.params,
        )

    def _request(
        self, method: str, op: Operation[Q, R], ids: tuple[str, ...], data: Q | None
    ) -> ApiRequest:
        names = op.path_params
        if len(ids) != len(names):
            raise TypeError(f"{op.operation_id} takes {len(names)} IDs, got {len(ids)}")
        path = op.path
        if names:
            path = op.fill(
                {name: path_id(_snake(name), value) for name, value in zip(names, ids, strict=True)}
            )
        if op.request is None:
            return ApiRequest(method=op.method, path=path, operation_id=op.operation_id)
        if not isinstance(data, op.request):  # the message is only built for a wrong one
            call = f"mkp.{self.area}.{method}()"
            expect_model(call, data, (op.request,), hints=self.hints.get(method))
        body: RequestBody | None = None
        params: dict[str, str] | None = None
        if op.body is Body.QUERY:
            params = to_query(data)
        elif op.body is not Body.NONE:
            # fields marked IN_QUERY (post-files' ?directory=) go to the query, the rest is the body
            wire, query = split_query(data)
            body = JsonBody(wire) if op.body is Body.JSON else FormBody(wire)
            params = query or None
        key = op.natural_key.of(data) if op.natural_key is not None else None
        return ApiRequest(
            method=op.method,
            path=path,
            operation_id=op.operation_id,
            body=body,
            params=params,
            natural_key=key,
        )

    def _journal(self, journal: JournalArg) -> Journal | str | os.PathLike[str] | None:
        if journal is None or isinstance(journal, Journal):
            return journal
        return Journal(journal, identity=self._journal_identity())


def same_route(op: Operation[Any, R], *, request: type[Q], body: Body) -> Operation[Q, R]:
    """``op``'s route for a second request model, sent as ``body``.

    The table has one row per route, and a row one request model; post-files is one route
    the API serves two ways (a file as multipart, a new directory as JSON). Its row says the
    upload; ``same_route(ops.POST_FILES, request=DirectoryCreate, body=Body.JSON)`` says the
    other use, everything else (path, answer, docs) taken from the row. Not in the table, so
    the FakePortal routes and the table-driven tests see the one row.
    """
    return attrs.evolve(op, request=request, body=body)


def _response(op: Operation[Any, R]) -> type[R]:
    if op.response is None:
        raise NotImplementedError(f"{op.operation_id} is not in the client yet")
    return op.response


def _snake(name: str) -> str:
    """A path parameter's Python name: ``invoiceId`` -> ``invoice_id``."""
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


class BulkResource(Resource, Generic[Q, R]):
    """A resource whose objects can be created in bulk, each exactly once.

    Its ``create_operation`` row, called by ``create``, says the request model and the natural
    key; a kind with a second create operation (a manual invoice or offer) names it in
    ``also_creates`` with the method that calls it. ``create_many`` creates each item with the
    method whose row takes its class, and looks keys up in :meth:`_scan` (default: ``list``).
    """

    create_operation: ClassVar[Operation[Any, Any]]
    also_creates: ClassVar[Mapping[str, Operation[Any, Any]]] = {}

    if TYPE_CHECKING:

        async def create(self, data: Any) -> R: ...

        def list(self) -> AsyncPaginator[R]: ...

    async def _create_one(self, item: Q) -> R:
        for method, op in self.also_creates.items():
            if op.request is not None and isinstance(item, op.request):
                create: Callable[[Q], Awaitable[R]] = getattr(self, method)
                return await create(item)
        return await self.create(item)

    async def _scan(self, on_page: OnScanPage = None) -> AsyncIterator[R]:
        """Every stored object, page by page; ``on_page(n)`` is called after each request
        the scan makes with the number of objects it brought (a run's progress counts them)."""
        async for page in self.list().pages():
            if on_page is not None:
                on_page(len(page.items))
            for obj in page.items:
                yield obj

    def _kind(self, on_scan_page: OnScanPage = None) -> BulkKind[Q, R]:
        key = self.create_operation.natural_key
        assert key is not None, f"{self.create_operation.operation_id} has no natural key"
        models = [op.request for op in (self.create_operation, *self.also_creates.values())]
        return BulkKind(
            name=self.area,
            create=self._create_one,
            scan=lambda: self._scan(on_scan_page),
            natural_key=key,
            id_of=_id_of,
            check_item=checked_item(
                f"mkp.{self.area}.create_many()", *[m for m in models if m is not None]
            ),
            in_flight_to_fill=getattr(self._http.limiter, "in_flight_to_fill", None),
        )

    async def create_many(
        self,
        items: Iterable[Q] | AsyncIterable[Q],
        *,
        concurrency: int | None = None,
        journal: JournalArg = None,
        on_result: OnResult = None,
        max_attempts: int = 3,
        if_exists: IfExists = "report",
        grace: float = DEFAULT_GRACE,
        on_scan_page: OnScanPage = None,
    ) -> BulkReport[R]:
        """Create many objects, each exactly once, paced by the client's rate limit.

        Args:
            items: any iterable or async iterable of request objects, consumed lazily (a
                generator of a million items is never materialised).
            concurrency: how many creates are in flight at once. None (default): enough to
                keep the client's rate limit full at the round trip seen, from 4 up to 32
                (``limit / period * round trip``, plus a quarter and one); a number: fixed.
            journal: a path to an append-only JSON-lines journal; re-running the same input
                with it skips what is done and reconciles what was in flight when the process
                died. It belongs to one portal and key (``JournalMismatchError`` otherwise).
            on_result: called with each :class:`BulkItemResult` as it completes.
            max_attempts: create calls per item at most (>= 1), counting a call made again
                after a look-up found an ambiguous create missing; HTTP retries inside one
                call (429, 503) are not counted.
            if_exists: ``"report"`` (default): before the first create, the list is read once
                (about one request per 15 stored objects, paced like every request) and an
                item the portal already holds is ``exists``, never created again, even
                without the journal; ``"create"``: no scan, every item is sent.
            grace: seconds to wait before an ambiguous create that a look-up did not find is
                looked up once more and only then sent again (a create held on its way may
                still land), and before the verification scan; 0 to not wait.
            on_scan_page: called after each request of a look-up scan with the number of
                stored objects it read (for progress: the scan's requests count too).

        Returns:
            A :class:`BulkReport`: one result per input, in input order, each ``created``,
            ``adopted`` (it already existed after an ambiguous failure, found by its natural
            key through the list endpoint), ``exists`` (the portal held it before it was
            sent), ``skipped`` (done in an earlier run, per the journal), ``conflict`` (the
            portal holds an object with its key whose other fields differ:
            :class:`~mijnklantportaal_async.bulk.ConflictError` names them and the stored
            ID), ``changed`` (done in an earlier run, but its content changed since:
            :class:`~mijnklantportaal_async.bulk.ChangedItemError`) or ``failed`` (with the
            typed error). After a run with an ambiguous outcome, ``report.duplicates`` lists
            its natural keys the portal holds more than once. One failed item never stops
            the others; a rejected item (4xx) is never retried. An item of the wrong class
            (say a ``CustomerCreate`` given to ``customer_invoices``) fails with a
            ``TypeError`` naming the class expected, and is never sent.

        Raises:
            JournalMismatchError: the journal belongs to another portal or key.
            ValueError: ``concurrency`` or ``max_attempts`` < 1, ``grace`` < 0, or
                ``if_exists`` not ``"report"`` or ``"create"``.
        """
        return await create_many(
            self._kind(on_scan_page),
            items,
            concurrency=concurrency,
            journal=self._journal(journal),
            on_result=on_result,
            max_attempts=max_attempts,
            if_exists=if_exists,
            grace=grace,
        )

    def iter_create_many(
        self,
        items: Iterable[Q] | AsyncIterable[Q],
        *,
        concurrency: int | None = None,
        journal: JournalArg = None,
        on_result: OnResult = None,
        max_attempts: int = 3,
        if_exists: IfExists = "report",
        grace: float = DEFAULT_GRACE,
        on_scan_page: OnScanPage = None,
        on_verified: Callable[[Verification], None] | None = None,
    ) -> AsyncIterator[BulkItemResult[R]]:
        """Like :meth:`create_many`, but yields each :class:`BulkItemResult` as it completes;
        ``on_verified`` is called once, after the last result, with the
        :class:`~mijnklantportaal_async.bulk.Verification` of a run that had an ambiguous
        outcome (its keys stored more than once)."""
        return iter_create_many(
            self._kind(on_scan_page),
            items,
            concurrency=concurrency,
            journal=self._journal(journal),
            on_result=on_result,
            max_attempts=max_attempts,
            if_exists=if_exists,
            grace=grace,
            on_verified=on_verified,
        )


def _id_of(obj: Any) -> str:
    object_id: str = obj.id
    return object_id
