"""FakePortal handlers for the Customers API: create-, list-, get- and edit-customer.

Docs: /api-reference/customers-api/{create-customer,list-customers,get-customer}; the seed page
of create-customer gives the request rules and the response shape.
"""

from __future__ import annotations

from typing import Any

from mijnklantportaal_async.testing.handlers._common import (
    Call,
    Handler,
    Reply,
    paginate,
    stored,
)
from mijnklantportaal_async.testing.state import atom
from mijnklantportaal_async.testing.validation import Validator
from mijnklantportaal_async.testing.webhooks import deliver

__all__ = ["HANDLERS", "create_customer", "edit_customer", "get_customer", "list_customers"]


async def create_customer(call: Call) -> Reply:
    """POST /customers (create-customer), JSON: companyName, address, zipCode, city and
    primaryEmail required; countryCode optional ISO alpha-2, NL when absent. 201 + Customer."""
    body = await call.body()
    check = Validator(body.data)
    company_name = check.string("companyName", required=True)
    address = check.string("address", required=True)
    zip_code = check.string("zipCode", required=True)
    city = check.string("city", required=True)
    primary_email = check.email("primaryEmail", required=True)
    country_code = check.country_code("countryCode")
    check.check()
    state = call.state
    customer: dict[str, Any] = {
        "id": state.store.new_id("customers"),
        "companyName": company_name,
        "address": address,
        "zipCode": zip_code,
        "city": city,
        "countryCode": country_code or "NL",
        "primaryEmail": primary_email,
        "phone": None,
        "integration": None,
        "integrationId": None,
        "customerGroups": [],
        "createdAt": atom(state.now()),
    }
    state.store.add("customers", customer)
    deliver(state, "customer-created", customer)
    return Reply(201, customer, stored_id=customer["id"])


_EDITABLE = ("companyName", "address", "zipCode", "city", "primaryEmail", "countryCode")


async def edit_customer(call: Call) -> Reply:
    """PATCH /customers/{customerId} (edit-customer), JSON: any of the create fields, at least
    one; each given field validated as on create. 200 + the changed Customer, 404, 422."""
    customer = stored(call, "customers", "customerId", "Customer")
    body = await call.body()
    check = Validator(body.data)
    changes = {
        "companyName": check.string("companyName"),
        "address": check.string("address"),
        "zipCode": check.string("zipCode"),
        "city": check.string("city"),
        "primaryEmail": check.email("primaryEmail"),
        "countryCode": check.country_code("countryCode"),
    }
    given = {field: value for field, value in changes.items() if value is not None}
    if not given and not check.errors:
        check.fail("companyName", f"At least one of {', '.join(_EDITABLE)} is required.")
    check.check()
    customer.update(given)
    return Reply(200, customer)


async def list_customers(call: Call) -> Reply:
    """GET /customers (list-customers): the paginated customers, oldest first."""
    state = call.state
    return Reply(200, paginate(state, "/customers", state.store.all("customers"), call))


async def get_customer(call: Call) -> Reply:
    """GET /customers/{customerId} (get-customer): the Customer, or 404."""
    customer = stored(call, "customers", "customerId", "Customer")
    return Reply(200, customer)


HANDLERS: dict[str, Handler] = {
    "create-customer": create_customer,
    "list-customers": list_customers,
    "get-customer": get_customer,
    "edit-customer": edit_customer,
}
"""This module's handlers by operationId (``testing/routes.py`` joins them to the table)."""
