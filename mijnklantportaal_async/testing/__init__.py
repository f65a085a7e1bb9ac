"""Test support: `FakePortal`, an embedded MijnKlantportaal API, and its pytest plugin.

``async with FakePortal() as portal: async with portal.client() as mkp: ...``; with pytest,
the ``fake_portal`` and ``mkp`` fixtures (``mijnklantportaal_async.testing.plugin``); for
synchronous tests, ``with serve_in_thread() as portal:``. See docs/testing.md.
"""

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
