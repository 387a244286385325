"""The stock read with the cache version in one statement (catalog/stock_prefetch.py): a
page served so still shows the stock as of the request, and the version as of the request."""

from decimal import Decimal

from django.test import Client

from comptoir.catalog.models import Product
from comptoir.pricing.models import PriceEntry
from tests.factories import ProductFactory


def card(page: str, sku: str) -> str:
    return page.split(f'href="/p/{sku}/"', 1)[1].split("</li>", 1)[0]


def warm(client: Client, path: str) -> None:
    """Builds the copy, then serves it once: the address's products are remembered."""
    for _ in range(2):
        assert client.get(path).status_code == 200


def test_a_copied_listing_reads_version_and_stock_in_one_statement_and_follows_an_order(
    world, django_assert_num_queries
):
    client = Client()
    Product.objects.filter(sku="PUB-1").update(stock=500, backorder=False)
    warm(client, "/c/FASTENERS/")
    Product.objects.filter(sku="PUB-1").update(stock=3)  # as an order does: no version bump
    with django_assert_num_queries(1):
        page = client.get("/c/FASTENERS/").content.decode()
    assert "Only 3 left" in card(page, "PUB-1")


def test_a_copied_product_page_reads_version_and_stock_in_one_statement(
    world, django_assert_num_queries
):
    client = Client()
    Product.objects.filter(sku="PUB-1").update(stock=500, backorder=False)
    warm(client, "/p/PUB-1/")
    Product.objects.filter(sku="PUB-1").update(stock=0)
    with django_assert_num_queries(1):
        page = client.get("/p/PUB-1/").content.decode()
    assert "Out of stock" in page and "In stock" not in page


def test_a_price_changed_since_is_shown_though_the_stock_came_with_the_version(world):
    client = Client()
    warm(client, "/c/FASTENERS/")
    entry = PriceEntry.objects.get(product__sku="PUB-1", price_list=world.store.base_price_list)
    entry.price = Decimal("12.50")
    entry.save()
    page = client.get("/c/FASTENERS/").content.decode()
    assert "12.50" in card(page, "PUB-1") and "10.00" not in card(page, "PUB-1")


def test_a_product_new_on_the_page_gets_its_stock_read(world):
    client = Client()
    warm(client, "/c/FASTENERS/")
    ProductFactory(
        sku="PUB-2", name="Wood screws 5x50", category=world.products["public"].category, stock=2
    )
    page = client.get("/c/FASTENERS/").content.decode()
    assert "Only 2 left" in card(page, "PUB-2")
    Product.objects.filter(sku="PUB-2").update(stock=0, backorder=True)
    page = client.get("/c/FASTENERS/").content.decode()
    assert "On backorder" in card(page, "PUB-2")
