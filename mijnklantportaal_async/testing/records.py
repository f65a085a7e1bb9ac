"""The FakePortal's log of the requests it received and what it answered (``portal.requests``)."""

from __future__ import annotations

from typing import Any

import attrs

from mijnklantportaal_async.testing.faults import FaultKind
from mijnklantportaal_async.testing.forms import UploadedFile

__all__ = ["RequestRecord"]


@attrs.define
class RequestRecord:
    """One request the portal received, filled in as it is handled.

    - ``index``: position in ``portal.requests``; ``method``, ``path`` (``/v1/customers``),
      ``query`` (name -> value), ``headers`` (the ``Authorization`` header left out);
    - ``operation_id`` and ``route`` (``"POST /customers"``) of the matched route, None for an
      unknown path;
    - ``body``: the parsed body (the JSON document, or the nested form with files as
      :class:`UploadedFile`), ``form`` the raw non-file form fields and ``files`` the file parts
      (name, size, sha256), all empty when the body was never read (401, 429, faults before
      processing);
    - ``status``, ``response_body`` (decoded JSON, or text for HTML), ``response_headers``:
      what was sent; ``status`` is None when no response was sent (connection reset or stall);
    - ``fault``: the injected fault kind (latency aside), ``latency`` the seconds added,
      ``stored_id`` the ID of the object the request stored.
    """

    index: int
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    operation_id: str | None = None
    route: str | None = None
    body: Any = None
    form: tuple[tuple[str, str], ...] = ()
    files: tuple[UploadedFile, ...] = ()
    status: int | None = None
    response_body: Any = None
    response_headers: dict[str, str] = attrs.field(factory=dict)
    fault: FaultKind | None = None
    latency: float | None = None
    stored_id: str | None = None
