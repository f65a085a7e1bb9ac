"""The ``mijnklantportaal`` command: import bookkeeping CSV and spreadsheet exports into a portal.

``main`` is the console script's entry point (``mijnklantportaal import ...``). The command reads
files (``csv_files``, ``cells``), checks them before sending (``check``, ``duplicates``), runs them
through the bulk engine (``importer``) and shows the run (``progress``, ``pace``). It uses the
library only through its public names and the bulk engine. See ``docs/cli.md`` and
``docs/architecture.md``.
"""

from mijnklantportaal_async.cli.command import main

__all__ = ["main"]
