"""The pytest plugin, used as a user would: the docs/testing.md examples run in a fresh pytest.

The ``# file: name.py`` blocks of docs/testing.md are written to a temporary project and run by
a separate pytest process that loads only pytest-asyncio and our plugin (``-p``), so it works
whether or not the package's ``pytest11`` entry point is installed.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import mijnklantportaal_async

REPO_ROOT = Path(mijnklantportaal_async.__file__).resolve().parent.parent
DOC = Path(__file__).resolve().parent.parent / "docs" / "testing.md"
FILE_BLOCK = re.compile(r"```python\n# file: (\S+)\n(.*?)```", re.DOTALL)


def run_pytest(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(project), str(REPO_ROOT)]),
        "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
    }
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-p",
        "pytest_asyncio.plugin",
        "-p",
        "mijnklantportaal_async.testing.plugin",
        "-p",
        "no:cacheprovider",
        "-q",
        *args,
    ]
    return subprocess.run(  # noqa: S603 - our own interpreter and arguments
        command, cwd=project, env=env, capture_output=True, text=True, timeout=300, check=False
    )


def write_project(project: Path, files: dict[str, str]) -> None:
    (project / "pytest.ini").write_text(
        "[pytest]\nasyncio_mode = auto\nasyncio_default_fixture_loop_scope = function\n"
        "addopts = --strict-markers\n",
        encoding="utf-8",
    )
    for name, source in files.items():
        (project / name).write_text(source, encoding="utf-8")


def test_the_docs_testing_examples_pass_using_only_the_fixtures(tmp_path: Path) -> None:
    files = dict(FILE_BLOCK.findall(DOC.read_text(encoding="utf-8")))
    assert {"billing.py", "test_billing.py", "conftest.py", "test_rate_limit.py"} <= set(files)
    # The conftest example turns the rate limit off; run the examples with the defaults too.
    del files["conftest.py"]
    write_project(tmp_path, files)
    result = run_pytest(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "5 passed" in result.stdout


def test_marker_and_options_fixture_configure_the_portal(tmp_path: Path) -> None:
    write_project(
        tmp_path,
        {
            "conftest.py": (
                "import pytest\n\n"
                "@pytest.fixture\n"
                "def fake_portal_options():\n"
                "    return {'api_key': 'from-options', 'rate_limit': 7}\n"
            ),
            "test_config.py": (
                "import pytest\n\n"
                "async def test_options(fake_portal):\n"
                "    assert fake_portal.api_key == 'from-options'\n"
                "    assert fake_portal.rate_window.limit == 7\n\n"
                "@pytest.mark.fake_portal(rate_limit=3, balance=5)\n"
                "async def test_marker_wins(fake_portal, mkp):\n"
                "    assert fake_portal.rate_window.limit == 3\n"
                "    assert fake_portal.balance == 5\n"
                "    assert str(mkp.base_url) == fake_portal.url\n"
            ),
        },
    )
    result = run_pytest(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout
