"""`mkp.agreements`: the Agreements API (create with documents, get, list, download a
document, bulk)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

from mijnklantportaal_async._core import operations as ops
from mijnklantportaal_async.models import Agreement, AgreementCreate
from mijnklantportaal_async.pagination import AsyncPaginator
from mijnklantportaal_async.resources._base import BulkResource, PathArg
from mijnklantportaal_async.resources._raw import RawResponses, raw, raw_list


class Agreements(BulkResource[AgreementCreate, Agreement]):
    """The Agreements API; reached as ``mkp.agreements``.

    Bulk creation (``create_many``) knows an agreement by its ``name`` and its signers'
    e-mails. The list endpoint returns agreements without their signers, so looking one up
    after an ambiguous failure also fetches the details of each listed agreement: one request
    per agreement in the portal, paced by the rate limit.
    """

    area = "agreements"
    create_operation = ops.CREATE_AGREEMENT

    async def create(self, data: AgreementCreate) -> Agreement:
        """Create an agreement with 1–5 signers and 1–5 documents (5 MB in total).

        The documents are streamed as ``multipart/form-data`` with PHP bracket names
        (``signers[0][firstName]``, ``documents[0]``); returns the agreement with its signers
        (``ags_...``) and documents (``agd_...``).

        Operation ``create-agreement``: ``POST /agreements`` (multipart).
        Docs: ``/api-reference/agreements-api/create-agreement``.

        Raises:
            InsufficientBalanceError: not enough balance for signers who must identify (402).
            LicenseLimitError: agreements are not in the current license (426).
            UnprocessableEntityError: the API rejected a field.
            AmbiguousWriteError: sent, outcome unknown; carries the name and signer e-mails.
            RateLimitError, APIConnectionError, AuthenticationError: as for every call.
            TypeError: ``data`` is not an AgreementCreate (nothing is sent).
        """
        return await self._call("create", ops.CREATE_AGREEMENT, data=data)

    async def get(self, agreement_id: str) -> Agreement:
        """Get one agreement with its signers and documents by ID (``agr_...``).

        Operation ``get-agreement``: ``GET /agreements/{agreementId}``.
        Docs: ``/api-reference/agreements-api/get-agreement``.

        Raises:
            NotFoundError: no agreement with that ID.
        """
        return await self._call("get", ops.GET_AGREEMENT, agreement_id)

    def list(self) -> AsyncPaginator[Agreement]:
        """Every agreement (without signers and documents), fetched page by page as needed.

        Operation ``list-agreements``: ``GET /agreements``.
        Docs: ``/api-reference/agreements-api/list-agreements``.
        """
        return self._list("list", ops.LIST_AGREEMENTS)

    async def download_document(self, agreement_id: str, document_id: str, *, to: PathArg) -> int:
        """Download one document of an agreement to the path ``to``; returns its size in bytes.

        ``document_id`` is the document's ``agd_...`` ID (``agreement.documents[i].id``).
        The API answers with a temporary link (valid 5 minutes) on its storage host, which is
        fetched without the API key; an expired link is asked for again, once. The file is
        written to a temporary file beside ``to`` and renamed when complete, so ``to`` never
        holds a partial file; its directory must exist.

        Operation ``download-agreement-document``:
        ``GET /agreements/{agreementId}/documents/{documentId}/download``.
        Docs: ``/api-reference/agreements-api/download-agreement-document``.

        Raises:
            NotFoundError: no such agreement or document ("No Record can be found"), or the
                storage host has no such file.
            PermissionDeniedError: the storage host refused a fresh link too (403).
            APIConnectionError, APITimeoutError: the API or the storage host could not be
                reached, or the download was cut.
            RequestValidationError: an ID is empty (nothing is sent).
            OSError: ``to`` could not be written.
        """
        return await self._download(
            "download_document", ops.DOWNLOAD_AGREEMENT_DOCUMENT, agreement_id, document_id, to=to
        )

    def stream_document(self, agreement_id: str, document_id: str) -> AsyncIterator[bytes]:
        """One document of an agreement as an async iterator of byte chunks (at most 64 KiB
        each), fetched as iteration goes; link and errors as :meth:`download_document` (no
        OSError). A link is asked for again only before the first chunk.

        Operation ``download-agreement-document``:
        ``GET /agreements/{agreementId}/documents/{documentId}/download``.
        Docs: ``/api-reference/agreements-api/download-agreement-document``.

        Raises:
            RequestValidationError: an ID is empty (at once, nothing is sent).
            and, while iterating, what :meth:`download_document` raises.
        """
        return self._stream(
            "stream_document", ops.DOWNLOAD_AGREEMENT_DOCUMENT, agreement_id, document_id
        )

    async def _scan(self, on_page: Callable[[int], None] | None = None) -> AsyncIterator[Agreement]:
        """The list, each agreement with its signers (fetched one by one where the list
        leaves them out): what a natural-key look-up needs. ``on_page(n)`` after each
        request, as in :meth:`BulkResource._scan`."""
        async for agreement in super()._scan(on_page):
            if agreement.signers:
                yield agreement
                continue
            full = await self.get(agreement.id)
            if on_page is not None:
                on_page(1)
            yield full

    @property
    def with_raw_response(self) -> AgreementsWithRawResponse:
        """This area's methods again, each answering a :class:`RawResponse`: the HTTP
        ``status``, ``headers`` and ``rate_limit``, and ``parse()`` for what it returns."""
        return AgreementsWithRawResponse(self)


class AgreementsWithRawResponse(RawResponses[Agreements]):
    """``with_raw_response`` of :class:`Agreements`: each method answers a
    :class:`RawResponse` whose ``parse()`` gives what the method returns (``_raw.py``)."""

    create = raw(Agreements.create)
    get = raw(Agreements.get)
    list = raw_list(Agreements.list)
    download_document = raw(Agreements.download_document)
