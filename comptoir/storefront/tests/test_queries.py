"""Queries of the catalogue pages (issue 14): a fixed number whatever the page shows, and the
store, the category tree, the menu and the priced pages read from this process's copy between
two changes; stock is read live."""

import re
from decimal import Decimal

import pytest

from comptoir.core import versioned_cache
from tests.factories import PriceEntryFactory, ProductFactory


@pytest.fixture
def many(world):
    fasteners = world.products["public"].category
    for n in range(30):
        product = ProductFactory(sku=f"MANY-{n:02d}", name=f"Screw {n:02d}", category=fasteners)
        PriceEntryFactory(
            price_list=world.store.base_price_list, product=product, price=Decimal("1.00")
        )
    return world


def card_skus(response) -> list[str]:
    """The products of a listing, in order, from the page (a copy has no template context)."""
    return re.findall(r'<a class="name" href="/p/([^/]+)/">', response.content.decode())


@pytest.mark.parametrize("query", ["?page=1", "?page=2"])  # 24 products, then 7
def test_a_category_page_takes_two_queries_whatever_it_shows(
    client, many, query, django_assert_max_num_queries, django_assert_num_queries
):
    url = f"/c/FASTENERS/{query}"
    versioned_cache.clear()
    # this process's first page since a change also reads the store, the tree and the lists
    with django_assert_max_num_queries(10):
        first = client.get(url)
    assert first.status_code == 200
    assert len(card_skus(first)) == {"?page=1": 24, "?page=2": 7}[query]

    # the cache version and the stock: the count, the page, the rules and the prices are
    # this process's copy (views/catalog.py)
    with django_assert_num_queries(2):
        again = client.get(url)
    assert card_skus(again) == card_skus(first)
    assert b'aria-current="page">Fasteners</a>' in again.content


def test_a_product_page_and_the_home_page_read_little(client, many, django_assert_num_queries):
    client.get("/p/PUB-1/")
    client.get("/")

    # the cache version and the stock: the product, its rules and prices are copied
    with django_assert_num_queries(2):
        response = client.get("/p/PUB-1/")
    assert b"Wood screws 4x40" in response.content
    # the cache version only: the tree and the banners are this process's copy
    with django_assert_num_queries(1):
        home = client.get("/")
    assert b"Fasteners" in home.content
