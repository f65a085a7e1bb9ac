"""Fixtures the request-path tests share: a recording sleep and an HTTPCore factory."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest
from loopback import FakeSleep, core_factory

from mijnklantportaal_async._core.http import HTTPCore


@pytest.fixture
def sleep() -> FakeSleep:
    """The backoff's sleep: records each delay, waits for none."""
    return FakeSleep()


@pytest.fixture
async def make_core(sleep: FakeSleep) -> AsyncIterator[Callable[..., HTTPCore]]:
    """HTTPCore factory with the recording sleep and a seeded rng; closes them all at the end."""
    async with core_factory(seed=42, sleep=sleep) as make:
        yield make
