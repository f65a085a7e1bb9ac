"""Reading request bodies as the Laravel API does: JSON, urlencoded or multipart/form-data.

Multipart bodies are streamed part by part: file parts are hashed (sha256) and counted as they
arrive, and only their first bytes (plus, with ``keep_files``, the whole file up to a cap) are
kept, so a 500 MB upload costs no more memory than a small one. Field names use PHP brackets
(``signers[0][firstName]``, ``documents[0]``, ``documents[]``) and become nested dicts and lists.
Like Laravel's TrimStrings and ConvertEmptyStringsToNull middleware, strings are trimmed and
empty strings become None.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from typing import Any

import attrs
from aiohttp import BodyPartReader, web

__all__ = [
    "BodyError",
    "ParsedBody",
    "UploadedFile",
    "nest_fields",
    "normalise",
    "parse_bool",
    "read_body",
]

HEAD_SIZE = 1024
"""Bytes kept from the start of every uploaded file (bytes)."""
CHUNK_SIZE = 64 * 1024
MAX_FIELD_SIZE = 1024 * 1024
"""The largest non-file form field read (bytes); larger ones are refused with 400."""

_BRACKETS = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)$")
_SEGMENT = re.compile(r"\[([^\[\]]*)\]")


class BodyError(Exception):
    """The body could not be read at all (bad JSON, malformed multipart); answered with 400."""


@attrs.frozen(repr=False)
class UploadedFile:
    """One uploaded file part.

    ``size`` in bytes, ``sha256`` hex digest of the whole content, ``head`` its first
    :data:`HEAD_SIZE` bytes, ``data`` the whole content only when the portal keeps files (and
    the file fits the cap), else None. The repr shows name and size, never bytes.
    """

    field: str
    filename: str
    content_type: str
    size: int
    sha256: str
    head: bytes
    data: bytes | None = None

    @property
    def is_pdf(self) -> bool:
        """True when the content starts with the PDF signature ``%PDF-``."""
        return self.head.startswith(b"%PDF-")

    def __repr__(self) -> str:
        return f"UploadedFile(field={self.field!r}, filename={self.filename!r}, size={self.size})"


@attrs.frozen
class ParsedBody:
    """A request body as the handlers see it.

    ``data``: the nested, normalised input (what Laravel's ``$request->all()`` holds), files as
    :class:`UploadedFile`. ``fields``: raw non-file form fields in order, ``files``: file parts
    in order, ``json``: the decoded JSON document for JSON requests (else None).
    """

    data: dict[str, Any]
    fields: tuple[tuple[str, str], ...] = ()
    files: tuple[UploadedFile, ...] = ()
    json: Any = None


def parse_bool(value: Any) -> bool | None:
    """A Laravel ``boolean``: True/False, 1/0, ``"1"``/``"0"``, ``"true"``/``"false"``.

    Returns None when ``value`` is not one of those.
    """
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        lowered = value.lower()
        if lowered in ("1", "true"):
            return True
        if lowered in ("0", "false"):
            return False
    return None


def normalise(value: Any) -> Any:
    """Trim strings and turn empty strings into None, recursively (Laravel's middleware)."""
    if isinstance(value, str):
        trimmed = value.strip()
        return trimmed if trimmed else None
    if isinstance(value, dict):
        return {key: normalise(item) for key, item in value.items()}
    if isinstance(value, list):
        return [normalise(item) for item in value]
    return value


def nest_fields(pairs: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """PHP's reading of form names: ``a[0][b]=x`` -> ``{"a": [{"b": "x"}]}``.

    ``name[]`` appends. Containers whose keys are all integers become lists ordered by key;
    a later field with the same name replaces an earlier one (as in PHP).
    """
    root: dict[str, Any] = {}
    for name, value in pairs:
        match = _BRACKETS.match(name)
        if match is None:
            root[name] = value
            continue
        keys = [match.group(1), *_SEGMENT.findall(match.group(2))]
        node = root
        for depth, key in enumerate(keys):
            if key == "":
                key = str(_next_index(node))
            if depth == len(keys) - 1:
                node[key] = value
            else:
                child = node.get(key)
                if not isinstance(child, dict):
                    child = {}
                    node[key] = child
                node = child
    return _listify(root)


def _next_index(node: dict[str, Any]) -> int:
    indexes = [int(key) for key in node if key.isdigit()]
    return max(indexes) + 1 if indexes else 0


def _listify(node: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in node.items():
        out[key] = _listify_value(value)
    return out


def _listify_value(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    converted = _listify(value)
    if converted and all(key.isdigit() for key in converted):
        return [converted[key] for key in sorted(converted, key=int)]
    return converted


async def read_body(
    request: web.Request, *, keep_files: bool = False, keep_files_max: int = 0
) -> ParsedBody:
    """Read and parse the body of ``request`` by its content type.

    Raises:
        BodyError: invalid JSON, a JSON body that is not an object, a malformed multipart
            body or a form field over :data:`MAX_FIELD_SIZE` bytes.
    """
    content_type = request.content_type
    if content_type == "multipart/form-data":
        return await _read_multipart(request, keep_files=keep_files, keep_files_max=keep_files_max)
    if content_type == "application/x-www-form-urlencoded":
        form = await request.post()
        fields = tuple((name, str(value)) for name, value in form.items())
        return ParsedBody(data=normalise(nest_fields(fields)), fields=fields)
    if not request.body_exists:
        return ParsedBody(data={})
    raw = await request.read()
    if not raw.strip():
        return ParsedBody(data={})
    try:
        document = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BodyError(f"The request body is not valid JSON: {exc}.") from None
    if not isinstance(document, dict):
        raise BodyError("The request body must be a JSON object.")
    return ParsedBody(data=normalise(document), json=document)


async def _read_multipart(
    request: web.Request, *, keep_files: bool, keep_files_max: int
) -> ParsedBody:
    fields: list[tuple[str, str]] = []
    files: list[UploadedFile] = []
    pairs: list[tuple[str, Any]] = []
    try:
        reader = await request.multipart()
        async for part in reader:
            if not isinstance(part, BodyPartReader):
                raise BodyError("Nested multipart bodies are not supported.")
            name = part.name or ""
            if part.filename is not None:
                uploaded = await _read_file(part, name, keep_files, keep_files_max)
                if uploaded.filename == "" and uploaded.size == 0:
                    continue  # a form's empty file input: PHP treats it as absent
                files.append(uploaded)
                pairs.append((name, uploaded))
            else:
                text = await _read_text(part)
                fields.append((name, text))
                pairs.append((name, text))
    except (ValueError, AssertionError) as exc:
        raise BodyError(f"Malformed multipart body: {exc}") from None
    return ParsedBody(data=normalise(nest_fields(pairs)), fields=tuple(fields), files=tuple(files))


async def _read_file(
    part: BodyPartReader, name: str, keep_files: bool, keep_files_max: int
) -> UploadedFile:
    digest = hashlib.sha256()
    size = 0
    head = bytearray()
    kept: bytearray | None = bytearray() if keep_files else None
    while chunk := await part.read_chunk(CHUNK_SIZE):
        digest.update(chunk)
        size += len(chunk)
        if len(head) < HEAD_SIZE:
            head += chunk[: HEAD_SIZE - len(head)]
        if kept is not None:
            if len(kept) + len(chunk) <= keep_files_max:
                kept += chunk
            else:
                kept = None  # over the cap: keep size and hash only
    return UploadedFile(
        field=name,
        filename=part.filename or "",
        content_type=part.headers.get("Content-Type", "application/octet-stream"),
        size=size,
        sha256=digest.hexdigest(),
        head=bytes(head),
        data=bytes(kept) if kept is not None else None,
    )


async def _read_text(part: BodyPartReader) -> str:
    buffer = bytearray()
    while chunk := await part.read_chunk(CHUNK_SIZE):
        buffer += chunk
        if len(buffer) > MAX_FIELD_SIZE:
            raise BodyError(f"Form field {part.name!r} is larger than {MAX_FIELD_SIZE} bytes.")
    return buffer.decode(part.get_charset("utf-8"), errors="replace")
