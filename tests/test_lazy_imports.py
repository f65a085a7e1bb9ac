"""The lazy top level and what importing the package loads (docs/architecture.md, "Import
policy").

``mijnklantportaal_async/__init__.py`` imports each public name on first use: ``_EXPORTS`` says
from where at run time, the imports under ``if TYPE_CHECKING:`` say the same for type checkers
and the API reference, ``__all__`` lists the names. The first tests keep the three and each
module's own ``__all__`` equal, so that a model added to ``models/<area>.py`` and not exported
at the top, or a name exported from the wrong module, fails here.

The others run a fresh interpreter and read ``sys.modules``: ``import mijnklantportaal_async``
and making a client must not load what only a call needs (the models, the operations table,
the resources, the bulk engine, OAuth) nor an optional backend (``redis``, ``rich``). That is
what keeps the import time down: an eager import added back anywhere on that path fails them.
"""

from __future__ import annotations

import ast
import importlib
import json
import pkgutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

import mijnklantportaal_async
from mijnklantportaal_async import models

PACKAGE = mijnklantportaal_async.__name__
INIT = Path(mijnklantportaal_async.__file__)
ROOT = INIT.parent.parent


def type_checking_imports(init: Path = INIT, package: str = PACKAGE) -> dict[str, tuple[str, str]]:
    """Public name -> (module under the package, name there), as the imports under
    ``if TYPE_CHECKING:`` in the package's ``__init__.py`` give them (star imports by the
    module's ``__all__``)."""
    tree = ast.parse(init.read_text(encoding="utf-8"))
    blocks = [
        node
        for node in tree.body
        if isinstance(node, ast.If)
        and isinstance(node.test, ast.Name)
        and node.test.id == "TYPE_CHECKING"
    ]
    assert len(blocks) == 1
    names: dict[str, tuple[str, str]] = {}
    for node in blocks[0].body:
        assert isinstance(node, ast.ImportFrom), ast.dump(node)
        assert node.module, ast.dump(node)
        module = node.module.removeprefix(package + ".")
        for alias in node.names:
            found = (
                importlib.import_module(node.module).__all__ if alias.name == "*" else [alias.name]
            )
            for name in found:
                public = alias.asname or name
                assert public not in names, f"{public} imported twice"
                names[public] = (module, name)
    return names


STATIC = type_checking_imports()
EXPORTS = mijnklantportaal_async._EXPORTS


def test_the_run_time_map_is_what_type_checkers_see() -> None:
    at_run_time = {name: module for module, names in EXPORTS.items() for name in names}
    assert sum(len(names) for names in EXPORTS.values()) == len(at_run_time)  # each once
    assert at_run_time == {name: module for name, (module, _) in STATIC.items()}
    assert all(name == there for name, (_, there) in STATIC.items())  # no renames


def test_all_is_every_exported_name_once() -> None:
    names = mijnklantportaal_async.__all__
    assert len(names) == len(set(names))
    assert set(names) == {*STATIC, "__version__"}


def test_every_model_module_is_exported_whole() -> None:
    areas = {
        f"models.{info.name}"
        for info in pkgutil.iter_modules(models.__path__)
        if not info.name.startswith("_")
    }
    assert areas <= EXPORTS.keys()
    for area in areas:
        module = importlib.import_module(f"{PACKAGE}.{area}")
        assert sorted(EXPORTS[area]) == sorted(module.__all__), area
    model_names = {
        name for module in EXPORTS if module.startswith("models.") for name in EXPORTS[module]
    }
    assert model_names == set(models.__all__)


def test_each_exported_module_has_the_names_in_its_all() -> None:
    for module, names in EXPORTS.items():
        public = importlib.import_module(f"{PACKAGE}.{module}").__all__
        assert [name for name in names if name not in public] == [], module


@pytest.mark.parametrize("name", sorted(STATIC))
def test_a_name_is_the_object_the_eager_import_gives(name: str) -> None:
    module, there = STATIC[name]
    eager = getattr(importlib.import_module(f"{PACKAGE}.{module}"), there)
    assert getattr(mijnklantportaal_async, name) is eager
    assert name in dir(mijnklantportaal_async)


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError) as info:
        mijnklantportaal_async.NoSuchThing  # type: ignore[attr-defined]  # noqa: B018
    assert str(info.value) == f"module {PACKAGE!r} has no attribute 'NoSuchThing'"
    assert not hasattr(mijnklantportaal_async, "_EXPORTS_")
    with pytest.raises(ImportError, match="cannot import name 'NoSuchThing'"):
        exec(f"from {PACKAGE} import NoSuchThing")  # noqa: S102


# -- in a fresh interpreter -------------------------------------------------------------------


def run_fresh(code: str) -> Any:
    """Run ``code`` in a fresh interpreter; what it printed last, read as JSON."""
    out = subprocess.run(  # noqa: S603 (this interpreter, our own code)
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(out.stdout.splitlines()[-1])


PROBE = """
    import json, sys
    import mijnklantportaal_async
    after_import = sorted(sys.modules)
    from mijnklantportaal_async import MijnKlantportaal, RateLimit, Timeouts
    mkp = MijnKlantportaal("mkp_x", base_url="https://api.example", timeouts=Timeouts())
    mkp.with_options(timeout=5.0, max_retries=0)
    after_client = sorted(sys.modules)
    mkp.customer_invoices
    after_area = sorted(sys.modules)
    print(json.dumps([after_import, after_client, after_area]))
"""

ONLY_A_CALL_NEEDS = [
    f"{PACKAGE}.models",
    f"{PACKAGE}._core.operations",
    f"{PACKAGE}._core.natural_keys",
    f"{PACKAGE}._core.downloads",
    f"{PACKAGE}.resources",
    f"{PACKAGE}.pagination",
    f"{PACKAGE}.bulk",
    f"{PACKAGE}.oauth",
    f"{PACKAGE}.webhooks",
    f"{PACKAGE}.cli",
    f"{PACKAGE}.testing",
]
NEVER = ["redis", "rich", "openpyxl"]
"""Optional backends: only ``storage_uri="redis://..."`` and the import command need them."""


@pytest.fixture(scope="module")
def loaded() -> tuple[set[str], set[str], set[str]]:
    after_import, after_client, after_area = run_fresh(PROBE)
    return set(after_import), set(after_client), set(after_area)


def test_importing_the_package_loads_next_to_nothing(
    loaded: tuple[set[str], set[str], set[str]],
) -> None:
    after_import, _, _ = loaded
    ours = {module for module in after_import if module.split(".")[0] == PACKAGE}
    # the lazy exports, the logging switch (MIJNKLANTPORTAAL_LOG) and the version; not aiohttp
    assert ours == {
        PACKAGE,
        f"{PACKAGE}._core",
        f"{PACKAGE}._core.lazy",
        f"{PACKAGE}._core.log",
        f"{PACKAGE}._version",
    }
    assert [m for m in ("aiohttp", "attrs", "cattrs", "yarl", *NEVER) if m in after_import] == []


@pytest.mark.parametrize("module", ONLY_A_CALL_NEEDS + NEVER)
def test_making_a_client_does_not_load_what_only_a_call_needs(
    loaded: tuple[set[str], set[str], set[str]], module: str
) -> None:
    _, after_client, _ = loaded
    assert f"{PACKAGE}.client" in after_client
    assert module not in after_client


def test_making_a_client_does_not_load_cattrs(
    loaded: tuple[set[str], set[str], set[str]],
) -> None:
    _, after_client, _ = loaded
    assert "cattrs" not in after_client


def test_an_area_loads_on_first_use(loaded: tuple[set[str], set[str], set[str]]) -> None:
    _, _, after_area = loaded
    for module in ("models", "_core.operations", "resources.customer_invoices", "bulk"):
        assert f"{PACKAGE}.{module}" in after_area
    assert [m for m in NEVER if m in after_area] == []


def test_star_import_and_submodules_work_in_a_fresh_interpreter() -> None:
    result = run_fresh(
        """
        import json
        import mijnklantportaal_async as m
        from mijnklantportaal_async import *
        same = all(globals()[name] is getattr(m, name) for name in m.__all__)
        submodules = [m.errors.NotFoundError.__name__, m.bulk.BulkReport.__name__]
        print(json.dumps([same, len(m.__all__), submodules, "Customer" in dir(m)]))
        """
    )
    assert result == [
        True,
        len(mijnklantportaal_async.__all__),
        ["NotFoundError", "BulkReport"],
        True,
    ]


# -- the testing package: lazy too, for the pytest plugin -----------------------------------


TESTING = importlib.import_module(f"{PACKAGE}.testing")


def test_the_testing_packages_names_are_what_type_checkers_see() -> None:
    static = type_checking_imports(Path(str(TESTING.__file__)), TESTING.__name__)
    exports = TESTING._EXPORTS
    at_run_time = {name: module for module, names in exports.items() for name in names}
    assert at_run_time == {name: module for name, (module, _) in static.items()}
    assert sorted(TESTING.__all__) == sorted(static)
    for name, (module, there) in static.items():
        eager = getattr(importlib.import_module(f"{TESTING.__name__}.{module}"), there)
        assert getattr(TESTING, name) is eager, name


def test_loading_the_pytest_plugin_does_not_import_a_fake_portal() -> None:
    # pytest loads the plugin (entry point pytest11) in every run where the package is
    # installed; only a test that uses the fake_portal fixture needs a FakePortal
    loaded = run_fresh(
        """
        import json, sys
        import mijnklantportaal_async.testing.plugin
        print(json.dumps(sorted(sys.modules)))
        """
    )
    heavy = [f"{PACKAGE}.testing.portal", f"{PACKAGE}.models", "aiohttp"]
    assert [module for module in heavy if module in loaded] == []
