"""The package's layers (docs/architecture.md, "Layers"): imports point down, and none loops.

Read from the source with ``ast``. Which way an import points is checked for every import of a
package module, wherever it is: at module level, under ``if TYPE_CHECKING:`` or inside a
function (an import deferred to first use, as the client's areas are, is still a dependency).
Loops are checked among the imports made when a module is imported, the module-level ones:
a deferred import back into a module that imports it (an optional backend such as
``_core/redis_window.py``) runs after both are loaded, and one for type checkers never runs.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "mijnklantportaal_async"
NAME = "mijnklantportaal_async"

# layer -> the layers it must never import
FORBIDDEN = {
    "_core": ("resources", "bulk", "cli", "testing", "client", "pagination"),
    "models": ("resources", "bulk", "cli", "testing", "client", "_core.http", "_core.operations"),
    "bulk": ("resources", "cli", "testing", "client"),
    "resources": ("cli", "testing"),
    "cli": ("resources", "_core.http", "_core.operations", "testing.handlers"),
    "client": ("cli", "testing"),
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def module_imports(path: Path, *, anywhere: bool = False) -> Iterator[str]:
    """The package modules ``path`` imports when it is imported (its module-level imports);
    with ``anywhere``, also those under ``if TYPE_CHECKING:`` and inside functions."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree) if anywhere else tree.body:
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names if alias.name.startswith(NAME))
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(NAME):
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def graph(*, anywhere: bool) -> dict[str, set[str]]:
    return {
        name: {
            target
            for target in module_imports(path, anywhere=anywhere)
            if target in MODULES and target != name
        }
        for name, path in MODULES.items()
    }


GRAPH = graph(anywhere=False)
"""What each module imports when it is imported."""
EVERY_IMPORT = graph(anywhere=True)
"""What each module imports at any time (deferred and type-checking imports too)."""


def layer_of(module: str) -> str:
    return module.removeprefix(NAME + ".").split(".")[0]


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_a_layer_imports_nothing_above_it(layer: str) -> None:
    offending = sorted(
        f"{module} imports {target}"
        for module, targets in EVERY_IMPORT.items()
        if layer_of(module) == layer
        for target in targets
        for banned in FORBIDDEN[layer]
        if target == f"{NAME}.{banned}" or target.startswith(f"{NAME}.{banned}.")
    )
    assert offending == []


def test_deferred_imports_are_seen() -> None:
    """The client imports its areas on first use: the direction check sees those imports."""
    client = f"{NAME}.client"
    assert f"{NAME}.resources.customers" in EVERY_IMPORT[client]
    assert f"{NAME}.resources.customers" not in GRAPH[client]


def test_the_package_root_holds_at_most_twelve_modules() -> None:
    assert len(list(PACKAGE.glob("*.py"))) <= 12


def test_no_module_imports_itself_back_through_others() -> None:
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(GRAPH[module]):
            # A package's __init__ importing its own submodules is how re-exports work.
            if target.startswith(module + "."):
                continue
            if state.get(target) == 1:
                cycles.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target, [*path, target])
        state[module] = 2

    for module in sorted(GRAPH):
        if module not in state:
            visit(module, [module])
    assert cycles == []
