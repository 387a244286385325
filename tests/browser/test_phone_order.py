"""Sales representatives in a real browser (issue 18): Anne Martin, who looks after ACME,
takes a phone order in the back office; the buyer then sees it in their order list, placed
by her for the company. She also opens the storefront as the buyer and comes back."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission

from comptoir.ordering.models import Order
from comptoir.sales.models import REPRESENTATIVES_GROUP, Assignment
from tests.factories import CompanyFactory, StaffUserFactory, StoreFactory
from tests.shops import build_shop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Comptoir-2026!"
REP = ("anne.martin@comptoir.example", "Telephone-2026")
REP_PERMISSIONS = [
    "view_company",
    "view_user",
    "view_order",
    "view_quote",
    "view_invoice",
    "act_as_buyer",
    "enter_orders",
]


@pytest.fixture
def shop(transactional_db):
    """The group is made again: a transactional test's database is emptied of migration data."""
    shop = build_shop(StoreFactory())
    CompanyFactory(code="GLOBEX", name="Globex", group=shop.group)
    group, _created = Group.objects.get_or_create(name=REPRESENTATIVES_GROUP)
    group.permissions.set(Permission.objects.filter(codename__in=REP_PERMISSIONS))
    rep = StaffUserFactory(email=REP[0], password=REP[1], first_name="Anne", last_name="Martin")
    rep.groups.add(group)
    Assignment.objects.create(representative=rep, company=shop.company)
    shop.buyer.first_name, shop.buyer.last_name = "Luc", "Bernard"
    shop.buyer.save()
    return shop


def log_in_to_back_office(page, url):
    page.goto(url + "/admin/")
    page.get_by_label("E-mail address").fill(REP[0])
    page.get_by_label("Password").fill(REP[1])
    page.get_by_role("button", name="Log in").click()


def test_a_representative_places_a_phone_order(shop, live_server, new_page, screenshot):
    rep = new_page()
    log_in_to_back_office(rep, live_server.url)
    rep.goto(live_server.url + "/admin/customers/company/")
    assert rep.get_by_role("link", name="Globex").count() == 0
    rep.get_by_role("link", name="ACME").click()
    rep.get_by_role("link", name="Enter an order").click()
    rep.get_by_label("Buyer").select_option(label=f"Luc Bernard <{shop.buyer.email}> (buyer)")
    rep.get_by_label("Products and quantities").fill("SCR-100 120\nMNL-1 2")
    rep.get_by_role("button", name="Price the order").click()
    assert rep.locator("#entry-total").inner_text() == "547.32 EUR"
    rep.get_by_label("Payment method").select_option("PO")
    rep.get_by_label("PO number").fill("PHONE-0412")
    screenshot(rep, "90-phone-order-priced")
    rep.get_by_role("button", name="Place the order").click()
    order = Order.objects.get()
    rep.get_by_text(f"Order {order.number} placed for Acme Outillage").wait_for()
    screenshot(rep, "91-phone-order-placed")
    assert (order.total, order.po_number, order.placed_by.email) == (
        Decimal("547.32"),
        "PHONE-0412",
        REP[0],
    )

    buyer = new_page()
    buyer.goto(live_server.url + "/account/login/")
    buyer.get_by_label("E-mail address").fill(shop.buyer.email)
    buyer.get_by_label("Password").fill(PASSWORD)
    buyer.get_by_role("button", name="Log in").click()
    buyer.goto(live_server.url + "/orders/")
    row = buyer.get_by_role("row").filter(has_text=order.number)
    assert "placed by Anne Martin for Acme Outillage" in row.inner_text()
    screenshot(buyer, "92-buyer-sees-phone-order")


def test_a_representative_acts_as_the_buyer_and_comes_back(shop, live_server, new_page, screenshot):
    rep = new_page()
    log_in_to_back_office(rep, live_server.url)
    rep.goto(live_server.url + f"/admin/customers/company/{shop.company.pk}/change/")
    rep.get_by_role("button", name="Act as Luc Bernard").click()
    banner = rep.locator("#acting-banner")
    assert "You are acting as Luc Bernard (Acme Outillage)." in banner.inner_text()
    rep.goto(live_server.url + "/cart/")
    assert rep.locator("#acting-banner").count() == 1
    screenshot(rep, "93-acting-banner")
    rep.get_by_role("button", name="Back to the back office").click()
    rep.get_by_text("You stopped acting as Luc Bernard.").wait_for()
    assert "/admin/customers/company/" in rep.url
