"""A package ``__init__`` whose public names are imported on first use (PEP 562).

``__getattr__, __dir__ = lazy_exports(__name__, exports, submodules, globals(), __all__)``
under ``if not TYPE_CHECKING:``, with the same names imported under ``if TYPE_CHECKING:`` for
type checkers, IDEs and the API reference (docs/architecture.md, "Import policy"). Used by the
package's top level and by ``testing``, whose pytest plugin is loaded by every pytest run.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, MutableMapping

__all__ = ["lazy_exports"]


def lazy_exports(
    package: str,
    exports: Mapping[str, Iterable[str]],
    submodules: Collection[str],
    namespace: MutableMapping[str, object],
    public: Iterable[str],
) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of ``package``.

    ``exports`` maps a module under ``package`` to the public names it gives; ``submodules``
    are reached as attributes without an import of their own (as when ``__init__`` imported
    them); ``namespace`` is the package's ``globals()``, where each name is kept once imported
    so the next look-up does not come back here. An unknown name raises AttributeError.
    """
    module_of = {name: module for module, names in exports.items() for name in names}
    listed = sorted({*public, *submodules})

    def attribute(name: str) -> object:
        # __import__ rather than importlib.import_module: the latter's imports are left out of
        # ``python -X importtime``, which would then hide the module's own time.
        if name in module_of:
            value = getattr(__import__(f"{package}.{module_of[name]}", fromlist=[name]), name)
        elif name in submodules:
            value = __import__(f"{package}.{name}", fromlist=["__name__"])
        else:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        namespace[name] = value
        return value

    def names() -> list[str]:
        return sorted({*namespace, *listed})

    return attribute, names
