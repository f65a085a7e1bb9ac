"""File fields of request models (an invoice's or offer's ``pdf``, an agreement's
``documents``) are checked when the model is built, as far as that is possible without
consuming a one-shot source."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from pathlib import Path
from typing import BinaryIO

import pytest
from model_examples import PDF, agreement, invoice, offer, refused, signer

from mijnklantportaal_async.models import (
    AgreementCreate,
    AgreementSignerCreate,
    CustomerInvoiceCreate,
    CustomerOfferCreate,
)
from mijnklantportaal_async.uploads import Upload


@pytest.mark.parametrize("count", [0, 6])
def test_an_agreement_needs_1_to_5_signers(count: int) -> None:
    signers = [AgreementSignerCreate(**signer(email=f"s{n}@domain.com")) for n in range(count)]
    error = refused(AgreementCreate, **agreement(signers=signers))
    assert (error.field, error.reason) == ("signers", f"must hold 1 to 5 signers, not {count}")


@pytest.mark.parametrize("count", [0, 6])
def test_an_agreement_needs_1_to_5_documents(count: int) -> None:
    error = refused(AgreementCreate, **agreement(documents=[PDF] * count))
    assert (error.field, error.reason) == ("documents", f"must hold 1 to 5 documents, not {count}")


def test_documents_over_5_mb_in_total_are_refused() -> None:
    half = 5 * 1024 * 1024 // 2
    assert AgreementCreate(**agreement(documents=[b"x" * half, b"y" * half]))
    error = refused(AgreementCreate, **agreement(documents=[b"x" * half, b"y" * (half + 1)]))
    assert error.field == "documents"
    assert "5242881 bytes exceeds the limit of 5 MB" in error.reason


def test_documents_need_not_be_pdfs_but_must_exist(tmp_path: Path) -> None:
    built = AgreementCreate(**agreement(documents=[b"plain text", PDF]))
    assert [doc.filename for doc in built.documents] == ["document-1", "document-2.pdf"]
    missing = tmp_path / "gone.pdf"
    error = refused(AgreementCreate, **agreement(documents=[PDF, missing]))
    assert (error.field, error.reason) == ("documents[1]", f"file not found: {missing}")


def test_a_single_document_not_in_a_list_is_refused() -> None:
    assert "must be a list" in refused(AgreementCreate, **agreement(documents=PDF)).reason


def test_a_pdf_that_is_not_a_pdf_is_refused_from_bytes_and_from_a_path(tmp_path: Path) -> None:
    text = tmp_path / "invoice.pdf"
    text.write_bytes(b"Hello, not a PDF")
    for source in (b"Hello, not a PDF", text):
        error = refused(CustomerInvoiceCreate, **invoice(pdf=source))
        assert error.field == "pdf"
        assert error.reason.startswith("is not a PDF")


def test_a_missing_pdf_path_is_refused(tmp_path: Path) -> None:
    missing = tmp_path / "missing.pdf"
    error = refused(CustomerOfferCreate, **offer(pdf=missing))
    assert (error.field, error.reason) == ("pdf", f"file not found: {missing}")


def test_a_pdf_from_an_async_source_is_not_peeked() -> None:
    async def source() -> AsyncIterator[bytes]:
        yield b"not checked: reading would consume it"

    built = CustomerInvoiceCreate(**invoice(pdf=source()))
    assert built.pdf.content_type == "application/pdf"
    assert not built.pdf.started


def test_a_pdf_upload_is_sent_as_application_pdf_with_a_default_name() -> None:
    built = CustomerInvoiceCreate(**invoice(pdf=PDF))
    assert (built.pdf.filename, built.pdf.content_type) == ("invoice.pdf", "application/pdf")


def _closed_pdf(tmp_path: Path) -> BinaryIO:
    path = tmp_path / "closed.pdf"
    path.write_bytes(PDF)
    fh = path.open("rb")
    fh.close()
    return fh


def test_a_closed_file_is_refused_when_the_model_is_built(tmp_path: Path) -> None:
    closed = _closed_pdf(tmp_path)
    for build, kwargs in [(CustomerInvoiceCreate, invoice), (CustomerOfferCreate, offer)]:
        error = refused(build, **kwargs(pdf=closed))
        assert (error.field, error.reason) == ("pdf", "the file object is closed")
    error = refused(AgreementCreate, **agreement(documents=[PDF, closed]))
    assert (error.field, error.reason) == ("documents[1]", "the file object is closed")


def test_an_upload_of_a_file_closed_since_is_refused_too(tmp_path: Path) -> None:
    path = tmp_path / "later.pdf"
    path.write_bytes(PDF)
    with path.open("rb") as fh:
        upload = Upload(fh)
    assert upload.closed
    error = refused(CustomerInvoiceCreate, **invoice(pdf=upload))
    assert (error.field, error.reason) == ("pdf", "the file object is closed")
    with pytest.raises(ValueError, match=r"^the file object is closed$"):
        Upload(_closed_pdf(tmp_path))


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        (42, "an upload source must be a file path, bytes, a binary file object or an async "
             "iterable of bytes, not int"),
        (io.StringIO("%PDF-1.4"), "the file object is in text mode; open it with 'rb'"),
        ("  ", "is an empty file path"),
    ],
)  # fmt: skip
def test_what_cannot_be_a_file_is_refused_saying_why(source: object, reason: str) -> None:
    error = refused(CustomerInvoiceCreate, **invoice(pdf=source))
    assert (error.field, error.reason) == ("pdf", reason)
    error = refused(AgreementCreate, **agreement(documents=[PDF, source]))
    assert (error.field, error.reason) == ("documents[1]", reason)
