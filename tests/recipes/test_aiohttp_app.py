"""The aiohttp.web recipe (examples/aiohttp_app.py), served on loopback by aiohttp's own test
server, against a FakePortal in the same loop."""

from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient, TestServer

from examples.aiohttp_app import MKP, create_app
from mijnklantportaal_async import ClientClosedError
from mijnklantportaal_async.testing import FakePortal

NEW = {
    "company_name": "Recipe BV",
    "address": "Kade 1",
    "zip_code": "1011AA",
    "city": "Amsterdam",
    "email": "recipe@example.com",
}


async def test_the_app_registers_and_reads_customers_with_one_client() -> None:
    async with FakePortal() as fake:
        app = create_app(api_key=fake.api_key, base_url=fake.url)
        async with TestClient(TestServer(app)) as http:
            created = await http.post("/customers", json=NEW)
            assert created.status == 201, await created.text()
            customer_id = (await created.json())["id"]
            assert fake.customers[customer_id]["companyName"] == "Recipe BV"

            read = await http.get(f"/customers/{customer_id}")
            assert await read.json() == {"id": customer_id, "company_name": "Recipe BV"}
            assert (await http.get("/customers/cst_doesnotexist")).status == 404

            refused = await http.post("/customers", json={**NEW, "zip_code": ""})
            assert refused.status == 422
            assert (await refused.json())["field"] == "zip_code"
            assert len(fake.customers) == 1
        # cleanup_ctx closed the client with the app
        with pytest.raises(ClientClosedError):
            await app[MKP].customers.get(customer_id)
