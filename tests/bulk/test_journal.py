"""The journal file (``bulk/journal.py``): header and identity, records, fsync per record, torn
and corrupt lines, and journals written by earlier versions."""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from collections.abc import AsyncIterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from mijnklantportaal_async._core import natural_keys
from mijnklantportaal_async._core.natural_keys import NaturalKey
from mijnklantportaal_async.bulk import BulkKind, DuplicateItemError, ItemStatus
from mijnklantportaal_async.bulk.journal import (
    Journal,
    JournalCorruptError,
    JournalIdentity,
    JournalLockedError,
    JournalMismatchError,
    JournalState,
    TornJournalWarning,
    fingerprint,
)
from mijnklantportaal_async.errors import MijnKlantportaalError

from .fake_server import create_many

API_KEY = "mkp_live_0123456789abcdefSECRET"
REAL = JournalIdentity(
    portal="https://api.mijnklantportaal.nl/v1", key_fingerprint=fingerprint(API_KEY), sandbox=False
)
KEY = {"invoice_number": "2024-001"}


def lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_fingerprint_is_the_first_16_hex_digits_of_the_keys_sha256() -> None:
    assert fingerprint(API_KEY) == hashlib.sha256(API_KEY.encode()).hexdigest()[:16]
    assert len(fingerprint(API_KEY)) == 16


def test_a_new_journal_starts_with_the_header(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    with Journal(path, identity=REAL):
        pass
    assert lines(path) == [
        {
            "type": "header",
            "version": 1,
            "portal": "https://api.mijnklantportaal.nl/v1",
            "key_fingerprint": fingerprint(API_KEY),
            "sandbox": False,
        }
    ]
    assert API_KEY not in path.read_text(encoding="utf-8")


def test_records_are_json_lines_with_kind_key_state_id_error_and_time(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    with Journal(path, identity=REAL) as journal:
        journal.record("customer_invoices", KEY, JournalState.SENDING)
        journal.record("customer_invoices", KEY, JournalState.CREATED, id="inv_1")
        taken = "UnprocessableEntityError: 422: taken"
        journal.record("customer_invoices", {"n": "2"}, JournalState.FAILED, error=taken)
    _header, sending, created, failed = lines(path)
    assert sending["type"] == "item"
    assert sending["kind"] == "customer_invoices"
    assert sending["key"] == KEY
    assert (sending["state"], sending["id"], sending["error"]) == ("sending", None, None)
    assert (created["state"], created["id"]) == ("created", "inv_1")
    assert failed["error"] == "UnprocessableEntityError: 422: taken"
    assert failed["ambiguous"] is False
    assert isinstance(created["at"], float)
    assert created["at"] > 1.7e9  # Unix seconds


def test_every_record_is_fsynced_before_record_returns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "run.jsonl"
    synced: list[int] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        synced.append(len(path.read_bytes()))  # the bytes are in the file when it syncs
        real_fsync(fd)

    with Journal(path, identity=REAL) as journal:
        monkeypatch.setattr(os, "fsync", fsync)
        journal.record("k", KEY, JournalState.SENDING)
        assert synced == [len(path.read_bytes())]
        journal.record("k", KEY, JournalState.CREATED, id="inv_1")
        assert len(synced) == 2


def test_the_last_record_of_an_item_is_its_state_matched_by_kind_and_key(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    with Journal(path, identity=REAL) as journal:
        journal.record("invoices", {"a": 1, "b": ("x", "y")}, JournalState.SENDING)
        journal.record("invoices", {"a": 1, "b": ("x", "y")}, JournalState.ADOPTED, id="inv_9")
        journal.record("offers", {"a": 1, "b": ("x", "y")}, JournalState.SENDING)
    with Journal(path, identity=REAL) as journal:
        entry = journal.last("invoices", {"b": ["x", "y"], "a": 1})  # field order, list/tuple
        assert entry is not None
        assert (entry.state, entry.id, entry.line) == (JournalState.ADOPTED, "inv_9", 3)
        offer = journal.last("offers", {"a": 1, "b": ("x", "y")})
        assert offer is not None
        assert offer.state is JournalState.SENDING
        assert journal.last("invoices", {"a": 2, "b": ("x", "y")}) is None


@pytest.mark.parametrize(
    ("other", "field"),
    [
        (
            JournalIdentity(
                portal="https://other.example/v1",
                key_fingerprint=REAL.key_fingerprint,
                sandbox=False,
            ),
            "portal",
        ),
        (
            JournalIdentity(
                portal=REAL.portal, key_fingerprint=fingerprint("another key"), sandbox=False
            ),
            "key_fingerprint",
        ),
        (
            JournalIdentity(portal=REAL.portal, key_fingerprint=REAL.key_fingerprint, sandbox=True),
            "sandbox",
        ),
    ],
)
def test_a_journal_refuses_another_portal_key_or_mode(
    tmp_path: Path, other: JournalIdentity, field: str
) -> None:
    path = tmp_path / "run.jsonl"
    with Journal(path, identity=REAL) as journal:
        journal.record("k", KEY, JournalState.CREATED, id="inv_1")
    before = path.read_bytes()
    refused = Journal(path, identity=other)
    with pytest.raises(JournalMismatchError) as caught:
        refused.open()
    assert isinstance(caught.value, MijnKlantportaalError)
    assert set(caught.value.differences) == {field}
    assert field in str(caught.value)
    assert API_KEY not in str(caught.value)
    assert refused.closed
    assert path.read_bytes() == before  # nothing written to a refused journal


def test_a_torn_last_line_is_dropped_with_a_warning_and_cut_from_the_file(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    with Journal(path, identity=REAL) as journal:
        journal.record("k", KEY, JournalState.CREATED, id="inv_1")
    with path.open("ab") as file:
        file.write(b'{"type":"item","kind":"k","key":{"invoice_nu')  # SIGKILL mid-write
    journal = Journal(path, identity=REAL)
    with pytest.warns(TornJournalWarning, match="line 3"):
        journal.open()
    entry = journal.last("k", KEY)
    assert entry is not None
    assert entry.id == "inv_1"
    journal.record("k", {"invoice_number": "2"}, JournalState.SENDING)
    journal.close()
    assert [line["type"] for line in lines(path)] == ["header", "item", "item"]


def test_a_complete_last_record_without_its_newline_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    with Journal(path, identity=REAL) as journal:
        journal.record("k", KEY, JournalState.CREATED, id="inv_1")
    path.write_bytes(path.read_bytes().rstrip(b"\n"))
    with Journal(path, identity=REAL) as journal:
        assert journal.last("k", KEY) is not None
        journal.record("k", {"invoice_number": "2"}, JournalState.SENDING)
    assert len(lines(path)) == 3


def test_a_torn_header_of_a_new_journal_is_replaced(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    path.write_bytes(b'{"type":"hea')
    journal = Journal(path, identity=REAL)
    with pytest.warns(TornJournalWarning):
        journal.open()
    journal.close()
    assert lines(path)[0]["type"] == "header"


def test_a_corrupt_line_before_the_last_is_an_error_naming_its_line(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    with Journal(path, identity=REAL) as journal:
        journal.record("k", KEY, JournalState.SENDING)
        journal.record("k", KEY, JournalState.CREATED, id="inv_1")
    text = path.read_text(encoding="utf-8").splitlines()
    text[1] = text[1][:20]
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    with pytest.raises(JournalCorruptError, match="line 2") as caught:
        Journal(path, identity=REAL).open()
    assert caught.value.line == 2


def test_an_item_record_with_an_unknown_state_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    with Journal(path, identity=REAL) as journal:
        journal.record("k", KEY, JournalState.SENDING)
    with path.open("a", encoding="utf-8") as file:
        file.write('{"type":"item","kind":"k","key":{},"state":"done?","id":null}\n')
        file.write('{"type":"item","kind":"k","key":{},"state":"sending","id":null}\n')
    with pytest.raises(JournalCorruptError, match="line 3"):
        Journal(path, identity=REAL).open()


def test_a_file_that_is_not_a_journal_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "invoices.csv"
    path.write_text('{"invoice_number": "1"}\n{"invoice_number": "2"}\n', encoding="utf-8")
    with pytest.raises(JournalCorruptError, match="line 1: the first record is not the header"):
        Journal(path, identity=REAL).open()


def test_a_journal_open_in_one_run_cannot_be_opened_by_another(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    with Journal(path, identity=REAL), pytest.raises(JournalLockedError):
        Journal(path, identity=REAL).open()
    with Journal(path, identity=REAL):  # released on close
        pass


def test_close_is_idempotent_and_writing_to_a_closed_journal_is_an_error(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "run.jsonl", identity=REAL)
    journal.open()
    journal.close()
    journal.close()
    assert journal.closed
    with pytest.raises(RuntimeError, match="not open"):
        journal.record("k", KEY, JournalState.SENDING)


def test_repr_names_the_path_and_portal_never_the_key(tmp_path: Path) -> None:
    text = repr(Journal(tmp_path / "run.jsonl", identity=REAL))
    assert "run.jsonl" in text
    assert REAL.portal in text
    assert API_KEY not in text


def only_failures(path: Path, identity: JournalIdentity) -> None:
    """What a run with a refused key leaves: each item sent, then failed (not stored)."""
    with Journal(path, identity=identity) as journal:
        for number in ("2024-001", "2024-002"):
            journal.record("k", {"invoice_number": number}, JournalState.SENDING)
            error = "AuthenticationError: 401: Unauthenticated."
            journal.record("k", {"invoice_number": number}, JournalState.FAILED, error=error)


def test_a_journal_of_only_failures_is_started_afresh_for_another_key(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    typo = JournalIdentity(portal=REAL.portal, key_fingerprint=fingerprint("typo"), sandbox=False)
    only_failures(path, typo)
    with Journal(path, identity=REAL) as journal:
        assert journal.last("k", KEY) is None  # the failures of the refused key are gone
        journal.record("k", KEY, JournalState.CREATED, id="inv_1")
    header, item = lines(path)
    assert header["key_fingerprint"] == REAL.key_fingerprint
    assert item["id"] == "inv_1"


@pytest.mark.parametrize(
    ("state", "ambiguous"),
    [
        (JournalState.SENDING, False),
        (JournalState.CREATED, False),
        (JournalState.ADOPTED, False),
        (JournalState.FAILED, True),
    ],
)
def test_a_journal_that_may_have_stored_an_item_is_never_started_afresh(
    tmp_path: Path, state: JournalState, ambiguous: bool
) -> None:
    path = tmp_path / "run.jsonl"
    only_failures(path, REAL)
    with Journal(path, identity=REAL) as journal:
        journal.record("k", KEY, state, id="inv_1" if state.value.endswith("ed") else None)
        if ambiguous:
            journal.record("k", KEY, JournalState.FAILED, error="500", ambiguous=True)
    before = path.read_bytes()
    other = JournalIdentity(portal=REAL.portal, key_fingerprint=fingerprint("b"), sandbox=False)
    with pytest.raises(JournalMismatchError) as caught:
        Journal(path, identity=other).open()
    assert caught.value.recorded == 1
    assert "records 1 item(s) stored or possibly stored there" in str(caught.value)
    if state in (JournalState.CREATED, JournalState.ADOPTED):
        assert caught.value.example == "k invoice_number='2024-001' as inv_1"
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    "error",
    [
        JournalMismatchError(Path("j.jsonl"), {"portal": ("a", "b")}, 3, "k n='1' as inv_1"),
        JournalCorruptError(Path("j.jsonl"), 7, "not a JSON record"),
        DuplicateItemError({"invoice_number": "2024-001"}, 0, 4),
    ],
    ids=type,
)
def test_the_journal_and_bulk_errors_survive_pickling(error: Exception) -> None:
    copy = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own object
    assert type(copy) is type(error)
    assert str(copy) == str(error)
    assert vars(copy) == vars(error)


# A journal as written before natural keys were declared in ``_core/natural_keys.py`` (by the
# engine with the resources' own normalisers): the records hold the normalised keys.
OLD_JOURNAL = """\
{"type":"header","version":1,"portal":null,"key_fingerprint":null,"sandbox":null}
{"type":"item","kind":"agreements","key":{"name":"Contract 1","signer_emails":["anna@x.nl","dirk@example.com"]},"state":"sending","id":null,"error":null,"at":1714417200.012}
{"type":"item","kind":"agreements","key":{"name":"Contract 1","signer_emails":["anna@x.nl","dirk@example.com"]},"state":"created","id":"agr_1","error":null,"at":1714417200.012}
{"type":"item","kind":"customers","key":{"primary_email":"jo@x.nl","company_name":"X BV"},"state":"sending","id":null,"error":null,"at":1714417200.013}
{"type":"item","kind":"customers","key":{"primary_email":"jo@x.nl","company_name":"X BV"},"state":"created","id":"cst_9","error":null,"at":1714417200.013}
{"type":"item","kind":"customers","key":{"primary_email":"an@x.nl","company_name":"Y BV"},"state":"sending","id":null,"error":null,"at":1714417200.014}
"""  # noqa: E501 - journal lines are as long as they are


class Store:
    """Stored objects of one kind, created from requests as they are (SimpleNamespace)."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.objects: list[SimpleNamespace] = []
        self.sent: list[SimpleNamespace] = []

    def put(self, **fields: Any) -> SimpleNamespace:
        obj = SimpleNamespace(id=f"{self.prefix}_{len(self.objects) + 1}", **fields)
        self.objects.append(obj)
        return obj

    async def create(self, request: SimpleNamespace) -> SimpleNamespace:
        self.sent.append(request)
        return self.put(**vars(request))

    async def scan(self) -> AsyncIterator[SimpleNamespace]:
        for obj in list(self.objects):
            yield obj

    def kind(self, name: str, key: NaturalKey) -> BulkKind[SimpleNamespace, SimpleNamespace]:
        return BulkKind(
            name=name, create=self.create, scan=self.scan, natural_key=key, id_of=lambda o: o.id
        )


async def test_a_journal_written_by_the_earlier_version_is_matched_the_same_way(
    tmp_path: Path,
) -> None:
    path = tmp_path / "run.jsonl"
    path.write_text(OLD_JOURNAL, encoding="utf-8")
    agreements, customers = Store("agr"), Store("cst")
    customers.put(primary_email="AN@x.nl", company_name="Y BV")  # stored by the crashed run

    signers = [SimpleNamespace(email="Dirk@Example.com "), SimpleNamespace(email="ANNA@x.nl")]
    done = await create_many(
        agreements.kind("agreements", natural_keys.AGREEMENT),
        [SimpleNamespace(name="Contract 1", signers=signers)],
        journal=path,
    )
    requests = [
        SimpleNamespace(primary_email=" Jo@X.nl", company_name="X BV"),
        SimpleNamespace(primary_email="an@x.nl", company_name="Y BV"),
        SimpleNamespace(primary_email="new@x.nl", company_name="Z BV"),
    ]
    report = await create_many(
        customers.kind("customers", natural_keys.CUSTOMER), requests, journal=path
    )

    assert [(r.status, r.id) for r in done.results] == [(ItemStatus.SKIPPED, "agr_1")]
    assert agreements.sent == []
    assert [(r.status, r.id) for r in report.results] == [
        (ItemStatus.SKIPPED, "cst_9"),  # created, per the old journal
        (ItemStatus.ADOPTED, "cst_1"),  # in flight when it crashed: looked up, found
        (ItemStatus.CREATED, "cst_2"),
    ]
    assert customers.sent == requests[2:]
