"""``mkp.file_requests``: create, get and list file requests against the FakePortal."""

from __future__ import annotations

from typing import Any

import pytest
from model_examples import customer

from mijnklantportaal_async import (
    CustomerCreate,
    FileRequestCreate,
    Link,
    MijnKlantportaal,
    NotFoundError,
    RequestedFileCreate,
    RequestValidationError,
    UnprocessableEntityError,
)
from mijnklantportaal_async.testing import FakePortal

pytestmark = pytest.mark.fake_portal(rate_limit=None)


def logo(**fields: Any) -> RequestedFileCreate:
    return RequestedFileCreate(**({"name": "Logo"} | fields))


async def test_a_customer_s_request_is_stored_and_read_back(
    fake_portal: FakePortal, mkp: MijnKlantportaal
) -> None:
    client = await mkp.customers.create(CustomerCreate(**customer()))
    uploads = await mkp.files.create_directory("Uploads")

    made = await mkp.file_requests.create(
        FileRequestCreate(
            name="Contract renewal",
            requested_files=[
                logo(description="For the website", required=True, max_file_size=10240),
                {"name": "Signed contract"},
            ],
            customer_id=client.id,
            directory_id=uploads.id,
        )
    )

    assert made.id.startswith("frq_")
    assert (made.name, made.customer_id, made.directory_id) == (
        "Contract renewal",
        client.id,
        uploads.id,
    )
    assert made.description is None
    assert made.completed_at is None
    first, second = made.requested_files
    assert first.id.startswith("fqf_")
    assert (first.name, first.description, first.required, first.max_file_size) == (
        "Logo",
        "For the website",
        True,
        10240,
    )
    assert (second.name, second.description, second.required, second.max_file_size) == (
        "Signed contract",
        None,
        False,
        None,
    )
    assert first.uploaded_file_id is None
    assert made.links is not None
    assert made.links.customer == Link(
        href=f"{fake_portal.url}/customers/{client.id}", type="application/json"
    )
    assert made.links.public_request is None
    assert await mkp.file_requests.get(made.id) == made
    assert [found async for found in mkp.file_requests.list()] == [made]


async def test_a_request_without_a_customer_is_a_public_link(mkp: MijnKlantportaal) -> None:
    made = await mkp.file_requests.create(
        FileRequestCreate(name="Logo please", requested_files=[logo()], description="Thanks")
    )

    assert (made.customer_id, made.description) == (None, "Thanks")
    assert made.links is not None
    assert made.links.customer is None
    assert made.links.public_request is not None
    assert made.links.public_request.type == "text/html"


async def test_the_list_pages_through_every_request(mkp: MijnKlantportaal) -> None:
    made = [
        await mkp.file_requests.create(FileRequestCreate(name=f"R{i}", requested_files=[logo()]))
        for i in range(17)
    ]
    assert [found.id async for found in mkp.file_requests.list()] == [r.id for r in made]


async def test_an_unknown_customer_or_directory_is_refused(
    fake_portal: FakePortal, mkp: MijnKlantportaal
) -> None:
    with pytest.raises(UnprocessableEntityError) as caught:
        await mkp.file_requests.create(
            FileRequestCreate(
                name="Contract renewal",
                requested_files=[logo()],
                customer_id="cst_unknown0000000",
                directory_id="fsd_unknown0000000",
            )
        )
    assert caught.value.errors == {
        "customerId": ["The selected customer id is invalid."],
        "directoryId": ["The selected directory id is invalid."],
    }
    assert len(fake_portal.objects("file_requests")) == 0


async def test_an_unknown_request_is_not_found(mkp: MijnKlantportaal) -> None:
    with pytest.raises(NotFoundError) as caught:
        await mkp.file_requests.get("frq_unknown0000000")
    assert caught.value.body == {"message": "No File Request can be found for the given ID"}


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"requested_files": [logo()]}, "name"),
        ({"name": "R"}, "requested_files"),
        ({"name": "R", "requested_files": []}, "requested_files"),
        ({"name": "R", "requested_files": [logo()] * 11}, "requested_files"),
        ({"name": "R", "requested_files": [{"name": " "}]}, "requested_files[0].name"),
        ({"name": "R", "requested_files": [logo(), {"naam": "x"}]}, "requested_files[1].naam"),
        (
            {"name": "R", "requested_files": [{"name": "L", "required": 1}]},
            "requested_files[0].required",
        ),
        (
            {"name": "R", "requested_files": [{"name": "L", "max_file_size": 0}]},
            "requested_files[0].max_file_size",
        ),
        (
            {"name": "R", "requested_files": [{"name": "L", "max_file_size": True}]},
            "requested_files[0].max_file_size",
        ),
        (
            {"name": "R", "requested_files": [{"name": "L", "max_file_size": "10"}]},
            "requested_files[0].max_file_size",
        ),
        ({"name": "R", "requested_files": [logo()], "customer_id": ""}, "customer_id"),
        ({"name": "R", "requested_files": [logo()], "directory_id": " "}, "directory_id"),
    ],
)
def test_a_bad_request_is_refused_naming_the_field(fields: dict[str, Any], field: str) -> None:
    with pytest.raises(RequestValidationError) as caught:
        FileRequestCreate(**fields)
    assert caught.value.field == field


async def test_a_bad_request_id_is_refused_before_sending(
    fake_portal: FakePortal, mkp: MijnKlantportaal
) -> None:
    with pytest.raises(RequestValidationError) as caught:
        await mkp.file_requests.get("")
    assert caught.value.field == "request_id"
    assert fake_portal.requests == ()
