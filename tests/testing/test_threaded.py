"""``serve_in_thread``: a FakePortal that answers synchronous tests, whatever loop calls it."""

from __future__ import annotations

import asyncio
import threading

from model_examples import customer

from mijnklantportaal_async import CustomerCreate
from mijnklantportaal_async.testing import FakePortal, serve_in_thread


async def create_one(portal: FakePortal, name: str) -> str:
    async with portal.client() as mkp:
        created = await mkp.customers.create(CustomerCreate(**customer(company_name=name)))
        return created.id


def test_a_synchronous_test_talks_to_it_from_new_event_loops() -> None:
    with serve_in_thread(rate_limit=None) as portal:
        first = asyncio.run(create_one(portal, "First BV"))
        second = asyncio.run(create_one(portal, "Second BV"))  # another loop, same portal
        assert list(portal.customers) == [first, second]
        assert portal.customers[second]["companyName"] == "Second BV"


def test_it_answers_a_client_running_in_yet_another_thread() -> None:
    results: list[str] = []
    with serve_in_thread(rate_limit=None) as portal:
        worker = threading.Thread(
            target=lambda: results.append(asyncio.run(create_one(portal, "Threaded BV")))
        )
        worker.start()
        worker.join(30)
        assert results == list(portal.customers)


def test_it_stops_serving_on_exit_and_its_thread_ends() -> None:
    before = {thread.name for thread in threading.enumerate()}
    with serve_in_thread() as portal:
        assert "FakePortal" in {thread.name for thread in threading.enumerate()}
    assert {thread.name for thread in threading.enumerate()} == before
    assert portal.requests == ()
