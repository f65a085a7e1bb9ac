"""An in-memory fake server for the bulk engine's tests, and the kind that creates on it.

``FakeServer`` stores objects in a dict, fails creates as its plan says, and lists its store in
a shuffled order: the engine must not depend on the list order.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Mapping
from typing import Any

import attrs

from mijnklantportaal_async import bulk
from mijnklantportaal_async._core.natural_keys import NaturalKey
from mijnklantportaal_async.bulk import BulkItemResult, BulkKind, BulkReport
from mijnklantportaal_async.errors import (
    AmbiguousWriteError,
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    LicenseLimitError,
    RateLimitError,
    RequestValidationError,
    ServerError,
    UnprocessableEntityError,
)


@attrs.frozen
class Inv:
    """A request: an invoice number is the natural key."""

    number: str


@attrs.frozen
class Stored:
    """A stored object."""

    id: str
    number: str


class FakeServer:
    """A dict store; ``plan[number]`` lists one fault per create attempt (then success).

    Faults: "stored-lost" (stored, then AmbiguousWriteError), "lost" (AmbiguousWriteError,
    not stored), "500-stored", "timeout" (APITimeoutError sent=True, not stored), "reject"
    (422), "taken" (422, and an object of that number, stored by an earlier "lost" attempt,
    shows up only now), "426", "unsent" (APIConnectionError sent=False), "408", "429", "503",
    "boom" (RuntimeError), "invalid" (RequestValidationError).
    """

    def __init__(self, plan: Mapping[str, list[str]] | None = None, *, seed: int = 7) -> None:
        self.store: dict[str, Stored] = {}
        self.plan = {number: list(faults) for number, faults in (plan or {}).items()}
        self.calls: Counter[str] = Counter()
        self.in_flight = 0
        self.max_in_flight = 0
        self.scans = 0
        self.gate: asyncio.Event | None = None  # creates wait on it when set
        self.entered = asyncio.Event()  # set when `wanted_in_flight` creates are waiting
        self.wanted_in_flight = 0
        self.scan_started = asyncio.Event()
        self.scan_gate: asyncio.Event | None = None
        self.scans_closed = 0
        self._rng = random.Random(seed)
        self._next_id = 0

    def put(self, number: str) -> Stored:
        self._next_id += 1
        obj = Stored(id=f"inv_{self._next_id:04d}", number=number)
        self.store[obj.id] = obj
        return obj

    def numbers(self) -> Counter[str]:
        return Counter(obj.number for obj in self.store.values())

    async def create(self, request: Inv) -> Stored:
        self.calls[request.number] += 1
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            if self.in_flight == self.wanted_in_flight:
                self.entered.set()
            if self.gate is not None:
                await self.gate.wait()
            else:
                await asyncio.sleep(0)  # a checkpoint, so creates overlap
            faults = self.plan.get(request.number)
            fault = faults.pop(0) if faults else None
            return self._answer(request, fault)
        finally:
            self.in_flight -= 1

    def _answer(self, request: Inv, fault: str | None) -> Stored:
        key = {"number": request.number}
        if fault is None:
            return self.put(request.number)
        if fault in ("stored-lost", "500-stored", "taken"):
            self.put(request.number)
        if fault in ("stored-lost", "lost"):
            raise AmbiguousWriteError("response lost", natural_key=key, method="POST", path="/x")
        errors: dict[str, Exception] = {
            "500-stored": ServerError("Server Error", status=500),
            "timeout": APITimeoutError("read timeout", sent=True),
            "reject": UnprocessableEntityError("The number is taken.", status=422),
            "taken": UnprocessableEntityError("The number is taken.", status=422),
            "426": LicenseLimitError("License limit reached.", status=426),
            "unsent": APIConnectionError("connect refused", sent=False),
            "429": RateLimitError("Too many requests.", status=429, headers={"Retry-After": "7"}),
            "503": ServerError("Unavailable", status=503),
            "408": APIStatusError("Request Timeout", status=408),
            "boom": RuntimeError("bug in the kind"),
            "invalid": RequestValidationError("amount", "must be positive"),
        }
        raise errors[fault]

    async def scan(self) -> AsyncIterator[Stored]:
        self.scans += 1
        objects = list(self.store.values())  # the snapshot a scan sees as it passes the pages
        self._rng.shuffle(objects)
        self.scan_started.set()
        try:
            if self.scan_gate is not None:
                await self.scan_gate.wait()
            for obj in objects:
                await asyncio.sleep(0)
                yield obj
        finally:
            self.scans_closed += 1


def invoice_number(lower: bool = False) -> NaturalKey:
    """The natural key ``{"invoice_number": ...}`` of an :class:`Inv` or :class:`Stored`
    (both call it ``number``); ``lower``: compared case-insensitively."""
    return NaturalKey(
        ("invoice_number",),
        lower=frozenset({"invoice_number"}) if lower else frozenset(),
        derived={"invoice_number": lambda obj: obj.number},
    )


def kind_for(server: FakeServer) -> BulkKind[Inv, Stored]:
    return BulkKind(
        name="test_invoices",
        create=server.create,
        scan=server.scan,
        natural_key=invoice_number(),
        id_of=lambda obj: obj.id,
    )


def invoices(n: int, start: int = 0) -> list[Inv]:
    return [Inv(f"2024-{i:04d}") for i in range(start, start + n)]


def no_sleep(delays: list[float]) -> Callable[[float], Awaitable[None]]:
    """A sleep that records the delays asked for and returns at once."""

    async def sleep(seconds: float) -> None:
        delays.append(seconds)

    return sleep


# The tests of what happens to a create once it is sent (retries, look-ups after an ambiguous
# failure, the journal, cancellation) run without the pre-create scan and the grace period,
# so each scan they count is a look-up: those two have tests of their own (test_exists.py,
# test_late_arrivals.py). A run with an ambiguous outcome still ends with its verification.
RECONCILE_ONLY: dict[str, Any] = {"if_exists": "create", "grace": 0.0}


async def create_many(kind: BulkKind[Any, Any], items: Any, **kwargs: Any) -> BulkReport[Any]:
    """:func:`mijnklantportaal_async.bulk.create_many` with :data:`RECONCILE_ONLY` defaults."""
    return await bulk.create_many(kind, items, **(RECONCILE_ONLY | kwargs))


def iter_create_many(
    kind: BulkKind[Any, Any], items: Any, **kwargs: Any
) -> AsyncGenerator[BulkItemResult[Any], None]:
    """:func:`mijnklantportaal_async.bulk.iter_create_many` with :data:`RECONCILE_ONLY`."""
    return bulk.iter_create_many(kind, items, **(RECONCILE_ONLY | kwargs))
