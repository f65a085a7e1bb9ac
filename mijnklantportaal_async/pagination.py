"""Async iteration over the API's paginated lists.

Every ``List ...`` endpoint (appointments aside) answers with Laravel's *simple* paginator
envelope: ``{"current_page": 1, "data": [...], "next_page_url": "...?page=2", "per_page": 15,
...}`` with no total. :class:`AsyncPaginator` requests the first page, then follows
``next_page_url`` until it is null, one page at a time and only when iteration needs it.
:class:`Page` is one fetched page. The envelope keys are snake_case on the wire too; the items
are built by ``_core.wire.from_wire`` (its kept per-model reader).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any, Generic, Protocol, TypeVar

import attrs
import yarl

from mijnklantportaal_async._core.http import ApiRequest, ApiResponse
from mijnklantportaal_async._core.wire import reader
from mijnklantportaal_async.errors import MijnKlantportaalError

__all__ = ["MAX_PAGES", "AsyncPaginator", "Page", "PageFetcher", "PaginationError"]

MAX_PAGES = 100_000
"""Pages one iteration follows at most (1.5 million objects at 15 a page; 28 hours at the
API's 60 requests a minute): a server that never ends its list raises PaginationError."""

T = TypeVar("T")
P = TypeVar("P")


class PageFetcher(Protocol):
    """What the paginator needs of the request path (``_core.http.HTTPCore`` is one)."""

    async def request(self, req: ApiRequest, cast_to: Callable[[ApiResponse], P]) -> P: ...

    async def request_url(
        self, url: str | yarl.URL, *, operation_id: str, cast_to: Callable[[ApiResponse], P]
    ) -> P: ...


class PaginationError(MijnKlantportaalError):
    """A list answer the paginator cannot follow: no ``data`` array, a ``next_page_url`` that
    points back to a page already fetched (the server would loop for ever) or to another
    scheme, host or port than the list (the key is never sent there), or more than
    ``max_pages`` pages."""


@attrs.frozen
class Page(Generic[T]):
    """One page of a list.

    Attributes:
        items: the page's objects, in the server's order (15 per page by default).
        current_page: the page number the server reports (1-based), None if absent.
        next_page_url: the absolute URL of the next page as it will be fetched (the docs' stray
            trailing comma removed), None on the last page.
    """

    items: tuple[T, ...]
    current_page: int | None
    next_page_url: str | None


def _clean_next(value: Any) -> str | None:
    """``next_page_url`` without the stray trailing comma the docs show (``?page=2,``)."""
    if not isinstance(value, str):
        return None
    cleaned = value.strip().rstrip(",").rstrip()
    return cleaned or None


def _origin(url: yarl.URL) -> tuple[str, str | None, int | None]:
    return url.scheme, url.host, url.port


def _seen_key(url: yarl.URL) -> str:
    return str(url.with_fragment(None))


class AsyncPaginator(Generic[T]):
    """All objects of a list endpoint, as an async iterable; pages are fetched lazily.

    ``async for customer in mkp.customers.list(): ...`` requests page 1 when the loop starts
    and page *n + 1* only once page *n*'s items are used up; breaking out early fetches
    nothing more. Each ``async for`` (and each :meth:`pages` call) starts again from page 1,
    so the paginator is re-iterable, not itself an iterator: for the first object alone use
    ``await anext(aiter(mkp.customers.list()), None)``.

    Args:
        http: the request path (``HTTPCore``, or anything with ``request``/``request_url``).
        path: the list path relative to the base URL, e.g. ``"/customers"``.
        operation_id: the API operation, e.g. ``"list-customers"`` (for logs and errors).
        item_type: the response model each ``data`` item is built as (``_core.wire.from_wire``).
        params: query parameters of the first request. They are added to a ``next_page_url``
            that lacks them (Laravel leaves them out unless told to append them).

    Iteration raises:
        max_pages: pages followed at most (:data:`MAX_PAGES`).

    Iteration raises:
        PaginationError: a page without a ``data`` array, a ``next_page_url`` already
            fetched (a looping server) or on another scheme, host or port (the key is never
            sent there), or more than ``max_pages`` pages.
        APIResponseValidationError: an item that is not an ``item_type`` (no ``id``, a
            malformed field) or a ``next_page_url`` that is not a URL; the page's status and
            headers are kept, the items are not.
        APIStatusError, APIConnectionError: as for every request.
    """

    def __init__(
        self,
        http: PageFetcher,
        path: str,
        *,
        operation_id: str,
        item_type: type[T],
        params: Mapping[str, str] | None = None,
        max_pages: int = MAX_PAGES,
    ) -> None:
        self._http = http
        self._max_pages = max_pages
        self._path = path
        self._operation_id = operation_id
        self._item_type = item_type
        self._params = dict(params) if params else None

    def __aiter__(self) -> AsyncIterator[T]:
        return self._items()

    def pages(self) -> AsyncIterator[Page[T]]:
        """The list page by page, as :class:`Page` objects, each fetched when asked for."""
        return self._pages()

    async def _items(self) -> AsyncIterator[T]:
        async for page in self._pages():
            for item in page.items:
                yield item

    async def _pages(self) -> AsyncIterator[Page[T]]:
        request = ApiRequest(
            method="GET", path=self._path, operation_id=self._operation_id, params=self._params
        )
        page, url, next_url = await self._http.request(request, cast_to=self._read)
        seen = {_seen_key(url)}
        while True:
            yield page
            if next_url is None:
                return
            if _origin(next_url) != _origin(url):
                scheme, host, port = _origin(next_url)
                raise PaginationError(
                    f"{self._operation_id}: next_page_url points to {scheme}://{host}:{port}, "
                    f"not to the list's origin {url.origin()}; it is not followed"
                )
            key = _seen_key(next_url)
            if len(seen) >= self._max_pages:
                raise PaginationError(
                    f"{self._operation_id}: more than {self._max_pages} pages; "
                    "the server's pagination does not end"
                )
            if key in seen:
                raise PaginationError(
                    f"{self._operation_id}: next_page_url {key} was already fetched; "
                    "the server's pagination loops"
                )
            seen.add(key)
            page, url, next_url = await self._http.request_url(
                next_url, operation_id=self._operation_id, cast_to=self._read
            )

    def _read(self, response: ApiResponse) -> tuple[Page[T], yarl.URL, yarl.URL | None]:
        """One page, the URL it came from and the next page's URL (None on the last).

        Raises:
            ValueError: an item is not an ``item_type`` (the request path makes it an
                APIResponseValidationError).
            PaginationError: no ``data`` array.
        """
        body = response.body
        data = body.get("data", ...) if isinstance(body, Mapping) else ...
        if data is None:
            data = []
        if not isinstance(data, list):
            raise PaginationError(f"{self._operation_id}: the list answer has no data array")
        try:
            structure = reader(self._item_type)  # the model's reader, found once a page
            items = tuple(structure(raw) for raw in data)
        except ValueError as exc:
            name = self._item_type.__name__
            raise ValueError(f"{self._operation_id}: a list item is not a {name}: {exc}") from None
        current = body.get("current_page")
        if isinstance(current, str) and current.isdigit():
            current = int(current)
        if not isinstance(current, int) or isinstance(current, bool):
            current = None
        cleaned = _clean_next(body.get("next_page_url"))
        next_url = None if cleaned is None else self._next_url(response.url, cleaned)
        page = Page(items, current, None if next_url is None else str(next_url))
        return page, response.url, next_url

    def _next_url(self, current: yarl.URL, cleaned: str) -> yarl.URL:
        url = yarl.URL(cleaned)
        if not url.is_absolute():
            url = current.join(url)
        if self._params:
            missing = {k: v for k, v in self._params.items() if k not in url.query}
            if missing:
                url = url.update_query(missing)
        return url

    def __repr__(self) -> str:
        return f"AsyncPaginator({self._operation_id!r}, {self._item_type.__name__})"
