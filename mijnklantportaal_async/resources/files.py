"""`mkp.files`: the Files API (upload a file, create a directory, get either)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterable, AsyncIterator, Mapping
from typing import Any, ClassVar, cast

from mijnklantportaal_async._core import operations as ops
from mijnklantportaal_async._core.operations import Body
from mijnklantportaal_async.errors import RequestValidationError
from mijnklantportaal_async.models import DirectoryCreate, FileOrDirectory, FileUpload
from mijnklantportaal_async.resources._base import PathArg, Resource, same_route
from mijnklantportaal_async.resources._raw import RawResponses, raw
from mijnklantportaal_async.uploads import Upload, UploadSource

CREATE_DIRECTORY = same_route(ops.POST_FILES, request=DirectoryCreate, body=Body.JSON)
"""post-files used to create a directory: the same route as the upload, a JSON body.

The table's row is the upload's (multipart: the spec lists multipart/form-data for the route,
and the table test holds every multipart route to ``Body.MULTIPART``), so the table-driven
tests run on the upload; the directory is its own request model, sent as the row says
except for the body (tests/resources/test_files.py checks it on the wire)."""


class Files(Resource):
    """The Files API; reached as ``mkp.files``.

    Operations: post-files (:meth:`upload` a file, :meth:`create_directory`), get-file
    (:meth:`get`), download-file (:meth:`download`, :meth:`stream`). Files and directories have no
    natural key: an ambiguous upload cannot be looked up (there is no list endpoint), so it is
    never created in bulk or reconciled.
    """

    area = "files"
    hints: ClassVar[Mapping[str, Mapping[type[Any], str]]] = {
        "upload": {DirectoryCreate: "use mkp.files.create_directory() for a directory"},
    }

    async def upload(
        self, data: FileUpload | Upload | UploadSource, *, directory: str | None = None
    ) -> FileOrDirectory:
        """Store a file; returns it as a :class:`FileOrDirectory` (``fsf_...``, ``size`` in
        bytes, ``mime``).

        ``data`` is a :class:`FileUpload`, or the file itself (a path, bytes, a binary file
        object, an async byte iterable, an :class:`Upload`) with ``directory`` (``fsd_...``,
        optional: the directory to store it in). Sent as multipart/form-data, streamed (the
        file is never read whole), with ``?directory=`` in the query.

        Operation ``post-files``: ``POST /files`` (multipart). Docs:
        ``/api-reference/files-api/uploading-a-file-or-creating-a-directory``.

        Raises:
            UnprocessableEntityError: the API refused the upload (the FakePortal: an unknown
                ``directory``, 422).
            AmbiguousWriteError: sent, outcome unknown (its natural key is empty: the file
                may or may not be stored, and no list endpoint can tell).
            RequestValidationError: a missing or unreadable path, an empty ``directory``, or
                ``directory=`` given with a FileUpload (nothing is sent).
            TypeError: ``data`` is neither a FileUpload nor a file (nothing is sent).
        """
        return await self._call("upload", ops.POST_FILES, data=_file_upload(data, directory))

    async def create_directory(self, name: str, *, parent: str | None = None) -> FileOrDirectory:
        """Create a directory named ``name``, in the directory ``parent`` (``fsd_...``) or at
        the top level; returns it as a :class:`FileOrDirectory` (``fsd_...``).

        Operation ``post-files``: ``POST /files`` (JSON; ``?directory=<parent>``). Docs:
        ``/api-reference/files-api/uploading-a-file-or-creating-a-directory``. The JSON field
        that carries the name is NOT in the available docs: the client sends ``directory``
        (a guess, ``models/files.py`` ``DIRECTORY_NAME_FIELD``).

        Raises:
            UnprocessableEntityError: the API refused it (the FakePortal: an unknown parent,
                422).
            AmbiguousWriteError: sent, outcome unknown (empty natural key, as for uploads).
            RequestValidationError: ``name`` or ``parent`` is empty (nothing is sent).
        """
        data = DirectoryCreate(name=name, parent=parent)
        return await self._call("create_directory", CREATE_DIRECTORY, data=data)

    async def get(self, file_or_dir_id: str) -> FileOrDirectory:
        """Get a file (``fsf_...``) or a directory (``fsd_...``) by ID; its ``type`` says
        which.

        Operation ``get-file``: ``GET /files/{fileOrDirId}``.
        Docs: ``/api-reference/files-api/get-file-or-directory``.

        Raises:
            NotFoundError: no file or directory with that ID.
        """
        return await self._call("get", ops.GET_FILE, file_or_dir_id)

    async def download(self, file_id: str, *, to: PathArg) -> int:
        """Download a file (``fsf_...``; a directory cannot be downloaded) to the path ``to``;
        returns its size in bytes.

        The API answers with a temporary link (valid 5 minutes) on its storage host, which is
        fetched without the API key; an expired link is asked for again, once. The file is
        written to a temporary file beside ``to`` and renamed when complete, so ``to`` never
        holds a partial file; its directory must exist.

        Operation ``download-file``: ``GET /files/{fileId}/download``.
        Docs: ``/api-reference/files-api/download-file``.

        Raises:
            NotFoundError: no file with that ID (a directory's ID too), or the storage host has
                no such file.
            PermissionDeniedError: the storage host refused a fresh link too (403).
            APIConnectionError, APITimeoutError: the API or the storage host could not be
                reached, or the download was cut.
            RequestValidationError: ``file_id`` is empty (nothing is sent).
            OSError: ``to`` could not be written.
        """
        return await self._download("download", ops.DOWNLOAD_FILE, file_id, to=to)

    def stream(self, file_id: str) -> AsyncIterator[bytes]:
        """A file's bytes as an async iterator of chunks (at most 64 KiB each), fetched as
        iteration goes; link and errors as :meth:`download` (no OSError).

        Operation ``download-file``: ``GET /files/{fileId}/download``.
        Docs: ``/api-reference/files-api/download-file``.

        Raises:
            RequestValidationError: ``file_id`` is empty (at once, nothing is sent).
            and, while iterating, what :meth:`download` raises.
        """
        return self._stream("stream", ops.DOWNLOAD_FILE, file_id)

    @property
    def with_raw_response(self) -> FilesWithRawResponse:
        """This area's methods again, each answering a :class:`RawResponse`: the HTTP
        ``status``, ``headers`` and ``rate_limit``, and ``parse()`` for what it returns."""
        return FilesWithRawResponse(self)


_SOURCES = (Upload, str, os.PathLike, bytes, bytearray, memoryview, AsyncIterable)


def _file_upload(data: object, directory: str | None) -> Any:
    """``data`` as the FileUpload :meth:`Files.upload` sends: a FileUpload as it is, a file
    source wrapped with ``directory``; anything else unchanged, for the resource's TypeError."""
    if isinstance(data, FileUpload):
        if directory is not None:
            raise RequestValidationError(
                "directory", "give the directory on the FileUpload or as directory=, not both"
            )
        return data
    if isinstance(data, _SOURCES) or callable(getattr(data, "read", None)):
        return FileUpload(file=cast(UploadSource, data), directory=directory)
    return data


class FilesWithRawResponse(RawResponses[Files]):
    """``with_raw_response`` of :class:`Files`: each method answers a
    :class:`RawResponse` whose ``parse()`` gives what the method returns (``_raw.py``)."""

    upload = raw(Files.upload)
    create_directory = raw(Files.create_directory)
    get = raw(Files.get)
    download = raw(Files.download)
