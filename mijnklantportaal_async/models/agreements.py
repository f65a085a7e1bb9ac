"""Agreements API models: ``AgreementCreate`` with its ``AgreementSignerCreate`` items
(requests), ``Agreement`` with its ``AgreementSigner`` and ``AgreementDocument`` items
(response)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

import attrs

from mijnklantportaal_async._core import natural_keys
from mijnklantportaal_async._core.wire import object_id
from mijnklantportaal_async.models._file_fields import documents
from mijnklantportaal_async.models._validators import (
    email,
    flag,
    name_errors,
    nested,
    png_data_uri,
    request_model,
    text,
)
from mijnklantportaal_async.uploads import Upload

__all__ = [
    "Agreement",
    "AgreementCreate",
    "AgreementDocument",
    "AgreementSigner",
    "AgreementSignerCreate",
]


@request_model
@attrs.frozen(kw_only=True, field_transformer=name_errors)
class AgreementSignerCreate:
    """One person who must sign an agreement.

    Fields:
        first_name, last_name: non-empty strings; use the full legal names when the signer
            must identify (they are matched with the identity document).
        email: an e-mail address; the request to sign is sent there.
        should_identify: required bool: whether the signer must identify (this needs
            balance on the portal; without it the API answers 402).

    Raises:
        RequestValidationError: a field is missing or invalid.
    """

    first_name: str = attrs.field(converter=text)
    last_name: str = attrs.field(converter=text)
    email: str = attrs.field(converter=email)
    should_identify: bool = attrs.field(converter=flag)


def agreement_signers(
    value: Iterable[AgreementSignerCreate | Mapping[str, Any]],
) -> tuple[AgreementSignerCreate, ...]:
    """1–5 :class:`AgreementSignerCreate` (or mappings of their fields), stored as a tuple."""
    return nested(value, AgreementSignerCreate, "signers", minimum=1, maximum=5)


@request_model
@attrs.frozen(kw_only=True, field_transformer=name_errors)
class AgreementCreate:
    """A new agreement to be signed, for ``create-agreement`` (``POST /agreements``,
    multipart/form-data only).

    Docs: ``/api-reference/agreements-api/create-agreement``.

    Fields:
        name: the agreement's name, a non-empty string.
        signer_name: who signs on behalf of the portal's company.
        signer_signature_data: that person's signature, a ``data:image/png;base64,...`` URI
            of a PNG image; build it with ``signature_data_uri(png_bytes_or_path)``.
        signers: 1–5 :class:`AgreementSignerCreate` (any iterable; mappings of their fields
            are accepted), stored as a tuple. Errors name ``signers[i].<field>``.
        documents: 1–5 files (paths, bytes, binary file objects, async byte iterables or
            :class:`Upload`), any file type, at most 5 MB (5,242,880 bytes) in total where
            sizes are known; stored as a tuple of Upload. Errors name ``documents[i]``.

    Raises:
        RequestValidationError: a field is missing or invalid (``.field`` names it).
    """

    name: str = attrs.field(converter=text)
    signer_name: str = attrs.field(converter=text)
    signer_signature_data: str = attrs.field(converter=png_data_uri, repr=False)
    signers: tuple[AgreementSignerCreate, ...] = attrs.field(converter=agreement_signers)
    documents: tuple[Upload, ...] = attrs.field(converter=documents)

    def natural_key(self) -> dict[str, Any]:
        """What identifies this agreement for bulk reconciliation: its name and its
        signers' e-mail addresses (lower case, sorted)."""
        return natural_keys.AGREEMENT.of(self)


@attrs.frozen(kw_only=True)
class AgreementSigner:
    """A signer of an agreement as the API returns it (ID ``ags_...``).

    Every field but ``id`` may be missing (None); ``signature`` (a PNG data URI),
    ``signature_hash`` and ``signed_at`` (aware datetime) are set once the signer signed.
    """

    id: str = object_id("ags_")
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    should_identify: bool | None = None
    signature: str | None = attrs.field(default=None, repr=False)
    signature_hash: str | None = None
    signed_at: datetime | None = None


@attrs.frozen(kw_only=True)
class AgreementDocument:
    """A document of an agreement as the API returns it (ID ``agd_...``): its
    ``document_name`` (the file name), ``file_size`` in bytes and ``file_hash``."""

    id: str = object_id("agd_")
    document_name: str | None = None
    file_size: int | None = None
    file_hash: str | None = None


@attrs.frozen(kw_only=True)
class Agreement:
    """An agreement as the API returns it (ID ``agr_...``; the ``AgreementWithDetails`` shape).

    ``status`` is ``"sent"`` or ``"signed"``. ``signers`` and ``documents`` are tuples,
    empty for the items of the list endpoint (which leaves them out); ``get()`` has them.
    ``signer_signature`` is the portal signer's PNG data URI, ``created_at`` an aware datetime.
    """

    id: str = object_id("agr_")
    name: str | None = None
    status: str | None = None
    signer_name: str | None = None
    signer_signature: str | None = attrs.field(default=None, repr=False)
    signer_signature_hash: str | None = None
    signers: tuple[AgreementSigner, ...] = ()
    documents: tuple[AgreementDocument, ...] = ()
    created_at: datetime | None = None
