"""A buyer orders gloves from a family's grid of sizes × colours in a real browser: one
cell refused (not enough stock) keeps every quantity typed, then all go in at once."""

from decimal import Decimal

import pytest

from comptoir.catalog.models import FamilyVariant, ProductFamily
from comptoir.ordering.models import CartLine
from tests.factories import PriceEntryFactory, ProductFactory, StoreFactory
from tests.shops import build_shop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Comptoir-2026!"


def test_order_several_sizes_and_colours_from_the_grid(live_server, new_page, screenshot):
    shop = build_shop(StoreFactory())
    family = ProductFamily.objects.create(
        code="GLV-COATED",
        name="Coated work gloves",
        category=shop.products["SCR-100"].category,
        row_axis="Size",
        row_values="8\n9\n10",
        column_axis="Colour",
        column_values="Black\nBlue",
    )
    for size in ("8", "9", "10"):
        for colour, code in (("Black", "BK"), ("Blue", "BL")):
            product = ProductFactory(
                sku=f"GLC-{size}-{code}",
                name=f"Coated gloves {size} {colour.lower()}",
                category=family.category,
                unit="pack",
                stock=40,
            )
            PriceEntryFactory(
                price_list=shop.store.base_price_list, product=product, price=Decimal("21.50")
            )
            FamilyVariant.objects.create(
                family=family, product=product, row_value=size, column_value=colour
            )

    page = new_page()
    page.goto(live_server.url + "/account/login/")
    page.get_by_label("E-mail address").fill(shop.buyer.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Log in").click()
    page.goto(live_server.url + "/p/GLC-9-BL/")
    page.get_by_role("link", name="9 × Blue — all variants of Coated work gloves").click()

    page.get_by_label("Quantity of GLC-8-BK").fill("10")
    page.get_by_label("Quantity of GLC-9-BL").fill("50")
    page.get_by_label("Quantity of GLC-10-BK").fill("5")
    page.get_by_role("button", name="Add all to cart").click()
    page.get_by_text("Only 40 of GLC-9-BL in stock: 50 requested.").wait_for()
    assert page.get_by_label("Quantity of GLC-8-BK").input_value() == "10"
    assert CartLine.objects.count() == 0
    screenshot(page, "60-family-grid-refused")

    page.get_by_label("Quantity of GLC-9-BL").fill("30")
    page.get_by_role("button", name="Add all to cart").click()
    page.get_by_text("3 lines added to the cart.").wait_for()
    screenshot(page, "61-family-grid-added")
    page.goto(live_server.url + "/cart/")
    lines = CartLine.objects.order_by("product__sku").values_list("product__sku", "quantity")
    assert list(lines) == [("GLC-10-BK", 5), ("GLC-8-BK", 10), ("GLC-9-BL", 30)]
    assert "GLC-9-BL" in page.get_by_role("main").inner_text()
