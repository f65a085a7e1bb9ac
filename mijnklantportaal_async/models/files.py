"""Files API models: ``FileUpload`` and ``DirectoryCreate`` (the two requests of post-files) and
``FileOrDirectory`` with its ``FileOrDirectoryType`` (the response of post-files and get-file).

post-files (``POST /files``) is one route with two uses: a file as multipart/form-data (its
``file`` part), or a new directory as JSON. Either goes into the directory named by the query
parameter ``?directory=fsd_...`` when given.
"""

from __future__ import annotations

import enum
from datetime import datetime

import attrs

from mijnklantportaal_async._core.wire import IN_QUERY, WIRE_NAME, object_id
from mijnklantportaal_async.models._file_fields import any_file
from mijnklantportaal_async.models._validators import name_errors, request_model, text
from mijnklantportaal_async.uploads import Upload

__all__ = ["DirectoryCreate", "FileOrDirectory", "FileOrDirectoryType", "FileUpload"]

DIRECTORY_NAME_FIELD = "directory"
"""The JSON field that names a new directory on post-files. A GUESS: the docs page shows that
the route creates a directory from an application/json body, but the field's name was not in
the available docs text (api/NOTES.md section 7); the merged spec guesses ``directory``. This is
the one place that says it: change it here if the API names it otherwise."""

DIRECTORY_QUERY = "directory"
"""post-files' query parameter naming the directory (``fsd_...``) the new file or directory goes
into (documented, optional)."""


@request_model
@attrs.frozen(kw_only=True, field_transformer=name_errors)
class FileUpload:
    """A file to store, for post-files (``POST /files``, multipart/form-data: one ``file``
    part, streamed).

    Docs: ``/api-reference/files-api/uploading-a-file-or-creating-a-directory``.

    Fields:
        file: the file: a path, bytes, a binary file object, an async byte iterable or an
            :class:`Upload`. Any type and size (the docs give no limit); the stored file's
            ``name`` is the upload's file name (``Upload(data, filename="contract.pdf")`` for
            bytes, which are otherwise named ``upload.bin``), its ``mime`` the content type
            (explicit, else guessed from the name). A missing path is refused now.
        directory: optional directory ID (``fsd_...``) to store it in; sent as the query
            parameter ``?directory=``, not in the form. Left out: the top level.

    Raises:
        RequestValidationError: a field is missing or invalid (``.field`` names it).
    """

    file: Upload = attrs.field(converter=any_file)
    directory: str | None = attrs.field(
        default=None,
        converter=attrs.converters.optional(text),
        metadata={IN_QUERY: DIRECTORY_QUERY},
    )


@request_model
@attrs.frozen(kw_only=True, field_transformer=name_errors)
class DirectoryCreate:
    """A new directory, for post-files (``POST /files``, JSON); made by
    ``mkp.files.create_directory(name, parent=...)``.

    Docs: ``/api-reference/files-api/uploading-a-file-or-creating-a-directory``.

    Fields:
        name: the directory's name, a non-empty string (stripped). On the wire it is the JSON
            field :data:`DIRECTORY_NAME_FIELD` (``"directory"``, a guess: see there).
        parent: optional directory ID (``fsd_...``) to create it in; sent as the query
            parameter ``?directory=``. Left out: the top level.

    Raises:
        RequestValidationError: a field is missing or invalid (``.field`` names it).
    """

    name: str = attrs.field(converter=text, metadata={WIRE_NAME: DIRECTORY_NAME_FIELD})
    parent: str | None = attrs.field(
        default=None,
        converter=attrs.converters.optional(text),
        metadata={IN_QUERY: DIRECTORY_QUERY},
    )


class FileOrDirectoryType(enum.StrEnum):
    """What a :class:`FileOrDirectory` is (its ``type``): ``file`` (ID ``fsf_...``) or
    ``directory`` (ID ``fsd_...``)."""

    FILE = "file"
    DIRECTORY = "directory"


@attrs.frozen(kw_only=True)
class FileOrDirectory:
    """A stored file or directory as the API returns it (the spec's ``FileOrDirectory``).

    Every field but ``id`` may be missing (None).

    Attributes:
        id: ``fsf_...`` for a file, ``fsd_...`` for a directory.
        type: :attr:`FileOrDirectoryType.FILE` or :attr:`FileOrDirectoryType.DIRECTORY`.
        name: the file name (``contract_v2.pdf``) or the directory's name.
        size: the file's size in bytes; None for a directory.
        mime: the file's MIME type (``application/pdf``); None for a directory.
        file_share_id: the File Share (``fss_...``) it is shared in, if any.
        directory_id: the directory (``fsd_...``) it is in; None at the top level. NOT in the
            docs' schema (a guess, named like a file request's ``directoryId``): the FakePortal
            sends it; the real API may not, and then it is None.
        created_at: when it was created (an aware datetime).
    """

    id: str = object_id("fsf_", "fsd_")
    type: FileOrDirectoryType | None = None
    name: str | None = None
    size: int | None = None
    mime: str | None = None
    file_share_id: str | None = None
    directory_id: str | None = None
    created_at: datetime | None = None

    @property
    def is_directory(self) -> bool:
        """True for a directory (by ``type``, else by the ``fsd_`` ID prefix)."""
        if self.type is not None:
            return self.type is FileOrDirectoryType.DIRECTORY
        return self.id.startswith("fsd_")
