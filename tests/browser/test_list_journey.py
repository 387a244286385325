"""A buyer saves a cart as a requisition list, orders, and orders the list again the next
week, in a real browser."""

import pytest

from comptoir.lists.models import RequisitionList
from comptoir.ordering.models import Order
from tests.factories import StoreFactory
from tests.shops import build_shop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Comptoir-2026!"


def check_out(page):
    page.get_by_role("link", name="Checkout").click()
    page.get_by_label("Bank transfer").check()
    page.get_by_role("button", name="Place the order").click()
    page.get_by_text("is placed").wait_for()


def test_save_the_cart_as_a_list_and_reorder_it_next_week(live_server, new_page, screenshot):
    shop = build_shop(StoreFactory())
    page = new_page()
    page.goto(live_server.url + "/account/login/")
    page.get_by_label("E-mail address").fill(shop.buyer.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Quick order").first.click()
    page.get_by_label("SKU and quantity, one per line").fill("SCR-100 120\nMNL-1 2")
    page.get_by_role("button", name="Add to the cart").click()
    page.get_by_role("link", name="See the cart").click()

    page.get_by_label("Save the cart as a list named").fill("Monday restock")
    page.get_by_role("button", name="Save as a list").click()
    page.get_by_text("The cart is saved as the list Monday restock.").wait_for()
    screenshot(page, "30-list-saved")
    page.get_by_role("link", name="Cart").first.click()
    check_out(page)

    # The next week: the list, a quantity changed, the whole list into the cart.
    page.get_by_role("link", name="Lists").first.click()
    page.get_by_role("link", name="Monday restock").click()
    quantity = page.get_by_label("Quantity of MNL-1")
    quantity.fill("3")
    page.locator("#line-MNL-1").get_by_role("button", name="Update").click()
    assert page.get_by_label("Quantity of MNL-1").input_value() == "3"
    screenshot(page, "31-list")
    page.get_by_role("button", name="Add to the cart (the lines ticked, or all)").click()
    page.get_by_text("2 lines added to the cart.").wait_for()
    check_out(page)

    first, second = Order.objects.order_by("id")
    assert [(line.sku, line.quantity) for line in first.lines.all()] == [
        ("SCR-100", 120),
        ("MNL-1", 2),
    ]
    assert [(line.sku, line.quantity) for line in second.lines.all()] == [
        ("SCR-100", 120),
        ("MNL-1", 3),
    ]
    assert RequisitionList.objects.get().lines.count() == 2
