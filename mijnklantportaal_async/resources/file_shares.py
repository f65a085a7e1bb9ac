"""`mkp.file_shares`: the File Share API (create, list)."""

from __future__ import annotations

from mijnklantportaal_async._core import operations as ops
from mijnklantportaal_async.models import FileShare, FileShareCreate
from mijnklantportaal_async.pagination import AsyncPaginator
from mijnklantportaal_async.resources._base import Resource
from mijnklantportaal_async.resources._raw import RawResponses, raw, raw_list


class FileShares(Resource):
    """The File Share API; reached as ``mkp.file_shares``.

    Operations: list-, create-file-share (the docs have no get or delete). File shares have no
    natural key, so they are not created in bulk.
    """

    area = "file_shares"

    async def create(self, data: FileShareCreate) -> FileShare:
        """Share stored directories (``fsd_...``) and files (``fsf_...``) with a customer
        (``customer_id``) or through a public link (no customer); returns the
        :class:`FileShare` (``fss_...``) with the shared objects.

        Operation ``create-file-share``: ``POST /file-shares`` (JSON).
        Docs: ``/api-reference/file-share-api/create-file-share``.

        Raises:
            UnprocessableEntityError: the API refused a field (the FakePortal: an unknown ID
                in ``content`` or an unknown ``customer_id``, 422).
            AmbiguousWriteError: sent, outcome unknown; :meth:`list` shows whether it exists.
            TypeError: ``data`` is not a FileShareCreate (nothing is sent).
        """
        return await self._call("create", ops.CREATE_FILE_SHARE, data=data)

    def list(self) -> AsyncPaginator[FileShare]:
        """Every file share, as an async iterator; pages of 15 are fetched as needed.

        Operation ``list-file-shares``: ``GET /file-shares``.
        Docs: ``/api-reference/file-share-api/list-file-shares``.
        The order is the server's and is not documented.
        """
        return self._list("list", ops.LIST_FILE_SHARES)

    @property
    def with_raw_response(self) -> FileSharesWithRawResponse:
        """This area's methods again, each answering a :class:`RawResponse`: the HTTP
        ``status``, ``headers`` and ``rate_limit``, and ``parse()`` for what it returns."""
        return FileSharesWithRawResponse(self)


class FileSharesWithRawResponse(RawResponses[FileShares]):
    """``with_raw_response`` of :class:`FileShares`: each method answers a
    :class:`RawResponse` whose ``parse()`` gives what the method returns (``_raw.py``)."""

    create = raw(FileShares.create)
    list = raw_list(FileShares.list)
