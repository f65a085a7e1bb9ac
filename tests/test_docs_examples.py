"""Every ```python block in docs/ and the README runs as written, so what a reader copies works.

A block is one of three things, said by its first line:

- ``# fragment: mkp``: a piece of a program, run inside
  ``async with MijnKlantportaal() as mkp:`` (an async function with ``mkp`` bound to a client
  of a FakePortal); the blocks of one page share that client and portal, in page order, as a
  reader would run them one after another.
- ``# fragment: fake_portal``: a piece of a test using the plugin's fixtures: ``fake_portal``
  (the FakePortal) and ``mkp`` are bound.
- ``# file: NAME.py``: a file of a small project shown on the page; the project is run as
  written by another test (``FILE_PROJECTS`` says which), and here each file must compile.
- ``--8<-- "examples/NAME.py"`` alone: a recipe shown whole (pymdownx.snippets); its own test
  runs it (``INCLUDED``).
- anything else: a complete program, run as ``__main__`` with the environment pointing at a
  FakePortal served from a thread (``MIJNKLANTPORTAAL_API_KEY``, ``MIJNKLANTPORTAAL_BASE_URL``)
  and the current directory a temporary one.

The README's "Use it" program is ``examples/quickstart.py``, shown whole in the README and run
here against the sandbox.
"""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from mijnklantportaal_async.testing import FakePortal, serve_in_thread

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = sorted(str(p.relative_to(DOCS)) for p in DOCS.rglob("*.md"))
AREA_PAGES = [
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
FILE_PROJECTS = {  # pages with `# file:` blocks -> the test that runs them
    "testing.md": "tests/test_fakeportal_plugin.py",
    "services.md": "tests/recipes/test_fastapi_app.py",
}
SNIPPET = re.compile(r'--8<-- "([^"]+)"\n')  # pymdownx.snippets: a file shown whole
INCLUDED = {  # files the docs show whole -> the test that runs them
    "examples/fastapi_app.py": "tests/recipes/test_fastapi_app.py",
    "examples/aiohttp_app.py": "tests/recipes/test_aiohttp_app.py",
    "examples/arq_worker.py": "tests/recipes/test_arq_worker.py",
}
BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)
FRAGMENT = re.compile(r"# fragment: (\w+)\n")
CONTEXTS = ("mkp", "fake_portal")


def python_blocks(text: str) -> list[str]:
    return BLOCK.findall(text)


def page_blocks(page: str) -> list[str]:
    return python_blocks((DOCS / page).read_text(encoding="utf-8"))


def test_every_area_page_has_examples() -> None:
    for page in AREA_PAGES:
        assert page_blocks(page), f"{page} has no python example"


@pytest.mark.parametrize("page", [p for p in PAGES if page_blocks(p)])
def test_every_python_block_runs_as_written(
    page: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with serve_in_thread() as portal:
        monkeypatch.setenv("MIJNKLANTPORTAAL_API_KEY", portal.api_key)
        monkeypatch.setenv("MIJNKLANTPORTAAL_BASE_URL", portal.url)
        fragments: list[tuple[str, str, str]] = []  # (name, context, code), run in one loop
        for number, block in enumerate(page_blocks(page), start=1):
            name = f"docs/{page} example {number}"
            if included := SNIPPET.fullmatch(block):
                assert included[1] in INCLUDED, f"{name}: no test runs {included[1]}"
                assert (ROOT / included[1]).is_file(), f"{name}: no file {included[1]}"
            elif block.startswith("# file: "):
                assert page in FILE_PROJECTS, f"{name}: no test runs the project of `# file:`"
                compile(block, name, "exec")
            elif match := FRAGMENT.match(block):
                context = match[1]
                assert context in CONTEXTS, f"{name}: unknown context {context!r}: {CONTEXTS}"
                fragments.append((name, context, block))
            else:
                if fragments:  # keep the page's order: what came before runs first
                    asyncio.run(_run_fragments(portal, fragments))
                    fragments = []
                _run_program(name, block)
        if fragments:
            asyncio.run(_run_fragments(portal, fragments))


def _run_program(name: str, block: str) -> None:
    try:
        code = compile(block, name, "exec")
    except SyntaxError as exc:
        pytest.fail(
            f"{name} is not a complete program ({exc.msg}, line {exc.lineno}); if it is a "
            "piece of one, start it with '# fragment: mkp' (inside `async with "
            "MijnKlantportaal() as mkp:`) or '# fragment: fake_portal'"
        )
    exec(code, {"__name__": "__main__"})  # noqa: S102 - the docs' own examples


async def _run_fragments(portal: FakePortal, fragments: list[tuple[str, str, str]]) -> None:
    async with portal.client() as mkp:
        for name, _context, block in fragments:
            source = "async def _example(mkp, fake_portal):\n" + textwrap.indent(block, "    ")
            namespace: dict[str, Any] = {}
            exec(compile(source, name, "exec"), namespace)  # noqa: S102 - the docs' own examples
            await namespace["_example"](mkp, portal)


# --- the README -------------------------------------------------------------------------------

README = ROOT / "README.md"
QUICKSTART = ROOT / "examples" / "quickstart.py"


def test_the_readme_shows_the_quickstart_program_whole() -> None:
    [use_it] = python_blocks(README.read_text(encoding="utf-8"))
    assert use_it == QUICKSTART.read_text(encoding="utf-8")


def test_the_quickstart_runs_against_the_sandbox() -> None:
    result = subprocess.run(  # noqa: S603 - our own interpreter and example
        [sys.executable, str(QUICKSTART), "--sandbox"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "invoice inv_" in result.stdout
    assert "bulk: 4 created, 0 failed" in result.stdout
    assert result.stdout.count("listed 2024-") == 5


def test_the_readme_names_nothing_outside_the_repository() -> None:
    text = README.read_text(encoding="utf-8")
    assert "../" not in text
    for link in re.findall(r"\]\(([^)#]+)", text):
        if not link.startswith(("http://", "https://")):
            assert (ROOT / link).exists(), link
