"""``with_raw_response``: every resource's methods again, each answering a ``RawResponse``.

One mechanism for all of them: a raw method runs the ordinary method unchanged inside
``_core.responses.capture()``, which keeps the last 2xx answer the request path got for it,
and wraps the method's result with that answer (``RawResponse``: status, headers, rate limit,
``parse()``). Each area declares, next to its resource class, which methods have a raw form,
one line each, so that type checkers know ``raw.parse()``'s type::

    class CustomersWithRawResponse(RawResponses["Customers"]):
        get = raw(Customers.get)
        list = raw_list(Customers.list)

``tests/resources/test_raw_responses.py`` checks that every public method of every resource
has one (bulk creation and byte streams aside).
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, Concatenate, Generic, ParamSpec, Self, TypeVar, overload

from mijnklantportaal_async._core.responses import RawResponse, capture
from mijnklantportaal_async.pagination import AsyncPaginator, Page
from mijnklantportaal_async.resources._base import Resource

__all__ = ["RawResponses", "raw", "raw_list"]

ResT = TypeVar("ResT", bound=Resource)
P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")


class RawResponses(Generic[ResT]):
    """``mkp.<area>.with_raw_response``: the area's methods, each answering a
    :class:`~mijnklantportaal_async.RawResponse` whose ``parse()`` gives what the method
    returns. Errors are raised as by the methods themselves."""

    def __init__(self, resource: ResT) -> None:
        self._resource = resource

    def __repr__(self) -> str:
        return f"{type(self._resource).__name__}.with_raw_response"


class raw(Generic[ResT, P, R]):
    """The raw form of an ``async def`` resource method: same arguments, answers
    ``RawResponse[<its result>]``."""

    def __init__(self, method: Callable[Concatenate[ResT, P], Awaitable[R]]) -> None:
        self._method = method

    @overload
    def __get__(self, inst: None, owner: type[Any]) -> Self: ...

    @overload
    def __get__(
        self, inst: RawResponses[ResT], owner: type[Any]
    ) -> Callable[P, Awaitable[RawResponse[R]]]: ...

    def __get__(
        self, inst: RawResponses[ResT] | None, owner: type[Any]
    ) -> Self | Callable[P, Awaitable[RawResponse[R]]]:
        if inst is None:
            return self
        method, resource = self._method, inst._resource

        @functools.wraps(method)
        async def call(*args: P.args, **kwargs: P.kwargs) -> RawResponse[R]:
            with capture() as seen:
                result = await method(resource, *args, **kwargs)
            return seen.wrap(result)

        return call


class raw_list(Generic[ResT, P, T]):
    """The raw form of a paginated ``list`` method: fetches the first page and answers
    ``RawResponse[Page[<item>]]`` (``raw.parse().items``, ``.next_page_url``). Iterate the
    ordinary method for every page."""

    def __init__(self, method: Callable[Concatenate[ResT, P], AsyncPaginator[T]]) -> None:
        self._method = method

    @overload
    def __get__(self, inst: None, owner: type[Any]) -> Self: ...

    @overload
    def __get__(
        self, inst: RawResponses[ResT], owner: type[Any]
    ) -> Callable[P, Awaitable[RawResponse[Page[T]]]]: ...

    def __get__(
        self, inst: RawResponses[ResT] | None, owner: type[Any]
    ) -> Self | Callable[P, Awaitable[RawResponse[Page[T]]]]:
        if inst is None:
            return self
        method, resource = self._method, inst._resource

        @functools.wraps(method)
        async def call(*args: P.args, **kwargs: P.kwargs) -> RawResponse[Page[T]]:
            paginator = method(resource, *args, **kwargs)  # checks the input, no I/O
            with capture() as seen:
                page = await _first(paginator.pages())
            return seen.wrap(page)

        return call


async def _first(pages: AsyncIterator[Page[T]]) -> Page[T]:
    """The first page; the generator is closed at once (nothing more is fetched)."""
    try:
        return await anext(pages)
    finally:
        aclose = getattr(pages, "aclose", None)
        if aclose is not None:
            with contextlib.suppress(Exception):
                await aclose()
