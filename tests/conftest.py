"""Shared fixtures."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from unittest import mock

import aioresponses.core
import pytest
import yarl
from aiohttp import ClientResponse
from aioresponses import aioresponses as _aioresponses


class _ClientResponse(ClientResponse):
    """aiohttp 3.14 made ``stream_writer`` a required argument of ClientResponse and
    aioresponses 0.7.9 (the newest) does not pass it (pnuckowski/aioresponses#289)."""

    def __init__(self, method: str, url: yarl.URL, **kwargs: Any) -> None:
        kwargs.setdefault("stream_writer", mock.Mock())
        super().__init__(method, url, **kwargs)


@pytest.fixture
def mocked(monkeypatch: pytest.MonkeyPatch) -> Iterator[_aioresponses]:
    """An active ``aioresponses`` mock that works with aiohttp 3.14."""
    monkeypatch.setattr(aioresponses.core, "ClientResponse", _ClientResponse)
    with _aioresponses() as mocked:
        yield mocked
