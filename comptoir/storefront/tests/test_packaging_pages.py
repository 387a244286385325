"""Packagings in the storefront: the product page's packaging choice, the cart's
"3 cases (432 pieces)", the order page and the confirmation e-mail."""

from decimal import Decimal

import pytest
from django.core import mail

from comptoir.catalog.models import Packaging
from comptoir.ordering.models import CartLine
from tests.factories import PriceEntryFactory, ProductFactory
from tests.shops import build_shop


@pytest.fixture
def shop(store):
    shop = build_shop(store)
    plugs = ProductFactory(sku="PAL-1", name="Wall plugs", unit="piece", stock=10_000)
    PriceEntryFactory(price_list=store.base_price_list, product=plugs, price=Decimal("0.4537"))
    Packaging.objects.create(product=plugs, unit="case", factor=144)
    Packaging.objects.create(product=plugs, unit="crate", factor=500, enabled=False)
    return shop


@pytest.fixture
def buyer(client, shop):
    client.force_login(shop.buyer)
    return client


def test_the_product_page_offers_the_enabled_packagings(buyer):
    page = buyer.get("/p/PAL-1/").content.decode()
    assert '<option value="case">case of 144 pieces</option>' in page
    assert "crate" not in page


def test_a_guest_sees_no_packaging_form(client, shop):
    assert 'name="unit"' not in client.get("/p/PAL-1/").content.decode()


def test_adding_cases_shows_them_in_base_units_in_cart_order_and_e_mail(buyer, on_commit):
    response = buyer.post("/cart/add/", {"sku": "PAL-1", "qty": "3", "unit": "case"})
    assert response.status_code == 302
    line = CartLine.objects.get()
    assert (line.quantity, line.packaging.unit) == (3, "case")
    cart = buyer.get("/cart/").content.decode()
    assert "cases (432\xa0pieces)" in cart
    # 0.4537 × 144 = 65.3328 a case; 3 cases = 195.9984 → 196.00
    assert "65.3328" in cart
    token = buyer.get("/checkout/").context["form"].initial["token"]
    data = {"token": token, "address": "HQ", "shipping_method": "STD"}
    data |= {"payment_method": "TRANSFER", "po_number": "", "comment": ""}
    with on_commit(execute=True):
        response = buyer.post("/checkout/place/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    order_page = buyer.get(response["Location"]).content.decode()
    assert "3\xa0cases (432\xa0pieces)" in order_page
    assert "3\xa0cases (432\xa0pieces)" in mail.outbox[-1].body


def test_a_disabled_or_unknown_packaging_is_a_message_not_an_error_page(buyer):
    response = buyer.post("/cart/add/", {"sku": "PAL-1", "qty": "1", "unit": "crate"}, follow=True)
    assert "PAL-1: the packaging crate is not offered." in response.content.decode()
    response = buyer.post("/cart/add/", {"sku": "PAL-1", "qty": "1", "unit": "vat"}, follow=True)
    assert "PAL-1 is not sold in vat" in response.content.decode()
    assert not CartLine.objects.exists()


def test_cart_and_checkout_take_as_many_queries_for_1_as_for_50_packaged_lines(buyer, shop):
    from comptoir.storefront.tests.test_buying import page_queries

    products = [ProductFactory(sku=f"PK-{n:03d}", unit="piece", stock=1000) for n in range(50)]
    for product in products:
        PriceEntryFactory(price_list=shop.store.base_price_list, product=product)
        Packaging.objects.create(product=product, unit="box", factor=10)
    buyer.post("/quick-order/", {"lines": "PK-000 1 box"})
    counts_one = [page_queries(buyer, path) for path in ("/cart/", "/checkout/")]
    buyer.post("/quick-order/", {"lines": "\n".join(f"{p.sku} 1 box" for p in products)})
    assert CartLine.objects.filter(packaging__isnull=False).count() == 50
    assert [page_queries(buyer, path) for path in ("/cart/", "/checkout/")] == counts_one
