"""The FakePortal's Files, File Request and File Share rules on the wire: input the client
refuses before sending (so it never reaches the portal through ``mkp``), sent raw."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest
from test_fakeportal_support import PDF, call, form

from mijnklantportaal_async.testing import FakePortal

Body = dict[str, Any]


async def post(portal: FakePortal, path: str, **kwargs: Any) -> tuple[int, Any]:
    async with aiohttp.ClientSession() as session:
        status, body, _ = await call(session, portal, "POST", path, **kwargs)
    return status, body


async def test_post_files_without_a_file_or_a_name_is_refused() -> None:
    async with FakePortal(rate_limit=None) as portal:
        no_file = await post(portal, "/files", data=form({"name": "x.pdf"}))
        no_body = await post(portal, "/files")
        no_name = await post(portal, "/files", json={"name": "Contracts"})
        held = len(portal.objects("stored_files"))
    assert no_file == (
        422,
        {
            "message": "The file field is required.",
            "errors": {"file": ["The file field is required."]},
        },
    )
    assert no_body[0] == 422
    assert no_body[1]["errors"] == {"file": ["The file field is required."]}
    assert no_name[0] == 422
    assert no_name[1]["errors"] == {"directory": ["The directory field is required."]}
    assert held == 0


async def test_a_form_upload_names_the_file_by_its_part_and_answers_the_spec_s_shape() -> None:
    async with FakePortal(rate_limit=None) as portal:
        status, body = await post(
            portal, "/files", data=form({}, [("file", "scan.pdf", PDF)]), params={"directory": " "}
        )
    assert status == 201
    assert set(body) == {
        "id",
        "type",
        "name",
        "size",
        "mime",
        "fileShareId",
        "directoryId",
        "createdAt",
    }
    assert (body["type"], body["name"], body["size"], body["mime"]) == (
        "file",
        "scan.pdf",
        len(PDF),
        "application/pdf",
    )
    assert body["directoryId"] is None  # an empty ?directory= is no directory


@pytest.mark.parametrize(
    ("requested", "errors"),
    [
        ("Logo", {"requestedFiles": ["The requested files field must be an array."]}),
        (
            [{"name": "L"}] * 11,
            {"requestedFiles": ["The requested files field must not have more than 10 items."]},
        ),
        (["Logo"], {"requestedFiles.0": ["The requested files.0 field must be an array."]}),
        (
            [{"description": "d"}],
            {"requestedFiles.0.name": ["The requested files.0.name field is required."]},
        ),
        (
            [{"name": "L", "maxFileSize": "big"}],
            {
                "requestedFiles.0.maxFileSize": [
                    "The requested files.0.max file size field must be an integer."
                ]
            },
        ),
        (
            [{"name": "L", "maxFileSize": 0}],
            {
                "requestedFiles.0.maxFileSize": [
                    "The requested files.0.max file size field must be at least 1."
                ]
            },
        ),
        (
            [{"name": "L", "required": "maybe"}],
            {
                "requestedFiles.0.required": [
                    "The requested files.0.required field must be true or false."
                ]
            },
        ),
    ],
)
async def test_create_file_request_checks_the_requested_files(
    requested: Any, errors: dict[str, list[str]]
) -> None:
    async with FakePortal(rate_limit=None) as portal:
        status, body = await post(
            portal, "/file-requests", json={"name": "R", "requestedFiles": requested}
        )
        held = len(portal.objects("file_requests"))
    assert (status, body["errors"], held) == (422, errors, 0)


async def test_a_requested_file_s_size_may_come_as_digits_and_required_as_text() -> None:
    async with FakePortal(rate_limit=None) as portal:
        status, body = await post(
            portal,
            "/file-requests",
            json={
                "name": "R",
                "requestedFiles": [{"name": "L", "maxFileSize": "512", "required": "1"}],
            },
        )
    assert status == 201
    [wanted] = body["requestedFiles"]
    assert (wanted["maxFileSize"], wanted["required"]) == (512, True)
    assert "description" not in wanted  # left out, not null: the spec types it a string


@pytest.mark.parametrize(
    ("content", "errors"),
    [
        (None, {"content": ["The content field is required."]}),
        ([], {"content": ["The content field is required."]}),
        ("fsf_abc", {"content": ["The content field must be an array."]}),
        ([42], {"content.0": ["The content.0 field must be a string."]}),
    ],
)
async def test_create_file_share_checks_its_content(
    content: Any, errors: dict[str, list[str]]
) -> None:
    async with FakePortal(rate_limit=None) as portal:
        status, body = await post(portal, "/file-shares", json={"content": content})
        held = len(portal.objects("file_shares"))
    assert (status, body["errors"], held) == (422, errors, 0)
