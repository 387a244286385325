"""Ordering views (issue 20): a listing's table view and its one "Add all to cart" post,
all or nothing, through the quick order's service and the cart's order rules."""

import re

import pytest

from comptoir.ordering.models import CartLine
from tests.shops import build_shop


@pytest.fixture
def shop(store):
    return build_shop(store)


@pytest.fixture
def buyer(client, shop):
    client.force_login(shop.buyer)
    return client


def cart_of(shop):
    return {
        line.product.sku: line.quantity for line in CartLine.objects.filter(cart__buyer=shop.buyer)
    }


def table_rows(html: str) -> list[str]:
    """The SKUs of a table view, in order."""
    return re.findall(r'<td class="sku">([^<]+)</td>', html)


def test_the_table_view_lists_sku_name_stock_price_and_a_box_per_product(buyer, shop):
    page = buyer.get("/c/FASTENERS/?view=table&sort=sku").content.decode()
    assert table_rows(page) == ["DRL-1", "GLV-12", "MNL-1", "POR-1", "SCR-100"]
    # the buyer's (group PRO) price of SCR-100, and the case of 12 with its rules in the box
    assert '<span class="price">€3.90</span>' in page
    assert 'name="qty:GLV-12" type="number"' in page
    assert 'min="12" step="12" max="240"' in page
    assert "Price on request" in page  # POR-1: no box
    assert 'name="qty:POR-1"' not in page
    assert "Add all to cart" in page
    # the cards are the default, and the toggle keeps the view in the query string
    cards = buyer.get("/c/FASTENERS/").content.decode()
    assert table_rows(cards) == []
    assert 'href="?sort=name&amp;view=table"' in cards


def test_visitors_see_the_table_without_boxes(client, shop):
    page = client.get("/c/FASTENERS/?view=table").content.decode()
    assert "SCR-100" in table_rows(page)
    assert 'name="qty:' not in page
    assert "Add all to cart" not in page


def test_add_all_adds_every_typed_quantity_at_once(buyer, shop):
    response = buyer.post(
        "/cart/add-all/",
        {
            "sku": ["SCR-100", "GLV-12", "MNL-1", "DRL-1"],
            "qty:SCR-100": "10",
            "qty:GLV-12": "24",
            "qty:MNL-1": "",
            "qty:DRL-1": "0",
            "next": "/c/FASTENERS/?view=table",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/c/FASTENERS/?view=table"
    assert cart_of(shop) == {"SCR-100": 10, "GLV-12": 24}


def test_add_all_adds_nothing_when_one_line_is_refused(buyer, shop):
    buyer.post("/cart/add/", {"sku": "SCR-100", "qty": "5"})
    response = buyer.post(
        "/cart/add-all/",
        {
            "sku": ["SCR-100", "GLV-12", "MNL-1", "POR-1"],
            "qty:SCR-100": "10",
            "qty:GLV-12": "30",
            "qty:MNL-1": "6",
            "qty:POR-1": "1",
            "next": "/c/FASTENERS/?view=table",
        },
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert cart_of(shop) == {"SCR-100": 5}
    assert "Nothing was added to the cart" in page
    assert table_rows(page) == ["SCR-100", "GLV-12", "MNL-1", "POR-1"]
    # each bad line says why, next to the quantity typed, which is kept
    assert 'value="30" placeholder="12" aria-invalid="true"' in page
    assert "GLV-12 is sold by 12: 30 is not a multiple; 24 or 36?" in page
    assert "Only 5 of MNL-1 in stock: 6 requested." in page
    assert 'value="10" placeholder="1">' in page  # the good line keeps its quantity too
    assert "why-SCR-100" not in page


def test_add_all_refuses_quantities_that_are_not_numbers_and_empty_forms(buyer, shop):
    response = buyer.post(
        "/cart/add-all/", {"sku": ["SCR-100", "GLV-12"], "qty:SCR-100": "ten", "qty:GLV-12": "12"}
    )
    assert response.status_code == 422
    assert (
        "ten is not a quantity (a whole number from 0 to 1,000,000)." in response.content.decode()
    )
    assert cart_of(shop) == {}
    empty = buyer.post("/cart/add-all/", {"sku": ["SCR-100"], "qty:SCR-100": ""})
    assert empty.status_code == 422
    assert "Type a quantity on at least one line." in empty.content.decode()


def test_add_all_in_a_packaging(buyer, shop):
    from comptoir.catalog.models import Packaging

    Packaging.objects.create(product=shop.products["SCR-100"], unit="pallet", factor=10)
    page = buyer.get("/c/FASTENERS/?view=table").content.decode()
    assert '<select id="unit-SCR-100" name="unit:SCR-100">' in page
    response = buyer.post(
        "/cart/add-all/", {"sku": ["SCR-100"], "qty:SCR-100": "3", "unit:SCR-100": "pallet"}
    )
    assert response.status_code == 302
    line = CartLine.objects.get(cart__buyer=shop.buyer)
    assert (line.product.sku, line.quantity, line.packaging.unit) == ("SCR-100", 3, "pallet")


def test_the_table_hides_prices_where_the_store_hides_them(client, shop):
    shop.store.access_mode = "prices_hidden"
    shop.store.save(update_fields=["access_mode"])
    page = client.get("/c/FASTENERS/?view=table").content.decode()
    assert "SCR-100" in table_rows(page)
    assert "Unit price" not in page
    assert "€" not in page
    assert 'name="qty:' not in page
