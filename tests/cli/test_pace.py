"""The import's rate and ETA under a rolling-window rate limit (``cli.output.Pace``), on a fake
clock: a run of 200 creates at 60 per 60 s answers in bursts of 60 a minute apart, and the
rate and ETA must say 60/min and minutes, also during the waits."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from mijnklantportaal_async.cli.output import Display, Outcome, Pace


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def burst(pace: Pace, clock: Clock, count: int, *, at: float, every: float = 0.01) -> None:
    """``count`` answers from ``at`` on, ``every`` seconds apart (a fast portal)."""
    for n in range(count):
        clock.now = at + n * every
        pace.answered()


def test_a_burst_of_60_is_60_a_minute_and_the_eta_counts_the_waits() -> None:
    clock = Clock()
    pace = Pace(60, 60.0, clock=clock)
    burst(pace, clock, 60, at=0.0)  # 60 answers within 0.6 s, as QA saw
    assert pace.rate() == pytest.approx(60.0)  # not 6,000/min
    eta = pace.eta(140)
    assert eta is not None
    assert eta == pytest.approx(180.0, abs=1.0)  # slots free at 60, 120 and 180 s
    clock.now = 30.0  # waiting for the window: nothing answered for 29 s
    assert pace.rate() == pytest.approx(60.0)
    assert pace.eta(140) == pytest.approx(150.0, abs=1.0)  # counts down, never frozen


def test_the_eta_follows_the_run_to_its_end() -> None:
    clock = Clock()
    pace = Pace(60, 60.0, clock=clock)
    for minute in range(3):  # 200 creates: 60 at 0.5 s, 60 at 60.5, 60 at 120.5, 20 at 180.5
        burst(pace, clock, 60, at=60.0 * minute + 0.5)
        for wait in (0.0, 30.0):
            clock.now += wait
            eta = pace.eta(200 - 60 * (minute + 1))
            assert eta is not None
            assert clock.now + eta == pytest.approx(180.5 + 0.19, abs=0.5)  # the true end
    burst(pace, clock, 20, at=180.5)
    assert pace.eta(0) == 0.0


def test_before_any_answer_the_eta_is_the_limits_schedule() -> None:
    pace = Pace(60, 60.0, clock=Clock())
    assert pace.rate() is None
    assert pace.eta(1000) == pytest.approx(16 * 60.0)  # 1,000 creates: about 17 minutes
    assert pace.eta(60) == 0.0  # one window's worth goes at once


def test_a_portal_slower_than_the_limit_sets_the_pace() -> None:
    clock = Clock()
    pace = Pace(60, 60.0, clock=clock)
    for n in range(1, 13):  # one answer every 5 s: 12 a minute
        clock.now = 5.0 * n
        pace.answered()
    assert pace.rate() == pytest.approx(12.0)
    assert pace.eta(24) == pytest.approx(120.0)


def test_without_a_limit_the_rate_is_measured_over_a_minute() -> None:
    clock = Clock()
    pace = Pace(clock=clock)
    assert pace.eta(10) is None
    burst(pace, clock, 100, at=1.0, every=0.1)  # 100 answers in 10 s
    rate = pace.rate()
    assert rate == pytest.approx(100 / clock.now * 60)
    clock.now = 120.0  # nothing for longer than the window
    assert pace.rate() is None


def test_retried_requests_count_as_answers() -> None:
    clock = Clock()
    pace = Pace(10, 60.0, clock=clock)
    clock.now = 1.0
    pace.answered(3)  # one item that took three attempts
    assert pace.eta(8) == pytest.approx(60.0 + 1.0 - 1.0)  # 7 slots left, the 8th at 61 s


def test_the_live_bar_shows_the_paced_rate_and_labelled_times() -> None:
    clock = Clock()
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=150, color_system=None)
    display = Display(console, pace=Pace(60, 60.0, clock=clock))
    with display.track("invoices.csv", 200) as show:
        for n in range(60):
            clock.now = n * 0.01
            show(Outcome("invoices.csv", n + 2, f"invoice_number={n}", "created", "inv_1", "", 1))
    final = buffer.getvalue().rsplit("invoices.csv", 1)[-1]  # the last redraw of the bar
    assert "60/200" in final
    assert "60/min" in final
    assert "elapsed 0:00:0" in final
    assert "ETA 0:03:00" in final  # 140 left: the windows at 60, 120 and 180 s
