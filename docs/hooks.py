"""mkdocs hooks of the documentation site (``mkdocs.yml``: ``hooks: [docs/hooks.py]``).

- Optional pages: a nav entry whose file is listed in ``extra.optional_pages`` and does not
  exist (a page being written on another branch) is dropped, with an INFO line; any other
  missing page still fails ``mkdocs build --strict``.
- API reference: one page per public module, generated from the package layout and rendered by
  mkdocstrings from the docstrings: the client, errors, uploads, pagination, rate limit, bulk
  and testing modules, and one page per API area (its resource class, then its models). A new
  area module gets its page without an edit here.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

log = logging.getLogger("mkdocs.hooks.mijnklantportaal")

PACKAGE = "mijnklantportaal_async"
ROOT = Path(__file__).resolve().parent.parent
CORE_MODULES = {  # page title -> modules, in nav order
    "Client": ["client"],
    "Errors": ["errors"],
    "Uploads": ["uploads"],
    "Pagination": ["pagination"],
    "Rate limit": ["ratelimit"],
    "Bulk creation": ["bulk"],
    "Testing (FakePortal)": ["testing", "testing.plugin"],
    "Common models": ["models.common"],
}


def _area_modules() -> dict[str, list[str]]:
    """One page per API area: ``resources/<area>.py`` and ``models/<area>.py``."""
    areas: dict[str, list[str]] = {}
    for path in sorted((ROOT / PACKAGE / "resources").glob("[!_]*.py")):
        modules = [f"resources.{path.stem}"]
        if (ROOT / PACKAGE / "models" / path.name).is_file():
            modules.append(f"models.{path.stem}")
        areas[path.stem.replace("_", " ").capitalize()] = modules
    return areas


def _pages() -> dict[str, tuple[str, list[str]]]:
    """``reference/<name>.md`` -> (title, modules)."""
    pages = {}
    for title, modules in {**CORE_MODULES, **_area_modules()}.items():
        name = modules[0].rpartition(".")[2] if modules[0] != "models.common" else "common"
        pages[f"reference/{name}.md"] = (title, modules)
    return pages


def _drop_missing(nav: list[Any], docs_dir: Path, optional: set[str]) -> list[Any]:
    kept: list[Any] = []
    for entry in nav:
        target = next(iter(entry.values())) if isinstance(entry, dict) else entry
        if isinstance(target, list):
            kept.append({next(iter(entry)): _drop_missing(target, docs_dir, optional)})
        elif isinstance(target, str) and target in optional and not (docs_dir / target).exists():
            log.info("nav: %s does not exist yet; left out of the nav", target)
        else:
            kept.append(entry)
    return kept


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    optional = set(config.extra.get("optional_pages", []))
    nav = _drop_missing(config.nav or [], Path(config.docs_dir), optional)
    reference = {"API reference": [{t: path} for path, (t, _) in _pages().items()]}
    at = next((i for i, e in enumerate(nav) if isinstance(e, dict) and "Project" in e), len(nav))
    nav.insert(at, reference)
    config.nav = nav
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    for path, (title, modules) in _pages().items():
        blocks = "\n\n".join(f"::: {PACKAGE}.{module}" for module in modules)
        content = f"# {title}\n\n{blocks}\n"
        files.append(File.generated(config, path, content=content))
    return files
