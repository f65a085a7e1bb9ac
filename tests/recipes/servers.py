"""Servers for the recipe tests (no tests here): a recipe's app over real HTTP on loopback, and
a real redis-server on a free loopback port."""

from __future__ import annotations

import asyncio
import contextlib
import os
import select
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import uvicorn


def listening_socket() -> socket.socket:
    """A TCP socket on 127.0.0.1, a free port, already listening: a client may connect at
    once (the connection waits in the backlog until the server accepts), so nothing polls."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    return sock


@contextlib.asynccontextmanager
async def uvicorn_serving(app: Any) -> AsyncIterator[str]:
    """Serve the ASGI ``app`` with uvicorn (lifespan on) in this loop; yields its base URL."""
    sock = listening_socket()
    host, port = sock.getsockname()
    server = uvicorn.Server(uvicorn.Config(app, lifespan="on", log_level="warning"))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 30)
        sock.close()


@contextlib.contextmanager
def redis_server(timeout: float = 30.0) -> Iterator[str]:
    """A real ``redis-server`` on a free loopback port, without persistence, stopped by its
    PID on exit; yields its URL. Fails (never skips) when ``redis-server`` is not installed:
    ``.ci/run`` installs it."""
    executable = shutil.which("redis-server")
    assert executable, "redis-server is not installed (Debian: apt-get install redis-server)"
    with contextlib.closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [executable, "--bind", "127.0.0.1", "--port", str(port), "--save", ""]
    command += ["--appendonly", "no", "--loglevel", "notice"]
    process = subprocess.Popen(  # noqa: S603 - a fixed program and our own arguments
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        _wait_for_line(process, "Ready to accept connections", timeout)
        yield f"redis://127.0.0.1:{port}"
    finally:
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout)
        assert process.stdout is not None
        process.stdout.close()


def _wait_for_line(process: subprocess.Popen[bytes], wanted: str, timeout: float) -> None:
    """Read the process's output until it holds ``wanted`` (its own readiness message).
    Unbuffered reads of the pipe, so ``select`` sees all that was written."""
    assert process.stdout is not None
    fd = process.stdout.fileno()
    deadline = time.monotonic() + timeout
    output = b""
    while (left := deadline - time.monotonic()) > 0:
        ready, _, _ = select.select([fd], [], [], left)
        chunk = os.read(fd, 65536) if ready else b""
        output += chunk
        if wanted.encode() in output:
            return
        if ready and not chunk:  # the output ended: the server exited
            break
    raise AssertionError(f"redis-server did not start: {output.decode(errors='replace')[-2000:]}")
