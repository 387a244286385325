"""The stock read with the API token in one statement (catalog/stock_prefetch.py): an answer
so served still tells the stock as of the call, for the caller's own products."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comptoir.catalog.models import Product, Visibility
from comptoir.core.tests.test_prepared_statements import prepared
from comptoir.pricing.tests.test_api import bearer
from tests.factories import CompanyFactory, PriceEntryFactory, ProductFactory

pytestmark = pytest.mark.django_db


def warm(client, path: str, headers: dict) -> None:
    """Builds the copy, then serves it once: the address's products are remembered."""
    for _ in range(2):
        assert client.get(path, **headers).status_code == 200


def availability(answer: dict, sku: str) -> dict:
    return next(item["availability"] for item in answer["items"] if item["sku"] == sku)


def test_a_copied_listing_reads_token_and_stock_in_one_statement_and_follows_an_order(
    client, shop, django_assert_num_queries
):
    _, acme, _ = shop
    headers = bearer(client, acme)
    Product.objects.filter(sku="P1").update(stock=500, backorder=False)
    warm(client, "/api/v1/products?category=SCREWS", headers)
    Product.objects.filter(sku="P1").update(stock=3)  # as an order does: no version bump
    with django_assert_num_queries(1):
        answer = client.get("/api/v1/products?category=SCREWS", **headers).json()
    assert availability(answer, "P1") == {"status": "low_stock", "left": 3}
    Product.objects.filter(sku="P1").update(stock=0, backorder=True)
    answer = client.get("/api/v1/products?category=SCREWS", **headers).json()
    assert availability(answer, "P1") == {"status": "backorder", "left": None}


def test_a_copied_product_reads_token_and_stock_in_one_statement(
    client, shop, django_assert_num_queries
):
    _, acme, _ = shop
    headers = bearer(client, acme)
    Product.objects.filter(sku="P2").update(stock=500, backorder=False)
    warm(client, "/api/v1/products/P2", headers)
    Product.objects.filter(sku="P2").update(stock=0)
    with django_assert_num_queries(1):
        answer = client.get("/api/v1/products/P2", **headers).json()
    assert answer["availability"] == {"status": "out_of_stock", "left": None}
    assert answer["price"]["unit_price"] == "4.00"  # ACME's contract price


def test_another_company_on_the_same_address_gets_its_own_products_and_stock(client, shop):
    """The remembered products are a guess per address: a caller who sees others gets the
    stock of its own read apart."""
    store, acme, _ = shop
    other = CompanyFactory(code="OTHER", group=store.default_group)
    mine = ProductFactory(
        sku="OTHER-ONLY", category=Product.objects.get(sku="P1").category, stock=2
    )
    mine.visibility = Visibility.COMPANIES
    mine.save()
    mine.visible_companies.add(other)
    PriceEntryFactory(price_list=store.base_price_list, product=mine, price=Decimal("3.00"))
    path = "/api/v1/products?category=SCREWS"
    acme_headers, other_headers = bearer(client, acme), bearer(client, other)
    warm(client, path, acme_headers)
    answer = client.get(path, **other_headers).json()
    assert [item["sku"] for item in answer["items"]] == ["OTHER-ONLY", "P1", "P2", "P3", "P4"]
    assert availability(answer, "OTHER-ONLY") == {"status": "low_stock", "left": 2}
    again = client.get(path, **acme_headers).json()
    assert [item["sku"] for item in again["items"]] == ["P1", "P2", "P3", "P4"]
    Product.objects.filter(sku="P1").update(stock=1)
    assert availability(client.get(path, **acme_headers).json(), "P1") == {
        "status": "low_stock",
        "left": 1,
    }


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_the_api_tokens_statement_is_prepared_and_still_logged(client, shop):
    _, acme, _ = shop
    headers = bearer(client, acme)
    client.get("/api/v1/products/P1", **headers)
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/api/v1/products/P1", **headers).status_code == 200
    (token,) = prepared('FROM "accounts_apitoken"')
    assert "$1" in token  # bound on the server
    (logged,) = [q["sql"] for q in captured if '"accounts_apitoken"' in (q["sql"] or "")]
    assert "$1" not in logged and "WHERE" in logged  # the text with its values, as bound
