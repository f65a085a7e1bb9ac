"""What a user can import from ``mijnklantportaal_async`` itself.

Every error the library can raise, and every model a response can hold, is importable from
the package top level, so ``except mijnklantportaal_async.PaginationError`` works without
knowing which module defines it.
"""

from __future__ import annotations

from types import ModuleType

import pytest

import mijnklantportaal_async
from mijnklantportaal_async import bulk, errors, models, pagination, uploads
from mijnklantportaal_async.bulk import journal
from mijnklantportaal_async.errors import MijnKlantportaalError

PUBLIC_MODULES = [errors, bulk, journal, pagination, uploads]


@pytest.mark.parametrize("module", PUBLIC_MODULES, ids=lambda m: m.__name__)
def test_every_public_error_is_exported_at_the_top(module: ModuleType) -> None:
    errors_here = [
        name
        for name in module.__all__
        if isinstance(obj := getattr(module, name), type) and issubclass(obj, MijnKlantportaalError)
    ]
    assert errors_here
    missing = [name for name in errors_here if name not in mijnklantportaal_async.__all__]
    assert missing == []
    for name in errors_here:
        assert getattr(mijnklantportaal_async, name) is getattr(module, name)


def test_every_model_and_the_page_are_exported_at_the_top() -> None:
    wanted = [*models.__all__, "Page", "AsyncPaginator"]
    assert [name for name in wanted if name not in mijnklantportaal_async.__all__] == []


def test_all_names_only_what_the_package_has_once() -> None:
    names = mijnklantportaal_async.__all__
    assert [name for name in names if not hasattr(mijnklantportaal_async, name)] == []
    assert len(names) == len(set(names))
