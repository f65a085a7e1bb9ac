"""The pytest plugin, used as a user would: the docs/testing.md examples run in a fresh pytest.

The ``# file: name.py`` blocks of docs/testing.md are written to a temporary project and run by
a separate pytest process that loads only pytest-asyncio and our plugin (``-p``), so it works
whether or not the package's ``pytest11`` entry point is installed. Two more runs load plugins
the way a user's pytest does (autoload on, through the installed entry point): with
pytest-asyncio, and with it made unimportable.
"""

from __future__ import annotations

import importlib.metadata
import os
import re
import subprocess
import sys
from pathlib import Path

import mijnklantportaal_async

REPO_ROOT = Path(mijnklantportaal_async.__file__).resolve().parent.parent
DOC = Path(__file__).resolve().parent.parent / "docs" / "testing.md"
FILE_BLOCK = re.compile(r"```python\n# file: (\S+)\n(.*?)```", re.DOTALL)


def run_pytest(
    project: Path, *args: str, autoload: bool = False, path_first: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """pytest in ``project``. ``autoload=False``: only pytest-asyncio and our plugin, loaded
    with ``-p``; True: the installed ``pytest11`` entry points, as a user's pytest loads them.
    ``path_first`` goes first on PYTHONPATH (to shadow an installed module)."""
    paths = [str(path_first)] if path_first is not None else []
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([*paths, str(project), str(REPO_ROOT)])}
    env.pop("PYTEST_DISABLE_PLUGIN_AUTOLOAD", None)
    plugins = ["-p", "pytest_asyncio.plugin", "-p", "mijnklantportaal_async.testing.plugin"]
    if autoload:
        # Entry points on, minus two slow ones this suite needs not (about 1 s per run).
        plugins = ["-p", "no:hypothesispytest", "-p", "no:benchmark"]
    else:
        env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    command = [sys.executable, "-m", "pytest", *plugins, "-p", "no:cacheprovider", "-q", *args]
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
    examples = {"billing.py", "test_billing.py", "conftest.py", "test_rate_limit.py"}
    examples |= {"test_sync.py"}
    assert examples <= set(files)
    # The conftest example turns the rate limit off; run the examples with the defaults too.
    del files["conftest.py"]
    write_project(tmp_path, files)
    result = run_pytest(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "6 passed" in result.stdout


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


def assert_entry_point_installed() -> None:
    entry_points = importlib.metadata.entry_points(group="pytest11")
    values = {ep.value for ep in entry_points}
    assert "mijnklantportaal_async.testing.plugin" in values, "pip install -e . first"


def test_the_installed_entry_point_provides_the_fixtures(tmp_path: Path) -> None:
    assert_entry_point_installed()
    write_project(
        tmp_path,
        {
            "test_autoloaded.py": (
                "async def test_fixtures(fake_portal, mkp):\n"
                "    assert str(mkp.base_url) == fake_portal.url\n"
            )
        },
    )
    result = run_pytest(tmp_path, autoload=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout


def test_without_pytest_asyncio_the_fixtures_say_what_to_install(tmp_path: Path) -> None:
    assert_entry_point_installed()
    # pytest-asyncio shadowed by a module that cannot be imported, its own plugin blocked:
    # what a user who installed the package without the [test] extra has.
    blocker = tmp_path / "blocked" / "pytest_asyncio"
    blocker.mkdir(parents=True)
    (blocker / "__init__.py").write_text(
        "raise ModuleNotFoundError(\"No module named 'pytest_asyncio'\", name='pytest_asyncio')\n",
        encoding="utf-8",
    )
    project = tmp_path / "project"
    project.mkdir()
    (project / "pytest.ini").write_text("[pytest]\naddopts = --strict-markers\n", encoding="utf-8")
    (project / "test_no_asyncio.py").write_text(
        "import pytest\n\n"
        "def test_unrelated():\n    assert True\n\n"
        "@pytest.mark.fake_portal(rate_limit=5)\n"
        "def test_uses_the_portal(fake_portal):\n    pass\n\n"
        "def test_uses_the_client(mkp):\n    pass\n",
        encoding="utf-8",
    )
    result = run_pytest(project, "-p", "no:asyncio", autoload=True, path_first=tmp_path / "blocked")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "1 passed, 2 errors" in result.stdout, output
    for test in ("test_uses_the_portal", "test_uses_the_client"):  # each fixture says it
        section = output.split(f"ERROR at setup of {test}", 1)[1].split("\n_", 1)[0]
        assert "pip install pytest-asyncio" in section.split("short test summary")[0], output
    assert "mijnklantportaal-async[test]" in output
    assert "INTERNALERROR" not in output


def test_async_tests_using_the_fixtures_run_in_strict_mode_without_configuration(
    tmp_path: Path,
) -> None:
    # pytest-asyncio's default mode is strict: an unmarked async test is not run by it. The
    # plugin marks the async tests that use its fixtures; others are left alone.
    (tmp_path / "pytest.ini").write_text(
        "[pytest]\nasyncio_default_fixture_loop_scope = function\n", encoding="utf-8"
    )
    (tmp_path / "test_strict.py").write_text(
        "import pytest\n\n"
        "async def test_unmarked(fake_portal, mkp):\n"
        "    assert str(mkp.base_url) == fake_portal.url\n\n"
        "@pytest.mark.asyncio\n"
        "async def test_marked(mkp):\n"
        "    assert mkp.sandbox\n\n"
        "class TestInAClass:\n"
        "    async def test_method(self, mkp):\n"
        "        assert mkp.sandbox\n",
        encoding="utf-8",
    )
    result = run_pytest(tmp_path, "-W", "error")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 passed" in result.stdout
