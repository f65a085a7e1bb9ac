"""``python -m mijnklantportaal_async.testing``: starts, prints URL and key, stops on SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import aiohttp
import pytest

import mijnklantportaal_async
from mijnklantportaal_async.testing.__main__ import build_parser

REPO_ROOT = Path(mijnklantportaal_async.__file__).resolve().parent.parent


async def test_module_entry_point_prints_url_and_key_and_serves_until_terminated() -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO_ROOT), *sys.path])}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "mijnklantportaal_async.testing",
        "--api-key",
        "cli-key",
        "--rate-limit",
        "5",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=env,
    )
    try:
        assert process.stdout is not None
        first = (await asyncio.wait_for(process.stdout.readline(), timeout=30)).decode().strip()
        second = (await asyncio.wait_for(process.stdout.readline(), timeout=30)).decode().strip()
        assert first.startswith("MIJNKLANTPORTAAL_BASE_URL=http://127.0.0.1:")
        assert first.endswith("/v1")
        assert second == "MIJNKLANTPORTAAL_API_KEY=cli-key"
        url = first.partition("=")[2]
        async with (
            aiohttp.ClientSession() as session,
            session.get(
                f"{url}/customers", headers={"Authorization": "Bearer cli-key"}
            ) as response,
        ):
            assert response.status == 200
            assert response.headers["X-RateLimit-Limit"] == "5"
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        returncode = await asyncio.wait_for(process.wait(), timeout=30)
    assert returncode == 0


def test_options_cover_host_port_key_and_limits() -> None:
    args = build_parser().parse_args(
        [
            "--host",
            "0.0.0.0",  # noqa: S104 - parsing only
            "--port",
            "8080",
            "--rate-period",
            "30",
            "--license-limit",
            "10",
            "--balance",
            "4",
            "--fault",
            "503_before=0.25",
        ]
    )
    assert (args.host, args.port, args.rate_limit, args.rate_period) == ("0.0.0.0", 8080, 60, 30.0)  # noqa: S104
    assert (args.license_limit, args.balance, args.fault) == (10, 4, [("503_before", 0.25)])


def test_an_unknown_fault_kind_is_a_usage_error() -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--fault", "explode=1"])


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--fault", "latency=0.5"], "argument --fault: expected KIND=PROBABILITY"),
        (["--fault", "500_before=2"], "the probability of 500_before must be a number from 0 to 1"),
        (["--fault", "500_before=often"], "the probability of 500_before must be a number"),
        (["--rate-limit", "-1"], "argument --rate-limit: must be a finite number at least 0"),
        (["--rate-period", "0"], "argument --rate-period: must be a finite number greater than 0"),
        (["--latency", "-0.5"], "argument --latency: must be a finite number at least 0"),
        (["--latency", "inf"], "argument --latency: must be a finite number at least 0"),
        (["--license-limit", "-3"], "argument --license-limit: must be a finite number"),
        (["--balance", "-1"], "argument --balance: must be a finite number at least 0"),
        (["--port", "70000"], "argument --port: must be a TCP port (0-65535)"),
    ],
)
def test_bad_values_are_usage_errors_naming_the_option(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        build_parser().parse_args(argv)
    assert caught.value.code == 2
    assert message in capsys.readouterr().err
