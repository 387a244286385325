"""What the catalogue tells a buyer: stock on every channel, sorting by the buyer's own
price, an empty search, and a quantity field that leaves the rules to the cart."""

import re
from decimal import Decimal

import pytest

from comptoir.catalog import listing
from comptoir.catalog.models import Category
from comptoir.storefront.tests.test_pages import catalogue, queries
from tests.factories import (
    CategoryFactory,
    CompanyFactory,
    CustomerGroupFactory,
    PriceEntryFactory,
    PriceListFactory,
    ProductFactory,
    UserFactory,
)
from tests.shops import build_shop


@pytest.fixture
def shop(store):
    """The shop of tests/shops.py, plus OUT-1: priced, no stock, no backorder."""
    shop = build_shop(store)
    out = ProductFactory(
        sku="OUT-1", name="Sold-out clamp", category=shop.products["SCR-100"].category, stock=0
    )
    PriceEntryFactory(price_list=store.base_price_list, product=out, price=Decimal("7.00"))
    return shop


LABELS = {
    "SCR-100": "In stock",
    "MNL-1": "Only 5 left",
    "DRL-1": "On backorder",
    "OUT-1": "Out of stock",
}


def card_texts(page: str) -> dict[str, str]:
    """Each product card's text by SKU."""
    cards = {}
    for chunk in page.split('<li class="product-card">')[1:]:
        sku = chunk.split("SKU ", 1)[1].split("<", 1)[0].strip()
        cards[sku] = chunk.split("</li>", 1)[0]
    return cards


def test_listing_product_page_and_api_show_the_same_stock(client, shop):
    client.force_login(shop.buyer)
    cards = card_texts(client.get("/c/FASTENERS/").content.decode())
    for sku, label in LABELS.items():
        assert label in cards[sku], sku
        assert label in client.get(f"/p/{sku}/").content.decode(), sku
    api = {
        item["sku"]: item["availability"] for item in client.get("/api/v1/products").json()["items"]
    }
    assert {sku: api[sku] for sku in LABELS} == {
        "SCR-100": {"status": "in_stock", "left": None},
        "MNL-1": {"status": "low_stock", "left": 5},
        "DRL-1": {"status": "backorder", "left": None},
        "OUT-1": {"status": "out_of_stock", "left": None},
    }
    assert client.get("/api/v1/products/MNL-1").json()["availability"] == {
        "status": "low_stock",
        "left": 5,
    }


def test_stock_is_shown_where_prices_are_hidden(client, shop):
    shop.store.access_mode = "prices_hidden"
    shop.store.save()
    page = client.get("/p/OUT-1/").content.decode()
    assert "Out of stock" in page
    assert "Log in to see prices" in page
    assert client.get("/api/v1/products/OUT-1").json()["availability"]["status"] == "out_of_stock"


def test_adding_an_out_of_stock_product_says_so_at_once(client, shop):
    client.force_login(shop.buyer)
    response = client.post(
        "/cart/add/", {"sku": "OUT-1", "qty": "1", "next": "/p/OUT-1/"}, follow=True
    )
    page = response.content.decode()
    assert "OUT-1 is out of stock." in page
    assert "added to the cart." not in page
    response = client.post(
        "/cart/add/", {"sku": "MNL-1", "qty": "8", "next": "/p/MNL-1/"}, follow=True
    )
    assert "Only 5 of MNL-1 in stock: 8 requested." in response.content.decode()
    response = client.post(
        "/cart/add/", {"sku": "SCR-100", "qty": "3", "next": "/p/SCR-100/"}, follow=True
    )
    assert "3 × SCR-100 added to the cart." in response.content.decode()


def test_a_search_without_results_says_so(client, shop):
    client.force_login(shop.buyer)
    response = client.get("/search/", {"q": "unobtainium"})
    page = response.content.decode()
    assert "No product matches." in page
    assert "0 products" in page
    assert "Type a SKU or words" not in page


def price_catalogue(store):
    """Eight products whose base prices run against their names, a contract price for one
    company that reverses two of them, and one product on request."""
    group = CustomerGroupFactory(code="PRO")
    company = CompanyFactory(code="ACME", group=group)
    tools = CategoryFactory(code="TOOLS", name="Tools")
    prices = {
        "A": "80",
        "B": "70",
        "C": "60",
        "D": "50",
        "E": "40",
        "F": "30",
        "G": "20",
        "H": "10",
    }
    products = {}
    for letter, price in prices.items():
        products[letter] = ProductFactory(sku=f"T-{letter}", name=f"Tool {letter}", category=tools)
        PriceEntryFactory(
            price_list=store.base_price_list, product=products[letter], price=Decimal(price)
        )
    ProductFactory(sku="T-Z", name="Tool Z on request", category=tools)
    contract = PriceListFactory(code="ACME-CONTRACT")
    company.price_lists.add(contract)
    PriceEntryFactory(price_list=contract, product=products["H"], price=Decimal("95"))
    PriceEntryFactory(price_list=contract, product=products["A"], price=Decimal("5"))
    return UserFactory(company=company)


def skus(response):
    # from the page: a copy of it has no template context
    return re.findall(r'<a class="name" href="/p/([^/]+)/">', response.content.decode())


def test_sort_by_price_uses_the_buyers_own_price_across_pages(client, store, monkeypatch):
    monkeypatch.setattr("comptoir.storefront.views.catalog.PAGE_SIZE", 3)
    client.force_login(price_catalogue(store))
    pages = [skus(client.get("/c/TOOLS/", {"sort": "price", "page": n})) for n in (1, 2, 3)]
    assert pages == [["T-A", "T-G", "T-F"], ["T-E", "T-D", "T-C"], ["T-B", "T-H", "T-Z"]]
    dearest = [skus(client.get("/c/TOOLS/", {"sort": "-price", "page": n})) for n in (1, 2, 3)]
    assert dearest == [["T-H", "T-B", "T-C"], ["T-D", "T-E", "T-F"], ["T-G", "T-A", "T-Z"]]
    search = client.get("/search/", {"q": "tool", "sort": "price"})
    assert skus(search)[:2] == ["T-A", "T-G"]
    assert '<option value="price" selected>' in search.content.decode()


def test_a_guest_sorts_by_the_base_price(client, store):
    price_catalogue(store)
    response = client.get("/c/TOOLS/", {"sort": "price"})
    assert skus(response)[:3] == ["T-H", "T-G", "T-F"]


def test_without_prices_there_is_no_price_sort(client, store):
    price_catalogue(store)
    store.access_mode = "prices_hidden"
    store.save()
    response = client.get("/c/TOOLS/", {"sort": "price"})
    assert skus(response)[:2] == ["T-A", "T-B"]
    assert 'value="price"' not in response.content.decode()


def test_too_many_products_to_sort_by_price_fall_back_to_names(client, store, monkeypatch):
    monkeypatch.setattr(listing, "MAX_PRICED", 5)
    client.force_login(price_catalogue(store))
    response = client.get("/c/TOOLS/", {"sort": "price"})
    assert skus(response)[:2] == ["T-A", "T-B"]
    assert "Too many products to sort by price" in response.content.decode()


def test_sorting_by_price_takes_as_many_queries_for_1_as_for_50_products(store, client):
    client.force_login(catalogue(store, 1))
    few, _response = queries(client, "/c/SCREWS/", {"sort": "price"})
    screws = Category.objects.get(code="SCREWS")
    for n in range(1, 50):
        product = ProductFactory(sku=f"SCR-{n:03d}", name=f"Screw {n:03d}", category=screws)
        PriceEntryFactory(price_list=store.base_price_list, product=product, price=Decimal(n))
    many, response = queries(client, "/c/SCREWS/", {"sort": "price"})
    assert few == many
    assert skus(response)[:2] == ["SCR-001", "SCR-002"]


def test_the_quantity_field_leaves_the_rules_to_the_cart(client, shop):
    client.force_login(shop.buyer)
    page = client.get("/p/GLV-12/").content.decode()
    field = page.split('id="buy-GLV-12"', 1)[1].split(">", 1)[0]
    assert field == ' name="qty" type="text" inputmode="numeric" autocomplete="off" value="12"'
    response = client.post(
        "/cart/add/", {"sku": "GLV-12", "qty": "30", "next": "/p/GLV-12/"}, follow=True
    )
    assert "GLV-12 is sold by 12: 30 is not a multiple; 24 or 36?" in response.content.decode()


def test_a_card_in_french_keeps_its_markup(client, shop):
    """The price, availability and buy form of a card (storefront/offer_html.py, built in
    Python since issue 14) print the same markup as the templates they replace."""
    client.force_login(shop.buyer)
    page = client.get("/fr/c/FASTENERS/").content.decode()
    (card,) = [c for c in page.split('<li class="product-card">') if 'value="MNL-1"' in c]
    assert '<span class="stock stock-low_stock">Plus que 5 en stock</span>\n' in card
    assert '<span class="price">12,00\N{NO-BREAK SPACE}€</span> <span class="per">par ' in card
    assert '<input type="hidden" name="next" value="/fr/c/FASTENERS/">\n' in card
    assert '<label for="buy-MNL-1">Quantité</label>\n' in card
    assert '<button type="submit" class="primary">Ajouter au panier</button>\n</form>\n' in card
