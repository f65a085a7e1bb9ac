"""Tests of the ``mijnklantportaal import`` command (``mijnklantportaal_async/cli/``)."""
