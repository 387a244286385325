"""The selector builds a buyer's pricing context from the database in a fixed number of queries."""

import datetime
from decimal import Decimal

import pytest

from comptoir.core import versioned_cache
from comptoir.pricing.engine import price_cart, quote_line
from comptoir.pricing.selectors import category_ancestors, pricing_context, product_data
from tests.factories import (
    CategoryFactory,
    CompanyFactory,
    CustomerGroupFactory,
    PriceEntryFactory,
    PriceListFactory,
    ProductFactory,
    PromotionFactory,
    VolumeDiscountTierFactory,
)

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 6, 15)
D = Decimal


def quotes(store, company, products, quantity):
    context = pricing_context(
        store=store, company=company, product_ids=[p.pk for p in products], today=TODAY
    )
    ancestors = category_ancestors()
    return {
        item.sku: quote_line(context, item, quantity) for item in product_data(products, ancestors)
    }


@pytest.mark.parametrize(("quantity", "expected"), [(10, "9.50"), (60, "8.50"), (200, "8.50")])
def test_company_of_the_gold_group_gets_gold_tiers(shop, quantity, expected):
    store, acme, products = shop

    assert quotes(store, acme, products, quantity)["P1"].unit_price == D(expected)


def test_contract_price_and_fall_through(shop):
    store, acme, products = shop

    prices = quotes(store, acme, products, 5)

    assert prices["P2"].unit_price == D("4.00")
    assert prices["P3"].unit_price == D("5.00")
    assert quotes(store, acme, products, 20)["P3"].unit_price == D("4.20")


def test_a_guest_prices_as_the_default_group(shop):
    store, _, products = shop

    prices = quotes(store, None, products, 10)

    assert prices["P1"].unit_price == D("10.00")
    assert prices["P2"] is None


def test_derived_list_through_its_parent(shop):
    store, acme, products = shop
    derived = PriceListFactory(
        code="GOLD-DERIVED",
        parent=store.base_price_list,
        adjustment_percent=D("-12.5"),
        customer_groups=[acme.group],
    )

    quote = quotes(store, acme, products, 3)["P4"]

    assert (quote.unit_price, quote.gross) == (D("6.9913"), D("20.97"))
    assert quote.steps[-1].source == derived.code


def test_expired_and_foreign_currency_lists_are_skipped(shop):
    store, acme, products = shop
    acme.group.price_lists.update(valid_until=TODAY - datetime.timedelta(days=1))
    PriceEntryFactory(
        price_list=PriceListFactory(code="USD", currency="USD", companies=[acme]),
        product=products[0],
        price=D("1.00"),
    )

    assert quotes(store, acme, products, 10)["P1"].unit_price == D("10.00")


def test_group_promotion_on_an_ancestor_category_and_volume_tiers(shop):
    store, acme, products = shop
    hardware = CategoryFactory(code="HARDWARE")
    screws = products[0].category
    screws.parent = hardware
    screws.save()
    PromotionFactory(
        code="SPRING",
        percent=D("5"),
        customer_groups=[acme.group],
        categories=[hardware],
        valid_from=TODAY,
        valid_until=TODAY,
    )
    VolumeDiscountTierFactory(customer_group=acme.group, min_total_qty=100, percent=D("2"))
    context = pricing_context(
        store=store, company=acme, product_ids=[p.pk for p in products], today=TODAY
    )
    items = product_data(products, category_ancestors())

    cart = price_cart(context, [(items[0], 150)])

    line = cart.lines[0]
    assert (line.quote.gross, line.quote.promotion, line.volume, line.net) == (
        D("1275.00"),
        D("63.75"),
        D("24.23"),
        D("1187.02"),
    )


def test_queries_do_not_grow_with_products_or_lists(shop, django_assert_num_queries):
    store, acme, products = shop
    for n in range(30):
        PriceListFactory(code=f"OTHER-{n}", customer_groups=[CustomerGroupFactory(code=f"G{n}")])
    many = [ProductFactory(sku=f"MANY-{n}") for n in range(50)]
    PriceListFactory(
        code="DERIVED",
        parent=PriceListFactory(code="PARENT"),
        adjustment_percent=D("-5"),
        companies=[acme],
    )
    PromotionFactory(
        customer_groups=[acme.group], products=many[:3], valid_from=TODAY, valid_until=TODAY
    )

    few, lots = [products[0].pk], [p.pk for p in many + list(products)]
    for product_ids in (few, lots):
        versioned_cache.clear()
        # the cache version, lists, their parents, entries, promotions with their products
        # and categories, volume tiers
        with versioned_cache.request_scope(), django_assert_num_queries(8):
            pricing_context(store=store, company=acme, product_ids=product_ids, today=TODAY)
        # then only the version and the entries: the rest is this process's copy
        with versioned_cache.request_scope(), django_assert_num_queries(2):
            pricing_context(store=store, company=acme, product_ids=product_ids, today=TODAY)


def levels(context):
    return {level.name: [price_list.code for price_list in level.lists] for level in context.levels}


def test_candidate_lists_are_the_buyers_own_among_many(shop):
    store, acme, products = shop
    other = CompanyFactory(code="OTHER", group=acme.group)
    for n in range(20):
        PriceListFactory(code=f"G{n}-LIST", customer_groups=[CustomerGroupFactory(code=f"G{n}")])
        PriceListFactory(code=f"C{n}-LIST", companies=[CompanyFactory(code=f"C{n}")])
    both = PriceListFactory(code="BOTH", priority=5, companies=[acme], customer_groups=[acme.group])
    PriceListFactory(code="OTHER-CONTRACT", companies=[other])
    ids = [p.pk for p in products]

    assert levels(pricing_context(store=store, company=acme, product_ids=ids, today=TODAY)) == {
        "company": ["BOTH", "ACME-CONTRACT"],
        "group": ["BOTH", "GOLD"],
        "base": ["BASE"],
    }
    assert levels(pricing_context(store=store, company=None, product_ids=ids, today=TODAY)) == {
        "company": [],
        "group": [],
        "base": ["BASE"],
    }
    store.default_group = acme.group
    store.base_price_list = None
    store.save()
    both.companies.clear()
    assert levels(pricing_context(store=store, company=None, product_ids=ids, today=TODAY)) == {
        "company": [],
        "group": ["BOTH", "GOLD"],
        "base": [],
    }
