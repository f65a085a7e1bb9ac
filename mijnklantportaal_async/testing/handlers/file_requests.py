"""FakePortal handlers for the File Request API: list-, create-, get-file-request.

A file request (``frq_...``) asks a customer, or anyone with its public link, for up to 10
files (each ``fqf_...``). Docs: /api-reference/file-request-api/.
"""

from __future__ import annotations

import hashlib
from typing import Any

from mijnklantportaal_async.testing.handlers._common import (
    Call,
    Handler,
    Reply,
    customer_link,
    paginate,
    stored,
)
from mijnklantportaal_async.testing.handlers.files import is_directory
from mijnklantportaal_async.testing.state import PortalState, atom
from mijnklantportaal_async.testing.validation import Validator

__all__ = [
    "HANDLERS",
    "check_customer_id",
    "create_file_request",
    "get_file_request",
    "list_file_requests",
    "public_link",
]

MAX_REQUESTED_FILES = 10
"""The docs: "up to 10" files per request."""
LONG_TEXT = 65_535
"""The longest description taken (a MySQL TEXT column; the docs give no limit)."""


def check_customer_id(check: Validator, state: PortalState) -> str | None:
    """Optional ``customerId``: when given it must name a stored customer (422 otherwise,
    Laravel's ``exists`` rule)."""
    customer_id = check.string("customerId")
    if customer_id is not None and state.store.get("customers", customer_id) is None:
        check.fail("customerId", "The selected :attribute is invalid.")
        return None
    return customer_id


def public_link(state: PortalState, page: str, object_id: str) -> dict[str, str]:
    """A public web page of the portal for ``object_id`` (the URL's shape is not documented)."""
    token = hashlib.sha256(object_id.encode()).hexdigest()[:12]
    return {"href": f"{state.site_root}/{page}/{object_id}/{token}", "type": "text/html"}


def _size(check: Validator, field: str) -> int | None:
    value = check.value(field)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).isdigit():
        check.fail(field, "The :attribute field must be an integer.")
        return None
    if int(value) < 1:
        check.fail(field, "The :attribute field must be at least 1.")
        return None
    return int(value)


def _requested_files(check: Validator) -> list[dict[str, Any]]:
    """Each item of ``requestedFiles``: ``name`` required, ``description`` (string),
    ``required`` (boolean, default false: not documented) and ``maxFileSize`` (integer >= 1,
    unit not documented) optional. Returned without IDs; absent optional fields are left out
    (the spec types them non-nullable)."""
    items = check.array("requestedFiles", required=True, min_items=1, max_items=MAX_REQUESTED_FILES)
    out: list[dict[str, Any]] = []
    for index, item in enumerate(items or []):
        prefix = f"requestedFiles.{index}"
        if not isinstance(item, dict):
            check.fail(prefix, "The :attribute field must be an array.")
            continue
        wanted: dict[str, Any] = {"name": check.string(f"{prefix}.name", required=True)}
        description = check.string(f"{prefix}.description", max_length=LONG_TEXT)
        if description is not None:
            wanted["description"] = description
        wanted["required"] = bool(check.boolean(f"{prefix}.required"))
        size = _size(check, f"{prefix}.maxFileSize")
        if size is not None:
            wanted["maxFileSize"] = size
        out.append(wanted)
    return out


async def create_file_request(call: Call) -> Reply:
    """POST /file-requests (create-file-request), JSON.

    Required: name, requestedFiles (1 to 10). Optional: description, customerId (a stored
    customer; left out: a public link), directoryId (a stored directory). An unknown
    customer or directory is 422. 201 + FileRequest, with ``links.customer`` for a customer's
    request and ``links.publicRequest`` for a public one.
    """
    body = await call.body()
    state = call.state
    check = Validator(body.data)
    name = check.string("name", required=True)
    description = check.string("description", max_length=LONG_TEXT)
    customer_id = check_customer_id(check, state)
    directory_id = check.string("directoryId")
    if directory_id is not None and not is_directory(state, directory_id):
        check.fail("directoryId", "The selected :attribute is invalid.")
    wanted = _requested_files(check)
    check.check()
    request_id = state.store.new_id("file_requests")
    links = (
        {"customer": customer_link(state, customer_id)}
        if customer_id is not None
        else {"publicRequest": public_link(state, "public-file-request", request_id)}
    )
    file_request = {
        "id": request_id,
        "name": name,
        "description": description,
        "directoryId": directory_id,
        "customerId": customer_id,
        "requestedFiles": [{"id": state.store.new_id("requested_files"), **w} for w in wanted],
        "completedAt": None,
        "createdAt": atom(state.now()),
        "links": links,
    }
    state.store.add("file_requests", file_request)
    return Reply(201, file_request, stored_id=request_id)


async def list_file_requests(call: Call) -> Reply:
    """GET /file-requests (list-file-requests): paginated, oldest first."""
    state = call.state
    return Reply(200, paginate(state, "/file-requests", state.store.all("file_requests"), call))


async def get_file_request(call: Call) -> Reply:
    """GET /file-requests/{requestId} (get-file-request): the file request, or 404."""
    file_request = stored(call, "file_requests", "requestId", "File Request")
    return Reply(200, file_request)


HANDLERS: dict[str, Handler] = {
    "list-file-requests": list_file_requests,
    "create-file-request": create_file_request,
    "get-file-request": get_file_request,
}
"""This module's handlers by operationId (``testing/routes.py`` joins them to the table)."""
