"""From visitor to buyer in a real browser: request, approval, password, French, group prices."""

import re
from decimal import Decimal

import pytest
from django.core import mail

from comptoir.customers.models import Company, CompanyStatus
from tests.factories import (
    CategoryFactory,
    CustomerGroupFactory,
    PriceEntryFactory,
    PriceListFactory,
    ProductFactory,
    StaffUserFactory,
    StoreFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADMIN = ("merchant@comptoir.example", "Back-Office-2026")
BUYER = ("claire.dubois@menuiserie-dubois.example", "Rabot-Dubois-2026")


@pytest.fixture
def shop(transactional_db):
    store = StoreFactory()
    pro = CustomerGroupFactory(code="PRO", name="Professionnels")
    screws = CategoryFactory(code="SCREWS", name="Screws")
    product = ProductFactory(sku="SCR-440", name="Wood screws 4x40", category=screws, unit="box")
    PriceEntryFactory(price_list=store.base_price_list, product=product, price=Decimal("10.00"))
    pro_list = PriceListFactory(code="PRO", customer_groups=[pro])
    PriceEntryFactory(price_list=pro_list, product=product, min_qty=1, price=Decimal("9.50"))
    PriceEntryFactory(price_list=pro_list, product=product, min_qty=50, price=Decimal("8.50"))
    StaffUserFactory(email=ADMIN[0], password=ADMIN[1], is_superuser=True)
    return store


def test_visitor_requests_an_account_and_buys_at_the_group_price(
    shop, live_server, new_page, screenshot
):
    visitor = new_page()
    visitor.goto(live_server.url + "/")
    screenshot(visitor, "01-home-visitor")
    visitor.get_by_role("link", name="Open a business account").first.click()
    visitor.get_by_label("Company name").fill("Menuiserie Dubois")
    visitor.get_by_label("VAT or tax number").fill("FR40303265045")
    visitor.locator("#id_line1").fill("12 rue des Tanneurs")
    visitor.get_by_label("Postal code").fill("69002")
    visitor.get_by_label("City").fill("Lyon")
    visitor.get_by_label("Country").select_option("FR")
    visitor.get_by_label("First name").fill("Claire")
    visitor.get_by_label("Last name").fill("Dubois")
    visitor.get_by_label("Contact e-mail").fill(BUYER[0])
    screenshot(visitor, "02-account-request")
    visitor.get_by_role("button", name="Send the request").click()
    visitor.get_by_role("heading", name="Request sent").wait_for()
    company = Company.objects.get(name="Menuiserie Dubois")
    assert company.status == CompanyStatus.PENDING

    merchant = new_page()
    merchant.goto(live_server.url + "/admin/")
    merchant.get_by_label("E-mail address").fill(ADMIN[0])
    merchant.get_by_label("Password").fill(ADMIN[1])
    merchant.get_by_role("button", name="Log in").click()
    merchant.goto(live_server.url + f"/admin/customers/company/{company.pk}/change/")
    merchant.locator("#id_group").select_option(label="PRO — Professionnels")
    merchant.get_by_role("button", name="Save", exact=True).click()
    merchant.goto(live_server.url + "/admin/customers/company/?status__exact=pending")
    merchant.locator(f"input[name=_selected_action][value='{company.pk}']").check()
    merchant.get_by_role("combobox", name="Action").select_option("approve")
    merchant.get_by_role("button", name="Go").click()
    merchant.get_by_text("1 company approved").wait_for()
    screenshot(merchant, "03-admin-approved")
    company.refresh_from_db()
    assert (company.status, company.group.code) == (CompanyStatus.APPROVED, "PRO")

    approval = next(
        message
        for message in mail.outbox
        if message.to == [BUYER[0]] and "password/set" in message.body
    )
    link = re.search(r"https?://\S+/password/set/\S+/", approval.body).group(0)
    buyer = new_page()
    buyer.goto(link)
    buyer.locator("#id_new_password1").fill(BUYER[1])
    buyer.locator("#id_new_password2").fill(BUYER[1])
    buyer.get_by_role("button", name="Save the password").click()
    buyer.get_by_role("heading", name="Password saved").wait_for()
    buyer.get_by_role("main").get_by_role("link", name="Log in").click()
    buyer.get_by_label("E-mail address").fill(BUYER[0])
    buyer.get_by_label("Password").fill(BUYER[1])
    buyer.get_by_role("main").get_by_role("button", name="Log in").click()
    buyer.locator(".account-menu summary", has_text="Menuiserie Dubois").wait_for()

    buyer.get_by_label("Language").select_option("fr")
    buyer.get_by_role("button", name="Change language").click()
    buyer.get_by_role("link", name="Screws").first.click()
    buyer.get_by_role("heading", name="Screws").wait_for()
    assert "9,50\u00a0€" in buyer.get_by_role("main").inner_text()
    screenshot(buyer, "04-category-fr")
    buyer.get_by_role("link", name="Wood screws 4x40").click()
    tiers = buyer.get_by_role("table")
    assert "Prix par quantité" in tiers.inner_text()
    rows = [row.inner_text().split("\t") for row in tiers.locator("tbody tr").all()]
    assert rows == [["à partir de 1", "9,50\u00a0€"], ["à partir de 50", "8,50\u00a0€"]]
    screenshot(buyer, "05-product-fr")
