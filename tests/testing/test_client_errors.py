"""What the FakePortal holds after each injected fault, through each write the client makes.

For every write example (``tests/operation_examples.py``) and every fault the portal can
inject, the client raises what the exactly-once rules say and the portal holds what the fault
says: nothing changed for a fault before processing; for a fault after the store (then
``AmbiguousWriteError``) the change made once: a create's object stored once, an edit applied.
The client runs with retries on, so the request count shows what it resends: only a 503 with
``Retry-After`` (then processed once), never a write that may have been processed. How each
status maps to its error class is tested for every operation on a loopback server
(tests/core/test_operations.py); the portal's own 401/402/422/426/429 answers in the
tests/test_fakeportal_*.py files.
"""

from __future__ import annotations

from typing import Any

import pytest
from operation_examples import EXAMPLES, Example, call, make
from test_fakeportal_support import FakeClock

from mijnklantportaal_async import RetryPolicy, Timeouts
from mijnklantportaal_async.errors import (
    AmbiguousWriteError,
    APIConnectionError,
    APITimeoutError,
    MijnKlantportaalError,
    ServerError,
)
from mijnklantportaal_async.testing import FakePortal, FaultConfig, FaultKind
from mijnklantportaal_async.testing.state import KINDS

RETRY = RetryPolicy(max_retries=2, backoff_base=0.0, backoff_cap=0.0)
WRITES = [e for e in EXAMPLES if e.operation.method != "GET" and e.operation.request is not None]

# What each fault becomes: the error an AmbiguousWriteError wraps (None: success), whether the
# write is processed (stored or applied), and how often the client sent it.
Outcome = tuple[type[MijnKlantportaalError] | None, bool, int]
FAULTS: dict[FaultKind, Outcome] = {
    FaultKind.ERROR_500: (ServerError, False, 1),
    FaultKind.ERROR_502: (ServerError, False, 1),
    FaultKind.ERROR_503: (None, True, 2),  # Retry-After: not processed, so resent
    FaultKind.ERROR_504: (ServerError, False, 1),
    FaultKind.RESET_BEFORE: (APIConnectionError, False, 1),
    FaultKind.RESET_AFTER_STORE: (APIConnectionError, True, 1),
    FaultKind.STALL_AFTER_STORE: (APITimeoutError, True, 1),
    FaultKind.ERROR_500_AFTER_STORE: (ServerError, True, 1),
}


def held(portal: FakePortal) -> dict[str, dict[str, Any]]:
    """Every object the portal holds, of any kind, by ID."""
    return {object_id: obj for kind in KINDS for object_id, obj in portal.objects(kind).items()}


@pytest.mark.parametrize(
    ("example", "fault"),
    [
        pytest.param(example, fault, id=f"{example.id}-{fault}")
        for example in WRITES
        for fault in FAULTS
    ],
)
async def test_each_fault_gives_its_error_and_leaves_the_documented_state(
    example: Example, fault: FaultKind
) -> None:
    cause, stored, attempts = FAULTS[fault]
    # retry_after=0: an injected 503 says "Retry-After: 0", so its retry does not wait
    options: dict[str, Any] = {"clock": FakeClock(), "rate_limit": None}
    async with FakePortal(faults=FaultConfig(retry_after=0), **options) as portal:
        given: dict[str, str] = {}
        async with portal.client(rate_limit=None) as owner:
            for kind in example.needs:
                await make(kind, owner, given, portal)
        before = len(portal.requests)
        before_state = held(portal)
        portal.faults.script(example.id, [fault])
        # a stall never answers: the read timeout ends it
        timeouts = Timeouts(read=0.1 if fault == FaultKind.STALL_AFTER_STORE else 30.0)
        async with portal.client(rate_limit=None, retry=RETRY, timeouts=timeouts) as mkp:
            if cause is None:
                await call(example, mkp, *example.args(given))
            else:
                with pytest.raises(AmbiguousWriteError) as caught:
                    await call(example, mkp, *example.args(given))

    if cause is not None:
        assert type(caught.value.cause) is cause
        if isinstance(caught.value.cause, ServerError):
            assert caught.value.cause.status == int(fault[:3])  # 500_before -> 500
    sent = portal.requests[before:]
    assert [r.operation_id for r in sent] == [example.id] * attempts
    after = held(portal)
    assert (after != before_state) is stored  # processed: an object made or changed, once
    stored_ids = [r.stored_id for r in sent if r.stored_id]  # a create's new object
    assert set(after) - set(before_state) == set(stored_ids)
    assert len(stored_ids) <= 1
    [record] = portal.faults.records
    assert (record.kind, record.request_index) == (fault, sent[0].index)
    assert record.stored_id == (stored_ids[0] if stored_ids and attempts == 1 else None)
