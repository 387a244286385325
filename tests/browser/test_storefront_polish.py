"""The storefront in a real browser: checkout methods that follow the address, stock and
quantity on the product page, and a phone-sized listing with the products first."""

from decimal import Decimal

import pytest

from comptoir.ordering.models import Order
from comptoir.storefront.tests.test_checkout_methods import benelux_shop
from tests.browser.conftest import ARTIFACTS
from tests.factories import CategoryFactory, PriceEntryFactory, ProductFactory, StoreFactory
from tests.shops import build_shop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Comptoir-2026!"


def log_in(page, url, email):
    page.goto(url + "/account/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Log in").click()


def test_a_belgian_address_gets_the_benelux_method(live_server, new_page, screenshot):
    shop = benelux_shop(StoreFactory())
    page = new_page()
    log_in(page, live_server.url, shop.buyer.email)
    page.goto(live_server.url + "/quick-order/")
    page.get_by_label("SKU and quantity, one per line").fill("SCR-100 120")
    page.get_by_role("button", name="Add to the cart").click()
    page.goto(live_server.url + "/checkout/")

    delivery = page.get_by_role("group", name="Delivery")
    assert delivery.get_by_label("Colissimo France").count() == 1
    assert delivery.get_by_label("Benelux carrier").count() == 0
    page.get_by_label("Rue de la Loi 16").check()
    benelux = page.get_by_label("Benelux carrier")
    benelux.wait_for()
    page.get_by_label("Colissimo France").wait_for(state="detached")
    assert page.get_by_label("Cash on delivery").count() == 0
    benelux.check()
    page.locator("#summary").get_by_text("Benelux carrier").wait_for()
    page.get_by_label("Bank transfer").check()
    screenshot(page, "60-checkout-belgium")
    page.get_by_role("button", name="Place the order").click()
    page.get_by_text("is placed").wait_for()
    order = Order.objects.get()
    assert (order.shipping_method_code, order.shipping_address["city"]) == ("BENELUX", "Bruxelles")
    assert order.shipping_total == Decimal("19.00")


def test_the_product_page_shows_stock_and_lets_the_cart_explain(live_server, new_page, screenshot):
    shop = build_shop(StoreFactory())
    out = ProductFactory(
        sku="OUT-1", name="Sold-out clamp", category=shop.products["MNL-1"].category, stock=0
    )
    PriceEntryFactory(price_list=shop.store.base_price_list, product=out, price=Decimal("7.00"))
    page = new_page()
    log_in(page, live_server.url, shop.buyer.email)

    page.goto(live_server.url + "/p/GLV-12/")
    page.get_by_label("Quantity", exact=True).fill("30")
    page.get_by_role("button", name="Add to cart").click()
    page.get_by_text("GLV-12 is sold by 12: 30 is not a multiple; 24 or 36?").wait_for()
    assert page.locator("#cart-count").text_content() == "1 line"

    page.goto(live_server.url + "/p/OUT-1/")
    assert page.locator(".buy-box .stock").inner_text() == "Out of stock"
    page.get_by_role("button", name="Add to cart").click()
    page.get_by_text("OUT-1 is out of stock.").wait_for()
    screenshot(page, "61-product-out-of-stock")

    page.goto(live_server.url + "/fr/c/FASTENERS/?sort=price")
    cards = page.locator(".product-card")
    assert cards.first.locator(".stock").inner_text() == "En stock"
    assert "Plus que 5 en stock" in page.locator(".product-card", has_text="MNL-1").inner_text()
    screenshot(page, "62-listing-fr-by-price")


@pytest.mark.parametrize("language", ["", "/fr"])
def test_on_a_phone_the_first_product_is_above_the_fold(live_server, browser, screenshot, language):
    build_shop(StoreFactory())
    # A catalogue's tree: twenty more categories, each with a product to show.
    for n in range(20):
        ProductFactory(category=CategoryFactory(code=f"CAT-{n:02d}", name=f"Category {n:02d}"))
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        page.goto(live_server.url + language + "/c/FASTENERS/")
        box = page.locator(".product-card").first.bounding_box()
        assert box is not None and box["y"] < 844
        tree = page.locator("nav.categories a", has_text="Fasteners")
        assert not tree.is_visible()
        # What the phone shows before scrolling: the fold itself, not the full page.
        page.screenshot(path=ARTIFACTS / f"63-phone-fold{language.replace('/', '-')}.png")
        page.locator("nav.categories summary").click()
        assert tree.is_visible()
        screenshot(page, f"63-phone-listing{language.replace('/', '-')}")
    finally:
        context.close()


def test_on_a_wide_screen_the_category_tree_stays_open(live_server, new_page):
    build_shop(StoreFactory())
    page = new_page()
    page.goto(live_server.url + "/c/FASTENERS/")
    assert page.locator("nav.categories a", has_text="Fasteners").is_visible()
