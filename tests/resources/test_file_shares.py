"""``mkp.file_shares``: create and list file shares against the FakePortal; sharing marks
each shared file or directory with the share."""

from __future__ import annotations

from typing import Any

import pytest
from model_examples import PDF, customer

from mijnklantportaal_async import (
    CustomerCreate,
    FileShareCreate,
    MijnKlantportaal,
    RequestValidationError,
    UnprocessableEntityError,
    Upload,
)
from mijnklantportaal_async.testing import FakePortal

pytestmark = pytest.mark.fake_portal(rate_limit=None)


async def test_a_share_holds_its_content_and_marks_it_shared(
    fake_portal: FakePortal, mkp: MijnKlantportaal
) -> None:
    client = await mkp.customers.create(CustomerCreate(**customer()))
    folder = await mkp.files.create_directory("Shared")
    contract = await mkp.files.upload(Upload(PDF, filename="contract.pdf"), directory=folder.id)
    other = await mkp.files.upload(Upload(PDF, filename="other.pdf"))

    share = await mkp.file_shares.create(
        FileShareCreate(content=[folder.id, contract.id], customer_id=client.id)
    )

    assert share.id.startswith("fss_")
    assert share.shared_with_customer_id == client.id
    assert [(item.id, item.name, item.file_share_id) for item in share.shared_content] == [
        (folder.id, "Shared", share.id),
        (contract.id, "contract.pdf", share.id),
    ]
    assert share.links is not None
    assert share.links.customer is not None
    assert share.links.customer.href == f"{fake_portal.url}/customers/{client.id}"
    assert share.links.public_share is None
    assert (await mkp.files.get(contract.id)).file_share_id == share.id
    assert (await mkp.files.get(folder.id)).file_share_id == share.id
    assert (await mkp.files.get(other.id)).file_share_id is None
    assert [found async for found in mkp.file_shares.list()] == [share]


async def test_a_share_without_a_customer_is_a_public_link_and_the_latest_share_wins(
    mkp: MijnKlantportaal,
) -> None:
    report = await mkp.files.upload(Upload(PDF, filename="report.pdf"))
    first = await mkp.file_shares.create(FileShareCreate(content=[report.id]))

    second = await mkp.file_shares.create(FileShareCreate(content=(report.id,)))

    assert first.shared_with_customer_id is None
    assert first.links is not None
    assert first.links.customer is None
    assert first.links.public_share is not None
    assert first.links.public_share.type == "text/html"
    assert first.shared_content[0].file_share_id == first.id  # as it was when shared
    assert (await mkp.files.get(report.id)).file_share_id == second.id
    assert [found.id async for found in mkp.file_shares.list()] == [first.id, second.id]


async def test_an_unknown_item_or_customer_is_refused_and_nothing_changes(
    fake_portal: FakePortal, mkp: MijnKlantportaal
) -> None:
    report = await mkp.files.upload(Upload(PDF, filename="report.pdf"))

    with pytest.raises(UnprocessableEntityError) as caught:
        await mkp.file_shares.create(
            FileShareCreate(
                content=[report.id, "fsf_unknown0000000"], customer_id="cst_unknown0000000"
            )
        )

    assert caught.value.errors == {
        "content.1": ["The selected content.1 is invalid."],
        "customerId": ["The selected customer id is invalid."],
    }
    assert len(fake_portal.objects("file_shares")) == 0
    assert (await mkp.files.get(report.id)).file_share_id is None


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({}, "content"),
        ({"content": []}, "content"),
        ({"content": "fsf_abc12345678"}, "content"),
        ({"content": ["fsf_abc12345678", " "]}, "content[1]"),
        ({"content": [None]}, "content[0]"),
        ({"content": ["fsf_abc12345678"], "customer_id": ""}, "customer_id"),
    ],
)
def test_a_bad_share_is_refused_naming_the_field(fields: dict[str, Any], field: str) -> None:
    with pytest.raises(RequestValidationError) as caught:
        FileShareCreate(**fields)
    assert caught.value.field == field


def test_content_ids_are_stripped() -> None:
    assert FileShareCreate(content=[" fsd_abc12345678 "]).content == ("fsd_abc12345678",)
