"""FakePortal handlers for the Agreements API: create-agreement, list-agreements, get-agreement
and download-agreement-document (a download link).

Docs: /api-reference/agreements-api/; the seed page of create-agreement gives the rules
(1-5 signers, 1-5 documents of 5 MB in total, multipart only) and the 402/422/426 answers.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from mijnklantportaal_async.testing.forms import UploadedFile, normalise
from mijnklantportaal_async.testing.handlers._common import (
    ApiError,
    Call,
    Handler,
    Reply,
    not_found,
    paginate,
    stored,
)
from mijnklantportaal_async.testing.handlers._downloads import stand_in_pdf, stored_bytes
from mijnklantportaal_async.testing.state import Notification, atom
from mijnklantportaal_async.testing.validation import Validator

__all__ = [
    "HANDLERS",
    "IDENTIFICATION_COST",
    "MAX_DOCUMENTS",
    "MAX_DOCUMENTS_BYTES",
    "MAX_SIGNERS",
    "create_agreement",
    "download_agreement_document",
    "get_agreement",
    "list_agreements",
]

MAX_SIGNERS = 5
MAX_DOCUMENTS = 5
MAX_DOCUMENTS_BYTES = 5 * 1024 * 1024
"""The documents of one agreement may total at most 5 MB (bytes)."""
IDENTIFICATION_COST = 1
"""Balance units one signer with ``shouldIdentify`` costs."""

_LIST_FIELDS = ("id", "name", "status", "createdAt")


def _decode_signers(check: Validator) -> None:
    """``signers`` sent as one JSON string (as the docs' curl example does) is read as the
    array it encodes; a string that is not JSON fails the ``signers`` field."""
    raw = check.value("signers")
    if not isinstance(raw, str):
        return
    try:
        decoded = json.loads(raw)
    except json.JSONDecodeError:
        check.fail("signers", "The :attribute field must be a valid JSON string.")
        return
    check.data = {**check.data, "signers": normalise(decoded)}


def _check_signers(check: Validator) -> list[dict[str, Any]] | None:
    _decode_signers(check)
    if check.failed("signers"):
        return None
    signers = check.array("signers", required=True, min_items=1, max_items=MAX_SIGNERS)
    if signers is None:
        return None
    parsed: list[dict[str, Any]] = []
    for index, signer in enumerate(signers):
        prefix = f"signers.{index}"
        if not isinstance(signer, dict):
            check.fail(prefix, "The :attribute field must be an array.")
            continue
        parsed.append(
            {
                "firstName": check.string(f"{prefix}.firstName", required=True),
                "lastName": check.string(f"{prefix}.lastName", required=True),
                "email": check.email(f"{prefix}.email", required=True),
                "shouldIdentify": check.boolean(f"{prefix}.shouldIdentify", required=True),
            }
        )
    return parsed


def _check_documents(check: Validator) -> list[UploadedFile] | None:
    documents = check.array("documents", required=True, min_items=1, max_items=MAX_DOCUMENTS)
    if documents is None:
        return None
    files = [check.file(f"documents.{index}") for index in range(len(documents))]
    uploaded = [file for file in files if file is not None]
    if sum(file.size for file in uploaded) > MAX_DOCUMENTS_BYTES:
        check.fail("documents", "The :attribute must not be greater than 5 MB in total.")
    return uploaded


async def create_agreement(call: Call) -> Reply:
    """POST /agreements (create-agreement), multipart/form-data only.

    Required: name, signerName, signerSignatureData (``data:image/png;base64,...``), signers
    (1-5, each firstName, lastName, email, shouldIdentify as 1/0/true/false; bracket names
    ``signers[0][firstName]``, or one ``signers`` field holding a JSON array as the docs' curl
    example sends it), documents (1-5 files, ``documents[0]`` or ``documents[]``, at most 5 MB
    in total). 201 + AgreementWithDetails, status ``sent``.
    426 when agreements are not in the licence, 422 on bad input, 402 when the balance does
    not cover the signers who must identify (1 unit each).
    """
    body = await call.body()
    state = call.state
    if not state.agreements_enabled:
        raise ApiError(426, "Agreements is not available in the current license.")
    check = Validator(body.data)
    name = check.string("name", required=True)
    signer_name = check.string("signerName", required=True)
    signature = check.png_data_uri("signerSignatureData", required=True)
    signers = _check_signers(check)
    documents = _check_documents(check)
    check.check()
    assert signers is not None
    assert documents is not None
    assert signature is not None
    cost = IDENTIFICATION_COST * sum(1 for signer in signers if signer["shouldIdentify"])
    if state.balance is not None:
        if cost > state.balance:
            raise ApiError(
                402, "The portal has not enough balance for this agreement and its options."
            )
        state.balance -= cost
    created_at = atom(state.now())
    store = state.store
    agreement_id = store.new_id("agreements")
    document_list: list[dict[str, Any]] = []
    agreement: dict[str, Any] = {
        "id": agreement_id,
        "name": name,
        "status": "sent",
        "signerName": signer_name,
        "signerSignature": signature,
        "signerSignatureHash": hashlib.sha256(f"{signature}{created_at}".encode()).hexdigest(),
        "signers": [
            {
                "id": store.new_id("agreement_signers"),
                **signer,
                "signature": None,
                "signatureHash": None,
                "signedAt": None,
            }
            for signer in signers
        ],
        "documents": document_list,
        "createdAt": created_at,
    }
    for document in documents:
        document_id = store.new_id("agreement_documents")
        store.files[document_id] = document
        document_list.append(
            {
                "id": document_id,
                "documentName": document.filename,
                "fileSize": document.size,
                "fileHash": document.sha256,
            }
        )
    store.add("agreements", agreement)
    for signer in signers:
        store.notifications.append(Notification("agreement-signer", agreement_id, signer["email"]))
    return Reply(201, agreement, stored_id=agreement_id)


async def list_agreements(call: Call) -> Reply:
    """GET /agreements (list-agreements): paginated list items (id, name, status, createdAt)."""
    state = call.state
    items = [
        {field: agreement[field] for field in _LIST_FIELDS}
        for agreement in state.store.all("agreements")
    ]
    return Reply(200, paginate(state, "/agreements", items, call))


async def get_agreement(call: Call) -> Reply:
    """GET /agreements/{agreementId} (get-agreement): AgreementWithDetails, or 404."""
    agreement = stored(call, "agreements", "agreementId", "Agreement")
    return Reply(200, agreement)


async def download_agreement_document(call: Call) -> Reply:
    """GET /agreements/{agreementId}/documents/{documentId}/download
    (download-agreement-document): 200 ``{"link", "expiresAt"}``, a storage link valid 5
    minutes (``testing/storage.py``); 404 "No Record can be found for the given ID" (the docs'
    wording) for an unknown agreement or a document that is not one of its documents.

    The link serves the uploaded document's exact bytes, with its file name and content type,
    when the portal holds them (``keep_files``, or a file of at most 1 KiB); else a small PDF
    the portal makes that names the document, its size and sha256.
    """
    state = call.state
    agreement = state.store.get("agreements", call.params["agreementId"])
    document_id = call.params["documentId"]
    if agreement is None or all(doc["id"] != document_id for doc in agreement["documents"]):
        raise not_found("Record")
    uploaded = state.store.files[document_id]
    data = stored_bytes(uploaded)
    content_type = uploaded.content_type
    if data is None:
        content_type = "application/pdf"
        data = stand_in_pdf(
            f"Agreement document {uploaded.filename}",
            [
                f"Of agreement {agreement['name']} ({agreement['id']})",
                f"Stands in for the uploaded file ({uploaded.size} bytes),",
                f"sha256 {uploaded.sha256}:",
                "start the FakePortal with keep_files=True to serve its bytes.",
            ],
        )
    link = state.storage.link_for(data, filename=uploaded.filename, content_type=content_type)
    return Reply(200, link)


HANDLERS: dict[str, Handler] = {
    "create-agreement": create_agreement,
    "list-agreements": list_agreements,
    "get-agreement": get_agreement,
    "download-agreement-document": download_agreement_document,
}
"""This module's handlers by operationId (``testing/routes.py`` joins them to the table)."""
