"""Converters of request file fields: an invoice's or offer's ``pdf``, an agreement's
``documents`` and the Files API's ``file``. Each value becomes an
:class:`~mijnklantportaal_async.uploads.Upload`; what can be checked without consuming a
one-shot source is checked now (the file exists and is readable, a PDF starts with ``%PDF-``,
an agreement's documents total at most 5 MB)."""

from __future__ import annotations

from collections.abc import Iterable

from mijnklantportaal_async.errors import RequestValidationError
from mijnklantportaal_async.models._validators import Invalid, check_collection
from mijnklantportaal_async.uploads import PDF_SIGNATURE, Upload, UploadSource

__all__ = ["MAX_AGREEMENT_BYTES", "any_file", "documents", "invoice_pdf", "offer_pdf", "pdf"]

UploadInput = Upload | UploadSource

MAX_AGREEMENT_BYTES = 5 * 1024 * 1024  # 5 MB in total for an agreement's documents


def _upload(value: UploadInput, default_filename: str, content_type: str | None) -> Upload:
    """``value`` as an Upload; what the Upload constructor refuses (a source of another
    kind, a text-mode or closed file object) is refused with its reason."""
    if value is None:
        raise Invalid("is required")
    if isinstance(value, str) and not value.strip():
        raise Invalid("is an empty file path")
    if isinstance(value, Upload) and value.closed:  # closed after the Upload was made
        raise Invalid("the file object is closed")
    try:
        return Upload.coerce(value, default_filename=default_filename, content_type=content_type)
    except RequestValidationError as exc:
        raise Invalid(exc.reason) from None
    except (TypeError, ValueError) as exc:
        raise Invalid(str(exc)) from None
    except OSError as exc:
        raise Invalid(f"cannot be used as a file: {exc}") from None


def _head(upload: Upload, value: object, n: int) -> bytes | None:
    """The first ``n`` bytes, or None when they cannot be read without consuming the source."""
    try:
        return upload.peek(n)
    except FileNotFoundError as exc:
        raise Invalid(f"file not found: {exc.filename or value}") from None
    except (OSError, TypeError, ValueError) as exc:  # unreadable, text mode, closed
        raise Invalid(f"cannot read the file: {exc}") from None


def pdf(value: UploadInput, *, default_filename: str = "document.pdf") -> Upload:
    """A PDF upload: its first bytes must be ``%PDF-`` when they can be peeked (not for an
    async source). A missing path is refused with ``file not found: <path>``."""
    upload = _upload(value, default_filename, "application/pdf")
    head = _head(upload, value, len(PDF_SIGNATURE))
    if head is not None and not head.startswith(PDF_SIGNATURE):
        # its bytes are not shown: they may be anything (a terminal escape sequence)
        raise Invalid(f"is not a PDF: it does not start with {PDF_SIGNATURE!r}")
    return upload


def invoice_pdf(value: UploadInput) -> Upload:
    """:func:`pdf` named ``invoice.pdf`` when the source has no file name."""
    return pdf(value, default_filename="invoice.pdf")


def offer_pdf(value: UploadInput) -> Upload:
    """:func:`pdf` named ``offer.pdf`` when the source has no file name."""
    return pdf(value, default_filename="offer.pdf")


def any_file(value: UploadInput) -> Upload:
    """A file of any type (the Files API's ``file``): named ``upload.bin`` when the source has
    no name, its content type the Upload's (explicit, else guessed from the name). A missing or
    unreadable file is refused now (``file not found: <path>``); an empty one is allowed."""
    upload = _upload(value, "upload.bin", None)
    _head(upload, value, 1)
    return upload


def documents(value: Iterable[UploadInput]) -> tuple[Upload, ...]:
    """1–5 agreement documents (any file type), at most 5 MB (5,242,880 bytes) in total as
    far as their sizes are known. Each becomes an :class:`Upload`; a missing path or an
    empty file is refused (``documents[i]``)."""
    check_collection(value, "1 to 5 documents")
    items = list(value)
    if not 1 <= len(items) <= 5:
        raise Invalid(f"must hold 1 to 5 documents, not {len(items)}")
    uploads: list[Upload] = []
    total = 0
    for index, item in enumerate(items):
        is_pdf = isinstance(item, bytes | bytearray) and item.startswith(PDF_SIGNATURE)
        name = f"document-{index + 1}" + (".pdf" if is_pdf else "")
        try:
            upload = _upload(item, name, None)
            _head(upload, item, 1)  # refuses a missing or unreadable file
            size = upload.size
        except Invalid as exc:
            raise Invalid(exc.reason, f"[{index}]") from None
        except (OSError, ValueError) as exc:
            raise Invalid(f"cannot read the file: {exc}", f"[{index}]") from None
        if size == 0:
            raise Invalid("is empty (0 bytes)", f"[{index}]")
        total += size or 0
        uploads.append(upload)
    if total > MAX_AGREEMENT_BYTES:
        raise Invalid(
            f"total {total} bytes exceeds the limit of 5 MB ({MAX_AGREEMENT_BYTES} bytes)"
        )
    return tuple(uploads)
