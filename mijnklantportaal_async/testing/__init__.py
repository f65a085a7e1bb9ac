"""Test support: `FakePortal`, an embedded MijnKlantportaal API, and its pytest plugin.

``async with FakePortal() as portal: async with portal.client() as mkp: ...``; with pytest,
the ``fake_portal`` and ``mkp`` fixtures (``mijnklantportaal_async.testing.plugin``); for
synchronous tests, ``with serve_in_thread() as portal:``. See docs/testing.md.

Each name is imported on first use (as at the package's top level, docs/architecture.md,
"Import policy"): pytest loads the plugin module, and with it this package, in every run where
the package is installed, and a run that uses no FakePortal should not pay for importing one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mijnklantportaal_async._core.lazy import lazy_exports

if TYPE_CHECKING:
    from mijnklantportaal_async.testing.faults import (
        FaultConfig,
        FaultInjector,
        FaultKind,
        FaultRecord,
    )
    from mijnklantportaal_async.testing.forms import UploadedFile
    from mijnklantportaal_async.testing.limits import LicenseLimits, RateDecision, RollingWindow
    from mijnklantportaal_async.testing.observe import watch_responses
    from mijnklantportaal_async.testing.portal import FakePortal
    from mijnklantportaal_async.testing.records import RequestRecord
    from mijnklantportaal_async.testing.routes import ROUTES, Route
    from mijnklantportaal_async.testing.state import Notification, ObjectView
    from mijnklantportaal_async.testing.threaded import serve_in_thread
    from mijnklantportaal_async.testing.webhooks import WebhookDelivery

__all__ = [
    "ROUTES",
    "FakePortal",
    "FaultConfig",
    "FaultInjector",
    "FaultKind",
    "FaultRecord",
    "LicenseLimits",
    "Notification",
    "ObjectView",
    "RateDecision",
    "RequestRecord",
    "RollingWindow",
    "Route",
    "UploadedFile",
    "WebhookDelivery",
    "serve_in_thread",
    "watch_responses",
]

_EXPORTS: dict[str, tuple[str, ...]] = {
    # module (under mijnklantportaal_async.testing) -> the public names it gives the package
    "faults": ("FaultConfig", "FaultInjector", "FaultKind", "FaultRecord"),
    "forms": ("UploadedFile",),
    "limits": ("LicenseLimits", "RateDecision", "RollingWindow"),
    "observe": ("watch_responses",),
    "portal": ("FakePortal",),
    "records": ("RequestRecord",),
    "routes": ("ROUTES", "Route"),
    "state": ("Notification", "ObjectView"),
    "threaded": ("serve_in_thread",),
    "webhooks": ("WebhookDelivery",),
}

if not TYPE_CHECKING:  # type checkers see the imports above, and no catch-all __getattr__
    # the modules too, reached as attributes as when this module imported them all
    __getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, set(_EXPORTS), globals(), __all__)
