"""The bulk engine (``bulk/engine.py`` through ``create_many`` / ``iter_create_many``) against
an in-memory fake server with a scripted fault plan (``fake_server.py``): the exactly-once
verdicts per failure class, duplicate refusal, natural-key matching, ordering and concurrency.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator
from typing import Any

import attrs
import pytest

from mijnklantportaal_async.bulk import (
    DuplicateItemError,
    ItemStatus,
)
from mijnklantportaal_async.errors import (
    AmbiguousWriteError,
    APIConnectionError,
    APIStatusError,
    LicenseLimitError,
    UnprocessableEntityError,
)

from .fake_server import (
    FakeServer,
    Inv,
    Stored,
    create_many,
    invoice_number,
    invoices,
    iter_create_many,
    kind_for,
    no_sleep,
)


async def test_report_is_in_input_order_with_one_result_per_input() -> None:
    # Faults make items finish out of order; the report still follows the input.
    server = FakeServer({"2024-0000": ["lost"], "2024-0002": ["unsent"]})
    report = await create_many(kind_for(server), invoices(6), concurrency=3, sleep=no_sleep([]))
    assert [r.index for r in report.results] == list(range(6))
    assert [r.key for r in report.results] == [{"invoice_number": i.number} for i in invoices(6)]
    assert report.created == 6
    assert report.ok
    assert report.counts == {
        "created": 6,
        "adopted": 0,
        "skipped": 0,
        "exists": 0,
        "failed": 0,
        "conflict": 0,
        "changed": 0,
    }
    assert all(r.id == r.object.id for r in report.results if r.object is not None)
    assert report.elapsed >= 0


async def test_failed_items_are_reported_with_their_typed_error_and_never_stop_others() -> None:
    server = FakeServer({"2024-0001": ["reject"], "2024-0003": ["boom"], "2024-0004": ["426"]})
    report = await create_many(kind_for(server), invoices(6), concurrency=2)
    assert report.failed == 3
    assert report.created == 3
    assert not report.ok
    by_index = {r.index: r for r in report.results}
    assert isinstance(by_index[1].error, UnprocessableEntityError)
    assert isinstance(by_index[3].error, RuntimeError)
    assert isinstance(by_index[4].error, LicenseLimitError)
    assert [r.index for r in report.failures] == [1, 3, 4]
    assert sorted(server.numbers()) == ["2024-0000", "2024-0002", "2024-0005"]


@pytest.mark.parametrize("fault", ["reject", "426", "invalid"])
async def test_rejected_item_fails_after_one_attempt_and_is_never_retried(fault: str) -> None:
    server = FakeServer({"2024-0000": [fault]})
    report = await create_many(kind_for(server), invoices(1))
    (result,) = report.results
    assert result.status is ItemStatus.FAILED
    assert result.attempts == 1
    assert server.calls["2024-0000"] == 1
    assert server.scans == 0


@pytest.mark.parametrize("fault", ["stored-lost", "500-stored"])
async def test_ambiguous_failure_of_a_stored_object_is_adopted_not_duplicated(fault: str) -> None:
    server = FakeServer({"2024-0001": [fault]})
    report = await create_many(kind_for(server), invoices(3))
    result = report.results[1]
    assert result.status is ItemStatus.ADOPTED
    assert result.attempts == 1
    assert result.object is not None
    assert result.id == result.object.id
    assert server.numbers()["2024-0001"] == 1
    assert server.calls["2024-0001"] == 1
    assert report.adopted == 1
    assert report.created == 2


@pytest.mark.parametrize("fault", ["lost", "timeout"])
async def test_ambiguous_failure_of_a_lost_request_is_created_once_after_a_lookup(
    fault: str,
) -> None:
    server = FakeServer({"2024-0000": [fault]})
    report = await create_many(kind_for(server), invoices(1))
    (result,) = report.results
    assert result.status is ItemStatus.CREATED
    assert result.attempts == 2
    assert server.scans == 2  # the look-up, and the verification at the end of the run
    assert report.duplicates == ()
    assert server.numbers() == {"2024-0000": 1}


async def test_ambiguous_every_time_fails_after_max_attempts_with_the_last_error() -> None:
    server = FakeServer({"2024-0000": ["lost", "lost", "lost"]})
    report = await create_many(kind_for(server), invoices(1), max_attempts=3)
    (result,) = report.results
    assert result.status is ItemStatus.FAILED
    assert result.attempts == 3
    assert isinstance(result.error, AmbiguousWriteError)
    assert server.scans == 4  # a look-up after each ambiguous attempt, and the verification
    assert not server.store


@pytest.mark.parametrize("fault", ["unsent", "408", "429", "503"])
async def test_not_processed_failure_is_retried_after_a_backoff_without_lookup(fault: str) -> None:
    delays: list[float] = []
    server = FakeServer({"2024-0000": [fault, fault]})
    report = await create_many(
        kind_for(server), invoices(1), sleep=no_sleep(delays), retry_base=0.5
    )
    (result,) = report.results
    assert result.status is ItemStatus.CREATED
    assert result.attempts == 3
    assert server.scans == 0
    assert server.numbers() == {"2024-0000": 1}
    assert delays == ([7.0, 7.0] if fault == "429" else [0.5, 1.0])  # Retry-After wins


async def test_a_408_on_every_attempt_fails_after_max_attempts_without_a_lookup() -> None:
    server = FakeServer({"2024-0000": ["408"] * 3})
    report = await create_many(kind_for(server), invoices(1), sleep=no_sleep([]))
    (result,) = report.results
    assert result.status is ItemStatus.FAILED
    assert result.attempts == 3
    assert isinstance(result.error, APIStatusError)
    assert result.error.status == 408
    assert server.scans == 0


async def test_rejection_after_an_ambiguous_attempt_adopts_what_that_attempt_stored() -> None:
    # Attempt 1 is lost and the scan misses it (stored later); attempt 2 is told "taken".
    server = FakeServer({"2024-0000": ["lost", "taken"]})
    report = await create_many(kind_for(server), invoices(1))
    assert report.results[0].status is ItemStatus.ADOPTED
    assert report.results[0].attempts == 2
    assert server.numbers() == {"2024-0000": 1}


async def test_a_plain_rejection_is_not_looked_up() -> None:
    # Only a rejection after an ambiguous attempt may mean "your earlier attempt stored it".
    server = FakeServer({"2024-0000": ["taken"]})
    report = await create_many(kind_for(server), invoices(1))
    assert report.results[0].status is ItemStatus.FAILED
    assert isinstance(report.results[0].error, UnprocessableEntityError)
    assert server.scans == 0


async def test_duplicate_natural_keys_in_one_run_fail_the_later_item() -> None:
    server = FakeServer()
    items = [Inv("A"), Inv("B"), Inv("A")]
    report = await create_many(kind_for(server), items)
    dup = report.results[2]
    assert dup.status is ItemStatus.FAILED
    assert dup.attempts == 0
    assert isinstance(dup.error, DuplicateItemError)
    assert (dup.error.first_index, dup.error.index) == (0, 2)
    assert "input 2" in str(dup.error)
    assert "input 0" in str(dup.error)
    assert server.numbers() == {"A": 1, "B": 1}


async def test_a_duplicate_names_the_first_input_with_its_key_among_thousands() -> None:
    server = FakeServer()
    items = [*invoices(3_000), Inv("2024-0007"), Inv("2024-2999"), Inv("2024-0000")]
    report = await create_many(kind_for(server), items, concurrency=8)
    assert report.created == 3_000
    errors = [r.error for r in report.failures]
    assert all(isinstance(error, DuplicateItemError) for error in errors)
    firsts = [(e.first_index, e.index) for e in errors if isinstance(e, DuplicateItemError)]
    assert firsts == [(7, 3_000), (2_999, 3_001), (0, 3_002)]


async def test_duplicates_are_found_after_normalisation() -> None:
    server = FakeServer()
    kind = attrs.evolve(kind_for(server), natural_key=invoice_number(lower=True))
    report = await create_many(kind, [Inv("ab-1"), Inv(" AB-1 ")])
    assert isinstance(report.results[1].error, DuplicateItemError)
    assert report.results[1].key == {"invoice_number": " AB-1 "}  # as given
    assert server.numbers() == {"ab-1": 1}


async def test_lookups_match_keys_after_the_kinds_normalisation() -> None:
    # The server stores keys lower-cased and stripped; the request has them raw.
    server = FakeServer({"bulk@example.com": ["stored-lost"]})

    async def create(request: Inv) -> Stored:
        return await server.create(Inv(request.number.strip().lower()))

    kind = attrs.evolve(kind_for(server), create=create, natural_key=invoice_number(lower=True))
    report = await create_many(kind, [Inv(" Bulk@Example.COM")])
    assert report.results[0].status is ItemStatus.ADOPTED
    assert report.results[0].key == {"invoice_number": " Bulk@Example.COM"}  # as given
    assert len(server.store) == 1


async def test_an_item_refused_by_check_item_fails_unsent_and_the_others_go_on() -> None:
    server = FakeServer()

    def check_item(item: Inv) -> None:
        if item.number == "B":
            raise TypeError("items: takes an Inv, got a B")

    kind = attrs.evolve(kind_for(server), check_item=check_item)
    report = await create_many(kind, [Inv("A"), Inv("B"), Inv("C")])
    refused = report.results[1]
    assert refused.status is ItemStatus.FAILED
    assert isinstance(refused.error, TypeError)
    assert (refused.key, refused.attempts) == ({}, 0)
    assert server.numbers() == {"A": 1, "C": 1}
    assert server.calls["B"] == 0


async def test_an_item_whose_natural_key_cannot_be_read_fails_unsent() -> None:
    server = FakeServer()
    items: list[Any] = [Inv("A"), object(), Inv("C")]  # the middle one has no number
    report = await create_many(kind_for(server), items)
    assert report.results[1].status is ItemStatus.FAILED
    assert isinstance(report.results[1].error, AttributeError)
    assert server.numbers() == {"A": 1, "C": 1}


async def test_an_empty_input_gives_an_empty_report() -> None:
    report = await create_many(kind_for(FakeServer()), [])
    assert report.results == ()
    assert report.ok


async def test_concurrency_never_exceeds_the_limit() -> None:
    server = FakeServer()
    report = await create_many(kind_for(server), invoices(40), concurrency=5)
    assert report.created == 40
    assert server.max_in_flight == 5


async def test_without_a_concurrency_the_run_starts_at_4_and_grows_to_fill_the_rate_limit() -> None:
    server = FakeServer()
    asked: list[int] = []

    def in_flight_to_fill() -> int:  # what the client's limiter says the round trip needs
        asked.append(len(asked))
        return 10

    kind = attrs.evolve(kind_for(server), in_flight_to_fill=in_flight_to_fill)
    report = await create_many(kind, invoices(60))
    assert report.created == 60
    assert server.max_in_flight == 10
    assert asked  # read as results came in


@pytest.mark.parametrize(("fill", "expected"), [(None, 4), (2, 4), (1000, 32)])
async def test_the_automatic_concurrency_keeps_4_at_least_and_32_at_most(
    fill: int | None, expected: int
) -> None:
    server = FakeServer()
    kind = attrs.evolve(kind_for(server), in_flight_to_fill=lambda: fill)
    report = await create_many(kind, invoices(100))
    assert report.created == 100
    assert server.max_in_flight == expected


async def test_an_explicit_concurrency_wins_over_what_fills_the_rate_limit() -> None:
    server = FakeServer()
    kind = attrs.evolve(kind_for(server), in_flight_to_fill=lambda: 10)
    await create_many(kind, invoices(40), concurrency=3)
    assert server.max_in_flight == 3


async def test_on_result_is_called_once_per_result_as_it_completes() -> None:
    server = FakeServer({"2024-0002": ["reject"]})
    seen: list[int] = []
    report = await create_many(
        kind_for(server), invoices(5), on_result=lambda r: seen.append(r.index)
    )
    assert sorted(seen) == list(range(5))
    assert len(report.results) == 5


async def test_async_iterable_input_is_accepted() -> None:
    async def items() -> AsyncIterator[Inv]:
        for item in invoices(4):
            yield item

    report = await create_many(kind_for(FakeServer()), items(), concurrency=2)
    assert report.created == 4


async def test_iter_create_many_yields_results_as_they_complete() -> None:
    server = FakeServer()
    server.gate = asyncio.Event()
    server.wanted_in_flight = 3
    async with contextlib.aclosing(iter_create_many(kind_for(server), invoices(3))) as stream:
        first = asyncio.ensure_future(anext(stream))
        await server.entered.wait()
        assert not first.done()  # all three in flight, none complete yet
        server.gate.set()
        results = [await first] + [r async for r in stream]
    assert sorted(r.index for r in results) == [0, 1, 2]


async def test_an_error_raised_by_the_input_ends_the_run_after_started_items_finish() -> None:
    def items() -> Iterator[Inv]:
        yield Inv("A")
        raise OSError("the CSV file vanished")

    server = FakeServer()
    seen: list[int] = []
    with pytest.raises(OSError, match="vanished"):
        await create_many(kind_for(server), items(), on_result=lambda r: seen.append(r.index))
    assert seen == [0]
    assert server.numbers() == {"A": 1}


async def test_a_failed_lookup_fails_the_item_as_ambiguous() -> None:
    server = FakeServer({"A": ["lost"]})

    async def broken_scan() -> AsyncIterator[Stored]:
        raise APIConnectionError("list failed", sent=False)
        yield  # pragma: no cover

    kind = attrs.evolve(kind_for(server), scan=broken_scan)
    report = await create_many(kind, [Inv("A")])
    (result,) = report.results
    assert result.status is ItemStatus.FAILED
    assert result.attempts == 1
    assert isinstance(result.error, AmbiguousWriteError)
    assert isinstance(result.error.cause, APIConnectionError)


async def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="concurrency"):
        await create_many(kind_for(FakeServer()), [], concurrency=0)
