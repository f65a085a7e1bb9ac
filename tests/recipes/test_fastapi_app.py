"""The FastAPI recipe (examples/fastapi_app.py) against a FakePortal over loopback HTTP: with
FastAPI's synchronous ``TestClient`` (the portal served from its own thread) and with
``httpx.AsyncClient`` against the app served by uvicorn in the test's loop."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from examples.fastapi_app import create_app
from mijnklantportaal_async import ClientClosedError
from mijnklantportaal_async.testing import FakePortal, serve_in_thread

from .servers import uvicorn_serving

NEW = {
    "company_name": "Recipe BV",
    "address": "Kade 1",
    "zip_code": "1011AA",
    "city": "Amsterdam",
    "email": "recipe@example.com",
}


def test_testclient_registers_and_reads_a_customer() -> None:
    # TestClient runs the app on a loop of its own: the portal must answer from another
    # thread, and the client is made in the lifespan, in the app's loop.
    with (
        serve_in_thread() as fake,
        TestClient(create_app(api_key=fake.api_key, base_url=fake.url)) as client,
    ):
        created = client.post("/customers", json=NEW)
        assert created.status_code == 201, created.text
        customer_id = created.json()["id"]
        assert fake.customers[customer_id]["primaryEmail"] == "recipe@example.com"

        read = client.get(f"/customers/{customer_id}")
        assert read.json() == {
            "id": customer_id,
            "company_name": "Recipe BV",
            "email": "recipe@example.com",
        }
        assert client.get("/customers/cst_doesnotexist").status_code == 404


def test_testclient_maps_library_errors_to_http_answers() -> None:
    with (
        serve_in_thread() as fake,
        TestClient(create_app(api_key=fake.api_key, base_url=fake.url)) as client,
    ):
        refused = client.post("/customers", json={**NEW, "email": "not-an-email"})
        assert refused.status_code == 422
        assert refused.json()["field"] == "primary_email"
        assert not fake.requests  # refused before anything was sent
    with (
        serve_in_thread() as fake,
        TestClient(create_app(api_key="wrong", base_url=fake.url)) as client,
    ):
        assert client.post("/customers", json=NEW).status_code == 502


async def test_async_client_over_http_shares_one_client() -> None:
    async with FakePortal() as fake:
        app = create_app(api_key=fake.api_key, base_url=fake.url)
        async with uvicorn_serving(app) as url, httpx.AsyncClient(base_url=url) as http:
            answers = [
                await http.post("/customers", json={**NEW, "email": f"r{n}@example.com"})
                for n in range(3)
            ]
            assert [a.status_code for a in answers] == [201, 201, 201]
            ids = {a.json()["id"] for a in answers}
            assert ids == set(fake.customers)
        # the lifespan closed the client when the server stopped
        with pytest.raises(ClientClosedError):
            await app.state.mkp.customers.get(next(iter(ids)))


def test_the_docs_testclient_example_passes() -> None:
    text = (Path(__file__).resolve().parents[2] / "docs" / "services.md").read_text("utf-8")
    [source] = re.findall(r"```python\n# file: test_app.py\n(.*?)```", text, re.DOTALL)
    namespace: dict[str, Any] = {}
    exec(compile(source, "docs/services.md test_app.py", "exec"), namespace)  # noqa: S102
    namespace["test_register_a_customer"]()
