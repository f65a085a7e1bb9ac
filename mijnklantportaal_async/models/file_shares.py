"""File Share API models: ``FileShareCreate`` (request), ``FileShare`` with its
``FileShareLinks`` (response).

A file share shows stored files and directories to one customer, or to anyone with its public
link. Operations: list-, create-file-share.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import attrs

from mijnklantportaal_async._core.wire import object_id
from mijnklantportaal_async.models._validators import (
    Invalid,
    check_collection,
    name_errors,
    request_model,
    text,
)
from mijnklantportaal_async.models.common import Link
from mijnklantportaal_async.models.files import FileOrDirectory

__all__ = ["FileShare", "FileShareCreate", "FileShareLinks"]


def content_ids(value: Iterable[str]) -> tuple[str, ...]:
    """At least one file or directory ID, each a non-empty string (stripped), as a tuple."""
    check_collection(value, "file and directory IDs")
    ids = list(value)
    if not ids:
        raise Invalid("must hold at least 1 file or directory ID, not 0")
    out: list[str] = []
    for index, item in enumerate(ids):
        try:
            out.append(text(item))
        except Invalid as exc:
            raise Invalid(exc.reason, f"[{index}]") from None
    return tuple(out)


@request_model
@attrs.frozen(kw_only=True, field_transformer=name_errors)
class FileShareCreate:
    """A new file share, for ``create-file-share`` (``POST /file-shares``, JSON).

    Docs: ``/api-reference/file-share-api/create-file-share``.

    Fields:
        content: one or more IDs of stored directories (``fsd_...``) and files (``fsf_...``)
            to share; errors name ``content[i]``. The docs give no maximum.
        customer_id: optional customer (``cst_...``) to share with; left out, the share is a
            public link anyone who has it can open.

    Raises:
        RequestValidationError: a field is missing or invalid (``.field`` names it).
    """

    content: tuple[str, ...] = attrs.field(converter=content_ids)
    customer_id: str | None = attrs.field(default=None, converter=attrs.converters.optional(text))


@attrs.frozen(kw_only=True)
class FileShareLinks:
    """A file share's ``links``: ``customer`` (the Get Customer endpoint, JSON) and
    ``public_share`` (the share's web page, for a share without a customer)."""

    customer: Link | None = None
    public_share: Link | None = None


@attrs.frozen(kw_only=True)
class FileShare:
    """A file share as the API returns it (ID ``fss_...``).

    Every field but ``id`` may be missing (None). ``shared_with_customer_id`` is None for a
    public link; ``shared_content`` holds the shared files and directories as
    :class:`FileOrDirectory` objects (the docs type its items only as "Shared File and
    Directory objects").
    """

    id: str = object_id("fss_")
    shared_with_customer_id: str | None = None
    shared_content: tuple[FileOrDirectory, ...] = ()
    created_at: datetime | None = None
    links: FileShareLinks | None = None
