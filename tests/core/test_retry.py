"""The pure retry decisions of ``_core/retry.py``: which failures are repeated, and how long
to wait.

Table-driven, no I/O: docs/architecture.md's "Exactly once" rules for every status class and
every kind of aiohttp exception, for reads and for writes; the capped full-jitter backoff;
Retry-After.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime
from email.utils import format_datetime

import aiohttp
import pytest
from aiohttp.client_reqrep import ConnectionKey

from mijnklantportaal_async._core.retry import (
    Outcome,
    backoff_delay,
    classify_exception,
    classify_status,
    is_write,
    never_sent,
    parse_retry_after,
)

READS = ["GET", "HEAD", "get"]
WRITES = ["POST", "PATCH", "PUT", "DELETE", "post"]
RA = {"Retry-After": "2"}
S, R, J, A = Outcome.SUCCESS, Outcome.RETRY, Outcome.REJECT, Outcome.AMBIGUOUS

# status, headers, outcome for a read, outcome for a write
STATUS_TABLE = [
    (200, {}, S, S),
    (201, {}, S, S),
    (204, {}, S, S),
    (301, {}, J, J),
    (302, {}, J, A),  # a write answered 302/303 was most likely processed (post/redirect/get)
    (303, {}, J, A),
    (304, {}, J, J),
    (307, {}, J, J),
    (308, {}, J, J),
    (400, {}, J, J),
    (401, {}, J, J),
    (402, {}, J, J),
    (403, {}, J, J),
    (404, {}, J, J),
    (408, {}, R, R),
    (409, {}, J, J),
    (422, {}, J, J),
    (426, {}, J, J),
    (429, {}, R, R),
    (429, RA, R, R),
    (500, {}, R, A),
    (500, RA, R, A),
    (501, {}, J, A),
    (502, {}, R, A),
    (503, {}, R, A),
    (503, RA, R, R),  # a server that says when to come back has not processed it
    (503, {"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}, R, R),
    (503, {"Retry-After": "soon"}, R, A),  # unreadable: as if absent
    (504, {}, R, A),
    (520, {}, J, A),
]


@pytest.mark.parametrize(("status", "headers", "read", "write"), STATUS_TABLE)
def test_classify_status_for_reads_and_writes(
    status: int, headers: dict[str, str], read: Outcome, write: Outcome
) -> None:
    for method in READS:
        assert classify_status(method, status, headers) is read, (method, status)
    for method in WRITES:
        assert classify_status(method, status, headers) is write, (method, status)


def test_is_write_treats_unknown_methods_as_writes() -> None:
    assert [is_write(m) for m in ("GET", "HEAD", "OPTIONS", "POST", "DELETE", "PURGE")] == [
        False,
        False,
        False,
        True,
        True,
        True,
    ]


_KEY = ConnectionKey("api.example", 443, True, True, None, None, None)


def _exceptions() -> list[tuple[str, BaseException, bool, Outcome, Outcome]]:
    """(label, exception, never sent?, outcome for a read, outcome for a write)."""
    refused = ConnectionRefusedError(111, "Connection refused")
    return [
        ("connector", aiohttp.ClientConnectorError(_KEY, refused), True, R, R),
        ("dns", aiohttp.ClientConnectorDNSError(_KEY, OSError(-2, "Name unknown")), True, R, R),
        ("tls handshake", aiohttp.ClientConnectorSSLError(_KEY, OSError(1, "eof")), True, R, R),
        (
            "proxy connect",
            aiohttp.ClientProxyConnectionError(_KEY, refused),
            True,
            R,
            R,
        ),
        ("connect timeout", aiohttp.ConnectionTimeoutError("connect"), True, R, R),
        (
            "certificate",
            aiohttp.ClientConnectorCertificateError(_KEY, ValueError("bad cert")),
            True,
            J,
            J,
        ),
        ("fingerprint", aiohttp.ServerFingerprintMismatch(b"a", b"b", "h", 443), True, J, J),
        ("read timeout", aiohttp.SocketTimeoutError("read"), False, R, A),
        ("server timeout", aiohttp.ServerTimeoutError("timeout"), False, R, A),
        ("total timeout", TimeoutError(), False, R, A),
        ("disconnected", aiohttp.ServerDisconnectedError(), False, R, A),
        ("reset", aiohttp.ClientConnectionResetError("reset"), False, R, A),
        ("os error", aiohttp.ClientOSError(104, "Connection reset by peer"), False, R, A),
        ("payload", aiohttp.ClientPayloadError("cut"), False, R, A),
        ("plain reset", ConnectionResetError(104, "reset"), False, R, A),
        ("bad url", aiohttp.InvalidURL("nope"), False, J, J),
        ("bug", KeyError("x"), False, J, J),
    ]


@pytest.mark.parametrize(
    ("label", "exc", "unsent", "read", "write"), _exceptions(), ids=[e[0] for e in _exceptions()]
)
def test_classify_exception(
    label: str, exc: BaseException, unsent: bool, read: Outcome, write: Outcome
) -> None:
    assert classify_exception("GET", exc, body_started=False) is read
    assert classify_exception("POST", exc, body_started=False) is write
    assert never_sent(exc) is unsent


def test_a_started_one_shot_body_makes_even_a_connect_error_ambiguous_for_a_write() -> None:
    exc = aiohttp.ClientConnectorError(_KEY, ConnectionRefusedError(111, "refused"))
    assert classify_exception("POST", exc, body_started=True) is Outcome.AMBIGUOUS
    assert classify_exception("GET", exc, body_started=True) is Outcome.RETRY


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Retry-After": "3"}, 3.0),
        ({"retry-after": "1.5"}, 1.5),
        ({"RETRY-AFTER": " 0 "}, 0.0),
        ({"Retry-After": "garbage"}, None),
        ({"Retry-After": ""}, None),
        ({"Retry-After": "-5"}, None),
        ({"Retry-After": "nan"}, None),
        ({"Retry-After": "inf"}, None),
        ({}, None),
    ],
)
def test_parse_retry_after_seconds(headers: dict[str, str], expected: float | None) -> None:
    assert parse_retry_after(headers) == expected


def test_parse_retry_after_http_date_counts_from_now() -> None:
    now = datetime(2024, 4, 29, 12, 0, 0, tzinfo=UTC).timestamp()
    later = format_datetime(datetime(2024, 4, 29, 12, 0, 42, tzinfo=UTC), usegmt=True)
    assert later == "Mon, 29 Apr 2024 12:00:42 GMT"
    assert parse_retry_after({"Retry-After": later}, now=now) == 42.0
    earlier = "Mon, 29 Apr 2024 11:00:00 GMT"
    assert parse_retry_after({"Retry-After": earlier}, now=now) == 0.0


def test_backoff_is_full_jitter_bounded_by_the_growing_ceiling_and_the_cap() -> None:
    rng = random.Random(1234)
    for attempt, ceiling in [(1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0), (7, 30.0), (40, 30.0)]:
        delays = [
            backoff_delay(attempt, base=0.5, cap=30.0, retry_after=None, rng=rng)
            for _ in range(300)
        ]
        assert all(0.0 <= d <= ceiling for d in delays), attempt
        assert max(delays) > ceiling * 0.9, attempt  # it really uses the whole range
        assert min(delays) < ceiling * 0.1, attempt  # full jitter: down to ~0


def test_backoff_grows_with_the_attempt_on_average() -> None:
    rng = random.Random(7)
    means = [
        sum(backoff_delay(a, base=1.0, cap=1000.0, retry_after=None, rng=rng) for _ in range(500))
        / 500
        for a in (1, 2, 3, 4)
    ]
    assert means == sorted(means)
    assert means[3] > 4 * means[0]


def test_backoff_is_deterministic_for_a_seeded_rng() -> None:
    a = [backoff_delay(3, base=0.5, cap=30, retry_after=None, rng=random.Random(5)) for _ in "xy"]
    assert a[0] == a[1]


def test_retry_after_wins_when_longer_even_past_the_cap() -> None:
    rng = random.Random(0)
    assert backoff_delay(1, base=0.5, cap=30.0, retry_after=7.0, rng=rng) == 7.0
    assert backoff_delay(1, base=0.5, cap=2.0, retry_after=45.0, rng=rng) == 45.0
    short = backoff_delay(5, base=10.0, cap=30.0, retry_after=0.001, rng=random.Random(3))
    assert 0.001 <= short <= 30.0


def test_backoff_refuses_attempt_zero() -> None:
    with pytest.raises(ValueError, match="attempt"):
        backoff_delay(0, base=0.5, cap=30.0, retry_after=None, rng=random.Random(0))
