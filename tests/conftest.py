"""Shared fixtures, and the spec check of every FakePortal response the suite produces."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any
from unittest import mock

import aioresponses.core
import pytest
import yarl
from aiohttp import ClientResponse
from aioresponses import aioresponses as _aioresponses

from mijnklantportaal_async.testing import RequestRecord, watch_responses

pytest_plugins = ["pytester"]


@pytest.fixture(autouse=True)
def no_base_url_from_the_shell(monkeypatch: pytest.MonkeyPatch) -> None:
    """A ``MIJNKLANTPORTAAL_BASE_URL`` exported in the developer's shell (say, to try the
    FakePortal by hand) must not redirect the tests' clients."""
    monkeypatch.delenv("MIJNKLANTPORTAAL_BASE_URL", raising=False)


@pytest.fixture(autouse=True)
def fake_portal_responses() -> Iterator[list[RequestRecord]]:
    """Every response a FakePortal sends during the test (any portal, any thread), checked
    against tests/data/openapi.yaml at teardown: a violation fails the test with an error
    naming the operation, the path and what is wrong (see tests/test_fakeportal_spec.py for
    the check, its spec patches and the responses it leaves out, with reasons). A test that
    breaks a response on purpose checks it itself and removes it from this list."""
    with watch_responses() as seen:
        yield seen
    if not seen:
        return
    from test_fakeportal_spec import spec_check  # openapi-core loads only when needed

    failures = spec_check().validate(seen)
    if failures:
        lines = "\n  ".join(failures)
        pytest.fail(
            f"FakePortal responses that break tests/data/openapi.yaml:\n  {lines}", pytrace=False
        )


class _ClientResponse(ClientResponse):
    """aiohttp 3.14 made ``stream_writer`` a required argument of ClientResponse and
    aioresponses 0.7.9 (the newest) does not pass it (pnuckowski/aioresponses#289); older
    aiohttp versions (down to our floor, 3.10.10) do not accept it."""

    def __init__(self, method: str, url: yarl.URL, **kwargs: Any) -> None:
        if _TAKES_STREAM_WRITER:
            kwargs.setdefault("stream_writer", mock.Mock())
        super().__init__(method, url, **kwargs)


_TAKES_STREAM_WRITER = "stream_writer" in inspect.signature(ClientResponse.__init__).parameters


@pytest.fixture
def mocked(monkeypatch: pytest.MonkeyPatch) -> Iterator[_aioresponses]:
    """An active ``aioresponses`` mock that works with aiohttp 3.14."""
    monkeypatch.setattr(aioresponses.core, "ClientResponse", _ClientResponse)
    with _aioresponses() as mocked:
        yield mocked
