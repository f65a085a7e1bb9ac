"""pytest plugin: the ``fake_portal`` and ``mkp`` fixtures (entry point ``pytest11``).

``fake_portal`` is a running :class:`FakePortal` per test; ``mkp`` a MijnKlantportaal client
bound to it, closed after the test. Configure the portal per test with the marker
``@pytest.mark.fake_portal(rate_limit=5, license_limit=1, ...)`` (FakePortal keyword
arguments) or for a whole module/conftest by overriding the ``fake_portal_options`` fixture.
Both fixtures are async and need pytest-asyncio (``pip install 'mijnklantportaal-async[test]'``).

An ``async def`` test that uses either fixture runs in pytest-asyncio's default *strict* mode
too, with no configuration: the plugin marks it ``@pytest.mark.asyncio`` for you (in ``auto``
mode nothing changes).

The entry point is installed with the package, pytest-asyncio only with the ``[test]`` extra:
without pytest-asyncio this plugin still loads (pytest starts as usual) and the two fixtures
fail the tests that use them with a message saying what to install. See docs/testing.md.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any, NoReturn

import pytest

if TYPE_CHECKING:
    from mijnklantportaal_async.client import MijnKlantportaal
    from mijnklantportaal_async.testing.portal import FakePortal

try:
    import pytest_asyncio
except ImportError as exc:  # the entry point is installed without the [test] extra
    _MISSING_ASYNCIO: str | None = (
        "the fake_portal and mkp fixtures of mijnklantportaal-async are async and need "
        "pytest-asyncio, which is not importable "
        f"({type(exc).__name__}: {exc}). Install it: pip install pytest-asyncio "
        "(or pip install 'mijnklantportaal-async[test]')"
    )
else:
    _MISSING_ASYNCIO = None

__all__ = [
    "fake_portal",
    "fake_portal_options",
    "mkp",
    "pytest_configure",
    "pytest_pycollect_makeitem",
]

_FIXTURES = frozenset({"fake_portal", "mkp"})


def pytest_configure(config: pytest.Config) -> None:
    """Register the ``fake_portal`` marker (so ``--strict-markers`` accepts it)."""
    config.addinivalue_line(
        "markers",
        "fake_portal(**options): FakePortal keyword arguments for the fake_portal fixture",
    )


@pytest.hookimpl(tryfirst=True)
def pytest_pycollect_makeitem(collector: pytest.Collector, name: str, obj: object) -> None:
    """Mark an ``async def`` test that uses ``fake_portal`` or ``mkp`` with
    ``pytest.mark.asyncio`` before pytest-asyncio looks at it, so it runs in strict mode."""
    if _MISSING_ASYNCIO is not None or not inspect.iscoroutinefunction(obj):
        return
    if not isinstance(collector, pytest.Class | pytest.Module) or not collector.funcnamefilter(
        name
    ):
        return
    if _FIXTURES & set(inspect.signature(obj).parameters):
        existing = getattr(obj, "pytestmark", [])
        if not any(mark.name == "asyncio" for mark in existing):
            pytest.mark.asyncio(obj)


@pytest.fixture
def fake_portal_options() -> dict[str, Any]:
    """FakePortal keyword arguments for ``fake_portal``; override it to change the defaults."""
    return {}


if _MISSING_ASYNCIO is None:

    @pytest_asyncio.fixture
    async def fake_portal(
        request: pytest.FixtureRequest, fake_portal_options: dict[str, Any]
    ) -> AsyncIterator[FakePortal]:
        """A running FakePortal (127.0.0.1, free port), closed after the test.

        Options: ``fake_portal_options``, updated by the keyword arguments of the nearest
        ``@pytest.mark.fake_portal(...)`` marker."""
        # Imported here: pytest loads this module in every run where the package is
        # installed, and only the tests that use the fixture need a FakePortal.
        from mijnklantportaal_async.testing.portal import FakePortal

        options = dict(fake_portal_options)
        marker = request.node.get_closest_marker("fake_portal")
        if marker is not None:
            options.update(marker.kwargs)
        async with FakePortal(**options) as portal:
            yield portal

    @pytest_asyncio.fixture
    async def mkp(fake_portal: FakePortal) -> AsyncIterator[MijnKlantportaal]:
        """A MijnKlantportaal client bound to ``fake_portal`` (``fake_portal.client()``),
        closed after the test."""
        async with fake_portal.client() as client:
            yield client

else:

    def _fail_without_asyncio() -> NoReturn:
        assert _MISSING_ASYNCIO is not None
        pytest.fail(_MISSING_ASYNCIO, pytrace=False)

    @pytest.fixture(name="fake_portal")
    def _fake_portal_unavailable() -> NoReturn:
        """Stands in for ``fake_portal`` without pytest-asyncio: fails saying what to install."""
        _fail_without_asyncio()

    @pytest.fixture(name="mkp")
    def _mkp_unavailable() -> NoReturn:
        """Stands in for ``mkp`` without pytest-asyncio: fails saying what to install."""
        _fail_without_asyncio()
