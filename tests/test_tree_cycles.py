"""Category and price-list cycles: refused on save, and harmless when already in the database.

`Category.clean()` and `PriceList.clean()` refuse a parent below the row (the bundle loader
calls the same `core.trees.has_cycle`). A cycle written past them (`queryset.update()`)
must leave every page answering: each walk of the tree keeps a seen-set.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from comptoir.catalog.models import Category
from comptoir.core.trees import ancestry, descendants, has_cycle
from comptoir.customers.profiles import category_ancestry
from comptoir.pricing.models import PriceList
from tests.factories import (
    CategoryFactory,
    PriceEntryFactory,
    PriceListFactory,
    ProductFactory,
    PromotionFactory,
    StaffUserFactory,
)
from tests.shops import build_shop


def test_walks_stop_at_a_node_seen_before():
    parents = {"A": "B", "B": "C", "C": "A", "D": "A", "E": None}

    assert ancestry("D", parents) == ["D", "A", "B", "C"]
    assert has_cycle("D", parents) is True
    assert has_cycle("E", parents) is False
    assert descendants(["A"], {"A": ["B"], "B": ["A", "C"]}) == ["A", "B", "C"]


@pytest.mark.django_db
def test_a_category_cannot_take_one_of_its_descendants_as_parent():
    top = CategoryFactory(code="TOOLS", name="Tools")
    middle = CategoryFactory(code="HAND", name="Hand tools", parent=top)
    bottom = CategoryFactory(code="HAMMERS", name="Hammers", parent=middle)

    top.parent = bottom
    with pytest.raises(ValidationError) as refused:
        top.full_clean()

    assert refused.value.message_dict == {
        "parent": ["This parent is below the category: the tree would have a cycle."]
    }
    bottom.parent = top
    bottom.full_clean()


@pytest.mark.django_db
def test_a_price_list_cannot_derive_from_its_own_descendant(store):
    gold = PriceListFactory(code="GOLD")
    silver = PriceListFactory(code="SILVER", parent=gold, adjustment_percent=Decimal("-5"))

    gold.parent = silver
    with pytest.raises(ValidationError) as refused:
        gold.full_clean()

    assert refused.value.message_dict == {
        "parent": ["This parent derives from this list: price lists cannot be their own ancestors."]
    }


@pytest.mark.django_db
def test_the_admin_refuses_a_category_cycle(client, store):
    top = CategoryFactory(code="TOOLS", name="Tools")
    below = CategoryFactory(code="HAND", name="Hand tools", parent=top)
    client.force_login(StaffUserFactory(is_superuser=True))

    response = client.post(
        reverse("admin:catalog_category_change", args=[top.pk]),
        {"code": "TOOLS", "name": "Tools", "parent": below.pk, "position": 0},
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "parent": ["This parent is below the category: the tree would have a cycle."]
    }
    top.refresh_from_db()
    assert top.parent_id is None


@pytest.fixture
def cycles(store):
    """ACME's shop with categories LOOP-A ⇄ LOOP-B and price lists PRO ⇄ PRO-LOOP in the data."""
    shop = build_shop(store)
    loop_a = CategoryFactory(code="LOOP-A", name="Loop A")
    loop_b = CategoryFactory(code="LOOP-B", name="Loop B", parent=loop_a)
    Category.objects.filter(pk=loop_a.pk).update(parent=loop_b)
    looped = ProductFactory(
        sku="LOOP-1", name="Looped hinge", category=loop_b, stock=50, min_qty=1, qty_step=1
    )
    PriceEntryFactory(price_list=store.base_price_list, product=looped, price=Decimal("7.00"))
    PromotionFactory(
        code="LOOP-PROMO",
        percent=Decimal("10"),
        customer_groups=[shop.group],
        categories=[loop_a],
    )
    shop.group.catalog_categories.add(loop_a, shop.products["SCR-100"].category)
    pro = PriceList.objects.get(code="PRO")
    other = PriceListFactory(code="PRO-LOOP", parent=pro, adjustment_percent=Decimal("-5"))
    PriceList.objects.filter(pk=pro.pk).update(parent=other)
    return shop


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/", "/c/LOOP-A/", "/c/LOOP-B/", "/p/LOOP-1/", "/p/SCR-100/", "/search/?q=hinge"],
)
def test_storefront_pages_answer_with_cycles_in_the_data(client, cycles, path):
    client.force_login(cycles.buyer)

    response = client.get(path)

    assert response.status_code == 200


@pytest.mark.django_db
def test_promotions_of_an_ancestor_apply_with_cycles_in_the_data(client, cycles):
    client.force_login(cycles.buyer)
    client.post("/cart/add/", {"sku": "LOOP-1", "qty": "2"})

    response = client.get("/cart/")

    assert response.status_code == 200
    assert "−€1.40" in response.content.decode()


@pytest.mark.django_db
def test_admin_pages_answer_with_cycles_in_the_data(client, cycles):
    client.force_login(StaffUserFactory(is_superuser=True))
    loop_a = Category.objects.get(code="LOOP-A")
    pro = PriceList.objects.get(code="PRO")

    for url in (
        reverse("admin:catalog_category_changelist"),
        reverse("admin:catalog_category_change", args=[loop_a.pk]),
        reverse("admin:pricing_pricelist_changelist"),
        reverse("admin:pricing_pricelist_change", args=[pro.pk]),
    ):
        assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_segmentation_ancestry_with_a_cycle(cycles):
    ancestry_of = category_ancestry()

    assert ancestry_of["LOOP-A"] == frozenset({"LOOP-A", "LOOP-B"})
