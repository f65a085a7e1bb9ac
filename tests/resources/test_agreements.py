"""``mkp.agreements.download_document`` / ``stream_document`` (download-agreement-document),
through the public client against the FakePortal."""

from __future__ import annotations

from pathlib import Path

import pytest
from model_examples import agreement

from mijnklantportaal_async import (
    Agreement,
    AgreementCreate,
    MijnKlantportaal,
    NotFoundError,
    RequestValidationError,
    Upload,
)
from mijnklantportaal_async.testing import FakePortal

pytestmark = pytest.mark.fake_portal(rate_limit=None)


def listing(directory: Path) -> list[Path]:
    return sorted(directory.iterdir())


CONTRACT = b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"  # over the 1 KiB always kept
TERMS = b"Algemene voorwaarden\n" * 10


async def an_agreement(mkp: MijnKlantportaal, name: str = "Service contract") -> Agreement:
    return await mkp.agreements.create(
        AgreementCreate(
            **agreement(
                name=name,
                documents=[
                    Upload(CONTRACT, filename="Contract.pdf"),
                    Upload(TERMS, filename="Terms.txt", content_type="text/plain"),
                ],
            )
        )
    )


@pytest.mark.fake_portal(rate_limit=None, keep_files=True)
async def test_each_document_downloads_as_uploaded_without_the_key(
    fake_portal: FakePortal, mkp: MijnKlantportaal, tmp_path: Path
) -> None:
    created = await an_agreement(mkp)
    contract, terms = created.documents

    size = await mkp.agreements.download_document(created.id, contract.id, to=tmp_path / "c.pdf")
    chunks = [c async for c in mkp.agreements.stream_document(created.id, terms.id)]

    assert size == contract.file_size == len(CONTRACT)
    assert (tmp_path / "c.pdf").read_bytes() == CONTRACT
    assert b"".join(chunks) == TERMS
    links = [r for r in fake_portal.requests if r.operation_id == "download-agreement-document"]
    assert [r.path for r in links] == [
        f"/v1/agreements/{created.id}/documents/{contract.id}/download",
        f"/v1/agreements/{created.id}/documents/{terms.id}/download",
    ]
    assert [(r.status, r.authorization) for r in fake_portal.storage.requests] == [
        (200, False),
        (200, False),
    ]
    served = [fake_portal.storage.objects[r.token] for r in fake_portal.storage.requests]
    assert [(s.filename, s.content_type) for s in served] == [
        ("Contract.pdf", "application/pdf"),
        ("Terms.txt", "text/plain"),
    ]


async def test_without_keep_files_a_large_document_is_served_as_a_stand_in(
    fake_portal: FakePortal, mkp: MijnKlantportaal
) -> None:
    created = await an_agreement(mkp)
    contract, terms = created.documents

    stand_in = b"".join([c async for c in mkp.agreements.stream_document(created.id, contract.id)])
    small = b"".join([c async for c in mkp.agreements.stream_document(created.id, terms.id)])

    assert small == TERMS  # within the 1 KiB kept of every upload: exact
    assert stand_in.startswith(b"%PDF-")
    assert stand_in != CONTRACT
    assert b"Contract.pdf" in stand_in
    assert str(contract.file_hash).encode() in stand_in


async def test_an_unknown_agreement_or_another_agreement_s_document_is_not_found(
    fake_portal: FakePortal, mkp: MijnKlantportaal, tmp_path: Path
) -> None:
    first = await an_agreement(mkp)
    second = await an_agreement(mkp, name="Another contract")

    for agreement_id, document_id in [
        ("agr_unknown0000000", first.documents[0].id),
        (first.id, "agd_unknown0000000"),
        (first.id, second.documents[0].id),
    ]:
        with pytest.raises(NotFoundError, match="No Record can be found for the given ID"):
            await mkp.agreements.download_document(agreement_id, document_id, to=tmp_path / "x")

    assert listing(tmp_path) == []
    assert fake_portal.storage.requests == []


async def test_an_empty_id_is_refused_naming_it_before_anything_is_sent(
    fake_portal: FakePortal, mkp: MijnKlantportaal, tmp_path: Path
) -> None:
    with pytest.raises(RequestValidationError) as info:
        mkp.agreements.stream_document("agr_abc12345def678", " ")
    assert info.value.field == "document_id"
    with pytest.raises(RequestValidationError) as info:
        await mkp.agreements.download_document("", "agd_abc12345def678", to=tmp_path / "x")
    assert info.value.field == "agreement_id"

    assert fake_portal.requests == ()
