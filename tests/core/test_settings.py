"""The client's settings are checked when they are made, with an error naming the parameter.

Before, ``rate_limit=60`` silently turned the limiter off, ``retry=3`` failed with an
AttributeError on the first retry, ``Timeouts(read="5")`` with a TypeError from a
comparison and ``RetryPolicy(max_retries=1.5)`` was accepted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from mijnklantportaal_async import MijnKlantportaal, RetryPolicy, Timeouts


def wrong(value: object) -> Any:
    """A value of the wrong type, passed as the type checker would not allow."""
    return value


KEY = "live-key-8d2f61c0a9e3"

BAD_SETTINGS: list[tuple[Callable[[], Any], type[Exception], str]] = [
    (lambda: Timeouts(read=wrong("5")), TypeError, r"^Timeouts\.read must be a number of seconds"),
    (lambda: Timeouts(connect=wrong(None)), TypeError, r"^Timeouts\.connect .* got NoneType$"),
    (lambda: Timeouts(total=True), TypeError, r"^Timeouts\.total .* got bool$"),
    (lambda: Timeouts(read=float("inf")), ValueError, r"^Timeouts\.read must be a finite"),
    (lambda: Timeouts(read=0), ValueError, r"^Timeouts\.read must be > 0 seconds, got 0$"),
    (
        lambda: RetryPolicy(max_retries=wrong(None)),
        TypeError,
        r"^RetryPolicy\.max_retries .* NoneType",
    ),
    (
        lambda: RetryPolicy(max_retries=wrong(1.5)),
        TypeError,
        r"^RetryPolicy\.max_retries .* float$",
    ),
    (lambda: RetryPolicy(max_retries=-1), ValueError, r"^RetryPolicy\.max_retries must be >= 0"),
    (lambda: RetryPolicy(backoff_cap=wrong("30")), TypeError, r"^RetryPolicy\.backoff_cap .* str$"),
    (lambda: RetryPolicy(backoff_base=float("nan")), ValueError, r"backoff_base .* finite"),
]


@pytest.mark.parametrize(("build", "error", "message"), BAD_SETTINGS)
def test_a_bad_setting_is_refused_naming_it(
    build: Callable[[], Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        build()


def test_whole_and_fractional_seconds_are_both_accepted() -> None:
    assert Timeouts(connect=5, read=0.5, total=600).read == 0.5
    assert RetryPolicy(max_retries=0, backoff_base=0, backoff_cap=1).max_retries == 0


BAD_CLIENT_ARGS: list[tuple[dict[str, Any], str]] = [
    ({"rate_limit": 60}, r"^rate_limit must be a RateLimit\(limit=\.\.\., period=\.\.\.\), "),
    ({"retry": 3}, r"^retry must be a RetryPolicy\(max_retries=\.\.\.\), got int$"),
    ({"timeouts": 5}, r"^timeouts must be a Timeouts\(connect=\.\.\., read=\.\.\.\), got int$"),
    ({"session": "x"}, r"^session must be an aiohttp\.ClientSession, got str$"),
    ({"sandbox": "yes"}, r"^sandbox must be a bool, got str$"),
    ({"api_key": 123}, r"^api_key must be a str, got int$"),
    ({"api_key": b"live-key-8d2f61c0a9e3"}, r"^api_key must be a str, got bytes$"),
]


@pytest.mark.parametrize(("changes", "message"), BAD_CLIENT_ARGS)
def test_the_client_refuses_a_setting_of_the_wrong_type(
    changes: dict[str, Any], message: str
) -> None:
    with pytest.raises(TypeError, match=message) as info:
        MijnKlantportaal(**({"api_key": KEY} | changes))
    assert KEY not in str(info.value)
