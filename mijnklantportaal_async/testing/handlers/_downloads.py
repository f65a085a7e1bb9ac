"""What the FakePortal's download operations serve: the bytes it holds of an upload, or a small
PDF it makes.

The real API answers get-customer-invoice-pdf and download-agreement-document with a link to
the file (``testing/storage.py`` plays the storage host). The FakePortal keeps every upload's
name, size, sha256 and first 1 KiB, and its whole bytes only with ``keep_files`` (up to
``keep_files_max``). :func:`stored_bytes` gives the exact bytes when it has them (kept, or a
file of at most 1 KiB, which its head holds whole); otherwise a handler serves a
:func:`stand_in_pdf` that says what it stands for. A manual invoice (made from lines, no upload)
is always served as a PDF the portal makes, as the real portal makes one.
"""

from __future__ import annotations

from collections.abc import Sequence

from mijnklantportaal_async.testing.forms import UploadedFile

__all__ = ["stand_in_pdf", "stored_bytes"]


def stored_bytes(uploaded: UploadedFile) -> bytes | None:
    """The whole content of ``uploaded`` when the portal holds it, else None."""
    if uploaded.data is not None:
        return uploaded.data
    if len(uploaded.head) == uploaded.size:  # the head kept of every upload is the whole file
        return uploaded.head
    return None


def _text(value: str) -> str:
    """``value`` as a PDF literal string's content (Latin-1 safe, with ``\\ ( )`` escaped)."""
    plain = value.encode("latin-1", errors="replace").decode("latin-1")
    return plain.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def stand_in_pdf(title: str, lines: Sequence[str] = ()) -> bytes:
    """A small valid one-page PDF (A4, Helvetica) showing ``title`` and ``lines``."""
    shown = [f"BT /F1 16 Tf 56 780 Td ({_text(title)}) Tj ET"]
    shown += [
        f"BT /F1 11 Tf 56 {750 - 16 * index} Td ({_text(line)}) Tj ET"
        for index, line in enumerate(lines)
    ]
    content = "\n".join(shown).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
