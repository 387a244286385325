"""A buyer orders by SKU in a real browser: quick order, a live fix in the cart, checkout."""

import pytest

from comptoir.ordering.models import Order
from tests.factories import StoreFactory
from tests.shops import build_shop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Comptoir-2026!"


def test_quick_order_fix_a_multiple_live_and_check_out_with_a_po(live_server, new_page, screenshot):
    shop = build_shop(StoreFactory())
    page = new_page()
    page.goto(live_server.url + "/account/login/")
    page.get_by_label("E-mail address").fill(shop.buyer.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Quick order").first.click()

    page.get_by_label("SKU and quantity, one per line").fill(
        "SCR-100 120\nGLV-12 30\nMNL-1 2\nDRL-1 1\nNOPE-404 3"
    )
    page.get_by_role("button", name="Add to the cart").click()
    results = page.locator("table.rows")
    assert "Unknown SKU NOPE-404." in results.inner_text()
    screenshot(page, "10-quick-order-results")

    page.get_by_role("link", name="See the cart").click()
    error = page.get_by_text("GLV-12 is sold by 12: 30 is not a multiple; 24 or 36?")
    error.wait_for()
    assert page.get_by_role("link", name="Checkout").count() == 0
    screenshot(page, "11-cart-with-error")
    quantity = page.get_by_label("Quantity of GLV-12")
    quantity.fill("36")
    quantity.dispatch_event("change")
    error.wait_for(state="detached")
    assert page.get_by_label("Quantity of GLV-12").input_value() == "36"
    page.get_by_role("link", name="Checkout").click()

    page.get_by_label("Purchase order").check()
    page.get_by_label("Your purchase-order number").fill("PO-2026-0042")
    screenshot(page, "12-checkout")
    page.get_by_role("button", name="Place the order").click()
    page.get_by_text("is placed").wait_for()
    order = Order.objects.get()
    assert order.po_number == "PO-2026-0042"
    assert [(line.sku, line.quantity) for line in order.lines.all()] == [
        ("SCR-100", 120),
        ("GLV-12", 36),
        ("MNL-1", 2),
        ("DRL-1", 1),
    ]
    page.get_by_role("link", name="Orders").first.click()
    assert order.number in page.get_by_role("table").inner_text()
    screenshot(page, "13-order-history")
