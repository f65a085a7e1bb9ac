"""`mkp.file_requests`: the File Request API (create, get, list)."""

from __future__ import annotations

from mijnklantportaal_async._core import operations as ops
from mijnklantportaal_async.models import FileRequest, FileRequestCreate
from mijnklantportaal_async.pagination import AsyncPaginator
from mijnklantportaal_async.resources._base import Resource
from mijnklantportaal_async.resources._raw import RawResponses, raw, raw_list


class FileRequests(Resource):
    """The File Request API; reached as ``mkp.file_requests``.

    Operations: list-, create-, get-file-request. File requests have no natural key (two
    requests may ask the same customer for the same files), so they are not created in bulk.
    """

    area = "file_requests"

    async def create(self, data: FileRequestCreate) -> FileRequest:
        """Ask a customer (``customer_id``) or anyone with the public link (no customer) to
        upload up to 10 files; returns the :class:`FileRequest` (``frq_...``, each requested
        file ``fqf_...``).

        Operation ``create-file-request``: ``POST /file-requests`` (JSON).
        Docs: ``/api-reference/file-request-api/create-file-request``.

        Raises:
            UnprocessableEntityError: the API refused a field (the FakePortal: an unknown
                ``customer_id`` or ``directory_id``, 422).
            AmbiguousWriteError: sent, outcome unknown; :meth:`list` shows whether it exists.
            TypeError: ``data`` is not a FileRequestCreate (nothing is sent).
        """
        return await self._call("create", ops.CREATE_FILE_REQUEST, data=data)

    async def get(self, request_id: str) -> FileRequest:
        """Get one file request by ID (``frq_...``).

        Operation ``get-file-request``: ``GET /file-requests/{requestId}``.
        Docs: ``/api-reference/file-request-api/get-file-request``.

        Raises:
            NotFoundError: no file request with that ID.
        """
        return await self._call("get", ops.GET_FILE_REQUEST, request_id)

    def list(self) -> AsyncPaginator[FileRequest]:
        """Every file request, as an async iterator; pages of 15 are fetched as needed.

        Operation ``list-file-requests``: ``GET /file-requests``.
        Docs: ``/api-reference/file-request-api/list-file-requests``.
        The order is the server's and is not documented.
        """
        return self._list("list", ops.LIST_FILE_REQUESTS)

    @property
    def with_raw_response(self) -> FileRequestsWithRawResponse:
        """This area's methods again, each answering a :class:`RawResponse`: the HTTP
        ``status``, ``headers`` and ``rate_limit``, and ``parse()`` for what it returns."""
        return FileRequestsWithRawResponse(self)


class FileRequestsWithRawResponse(RawResponses[FileRequests]):
    """``with_raw_response`` of :class:`FileRequests`: each method answers a
    :class:`RawResponse` whose ``parse()`` gives what the method returns (``_raw.py``)."""

    create = raw(FileRequests.create)
    get = raw(FileRequests.get)
    list = raw_list(FileRequests.list)
