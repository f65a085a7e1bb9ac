"""FakePortal handlers for the Files API: post-files (upload a file or create a directory),
get-file and download-file.

Files and directories are stored under the kind ``stored_files`` (``portal.files`` already
means uploaded bytes): a file ``fsf_...``, a directory ``fsd_...``, each as the API's
``FileOrDirectory`` plus ``directoryId``, the directory it is in (not in the docs' schema,
which has no field for a directory's contents or an item's parent: the FakePortal's guess).
A directory's contents are the stored items whose ``directoryId`` is its ID. An uploaded
file's bytes are in ``portal.files[<fsf_ ID>]`` (its size and sha256 always, the bytes
themselves with ``keep_files``), which download-file serves (a stand-in PDF saying what it
stands for when the portal did not keep them, as for invoice PDFs: ``handlers/_downloads.py``).
Docs: /api-reference/files-api/.
"""

from __future__ import annotations

from typing import Any

from mijnklantportaal_async.models.files import DIRECTORY_NAME_FIELD
from mijnklantportaal_async.testing.handlers._common import Call, Handler, Reply, not_found, stored
from mijnklantportaal_async.testing.handlers._downloads import stand_in_pdf, stored_bytes
from mijnklantportaal_async.testing.state import PortalState, atom
from mijnklantportaal_async.testing.validation import Validator

__all__ = ["HANDLERS", "download_file", "get_file", "is_directory", "post_files"]

KIND = "stored_files"
"""The store kind of files and directories."""


def is_directory(state: PortalState, item_id: str) -> bool:
    """True when ``item_id`` is a stored directory."""
    item = state.store.get(KIND, item_id)
    return item is not None and item["type"] == "directory"


async def post_files(call: Call) -> Reply:
    """POST /files (post-files): a multipart ``file`` is stored as a file; a JSON body
    creates a directory named by its :data:`DIRECTORY_NAME_FIELD` field (a guess). Either
    goes into the directory of the optional query ``?directory=fsd_...``.

    An unknown directory (or a file's ID there) is 422 ``The selected directory is
    invalid.``, as Laravel's ``exists`` rule answers for input naming a missing object: the
    docs list no 404 for this route, whose only path has no ID. 201 + FileOrDirectory.
    """
    body = await call.body()
    state = call.state
    check = Validator(body.data)
    # Laravel validates the query with the body; the guessed JSON name field is "directory"
    # too, so its errors would share the key, as they would on the real server.
    parent = call.query.get("directory", "").strip() or None
    if parent is not None and not is_directory(state, parent):
        check.fail("directory", "The selected :attribute is invalid.")
    if call.request.content_type == "application/json":
        name = check.string(DIRECTORY_NAME_FIELD, required=True)
        check.check()
        assert name is not None
        item = _store(state, "directories", "directory", name, parent)
    else:
        uploaded = check.file("file", required=True)
        check.check()
        assert uploaded is not None
        item = _store(state, "stored_files", "file", uploaded.filename, parent)
        item.update(size=uploaded.size, mime=uploaded.content_type)
        state.store.files[item["id"]] = uploaded
    return Reply(201, item, stored_id=item["id"])


def _store(
    state: PortalState, id_kind: str, item_type: str, name: str, parent: str | None
) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": state.store.new_id(id_kind),
        "type": item_type,
        "name": name,
        "size": None,
        "mime": None,
        "fileShareId": None,
        "directoryId": parent,
        "createdAt": atom(state.now()),
    }
    state.store.add(KIND, item)
    return item


async def get_file(call: Call) -> Reply:
    """GET /files/{fileOrDirId} (get-file): the file or directory, or 404."""
    item = stored(call, KIND, "fileOrDirId", "File")
    return Reply(200, item)


async def download_file(call: Call) -> Reply:
    """GET /files/{fileId}/download (download-file): 200 ``{"link", "expiresAt"}``, a storage
    link valid 5 minutes serving the file's bytes (``testing/storage.py``); 404 for an unknown
    ID and for a directory, which cannot be downloaded."""
    state = call.state
    item = state.store.get(KIND, call.params["fileId"])
    uploaded = state.store.files.get(item["id"]) if item is not None else None
    if item is None or item["type"] != "file" or uploaded is None:
        raise not_found("File")
    data = stored_bytes(uploaded)
    if data is None:
        detail = [
            f"Stands in for the uploaded {uploaded.filename} ({uploaded.size} bytes),",
            f"sha256 {uploaded.sha256}:",
            "start the FakePortal with keep_files=True to serve its bytes.",
        ]
        data = stand_in_pdf(f"File {item['name']}", detail)
    link = state.storage.link_for(
        data, filename=uploaded.filename, content_type=item["mime"] or "application/octet-stream"
    )
    return Reply(200, link)


HANDLERS: dict[str, Handler] = {
    "post-files": post_files,
    "get-file": get_file,
    "download-file": download_file,
}
"""This module's handlers by operationId (``testing/routes.py`` joins them to the table)."""
