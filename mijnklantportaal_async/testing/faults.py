"""Seeded, deterministic fault injection for the FakePortal, and the record of every fault.

Faults are chosen per request, after authentication and the rate limit:

- a **script** (``portal.faults.script("POST /customer-invoices", ["reset_after_store", None])``)
  plans the faults of the next matching requests in order (None: no fault). Scripts win over
  rates, and a scripted request draws nothing from the random generator;
- otherwise **rates** (``set_rate("503_before", 0.1)``) draw from ``random.Random(seed)``;
- **latency** (``set_latency(0.2, probability=0.5)``) adds a delay before processing through
  the injectable ``sleep`` and may combine with the other faults.

Routes are named ``"*"``, an operationId (``"create-customer-invoice"``) or
``"METHOD /template"`` (``"POST /customer-invoices"``, ``"GET /customers/{customerId}"``).
Every injected fault becomes a :class:`FaultRecord` in :attr:`FaultInjector.records`.
"""

from __future__ import annotations

import asyncio
import enum
import random
from collections import deque
from collections.abc import Awaitable, Callable, Collection, Iterable, Mapping

import attrs

__all__ = [
    "AFTER_STORE",
    "BEFORE_PROCESSING",
    "FaultConfig",
    "FaultDecision",
    "FaultInjector",
    "FaultKind",
    "FaultRecord",
]


class FaultKind(enum.StrEnum):
    """What can go wrong. ``*_before``: the request is not processed (nothing is stored);
    ``*_after_store``: the object is stored, then the response is lost or fails."""

    LATENCY = "latency"
    """Added delay (``FaultConfig.latency`` seconds) before processing; the request succeeds."""
    ERROR_500 = "500_before"
    """500 ``{"message": "Server Error"}`` without processing."""
    ERROR_502 = "502_before"
    """502 with an HTML body (as a gateway sends it) without processing."""
    ERROR_503 = "503_before"
    """503 ``{"message": "Service Unavailable"}`` with ``Retry-After``, without processing."""
    ERROR_504 = "504_before"
    """504 with an HTML body (a gateway timeout) without processing."""
    RESET_BEFORE = "reset_before"
    """The connection is closed without a response, before the body is read or processed."""
    RESET_AFTER_STORE = "reset_after_store"
    """Processed and stored, then the connection is closed without a response."""
    STALL_AFTER_STORE = "stall_after_store"
    """Processed and stored, then no response until ``stall_seconds`` pass (then the normal
    response) or, by default, until the portal closes (then the connection is closed)."""
    ERROR_500_AFTER_STORE = "500_after_store"
    """Processed and stored, then answered 500 ``{"message": "Server Error"}``."""


BEFORE_PROCESSING = frozenset(
    {
        FaultKind.ERROR_500,
        FaultKind.ERROR_502,
        FaultKind.ERROR_503,
        FaultKind.ERROR_504,
        FaultKind.RESET_BEFORE,
    }
)
AFTER_STORE = frozenset(
    {FaultKind.RESET_AFTER_STORE, FaultKind.STALL_AFTER_STORE, FaultKind.ERROR_500_AFTER_STORE}
)


@attrs.frozen(kw_only=True)
class FaultConfig:
    """Faults a portal starts with (all off by default).

    ``seed``: seeds the generator; ``rates``: fault kind -> probability (0..1) for every
    route; ``latency``: seconds added with probability ``latency_rate``; ``stall_seconds``:
    how long ``stall_after_store`` withholds the response (None: until the portal closes);
    ``retry_after``: the ``Retry-After`` seconds of an injected 503.
    """

    seed: int | str = 0
    rates: Mapping[FaultKind | str, float] = attrs.field(factory=dict)
    latency: float = 0.0
    latency_rate: float = 1.0
    stall_seconds: float | None = None
    retry_after: int = 1


@attrs.frozen
class FaultRecord:
    """One injected fault.

    ``path`` is the request path (``/v1/customer-invoices``), ``request_index`` the index of the
    request in ``portal.requests``. ``stored`` says whether the request's object was stored,
    ``stored_id`` its ID; ``delay`` the seconds of a ``latency`` fault. A latency record is
    made once the delayed request was processed (or refused by a fault before processing), so
    its ``stored`` is the truth too; it comes before the record of a fault on the same request.
    """

    kind: FaultKind
    method: str
    path: str
    operation_id: str
    request_index: int
    stored: bool = False
    stored_id: str | None = None
    delay: float | None = None


@attrs.frozen
class FaultDecision:
    """What to do to one request: ``latency`` seconds to add (or None) and a fault ``kind``."""

    latency: float | None = None
    kind: FaultKind | None = None


@attrs.frozen
class _Rule:
    route: str
    probability: float
    kind: FaultKind | None = None
    seconds: float = 0.0


class FaultInjector:
    """Decides and records the faults of one portal (``portal.faults``).

    ``known_routes`` are the route names a script or rate may use (operationIds and
    ``"METHOD /template"``); a typo raises ValueError instead of silently never matching.
    ``sleep`` is awaited for latency and timed stalls (inject a fake to keep tests fast).
    """

    def __init__(
        self,
        config: FaultConfig | None = None,
        *,
        known_routes: Collection[str] = (),
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        config = config or FaultConfig()
        self.sleep = sleep
        self.stall_seconds = config.stall_seconds
        self.retry_after = config.retry_after
        self._known = frozenset(known_routes)
        self._rng = random.Random(config.seed)  # noqa: S311 - deterministic on purpose
        self._scripts: list[tuple[str, deque[FaultKind | None]]] = []
        self._rates: list[_Rule] = []
        self._latency: list[_Rule] = []
        self._records: list[FaultRecord] = []
        for kind, probability in config.rates.items():
            self.set_rate(kind, probability)
        if config.latency > 0:
            self.set_latency(config.latency, probability=config.latency_rate)

    # -- configuration -------------------------------------------------------------------
    def script(self, route: str, plan: Iterable[FaultKind | str | None]) -> None:
        """Plan the faults of the next requests matching ``route``, in order.

        Each entry is a fault kind (or its value, ``"reset_after_store"``) or None for a
        request that goes through untouched. Appends to an existing script of that route.
        """
        self._check_route(route)
        entries = deque(_kind(entry) if entry is not None else None for entry in plan)
        if FaultKind.LATENCY in entries:
            raise ValueError("script: use set_latency() for latency, not a scripted entry")
        for name, queue in self._scripts:
            if name == route:
                queue.extend(entries)
                return
        self._scripts.append((route, entries))

    def set_rate(self, kind: FaultKind | str, probability: float, *, route: str = "*") -> None:
        """Inject ``kind`` with ``probability`` (0..1) on requests matching ``route``."""
        fault = _kind(kind)
        if fault is FaultKind.LATENCY:
            raise ValueError("set_rate: use set_latency() for latency")
        self._check_route(route)
        _check_probability(probability)
        self._rates.append(_Rule(route, probability, kind=fault))

    def set_latency(self, seconds: float, *, probability: float = 1.0, route: str = "*") -> None:
        """Add ``seconds`` of delay with ``probability`` to requests matching ``route``."""
        self._check_route(route)
        _check_probability(probability)
        if seconds < 0:
            raise ValueError(f"set_latency: seconds must not be negative, got {seconds}")
        self._latency.append(_Rule(route, probability, seconds=seconds))

    def pending(self, route: str) -> list[FaultKind | None]:
        """The scripted entries of ``route`` not used yet."""
        for name, queue in self._scripts:
            if name == route:
                return list(queue)
        return []

    def clear(self) -> None:
        """Drop every script, rate and latency rule; the records stay."""
        self._scripts.clear()
        self._rates.clear()
        self._latency.clear()

    @property
    def records(self) -> tuple[FaultRecord, ...]:
        """Every fault injected so far, in order."""
        return tuple(self._records)

    # -- per request ---------------------------------------------------------------------
    def decide(self, names: Collection[str]) -> FaultDecision:
        """The faults for one request whose route is known by ``names`` (its operationId
        and ``"METHOD /template"``)."""
        latency = None
        for rule in self._latency:
            if _matches(rule.route, names):
                if self._rng.random() < rule.probability:
                    latency = rule.seconds
                break
        for route, queue in self._scripts:
            if queue and _matches(route, names):
                return FaultDecision(latency, queue.popleft())
        for rule in self._rates:
            if _matches(rule.route, names) and self._rng.random() < rule.probability:
                return FaultDecision(latency, rule.kind)
        return FaultDecision(latency, None)

    def record(self, record: FaultRecord) -> None:
        """Add an injected fault to :attr:`records`."""
        self._records.append(record)

    def _check_route(self, route: str) -> None:
        if route != "*" and self._known and route not in self._known:
            raise ValueError(
                f"unknown route {route!r}: use '*', an operationId such as "
                "'create-customer-invoice' or 'METHOD /template' such as 'POST /customer-invoices'"
            )


def _matches(route: str, names: Collection[str]) -> bool:
    return route == "*" or route in names


def _kind(value: FaultKind | str) -> FaultKind:
    try:
        return FaultKind(value)
    except ValueError:
        choices = ", ".join(kind.value for kind in FaultKind)
        raise ValueError(f"unknown fault kind {value!r}; one of: {choices}") from None


def _check_probability(probability: float) -> None:
    if not 0.0 <= probability <= 1.0:
        raise ValueError(f"probability must be between 0 and 1, got {probability}")
