"""``mkp.customer_groups``: what each call changes on the portal, through the public client.

Membership lives on the customers (``Customer.customer_groups``, ``cug_`` IDs); create and
add-customers put customers in a group and silently skip IDs the portal does not know.
"""

from __future__ import annotations

from typing import Any

import pytest
from model_examples import customer

from mijnklantportaal_async import (
    AmbiguousWriteError,
    CustomerCreate,
    CustomerGroupCreate,
    CustomerGroupUpdate,
    MijnKlantportaal,
    NotFoundError,
    RequestValidationError,
    UnprocessableEntityError,
)
from mijnklantportaal_async.bulk import ItemStatus
from mijnklantportaal_async.testing import FakePortal

pytestmark = pytest.mark.fake_portal(rate_limit=None)

UNKNOWN_CUSTOMER = "cst_unknown0000000"


async def customers(mkp: MijnKlantportaal, count: int) -> list[str]:
    made = []
    for n in range(count):
        created = await mkp.customers.create(
            CustomerCreate(**customer(company_name=f"Klant {n} BV", primary_email=f"k{n}@x.nl"))
        )
        made.append(created.id)
    return made


async def test_create_puts_the_known_customers_in_the_group_and_skips_unknown_ids(
    fake_portal: FakePortal, mkp: MijnKlantportaal
) -> None:
    first, second, outside = await customers(mkp, 3)

    group = await mkp.customer_groups.create(
        CustomerGroupCreate(name=" Hosting ", customers=[first, UNKNOWN_CUSTOMER, second])
    )

    assert group.id.startswith("cug_")
    assert group.name == "Hosting"  # stripped before sending
    assert fake_portal.requests[-1].body == {
        "name": "Hosting",
        "customers": [first, UNKNOWN_CUSTOMER, second],
    }
    assert (await mkp.customers.get(first)).customer_groups == (group.id,)
    assert (await mkp.customers.get(second)).customer_groups == (group.id,)
    assert (await mkp.customers.get(outside)).customer_groups == ()
    assert await mkp.customer_groups.get(group.id) == group


async def test_a_group_made_without_customers_sends_no_customers_field(
    fake_portal: FakePortal, mkp: MijnKlantportaal
) -> None:
    await mkp.customer_groups.create(CustomerGroupCreate(name="Leeg"))

    assert fake_portal.requests[-1].body == {"name": "Leeg"}


async def test_add_customers_answers_every_member_and_each_customer_lists_the_group(
    fake_portal: FakePortal, mkp: MijnKlantportaal
) -> None:
    first, second, third = await customers(mkp, 3)
    group = await mkp.customer_groups.create(CustomerGroupCreate(name="VIP", customers=[first]))
    other = await mkp.customer_groups.create(CustomerGroupCreate(name="Other", customers=[third]))

    members = await mkp.customer_groups.add_customers(group.id, [third, UNKNOWN_CUSTOMER])

    assert [member.id for member in members] == [first, third]  # all, not only the added
    assert members[1].customer_groups == (other.id, group.id)
    assert fake_portal.requests[-1].body == {"customers": [third, UNKNOWN_CUSTOMER]}
    listed = {c.id: c.customer_groups async for c in mkp.customers.list()}
    assert listed == {first: (group.id,), second: (), third: (other.id, group.id)}


async def test_adding_a_member_again_keeps_it_in_the_group_once(mkp: MijnKlantportaal) -> None:
    (only,) = await customers(mkp, 1)
    group = await mkp.customer_groups.create(CustomerGroupCreate(name="Twice", customers=[only]))

    members = await mkp.customer_groups.add_customers(group.id, (only, only))

    assert [member.id for member in members] == [only]
    assert (await mkp.customers.get(only)).customer_groups == (group.id,)


async def test_update_renames_the_group_for_later_reads(
    fake_portal: FakePortal, mkp: MijnKlantportaal
) -> None:
    group = await mkp.customer_groups.create(CustomerGroupCreate(name="Old"))

    renamed = await mkp.customer_groups.update(group.id, CustomerGroupUpdate(name="New"))

    assert (renamed.id, renamed.name, renamed.created_at) == (group.id, "New", group.created_at)
    patch = fake_portal.requests[-1]
    assert (patch.method, patch.path, patch.body) == (
        "PATCH",
        f"/v1/customer-groups/{group.id}",
        {"name": "New"},
    )
    assert (await mkp.customer_groups.get(group.id)).name == "New"
    assert [g.name async for g in mkp.customer_groups.list()] == ["New"]


async def test_list_reads_every_page(fake_portal: FakePortal, mkp: MijnKlantportaal) -> None:
    names = [f"Group {n:02d}" for n in range(17)]  # 15 a page: two pages
    for name in names:
        await mkp.customer_groups.create(CustomerGroupCreate(name=name))

    assert [g.name async for g in mkp.customer_groups.list()] == names
    pages = [r for r in fake_portal.requests if r.operation_id == "list-customer-groups"]
    assert [r.query.get("page") for r in pages] == [None, "2"]


@pytest.mark.parametrize(
    "calling",
    [
        lambda mkp: mkp.customer_groups.get("cug_unknown0000000"),
        lambda mkp: mkp.customer_groups.update("cug_unknown0000000", CustomerGroupUpdate(name="X")),
        lambda mkp: mkp.customer_groups.add_customers("cug_unknown0000000", ["cst_a"]),
    ],
    ids=["get", "update", "add_customers"],
)
async def test_an_unknown_group_is_not_found(mkp: MijnKlantportaal, calling: Any) -> None:
    with pytest.raises(NotFoundError, match="No Customer Group can be found for the given ID"):
        await calling(mkp)


async def test_the_portal_refuses_a_name_too_long(
    fake_portal: FakePortal, mkp: MijnKlantportaal
) -> None:
    group = await mkp.customer_groups.create(CustomerGroupCreate(name="Kort"))

    with pytest.raises(UnprocessableEntityError) as info:
        await mkp.customer_groups.update(group.id, CustomerGroupUpdate(name="x" * 256))

    assert list(info.value.errors) == ["name"]
    assert fake_portal.objects("customer_groups")[group.id]["name"] == "Kort"


@pytest.mark.parametrize(
    ("customers_arg", "field", "reason"),
    [
        ([], "customers", "at least 1 customer ID"),
        (["cst_a", "  "], "customers[1]", "must not be empty"),
        (["cst_a", 7], "customers[1]", "not int"),
    ],
)
async def test_a_bad_id_list_is_refused_naming_the_item_before_sending(
    fake_portal: FakePortal,
    mkp: MijnKlantportaal,
    customers_arg: list[Any],
    field: str,
    reason: str,
) -> None:
    with pytest.raises(RequestValidationError, match=reason) as info:
        await mkp.customer_groups.add_customers("cug_abc12345def678", customers_arg)
    assert info.value.field == field
    assert fake_portal.requests == ()


async def test_a_customer_given_for_its_id_is_refused_with_a_hint(
    fake_portal: FakePortal, mkp: MijnKlantportaal
) -> None:
    (made,) = await customers(mkp, 1)
    found = await mkp.customers.get(made)
    sent = len(fake_portal.requests)

    with pytest.raises(RequestValidationError, match=r"pass customer\.id") as info:
        await mkp.customer_groups.add_customers("cug_abc12345def678", [found])  # type: ignore[list-item]
    assert info.value.field == "customers[0]"
    with pytest.raises(TypeError, match="takes a list of customer IDs, got a str"):
        await mkp.customer_groups.add_customers("cug_abc12345def678", made)
    assert len(fake_portal.requests) == sent


def test_the_models_refuse_bad_input_naming_the_field() -> None:
    with pytest.raises(RequestValidationError) as info:
        CustomerGroupCreate(name="  ")
    assert info.value.field == "name"
    with pytest.raises(RequestValidationError) as info:
        CustomerGroupCreate(name="A", customers="cst_abc12345def678")
    assert (info.value.field, info.value.reason) == (
        "customers",
        "must be a list of customer IDs, not str",
    )
    with pytest.raises(RequestValidationError, match="at least one field") as info:
        CustomerGroupUpdate()
    assert info.value.field == "data"
    with pytest.raises(RequestValidationError, match="cannot be cleared") as info:
        CustomerGroupUpdate(name=None)  # type: ignore[arg-type]
    assert info.value.field == "name"
    assert CustomerGroupCreate(name="A", customers=[]).customers == ()
    assert CustomerGroupCreate(name="A").natural_key() == {"name": "A"}


async def test_create_many_adopts_a_group_whose_answer_was_lost_and_makes_it_once(
    fake_portal: FakePortal, mkp: MijnKlantportaal
) -> None:
    (member,) = await customers(mkp, 1)
    fake_portal.faults.script("create-customer-group", [None, "reset_after_store"])
    groups = [CustomerGroupCreate(name=n, customers=[member]) for n in ("Brons", "Zilver", "Goud")]

    report = await mkp.customer_groups.create_many(groups, concurrency=1)

    assert [r.status for r in report.results] == [
        ItemStatus.CREATED,
        ItemStatus.ADOPTED,
        ItemStatus.CREATED,
    ]
    stored = fake_portal.objects("customer_groups")
    assert sorted(g["name"] for g in stored.values()) == ["Brons", "Goud", "Zilver"]
    assert [r.key for r in report.results] == [{"name": n} for n in ("Brons", "Zilver", "Goud")]
    assert (await mkp.customers.get(member)).customer_groups == tuple(r.id for r in report.results)
    creates = [r for r in fake_portal.requests if r.operation_id == "create-customer-group"]
    assert len(creates) == 3  # the lost one was looked up by name, not sent again


async def test_a_single_create_whose_answer_was_lost_names_the_group(
    fake_portal: FakePortal, mkp: MijnKlantportaal
) -> None:
    fake_portal.faults.script("create-customer-group", ["500_after_store"])

    with pytest.raises(AmbiguousWriteError) as info:
        await mkp.customer_groups.create(CustomerGroupCreate(name="Goud"))

    assert info.value.natural_key == {"name": "Goud"}
    [(group_id, stored)] = fake_portal.objects("customer_groups").items()
    assert stored["name"] == "Goud"
    found = [g async for g in mkp.customer_groups.list() if g.name == "Goud"]
    assert [g.id for g in found] == [group_id]
