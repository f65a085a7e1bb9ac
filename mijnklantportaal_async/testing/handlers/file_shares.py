"""FakePortal handlers for the File Share API: list-, create-file-share.

A file share (``fss_...``) shows stored files and directories to a customer, or to anyone
with its public link; sharing sets each shared item's ``fileShareId`` (the latest share wins,
since the field holds one). Docs: /api-reference/file-share-api/.
"""

from __future__ import annotations

from typing import Any

from mijnklantportaal_async.testing.handlers._common import (
    Call,
    Handler,
    Reply,
    customer_link,
    paginate,
)
from mijnklantportaal_async.testing.handlers.file_requests import check_customer_id, public_link
from mijnklantportaal_async.testing.handlers.files import KIND
from mijnklantportaal_async.testing.state import PortalState, atom
from mijnklantportaal_async.testing.validation import Validator

__all__ = ["HANDLERS", "create_file_share", "list_file_shares"]


def _content(check: Validator, state: PortalState) -> list[dict[str, Any]]:
    """``content``: at least one ID of a stored file or directory (each unknown one is 422
    ``The selected content.<i> is invalid.``); the stored items."""
    ids = check.array("content", required=True, min_items=1)
    items: list[dict[str, Any]] = []
    for index in range(len(ids or [])):
        field = f"content.{index}"
        item_id = check.string(field, required=True)
        item = state.store.get(KIND, item_id) if item_id is not None else None
        if item_id is not None and item is None:
            check.fail(field, "The selected :attribute is invalid.")
        if item is not None:
            items.append(item)
    return items


async def create_file_share(call: Call) -> Reply:
    """POST /file-shares (create-file-share), JSON.

    Required: content (file and directory IDs). Optional: customerId (a stored customer;
    left out: a public link). 201 + FileShare whose ``sharedContent`` holds the shared
    FileOrDirectory objects, with ``links.customer`` or ``links.publicShare``; 422 on an
    unknown ID.
    """
    body = await call.body()
    state = call.state
    check = Validator(body.data)
    items = _content(check, state)
    customer_id = check_customer_id(check, state)
    check.check()
    share_id = state.store.new_id("file_shares")
    for item in items:
        item["fileShareId"] = share_id
    links = (
        {"customer": customer_link(state, customer_id)}
        if customer_id is not None
        else {"publicShare": public_link(state, "public-file-share", share_id)}
    )
    share = {
        "id": share_id,
        "sharedWithCustomerId": customer_id,
        "sharedContent": [dict(item) for item in items],
        "createdAt": atom(state.now()),
        "links": links,
    }
    state.store.add("file_shares", share)
    return Reply(201, share, stored_id=share_id)


async def list_file_shares(call: Call) -> Reply:
    """GET /file-shares (list-file-shares): paginated, oldest first."""
    state = call.state
    return Reply(200, paginate(state, "/file-shares", state.store.all("file_shares"), call))


HANDLERS: dict[str, Handler] = {
    "list-file-shares": list_file_shares,
    "create-file-share": create_file_share,
}
"""This module's handlers by operationId (``testing/routes.py`` joins them to the table)."""
