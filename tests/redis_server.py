"""A real ``redis-server`` for the tests of the shared rate limit: started on a free loopback
port with no persistence, stopped by its PID. CI installs Debian's ``redis-server`` (see
``.ci/run``); without the binary the tests that need it fail and say how to install it."""

from __future__ import annotations

import shutil
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

READY = b"Ready to accept connections"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def redis_server() -> Iterator[str]:
    """Run ``redis-server`` until the block ends; yields its ``redis://127.0.0.1:PORT/0`` URI."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("redis-server is not installed: apt-get install -y redis-server")
    port = free_port()
    args = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly"]
    proc = subprocess.Popen(  # noqa: S603 (a fixed command line)
        [*args, "no", "--loglevel", "notice"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        assert proc.stdout is not None
        seen = b""
        for line in proc.stdout:  # it logs readiness once it listens; EOF if it died
            seen += line
            if READY in line:
                break
        else:
            pytest.fail(f"redis-server did not start: {seen.decode(errors='replace')[-500:]}")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        if proc.stdout is not None:
            proc.stdout.close()
