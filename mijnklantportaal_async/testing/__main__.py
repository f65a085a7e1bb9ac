"""``python -m mijnklantportaal_async.testing``: run a FakePortal until Ctrl-C (or SIGTERM).

The first two lines on stdout are ``MIJNKLANTPORTAAL_BASE_URL=<url>`` and
``MIJNKLANTPORTAAL_API_KEY=<key>`` (shell-assignable); a note goes to stderr. With both
exported, ``MijnKlantportaal()`` (no arguments) talks to this portal.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import math
import signal
import sys
from collections.abc import Sequence
from typing import Any

from mijnklantportaal_async.testing.faults import FaultConfig, FaultKind
from mijnklantportaal_async.testing.portal import FakePortal

__all__ = ["build_parser", "main"]


def _fault_rate(text: str) -> tuple[str, float]:
    """``KIND=P``: a fault kind other than latency (which has ``--latency``), P in 0..1."""
    kinds = ", ".join(k.value for k in FaultKind if k is not FaultKind.LATENCY)
    kind, sep, probability = text.partition("=")
    try:
        fault = FaultKind(kind)
        if not sep or fault is FaultKind.LATENCY:
            raise ValueError(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected KIND=PROBABILITY with KIND one of {kinds} (latency: use --latency)"
        ) from None
    try:
        value = float(probability)
        if not 0.0 <= value <= 1.0:
            raise ValueError(probability)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"the probability of {kind} must be a number from 0 to 1, got {probability!r}"
        ) from None
    return fault.value, value


def _number(kind: type[int] | type[float], minimum: float, *, strict: bool = False) -> Any:
    """An argparse ``type``: a ``kind`` number of at least ``minimum`` (above it if strict)."""

    def parse(text: str) -> int | float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
        if not math.isfinite(value) or value < minimum or (strict and value == minimum):
            bound = f"greater than {minimum:g}" if strict else f"at least {minimum:g}"
            raise argparse.ArgumentTypeError(f"must be a finite number {bound}, got {text}")
        return value

    return parse


def _port(text: str) -> int:
    port = _number(int, 0)(text)
    if port > 65535:
        raise argparse.ArgumentTypeError(f"must be a TCP port (0-65535), got {text}")
    return int(port)


def build_parser() -> argparse.ArgumentParser:
    """The command line options (all FakePortal settings have one). A bad value (a negative
    limit, a probability outside 0..1, ``latency`` as a ``--fault``) is a usage error naming
    the option, exit status 2, before anything starts."""
    parser = argparse.ArgumentParser(
        prog="python -m mijnklantportaal_async.testing",
        description="Serve a FakePortal (an embedded MijnKlantportaal API) until Ctrl-C.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=_port, default=0, help="port (0: a free one)")
    parser.add_argument("--api-key", help="bearer key to accept (default: random)")
    parser.add_argument(
        "--rate-limit",
        type=_number(int, 0),
        default=60,
        help="requests per period per key (0: off)",
    )
    parser.add_argument(
        "--rate-period", type=_number(float, 0, strict=True), default=60.0, help="seconds (rolling)"
    )
    parser.add_argument(
        "--license-limit",
        type=_number(int, 0),
        help="invoices and offers each per month (default: no limit)",
    )
    parser.add_argument(
        "--balance", type=_number(int, 0), help="agreement units (default: unlimited)"
    )
    parser.add_argument("--seed", type=int, default=0, help="seed for IDs and faults")
    parser.add_argument(
        "--fault",
        action="append",
        type=_fault_rate,
        default=[],
        metavar="KIND=P",
        help="inject a fault kind with probability P on every route (repeatable)",
    )
    parser.add_argument(
        "--latency", type=_number(float, 0), default=0.0, help="seconds added per request"
    )
    parser.add_argument("--keep-files", action="store_true", help="keep uploaded bytes in memory")
    return parser


async def _serve(args: argparse.Namespace) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(signum, stop.set)
    faults = FaultConfig(seed=args.seed, rates=dict(args.fault), latency=args.latency)
    async with FakePortal(
        host=args.host,
        port=args.port,
        api_key=args.api_key,
        rate_limit=args.rate_limit or None,
        rate_period=args.rate_period,
        license_limit=args.license_limit,
        balance=args.balance,
        faults=faults,
        seed=args.seed,
        keep_files=args.keep_files,
    ) as portal:
        print(f"MIJNKLANTPORTAAL_BASE_URL={portal.url}", flush=True)
        print(f"MIJNKLANTPORTAAL_API_KEY={portal.api_key}", flush=True)
        print("FakePortal is serving; press Ctrl-C to stop.", file=sys.stderr, flush=True)
        await stop.wait()


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv``, serve until interrupted; returns the exit status (0)."""
    args = build_parser().parse_args(argv)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
