"""``mkp.files``: post-files' two uses (an upload, a directory) and get-file, against the
FakePortal; the directory's JSON on the wire, which the table-driven tests do not see (they run
the row's upload)."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from model_examples import PDF
from recording_server import API_KEY, recording_server

from mijnklantportaal_async import (
    DirectoryCreate,
    FileOrDirectory,
    FileOrDirectoryType,
    FileUpload,
    MijnKlantportaal,
    NotFoundError,
    RequestValidationError,
    UnprocessableEntityError,
    Upload,
)
from mijnklantportaal_async._core.wire import split_query
from mijnklantportaal_async.models.files import DIRECTORY_NAME_FIELD
from mijnklantportaal_async.testing import FakePortal

pytestmark = pytest.mark.fake_portal(rate_limit=None)


async def test_an_upload_into_a_directory_is_stored_there_with_its_bytes(
    fake_portal: FakePortal, mkp: MijnKlantportaal, tmp_path: Path
) -> None:
    contracts = await mkp.files.create_directory("Contracts")
    path = tmp_path / "contract_v2.pdf"
    path.write_bytes(PDF)

    stored = await mkp.files.upload(path, directory=contracts.id)

    assert stored.id.startswith("fsf_")
    assert (stored.type, stored.name, stored.size, stored.mime) == (
        FileOrDirectoryType.FILE,
        "contract_v2.pdf",
        len(PDF),
        "application/pdf",
    )
    assert stored.directory_id == contracts.id
    assert not stored.is_directory
    assert await mkp.files.get(stored.id) == stored
    upload = fake_portal.requests[-2]
    assert upload.query == {"directory": contracts.id}
    assert upload.form == ()
    kept = fake_portal.files[stored.id]
    assert (kept.filename, kept.size) == ("contract_v2.pdf", len(PDF))
    assert kept.sha256 == hashlib.sha256(PDF).hexdigest()
    assert kept.data is None  # keep_files is off: size and hash only
    contents = fake_portal.objects("stored_files").where(directoryId=contracts.id)
    assert [item["id"] for item in contents] == [stored.id]


@pytest.mark.fake_portal(rate_limit=None, keep_files=True)
async def test_with_keep_files_the_portal_keeps_the_uploaded_bytes(
    fake_portal: FakePortal, mkp: MijnKlantportaal
) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b"col1;col2\n"
        yield b"1;2\n"

    stored = await mkp.files.upload(
        FileUpload(file=Upload(chunks(), filename="export.csv", content_type="text/csv"))
    )

    assert (stored.size, stored.mime, stored.directory_id) == (14, "text/csv", None)
    assert fake_portal.files[stored.id].data == b"col1;col2\n1;2\n"
    assert fake_portal.requests[-1].query == {}


async def test_a_directory_is_made_in_its_parent_and_read_back(
    fake_portal: FakePortal, mkp: MijnKlantportaal
) -> None:
    parent = await mkp.files.create_directory("Klanten")

    child = await mkp.files.create_directory(" 2025 ", parent=parent.id)

    assert child.id.startswith("fsd_")
    assert (child.type, child.name, child.size, child.mime) == (
        FileOrDirectoryType.DIRECTORY,
        "2025",
        None,
        None,
    )
    assert child.is_directory
    assert child.directory_id == parent.id
    assert (await mkp.files.get(child.id)).directory_id == parent.id
    record = fake_portal.requests[-2]
    assert (record.method, record.path, record.query) == (
        "POST",
        "/v1/files",
        {"directory": parent.id},
    )
    assert record.body == {DIRECTORY_NAME_FIELD: "2025"}


async def test_create_directory_sends_json_with_the_guessed_name_field_and_the_query() -> None:
    answer = {"id": "fsd_abc12345678", "type": "directory", "name": "Contracts"}
    routes = {("POST", "/v1/files?directory=fsd_parent0000000"): (201, answer)}
    async with (
        recording_server(routes) as server,
        MijnKlantportaal(api_key=API_KEY, base_url=server.url, rate_limit=None) as mkp,
    ):
        made = await mkp.files.create_directory("Contracts", parent="fsd_parent0000000")

    assert made == FileOrDirectory(
        id="fsd_abc12345678", type=FileOrDirectoryType.DIRECTORY, name="Contracts"
    )
    [request] = server.requests
    assert request.headers["Content-Type"].startswith("application/json")
    assert request.json == {"directory": "Contracts"}
    assert request.query == {"directory": "fsd_parent0000000"}
    assert len(request.headers["Idempotency-Key"]) == 36


async def test_an_unknown_directory_is_refused_and_nothing_is_stored(
    fake_portal: FakePortal, mkp: MijnKlantportaal
) -> None:
    a_file = await mkp.files.upload(Upload(PDF, filename="a.pdf"))
    for directory in ("fsd_unknown0000000", a_file.id):  # a file is no directory
        with pytest.raises(UnprocessableEntityError) as upload:
            await mkp.files.upload(Upload(PDF, filename="b.pdf"), directory=directory)
        assert upload.value.errors == {"directory": ["The selected directory is invalid."]}
        with pytest.raises(UnprocessableEntityError) as made:
            await mkp.files.create_directory("Contracts", parent=directory)
        assert made.value.errors == {"directory": ["The selected directory is invalid."]}
    assert list(fake_portal.objects("stored_files")) == [a_file.id]
    assert list(fake_portal.files) == [a_file.id]


async def test_an_unknown_file_or_directory_is_not_found(mkp: MijnKlantportaal) -> None:
    with pytest.raises(NotFoundError) as caught:
        await mkp.files.get("fsf_unknown0000000")
    assert caught.value.body == {"message": "No File can be found for the given ID"}


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda m, p: m.files.upload(p / "missing.pdf"), "file"),
        (lambda m, p: m.files.upload(b"x", directory=" "), "directory"),
        (lambda m, p: m.files.upload(FileUpload(file=b"x"), directory="fsd_a"), "directory"),
        (lambda m, p: m.files.create_directory("  "), "name"),
        (lambda m, p: m.files.create_directory("Contracts", parent=""), "parent"),
        (lambda m, p: m.files.get(" "), "file_or_dir_id"),
    ],
    ids=["missing-path", "empty-directory", "directory-twice", "empty-name", "empty-parent", "id"],
)
async def test_bad_input_is_refused_naming_the_field_before_sending(
    fake_portal: FakePortal, mkp: MijnKlantportaal, tmp_path: Path, call: Any, field: str
) -> None:
    with pytest.raises(RequestValidationError) as caught:
        await call(mkp, tmp_path)
    assert caught.value.field == field
    assert fake_portal.requests == ()


async def test_upload_takes_a_file_upload_or_a_file_and_names_create_directory_for_a_directory(
    fake_portal: FakePortal, mkp: MijnKlantportaal
) -> None:
    with pytest.raises(TypeError) as caught:
        await mkp.files.upload(DirectoryCreate(name="Contracts"))  # type: ignore[arg-type]
    assert str(caught.value) == (
        "data: mkp.files.upload() takes a FileUpload, got a DirectoryCreate; "
        "use mkp.files.create_directory() for a directory"
    )
    with pytest.raises(TypeError, match=r"takes a FileUpload, got a list$"):
        await mkp.files.upload([PDF])  # type: ignore[arg-type]
    assert fake_portal.requests == ()


def test_the_directory_name_goes_in_the_body_and_the_parent_in_the_query() -> None:
    body, query = split_query(DirectoryCreate(name="Contracts", parent="fsd_parent0000000"))
    assert (body, query) == ({"directory": "Contracts"}, {"directory": "fsd_parent0000000"})
    upload = FileUpload(file=b"x")
    body, query = split_query(upload)
    assert (body, query) == ({"file": upload.file}, {})


@pytest.mark.fake_portal(rate_limit=None, keep_files=True)
async def test_a_file_downloads_as_uploaded_without_the_key_and_a_directory_does_not(
    fake_portal: FakePortal, mkp: MijnKlantportaal, tmp_path: Path
) -> None:
    data = bytes(range(256)) * 300  # 76,800 bytes: more than the head the portal always keeps
    stored = await mkp.files.upload(Upload(data, filename="archive.bin"))
    folder = await mkp.files.create_directory("Archive")

    size = await mkp.files.download(stored.id, to=tmp_path / "archive.bin")

    assert (size, (tmp_path / "archive.bin").read_bytes()) == (len(data), data)
    assert b"".join([chunk async for chunk in mkp.files.stream(stored.id)]) == data
    assert [request.authorization for request in fake_portal.storage.requests] == [False, False]
    with pytest.raises(NotFoundError):
        await mkp.files.download(folder.id, to=tmp_path / "folder")
    assert not (tmp_path / "folder").exists()
