"""Benchmarks of mijnklantportaal-async: pacing, per-call overhead and upload memory.

Run ``python -m benchmarks`` from the repository root (or ``nox -s bench``); it prints one
table. These are measurements, not tests: nothing here fails on a slow machine. See
``docs/benchmarks.md`` for what each figure means and the latest results.
"""
