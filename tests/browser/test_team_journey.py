"""A company buying as a team, in a real browser: the administrator invites a colleague for
the Nantes site only; the colleague joins from the e-mailed link and orders for Nantes, where
the only address offered is the Nantes depot; the administrator sees who ordered what."""

import re

import pytest
from django.core import mail

from comptoir.customers.models import Address, Location
from comptoir.ordering.models import Order
from tests.factories import AddressFactory, StoreFactory
from tests.shops import build_shop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Comptoir-2026!"


@pytest.fixture
def shop(transactional_db):
    shop = build_shop(StoreFactory())
    shop.buyer.role = "admin"
    shop.buyer.first_name, shop.buyer.last_name = "Anne", "Martin"
    shop.buyer.save()
    lyon = shop.company.locations.get()
    lyon.code, lyon.name = "LYON", "Lyon"
    lyon.save()
    Address.objects.filter(company=shop.company, code="HQ").update(location=lyon)
    nantes = Location.objects.create(company=shop.company, code="NANTES", name="Nantes", position=1)
    AddressFactory(
        company=shop.company,
        code="DEPOT",
        position=1,
        line1="9 quai de la Fosse",
        city="Nantes",
        postal_code="44000",
        country="FR",
        location=nantes,
    )
    return shop


def log_in(page, url, email, password):
    page.goto(url + "/account/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("main").get_by_role("button", name="Log in").click()


def test_an_administrator_invites_a_colleague_who_orders_for_one_site(
    shop, live_server, new_page, screenshot
):
    admin = new_page()
    log_in(admin, live_server.url, shop.buyer.email, PASSWORD)
    admin.goto(live_server.url + "/account/team/")
    admin.get_by_label("E-mail address").fill("bruno@acme.example")
    admin.get_by_label("Role").select_option("buyer")
    admin.get_by_label("All locations").uncheck()
    admin.get_by_label("Nantes").check()
    admin.get_by_role("button", name="Send the invitation").click()
    admin.get_by_text("Invitation sent to bruno@acme.example").wait_for()
    screenshot(admin, "team-invited")

    [invitation] = mail.outbox
    link = re.search(r"https?://\S+/team/join/\S+/", invitation.body).group(0)
    colleague = new_page()
    colleague.goto(link)
    colleague.get_by_label("First name").fill("Bruno")
    colleague.get_by_label("Last name").fill("Lefèvre")
    colleague.locator("#id_password1").fill("Quincaillerie-2026")
    colleague.locator("#id_password2").fill("Quincaillerie-2026")
    colleague.get_by_role("button", name="Join").click()
    colleague.get_by_text("Welcome to Acme Outillage").wait_for()

    colleague.goto(live_server.url + "/p/SCR-100/")
    colleague.get_by_label("Quantity", exact=True).fill("50")
    colleague.get_by_role("button", name="Add to cart").click()
    colleague.goto(live_server.url + "/checkout/")
    addresses = colleague.locator("input[name=address]")
    assert [addresses.nth(i).get_attribute("value") for i in range(addresses.count())] == [
        "DEPOT",
        "__new__",
    ]
    colleague.get_by_label("Bank transfer").check()
    colleague.get_by_role("button", name="Place the order").click()
    colleague.get_by_text("is placed").wait_for()
    screenshot(colleague, "team-colleague-ordered")

    order = Order.objects.get()
    assert (order.buyer.email, order.location.code) == ("bruno@acme.example", "NANTES")
    admin.goto(live_server.url + "/orders/")
    row = admin.locator("tr", has_text=order.number)
    assert "Bruno Lefèvre" in row.inner_text()
    assert "Nantes" in row.inner_text()
    admin.goto(live_server.url + "/account/team/")
    events = admin.locator("table.events").inner_text()
    assert "joined" in events and "bruno@acme.example" in events
    screenshot(admin, "team-admin-sees-the-order")
