"""A FakePortal on its own event loop in a background thread, for synchronous tests.

A synchronous test (FastAPI's ``TestClient``, Django, plain code that calls ``asyncio.run``)
has no running event loop for an ``async with FakePortal()`` to serve from, and a portal started
on a loop that then sits idle answers nothing: the client waits until its read timeout.
:func:`serve_in_thread` runs the portal on a loop of its own in a daemon thread, so it answers
whatever loop or thread the client runs in. See docs/testing.md.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from mijnklantportaal_async.testing.portal import FakePortal

__all__ = ["serve_in_thread"]

_START_TIMEOUT = 30.0  # seconds to wait for the portal's thread to start or stop serving


@contextmanager
def serve_in_thread(**options: Any) -> Iterator[FakePortal]:
    """A running :class:`FakePortal` served from a background thread, closed on exit.

    ``options`` are :class:`FakePortal` keyword arguments. Its URL, key and stored objects are
    read from the calling thread as usual (``portal.url``, ``portal.customers``); make clients
    with ``portal.client()`` in the loop that uses them (one client per event loop)::

        with serve_in_thread() as portal:
            app = create_app(base_url=portal.url, api_key=portal.api_key)
            with TestClient(app) as client:  # FastAPI's runs its own loop
                ...

    Raises:
        OSError: the port is taken. TimeoutError: the portal did not start within 30 s.
    """
    portal = FakePortal(**options)
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="FakePortal", daemon=True)
    thread.start()
    try:
        asyncio.run_coroutine_threadsafe(portal.start(), loop).result(_START_TIMEOUT)
        try:
            yield portal
        finally:
            asyncio.run_coroutine_threadsafe(portal.close(), loop).result(_START_TIMEOUT)
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(_START_TIMEOUT)
        loop.close()
