"""The bulk engine's journal and its errors: an append-only JSON-lines file, one fsynced record
per state change, so a run can be resumed after a crash without creating anything twice (see
``docs/architecture.md``, "Exactly once").

This module holds :class:`Journal` (open, read, record, close), its portal identity
(:class:`JournalIdentity`, :func:`fingerprint`), the recorded states (:class:`JournalState`,
:class:`JournalEntry`), an item's content digests (:func:`content_digests`) and the errors it
raises (:class:`JournalError` and its subclasses,
:class:`TornJournalWarning`); the public ones are re-exported by
:mod:`mijnklantportaal_async.bulk` and the package top level.

Format (UTF-8, one JSON object per line)::

    {"type": "header", "version": 1, "portal": "https://api.mijnklantportaal.nl/v1",
     "key_fingerprint": "9f86d081884c7d65", "sandbox": false}
    {"type": "item", "kind": "customer_invoices", "key": {"invoice_number": "2024-001"},
     "state": "sending", "id": null, "error": null, "at": 1714417200.123}
    {"type": "item", ..., "state": "created", "id": "inv_abc12345def678",
     "content": {"amount": "5d41402abc4b2a76", "issued_at": "7d793037a0760186", ...}, ...}
    {"type": "item", ..., "state": "failed", "error": "UnprocessableEntityError: 422: ...",
     "ambiguous": false, ...}

The first line is the header naming the portal (base URL), a fingerprint of the API key
(first 16 hex digits of its SHA-256, never the key) and whether it is a sandbox run; a journal
opened with a different identity is refused (:class:`JournalMismatchError`) if it records an
item that is or may be stored (created, adopted, ``sending``, or failed ambiguously), and is
otherwise started afresh (a run whose key was refused stored nothing). One journal may
hold several kinds. Item records are matched by ``(kind, canonical JSON of the normalised
natural key)`` (``_core/natural_keys.py``, :func:`canonical_key`); the last record of an item
is its state. ``"sending"`` is written before each create attempt, ``"created"`` /
``"adopted"`` / ``"exists"`` (with the ID) or ``"failed"`` after; ``at`` is Unix time in
seconds. ``content`` (in ``sending``, ``created``, ``adopted`` and ``exists`` records) is a
digest of each field the item had (:func:`content_digests`), never the values, so a rerun
tells a done item whose row changed since; records without it (older journals) are trusted
as they are. Every
record is flushed and ``os.fsync``-ed before :meth:`Journal.record` returns, so a record the
engine acted on survives a SIGKILL or power loss.

A torn last line (a write cut by a crash) is dropped with a :class:`TornJournalWarning` and
cut from the file; any other unreadable line raises :class:`JournalCorruptError` naming it.
"""

from __future__ import annotations

import enum
import hashlib
import json
import os
import sys
import time
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

import attrs

from mijnklantportaal_async._core.natural_keys import canonical_key
from mijnklantportaal_async._core.settings import fingerprint
from mijnklantportaal_async._core.wire import converter
from mijnklantportaal_async.errors import MijnKlantportaalError
from mijnklantportaal_async.uploads import Upload

__all__ = [
    "Journal",
    "JournalCorruptError",
    "JournalEntry",
    "JournalError",
    "JournalIdentity",
    "JournalLockedError",
    "JournalMismatchError",
    "JournalState",
    "TornJournalWarning",
    "content_digests",
    "fingerprint",
]

VERSION = 1


class JournalError(MijnKlantportaalError):
    """Base of the journal's errors."""


class JournalMismatchError(JournalError):
    """The journal belongs to another portal, key or sandbox mode and records items that are
    (or may be) stored there; nothing was sent.

    ``differences`` maps each differing header field to ``(in the journal, now)``; the key
    appears only as its fingerprint. ``recorded`` counts the items the journal records as
    created, adopted or possibly stored (in flight, or failed ambiguously); ``example``
    describes one created or adopted item (``"customer_invoices invoice_number='2024-001'
    as inv_..."``), or is None.
    """

    def __init__(
        self,
        path: Path,
        differences: Mapping[str, tuple[Any, Any]],
        recorded: int = 0,
        example: str | None = None,
    ) -> None:
        self.path = path
        self.differences = dict(differences)
        self.recorded = recorded
        self.example = example
        what = "; ".join(
            f"{name} is {old!r} in the journal but {new!r} now"
            for name, (old, new) in self.differences.items()
        )
        there = (
            f"; it records {recorded} item(s) stored or possibly stored there" if recorded else ""
        )
        if example:
            there += f" (e.g. {example})"
        super().__init__(f"journal {str(path)!r} belongs to another portal or key: {what}{there}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.path, self.differences, self.recorded, self.example))


class JournalCorruptError(JournalError, ValueError):
    """A line of the journal (other than a torn last line) cannot be read; ``line`` is 1-based."""

    def __init__(self, path: Path, line: int, reason: str) -> None:
        self.path = path
        self.line = line
        self.reason = reason
        super().__init__(f"journal {str(path)!r}, line {line}: {reason}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.path, self.line, self.reason))


class JournalLockedError(JournalError):
    """Another run (this or another process) has the journal open."""


class TornJournalWarning(UserWarning):
    """The journal's last line was cut by a crash; it was dropped."""


@attrs.frozen(kw_only=True)
class JournalIdentity:
    """Which portal a journal belongs to: ``portal`` (base URL), ``key_fingerprint`` (see
    :func:`fingerprint`), ``sandbox`` (True for runs against a fake portal)."""

    portal: str
    key_fingerprint: str
    sandbox: bool


class JournalState(enum.StrEnum):
    """An item's state as recorded in the journal."""

    SENDING = "sending"
    CREATED = "created"
    ADOPTED = "adopted"
    EXISTS = "exists"  # found stored before it was sent: not created by the run
    FAILED = "failed"

    @property
    def done(self) -> bool:
        """True for an item that is stored: created, adopted or found existing."""
        return self in (JournalState.CREATED, JournalState.ADOPTED, JournalState.EXISTS)


@attrs.frozen(kw_only=True)
class JournalEntry:
    """An item's last record: state, object ID (created/adopted/exists), error text (failed),
    ``ambiguous`` (failed while it may have been stored), ``content`` (field digests, see
    :func:`content_digests`; None in records of older journals) and the 1-based line number."""

    state: JournalState
    id: str | None = None
    error: str | None = None
    ambiguous: bool = False
    # compact, as an earlier run's entries are all held while a run lasts: the field names
    # (one tuple shared by every item of the same fields) and their digests' bytes
    packed: tuple[tuple[str, ...], bytes] | None = None
    line: int = 0

    @property
    def content(self) -> dict[str, str] | None:
        """The field digests recorded with the item, or None (an older journal's record)."""
        if self.packed is None:
            return None
        names, blob = self.packed
        return {name: blob[i * 8 : i * 8 + 8].hex() for i, name in enumerate(names)}


_NO_IDENTITY: dict[str, Any] = {"portal": None, "key_fingerprint": None, "sandbox": None}


def _slot(kind: str, key: Mapping[str, Any]) -> bytes:
    text = f"{kind}\n{canonical_key(key)}"
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


def _lock(file: IO[bytes], path: Path) -> None:
    if sys.platform == "win32":  # pragma: no cover - no advisory locks there
        return
    import fcntl

    try:
        fcntl.flock(file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise JournalLockedError(f"journal {str(path)!r} is in use by another run") from None


class Journal:
    """An append-only JSON-lines journal at ``path`` for the portal ``identity``.

    Building one does no I/O. The bulk engine calls :meth:`open` at the start of a run and
    :meth:`close` at its end (also on cancellation); it can be used again for a later run.
    ``identity=None`` (engine use without a client) writes and requires a header with null
    identity fields. Writes are synchronous (a flush and an fsync, a few milliseconds).
    """

    def __init__(self, path: str | os.PathLike[str], *, identity: JournalIdentity | None = None):
        self._path = Path(path)
        self._identity = identity
        self._file: IO[bytes] | None = None
        self._last: dict[bytes, JournalEntry] = {}
        self._names: dict[tuple[str, ...], tuple[str, ...]] = {}  # field names, shared
        self._example: str | None = None  # one created or adopted item, for a mismatch

    def __repr__(self) -> str:
        portal = self._identity.portal if self._identity else None
        return f"Journal(path={str(self._path)!r}, portal={portal!r}, open={not self.closed})"

    @property
    def path(self) -> Path:
        """The journal file's path."""
        return self._path

    @property
    def identity(self) -> JournalIdentity | None:
        """The portal identity this journal is opened with."""
        return self._identity

    @property
    def closed(self) -> bool:
        """True unless a run has it open."""
        return self._file is None

    def _header(self) -> dict[str, Any]:
        fields = attrs.asdict(self._identity) if self._identity else dict(_NO_IDENTITY)
        return {"type": "header", "version": VERSION, **fields}

    def open(self) -> None:
        """Open the file (created if missing), lock it, check its header and read its records.

        A journal whose header names another portal, key fingerprint or mode is refused,
        unless it records nothing that may be stored anywhere (only items that failed before
        or without being stored, as after a run with a mistyped key): then it is started
        afresh for ``identity``.

        Raises:
            JournalMismatchError: the header names another portal, key fingerprint or mode,
                and the journal records an item created, adopted or possibly stored there.
            JournalCorruptError: a line other than a torn last one is unreadable.
            JournalLockedError: another run has it open.
            OSError: the file cannot be opened or written.
        """
        if self._file is not None:
            raise RuntimeError(f"journal {str(self._path)!r} is already open")
        created = not self._path.exists()
        file = open(self._path, "a+b")  # noqa: SIM115 - kept open for the run
        try:
            _lock(file, self._path)
            self._last, self._example = {}, None
            header = self._load(file)
            if header is not None and (differences := self._differences(header)):
                self._rebind_or_refuse(file, differences)
                header = None
            self._file = file
            if header is None:
                self._write(self._header())
                if created:
                    _fsync_dir(self._path.parent)
        except BaseException:
            self._file = None
            file.close()
            raise

    def _load(self, file: IO[bytes]) -> dict[str, Any] | None:
        """Read every record; returns the header record (None: the file is empty)."""
        file.seek(0)
        header: dict[str, Any] | None = None
        pending: tuple[int, int, bytes] | None = None  # (line number, offset, raw)
        offset = 0
        for number, raw in enumerate(file, start=1):
            if pending is not None:
                header = self._take(pending, header, last=False, file=file)
            pending = (number, offset, raw)
            offset += len(raw)
        if pending is not None:
            header = self._take(pending, header, last=True, file=file)
        return header

    def _take(
        self,
        pending: tuple[int, int, bytes],
        header: dict[str, Any] | None,
        *,
        last: bool,
        file: IO[bytes],
    ) -> dict[str, Any] | None:
        number, offset, raw = pending
        if not raw.strip():
            return header
        try:
            record = json.loads(raw.decode("utf-8"))
            if not isinstance(record, dict):
                raise ValueError("not a JSON object")
        except ValueError as exc:
            if not last:
                raise JournalCorruptError(
                    self._path, number, f"not a JSON record ({exc})"
                ) from None
            warnings.warn(
                f"journal {str(self._path)!r}: dropped the torn last line {number} "
                "(cut by a crash)",
                TornJournalWarning,
                stacklevel=4,
            )
            file.truncate(offset)
            file.flush()
            os.fsync(file.fileno())
            return header
        if last and not raw.endswith(b"\n"):
            file.write(b"\n")  # complete record whose newline was lost: keep it
            file.flush()
            os.fsync(file.fileno())
        if header is None:
            self._check_header(record, number)
            return record
        self._take_item(record, number)
        return header

    def _check_header(self, record: dict[str, Any], number: int) -> None:
        if record.get("type") != "header":
            raise JournalCorruptError(self._path, number, "the first record is not the header")
        if record.get("version") != VERSION:
            reason = f"unsupported journal version {record.get('version')!r}"
            raise JournalCorruptError(self._path, number, reason)

    def _differences(self, header: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
        wanted = self._header()
        return {
            name: (header.get(name), wanted[name])
            for name in ("portal", "key_fingerprint", "sandbox")
            if header.get(name) != wanted[name]
        }

    def _rebind_or_refuse(
        self, file: IO[bytes], differences: Mapping[str, tuple[Any, Any]]
    ) -> None:
        """Refuse a journal of another identity that records an item stored or possibly
        stored there; empty one that records only failures (nothing of it exists anywhere),
        so it is started afresh."""
        stored = sum(1 for entry in self._last.values() if _may_be_stored(entry))
        if stored:
            raise JournalMismatchError(self._path, differences, stored, self._example)
        file.truncate(0)
        file.flush()
        os.fsync(file.fileno())
        self._last = {}

    def _take_item(self, record: dict[str, Any], number: int) -> None:
        kind, key, state = record.get("kind"), record.get("key"), record.get("state")
        ident, error = record.get("id"), record.get("error")
        if record.get("type") != "item" or not isinstance(kind, str) or not isinstance(key, dict):
            raise JournalCorruptError(self._path, number, "not an item record")
        if state not in set(JournalState) or not isinstance(ident, str | None):
            raise JournalCorruptError(self._path, number, f"bad state or id: {state!r}")
        if self._example is None and JournalState(state).done:
            shown = ", ".join(f"{name}={value!r}" for name, value in key.items())
            self._example = f"{kind} {shown} as {ident}"
        self._last[_slot(kind, key)] = JournalEntry(
            state=JournalState(state),
            id=ident,
            error=error if isinstance(error, str) else None,
            ambiguous=record.get("ambiguous") is True,
            packed=self._pack(record.get("content"), number),
            line=number,
        )

    def _pack(self, content: Any, number: int) -> tuple[tuple[str, ...], bytes] | None:
        if content is None:
            return None
        try:
            if not isinstance(content, dict):
                raise ValueError("not an object")
            names = tuple(content)
            blob = b"".join(bytes.fromhex(digest) for digest in content.values())
            if len(blob) != 8 * len(names):
                raise ValueError("a digest is not 16 hex digits")
        except (TypeError, ValueError) as exc:
            raise JournalCorruptError(self._path, number, f"bad content digests ({exc})") from None
        return self._names.setdefault(names, names), blob

    def last(self, kind: str, key: Mapping[str, Any]) -> JournalEntry | None:
        """The item's last record as read when the journal was opened, or None.

        ``key`` is the normalised natural key; field order does not matter.
        """
        return self._last.get(_slot(kind, key))

    def record(
        self,
        kind: str,
        key: Mapping[str, Any],
        state: JournalState,
        *,
        id: str | None = None,
        error: str | None = None,
        ambiguous: bool = False,
        content: Mapping[str, str] | None = None,
    ) -> None:
        """Append one item record and fsync it before returning; ``content``: the item's
        field digests (:func:`content_digests`), kept with every state but ``failed``.

        Raises:
            RuntimeError: the journal is not open.
            OSError: the write or the fsync failed (the engine then stops the run).
        """
        record: dict[str, Any] = {
            "type": "item",
            "kind": kind,
            "key": dict(key),
            "state": str(state),
            "id": id,
            "error": error,
        }
        if state is JournalState.FAILED:
            record["ambiguous"] = ambiguous
        elif content is not None:
            record["content"] = dict(content)
        record["at"] = round(time.time(), 3)
        self._write(record)

    def _write(self, record: dict[str, Any]) -> None:
        if self._file is None:
            raise RuntimeError(f"journal {str(self._path)!r} is not open")
        text = json.dumps(record, ensure_ascii=False, separators=(",", ":"), default=str)
        self._file.write(text.encode("utf-8") + b"\n")
        self._file.flush()
        os.fsync(self._file.fileno())

    def close(self) -> None:
        """Close the file and release its lock (idempotent)."""
        file, self._file = self._file, None
        self._last, self._names = {}, {}
        if file is not None:
            file.close()

    def __enter__(self) -> Journal:
        self.open()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def content_digests(item: Any) -> dict[str, str]:
    """A digest per field of a request model (its snake_case name -> 16 hex digits of
    BLAKE2b over the field's wire form; fields left out, None, are absent). The values
    themselves are never kept. An upload is digested by its bytes when they are in memory,
    else by its file name and size (a file replaced by one of the same size and name is not
    told apart), or as a one-shot stream (never). An item that is no attrs model gets one
    digest of its ``repr``.
    """
    if not attrs.has(type(item)):
        return {"item": _digest(repr(item))}
    out: dict[str, str] = {}
    for field in attrs.fields(type(item)):
        value = getattr(item, field.name)
        if value is None:
            continue
        wire = converter.unstructure(value)
        out[field.name] = _digest(json.dumps(wire, sort_keys=True, default=_upload_text))
    return out


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


def _upload_text(value: Any) -> str:
    if not isinstance(value, Upload):
        return str(value)
    if value.kind == "bytes":
        data = value.peek(value.size or 0) or b""
        return "bytes:" + hashlib.blake2b(data, digest_size=16).hexdigest()
    if not value.replayable:
        return "stream"
    try:
        size: int | None = value.size
    except (OSError, ValueError):
        size = None
    return f"file:{value.filename}:{size}"


def _may_be_stored(entry: JournalEntry) -> bool:
    """True unless the item's last record says it failed without being stored."""
    return entry.state is not JournalState.FAILED or entry.ambiguous


def _fsync_dir(directory: Path) -> None:
    """Make a new file's directory entry durable (POSIX; a no-op where unsupported)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
