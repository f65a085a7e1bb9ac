"""The ``mijnklantportaal`` command: import bookkeeping CSV and spreadsheet exports into a portal.

``main`` is the console script's entry point (``mijnklantportaal import ...``). The command
(:mod:`~.command`: options, files, key, client) reads the CSV files into request objects
(:mod:`~.reading`), checks every row before anything is sent (:mod:`~.checks`), runs the
checked rows through the bulk engine (:mod:`~.importer`) and shows the run: progress, summary,
report (:mod:`~.output`). It uses the library through its public names (the package, ``bulk``,
``testing``) and the natural-key declarations of ``_core.natural_keys``. See ``docs/cli.md`` and
``docs/architecture.md``.
"""

from mijnklantportaal_async.cli.command import main

__all__ = ["main"]
