"""Every ```python block on the docs pages runs against the fake portal, so the docs work."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import Any

import pytest

from mijnklantportaal_async.testing import FakePortal

DOCS = Path(__file__).resolve().parent.parent / "docs"
PAGES = [
    "customers.md",
    "customer-invoices.md",
    "customer-offers.md",
    "agreements.md",
    "customer-groups.md",
    "customer-subscriptions.md",
    "customer-subscription-packages.md",
    "punch-cards.md",
    "files.md",
    "payment-links.md",
    "invoices.md",
    "appointments.md",
    "tickets.md",
    "webhooks.md",
    "uploads.md",
    "bulk.md",
    "oauth.md",
    "options.md",
]
BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)


def python_blocks(page: str) -> list[str]:
    return BLOCK.findall((DOCS / page).read_text(encoding="utf-8"))


def test_every_area_page_has_examples() -> None:
    for page in PAGES:
        assert python_blocks(page), f"{page} has no python example"


@pytest.mark.parametrize("page", PAGES)
async def test_docs_examples_run_against_the_fake_portal(page: str) -> None:
    async with FakePortal() as portal, portal.client() as mkp:
        for number, block in enumerate(python_blocks(page), start=1):
            source = "async def _example(mkp):\n" + textwrap.indent(block, "    ")
            namespace: dict[str, Any] = {}
            exec(compile(source, f"{page} example {number}", "exec"), namespace)  # noqa: S102
            await namespace["_example"](mkp)
