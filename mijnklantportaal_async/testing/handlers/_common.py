"""What every FakePortal handler shares: the call it gets, the reply it gives, pagination, links."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

import attrs
from aiohttp import web

from mijnklantportaal_async.testing.forms import ParsedBody, read_body
from mijnklantportaal_async.testing.records import RequestRecord
from mijnklantportaal_async.testing.state import PortalState

__all__ = [
    "PER_PAGE",
    "ApiError",
    "Call",
    "Handler",
    "Reply",
    "customer_link",
    "not_found",
    "paginate",
    "stored",
]

PER_PAGE = 15
"""Objects per list page (the Laravel simple paginator's default, as the docs show)."""


@attrs.frozen
class Reply:
    """A handler's answer: HTTP ``status``, a JSON ``body``, and ``stored_id`` when the request
    stored an object (fault records and the request log report it)."""

    status: int
    body: Any
    stored_id: str | None = None


class ApiError(Exception):
    """Raised by a handler to answer ``status`` with ``{"message": message}``."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@attrs.define
class Call:
    """One request as a handler sees it: the portal ``state``, the aiohttp ``request``, the
    path ``params`` (``{"customerId": "cst_..."}``) and the log ``record`` it fills."""

    state: PortalState
    request: web.Request
    params: Mapping[str, str]
    record: RequestRecord
    _body: ParsedBody | None = None

    async def body(self) -> ParsedBody:
        """The parsed body (read once; the log record gets the parsed form)."""
        if self._body is None:
            self._body = await read_body(
                self.request,
                keep_files=self.state.keep_files,
                keep_files_max=self.state.keep_files_max,
            )
            self.record.body = self._body.json if self._body.json is not None else self._body.data
            self.record.form = self._body.fields
            self.record.files = self._body.files
        return self._body

    @property
    def query(self) -> Mapping[str, str]:
        """The query string, name -> value."""
        return self.request.query


Handler = Callable[[Call], Awaitable[Reply]]
"""A route's handler: takes the :class:`Call`, returns the :class:`Reply` or raises ApiError."""


def not_found(thing: str) -> ApiError:
    """The documented 404: ``No <Thing> can be found for the given ID``."""
    return ApiError(404, f"No {thing} can be found for the given ID")


def stored(call: Call, kind: str, param: str, thing: str) -> dict[str, Any]:
    """The stored object of ``kind`` whose ID is the path parameter ``param`` (the live dict,
    to read or change), or the documented 404 naming ``thing`` (``"Customer Invoice"``)."""
    obj = call.state.store.get(kind, call.params[param])
    if obj is None:
        raise not_found(thing)
    return obj


def customer_link(state: PortalState, customer_id: str) -> dict[str, str]:
    """``{"href": "<portal>/v1/customers/<id>", "type": "application/json"}``."""
    return {"href": f"{state.base_url}/customers/{customer_id}", "type": "application/json"}


def paginate(state: PortalState, path: str, items: Sequence[Any], call: Call) -> dict[str, Any]:
    """The Laravel simple-paginator envelope for page ``?page=N`` (invalid or absent: 1).

    URLs are absolute on the portal's own URL; ``from``/``to`` are 1-based item positions and
    null on an empty page (as Laravel sends them); ``next_page_url`` is null on the last page.
    """
    raw = call.query.get("page", "1")
    page = int(raw) if raw.isdigit() and int(raw) >= 1 else 1
    start = (page - 1) * PER_PAGE
    chunk = list(items[start : start + PER_PAGE])
    base = f"{state.base_url}{path}"
    return {
        "current_page": page,
        "data": chunk,
        "first_page_url": f"{base}?page=1",
        "from": start + 1 if chunk else None,
        "next_page_url": f"{base}?page={page + 1}" if len(items) > start + PER_PAGE else None,
        "path": base,
        "per_page": PER_PAGE,
        "prev_page_url": f"{base}?page={page - 1}" if page > 1 else None,
        "to": start + len(chunk) if chunk else None,
    }
