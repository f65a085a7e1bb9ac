"""File Request API models: ``FileRequestCreate`` with its ``RequestedFileCreate`` items
(request), ``FileRequest`` with its ``RequestedFile`` items and ``FileRequestLinks``
(response).

A file request asks a customer (or anyone with its public link) to upload up to 10 files.
Operations: list-, create-, get-file-request.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

import attrs

from mijnklantportaal_async._core.wire import object_id
from mijnklantportaal_async.models._validators import (
    Invalid,
    flag,
    name_errors,
    nested,
    request_model,
    text,
    type_name,
)
from mijnklantportaal_async.models.common import Link

__all__ = [
    "FileRequest",
    "FileRequestCreate",
    "FileRequestLinks",
    "RequestedFile",
    "RequestedFileCreate",
]

MAX_REQUESTED_FILES = 10
"""The most files one request may ask for (the docs: "up to 10")."""


def file_size(value: int) -> int:
    """A positive int (``max_file_size``: no unit in the docs; see :class:`RequestedFileCreate`)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise Invalid(f"must be an int, not {type_name(value)}")
    if value < 1:
        raise Invalid(f"must be at least 1, not {value}")
    return value


@request_model
@attrs.frozen(kw_only=True, field_transformer=name_errors)
class RequestedFileCreate:
    """One file a :class:`FileRequestCreate` asks for.

    Fields:
        name: what the file is (``"Logo"``), a non-empty string.
        description: optional: why it is needed, shown to the uploader.
        required: optional bool: whether the uploader must deliver it. Left out, the server
            decides (not documented; the FakePortal takes False).
        max_file_size: optional positive int. The docs give NO unit; the example is 10240,
            which reads as kilobytes (Laravel's ``max`` rule for files, so 10 MB) - a guess.

    Raises:
        RequestValidationError: a field is missing or invalid (``.field`` names it).
    """

    name: str = attrs.field(converter=text)
    description: str | None = attrs.field(default=None, converter=attrs.converters.optional(text))
    required: bool | None = attrs.field(default=None, converter=attrs.converters.optional(flag))
    max_file_size: int | None = attrs.field(
        default=None, converter=attrs.converters.optional(file_size)
    )


def requested_files(
    value: Iterable[RequestedFileCreate | Mapping[str, Any]],
) -> tuple[RequestedFileCreate, ...]:
    """1 to 10 :class:`RequestedFileCreate` (or mappings of their fields), as a tuple."""
    return nested(
        value, RequestedFileCreate, "requested files", minimum=1, maximum=MAX_REQUESTED_FILES
    )


@request_model
@attrs.frozen(kw_only=True, field_transformer=name_errors)
class FileRequestCreate:
    """A new file request, for ``create-file-request`` (``POST /file-requests``, JSON).

    Docs: ``/api-reference/file-request-api/create-file-request``.

    Fields:
        name: its name in the managing portal (``"Contract renewal"``), a non-empty string.
        requested_files: 1 to 10 :class:`RequestedFileCreate` (or mappings of their fields);
            errors name ``requested_files[i].<field>``.
        description: optional: why the files are needed, shown to the uploader.
        customer_id: optional customer (``cst_...``) to ask; left out, the request is a
            public link anyone who has it can upload to.
        directory_id: optional directory (``fsd_...``) the uploads are stored in.

    Raises:
        RequestValidationError: a field is missing or invalid (``.field`` names it).
    """

    name: str = attrs.field(converter=text)
    requested_files: tuple[RequestedFileCreate, ...] = attrs.field(converter=requested_files)
    description: str | None = attrs.field(default=None, converter=attrs.converters.optional(text))
    customer_id: str | None = attrs.field(default=None, converter=attrs.converters.optional(text))
    directory_id: str | None = attrs.field(default=None, converter=attrs.converters.optional(text))


@attrs.frozen(kw_only=True)
class RequestedFile:
    """One file a :class:`FileRequest` asks for (ID ``fqf_...``; the spec's
    ``FileRequestFile``).

    ``max_file_size`` has no documented unit (probably kilobytes: see
    :class:`RequestedFileCreate`); ``uploaded_file_id`` is the stored file (``fsf_...``) once
    delivered, else None.
    """

    id: str = object_id("fqf_")
    name: str | None = None
    description: str | None = None
    required: bool | None = None
    max_file_size: int | None = None
    uploaded_file_id: str | None = None


@attrs.frozen(kw_only=True)
class FileRequestLinks:
    """A file request's ``links``: ``customer`` (the Get Customer endpoint, JSON) and
    ``public_request`` (the upload page, for a request without a customer)."""

    customer: Link | None = None
    public_request: Link | None = None


@attrs.frozen(kw_only=True)
class FileRequest:
    """A file request as the API returns it (ID ``frq_...``).

    Every field but ``id`` may be missing (None). ``customer_id`` is None for a public link;
    ``completed_at`` (an aware datetime) is set once the files are delivered;
    ``requested_files`` holds :class:`RequestedFile` items.
    """

    id: str = object_id("frq_")
    name: str | None = None
    description: str | None = None
    directory_id: str | None = None
    customer_id: str | None = None
    requested_files: tuple[RequestedFile, ...] = ()
    completed_at: datetime | None = None
    created_at: datetime | None = None
    links: FileRequestLinks | None = None
