"""``mkp.customers.update``: a PATCH that sends only what the caller set (edit-customer)."""

from __future__ import annotations

import pytest
from model_examples import customer

from mijnklantportaal_async import (
    UNSET,
    CustomerCreate,
    CustomerUpdate,
    MijnKlantportaal,
    NotFoundError,
    RequestValidationError,
    UnprocessableEntityError,
)
from mijnklantportaal_async.testing import FakePortal

pytestmark = pytest.mark.fake_portal(rate_limit=None)


async def test_an_update_changes_what_a_later_get_returns(
    fake_portal: FakePortal, mkp: MijnKlantportaal
) -> None:
    created = await mkp.customers.create(CustomerCreate(**customer()))

    updated = await mkp.customers.update(created.id, CustomerUpdate(city="Utrecht"))

    assert updated.city == "Utrecht"
    assert (await mkp.customers.get(created.id)).city == "Utrecht"
    assert updated.company_name == created.company_name  # what was not sent is kept
    patch = fake_portal.requests[-2]
    assert (patch.method, patch.path) == ("PATCH", f"/v1/customers/{created.id}")
    assert patch.body == {"city": "Utrecht"}


async def test_only_the_fields_set_are_sent(fake_portal: FakePortal, mkp: MijnKlantportaal) -> None:
    created = await mkp.customers.create(CustomerCreate(**customer()))

    await mkp.customers.update(
        created.id, CustomerUpdate(address="Nieuwe Gracht 1", city=UNSET, country_code="BE")
    )

    assert fake_portal.requests[-1].body == {"address": "Nieuwe Gracht 1", "countryCode": "BE"}


async def test_an_empty_update_is_refused_before_anything_is_sent(
    fake_portal: FakePortal, mkp: MijnKlantportaal
) -> None:
    with pytest.raises(RequestValidationError, match="at least one field"):
        await mkp.customers.update("cst_abc12345def678", CustomerUpdate())
    assert fake_portal.requests == ()


async def test_an_unknown_customer_is_not_found(mkp: MijnKlantportaal) -> None:
    with pytest.raises(NotFoundError):
        await mkp.customers.update("cst_unknown0000000", CustomerUpdate(city="Utrecht"))


async def test_the_portal_checks_each_field_as_on_create(
    fake_portal: FakePortal, mkp: MijnKlantportaal
) -> None:
    created = await mkp.customers.create(CustomerCreate(**customer()))

    with pytest.raises(UnprocessableEntityError) as info:
        await mkp.customers.update(created.id, CustomerUpdate(company_name="x" * 256))

    assert "companyName" in info.value.errors
    assert fake_portal.customers[created.id]["companyName"] == created.company_name
