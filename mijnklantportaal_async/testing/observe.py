"""Watching every response any FakePortal sends, for checks that span a whole test run.

``with watch_responses() as seen:`` collects the :class:`RequestRecord` of each response sent
while the block runs, by every FakePortal (whenever and in whichever thread it was created),
in the order they were sent. Use it to check them all at once, for example against the API
spec in a test's teardown (docs/testing.md, "Checking every response against the spec").

Only responses that were sent are collected: a connection cut by ``reset_before`` /
``reset_after_store`` or a stall ended by closing the portal sends none. Watches nest; each
gets every response.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

from mijnklantportaal_async.testing.records import RequestRecord

__all__ = ["notify_response", "watch_responses"]

_LOCK = threading.Lock()
_WATCHES: list[list[RequestRecord]] = []


@contextlib.contextmanager
def watch_responses() -> Iterator[list[RequestRecord]]:
    """Collect the records of the responses every FakePortal sends while the block runs.

    Yields the list the records are appended to (the same objects as in ``portal.requests``,
    complete: ``status``, ``response_body`` and ``response_headers`` are filled in)."""
    seen: list[RequestRecord] = []
    with _LOCK:
        _WATCHES.append(seen)
    try:
        yield seen
    finally:
        with _LOCK:
            _WATCHES[:] = [watch for watch in _WATCHES if watch is not seen]


def notify_response(record: RequestRecord) -> None:
    """Hand a sent response's record to every active watch (called by the FakePortal)."""
    with _LOCK:
        watches = list(_WATCHES)
    for seen in watches:
        seen.append(record)
