"""The FakePortal's memory: stored objects per kind, ID generation, the clock and timestamps.

Objects are stored exactly as the API returns them (wire-shaped dicts, camelCase keys, money as
strings, ATOM timestamps), so handlers answer with what they stored and tests assert on it.
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import attrs

from mijnklantportaal_async.testing.forms import UploadedFile
from mijnklantportaal_async.testing.limits import LicenseLimits
from mijnklantportaal_async.testing.storage import ObjectStorage
from mijnklantportaal_async.testing.webhooks import WebhookSender

__all__ = [
    "AMSTERDAM",
    "ID_PREFIXES",
    "KINDS",
    "Notification",
    "ObjectView",
    "PortalState",
    "Store",
    "atom",
    "money",
]

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
"""The portal's time zone: timestamps are answered in it, request date-times are read in it."""

KINDS = (
    "customers",
    "customer_groups",
    "customer_invoices",
    "customer_offers",
    "agreements",
    "customer_subscriptions",
    "customer_subscription_packages",
    "payment_links",
    "payment_link_payments",
    "mijnklantportaal_invoices",
    "appointments",
    "stored_files",
    "file_requests",
    "file_shares",
    "punch_cards",
    "issued_punch_cards",
    "tickets",
    "webhooks",
)
"""The kinds of stored objects, as named on :class:`FakePortal` (``portal.customers``, ...)."""

ID_PREFIXES: Mapping[str, str] = {
    "customers": "cst_",
    "customer_invoices": "inv_",
    "customer_offers": "off_",
    "agreements": "agr_",
    "agreement_signers": "ags_",
    "agreement_documents": "agd_",
    "customer_groups": "cug_",
    "customer_subscriptions": "sub_",
    "customer_subscription_packages": "spg_",
    "payment_links": "plk_",
    "payment_link_payments": "plp_",
    "mijnklantportaal_invoices": "fac_",
    "mijnklantportaal_invoice_lines": "fcl_",
    "appointments": "apt_",
    "stored_files": "fsf_",
    "directories": "fsd_",
    "file_requests": "frq_",
    "requested_files": "fqf_",
    "file_shares": "fss_",
    "punch_cards": "pcd_",
    "issued_punch_cards": "pcb_",
    "tickets": "tic_",
    "ticket_messages": "tim_",
    "ticket_attachments": "tma_",
    "webhooks": "wbh_",
}
"""The documented ID prefixes (api/NOTES.md section 9) for what the FakePortal creates."""

_ID_ALPHABET = string.ascii_lowercase + string.digits
_ID_LENGTH = 14  # "cst_abc12345def678": 14 lowercase alphanumerics after the prefix


def atom(moment: datetime) -> str:
    """``moment`` as an ATOM timestamp in Europe/Amsterdam: ``2024-04-28T21:00:00+02:00``."""
    return moment.astimezone(AMSTERDAM).isoformat(timespec="seconds")


def money(amount: Decimal) -> str:
    """An amount in EUR as the API writes it: a string with exactly 2 decimals (``"12.95"``)."""
    return str(amount.quantize(Decimal("0.01")))


@attrs.frozen
class Notification:
    """An e-mail the real portal would send: ``kind`` is ``invoice``, ``offer`` or
    ``agreement-signer``; ``object_id`` what it is about; ``to`` the address."""

    kind: str
    object_id: str
    to: str


class ObjectView(Mapping[str, dict[str, Any]]):
    """Read-only view of one kind of stored object: id -> a fresh copy of its wire dict.

    Iterates in creation order. ``where(invoiceNumber="2024-001")`` lists the objects whose
    wire fields equal the given values.
    """

    def __init__(self, objects: dict[str, dict[str, Any]]) -> None:
        self._objects = objects

    def __getitem__(self, object_id: str) -> dict[str, Any]:
        copied: dict[str, Any] = _copy(self._objects[object_id])
        return copied

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._objects))

    def __len__(self) -> int:
        return len(self._objects)

    def where(self, **wire_fields: Any) -> list[dict[str, Any]]:
        """The stored objects (copies) whose wire fields equal all of ``wire_fields``."""
        return [
            _copy(obj)
            for obj in self._objects.values()
            if all(obj.get(name) == value for name, value in wire_fields.items())
        ]

    def __repr__(self) -> str:
        return f"ObjectView({list(self._objects)!r})"


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy(item) for item in value]
    return value


class Store:
    """Stored objects per kind (insertion ordered), uploaded files and sent notifications.

    IDs come from ``random.Random`` seeded with ``seed``, so a portal with the same seed hands
    out the same IDs in the same order.
    """

    def __init__(self, *, seed: int | str = 0) -> None:
        # Deterministic, not secret: these are IDs of a test double.
        self._rng = random.Random(f"{seed}:ids")  # noqa: S311
        self.objects: dict[str, dict[str, dict[str, Any]]] = {kind: {} for kind in KINDS}
        self.files: dict[str, UploadedFile] = {}
        self.notifications: list[Notification] = []
        self._issued: set[str] = set()

    def new_id(self, kind: str) -> str:
        """A fresh ID for ``kind`` (a key of :data:`ID_PREFIXES`), e.g. ``cst_abc12345def678``."""
        prefix = ID_PREFIXES[kind]
        while True:
            candidate = prefix + "".join(self._rng.choices(_ID_ALPHABET, k=_ID_LENGTH))
            if candidate not in self._issued:
                self._issued.add(candidate)
                return candidate

    def add(self, kind: str, obj: dict[str, Any]) -> None:
        """Store ``obj`` (a wire dict with an ``id``) under ``kind``."""
        self.objects[kind][obj["id"]] = obj

    def get(self, kind: str, object_id: str) -> dict[str, Any] | None:
        """The stored wire dict, or None."""
        return self.objects[kind].get(object_id)

    def all(self, kind: str) -> list[dict[str, Any]]:
        """Every stored object of ``kind`` in creation order."""
        return list(self.objects[kind].values())


@attrs.define
class PortalState:
    """What the handlers work on: the store, the clock and the portal's money and licence.

    ``clock`` returns unix time in seconds; ``base_url`` is the portal's own URL including
    ``/v1`` (links and pagination URLs are absolute, built from it). ``balance`` is in units
    (each signer who must identify costs 1); None means unlimited. ``keep_files`` keeps the
    bytes of uploads up to ``keep_files_max`` bytes per file. ``storage`` serves the
    download links a handler makes with ``storage.link_for(...)`` (``testing/storage.py``).
    ``deliveries`` sends the webhook calls of ``testing.webhooks.deliver`` and records them.
    """

    store: Store
    clock: Callable[[], float]
    license: LicenseLimits
    balance: int | None = None
    agreements_enabled: bool = True
    keep_files: bool = False
    keep_files_max: int = 16 * 1024 * 1024
    base_url: str = ""
    deliveries: WebhookSender = attrs.field(factory=WebhookSender)
    storage: ObjectStorage = attrs.field(
        init=False,
        default=attrs.Factory(
            lambda state: ObjectStorage(state.clock, origin=lambda: state.site_root),
            takes_self=True,
        ),
    )

    def now(self) -> datetime:
        """The portal's current time, aware, in Europe/Amsterdam."""
        return datetime.fromtimestamp(self.clock(), tz=AMSTERDAM)

    def month(self) -> str:
        """The current licence month, ``YYYY-MM`` in Europe/Amsterdam."""
        return self.now().strftime("%Y-%m")

    @property
    def site_root(self) -> str:
        """The portal's URL without ``/v1`` (for the public payment pages)."""
        return self.base_url.removesuffix("/v1")
