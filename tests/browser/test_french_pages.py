"""A French buyer's pages in a real browser (issue 13, point 12): the product, the cart, the
order and its invoice name the selling unit in French with its plural, call the tax "TVA",
write dates that no reader can take for another day, and the invoice states the late-payment
penalties and the 40 € recovery fee."""

import datetime

import pytest

from comptoir.ordering.models import Order
from comptoir.payments.models import Invoice
from tests.factories import StoreFactory
from tests.shops import build_shop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Comptoir-2026!"
NBSP = "\N{NO-BREAK SPACE}"


def test_a_french_buyer_reads_french_units_tva_dates_and_late_payment_terms(
    live_server, new_page, screenshot
):
    shop = build_shop(StoreFactory(legal_address="Quincaillerie Martin & Fils SAS\nVénissieux"))
    page = new_page()
    page.goto(live_server.url + "/fr/account/login/")
    page.get_by_label("Adresse e-mail").fill(shop.buyer.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Se connecter").click()
    page.wait_for_url(lambda url: "/login/" not in url)

    page.goto(live_server.url + "/fr/p/GLV-12/")
    facts = page.get_by_role("main").inner_text()
    assert "Vendu par carton (12 articles par unité)" in facts
    assert page.locator(".price-line .per").inner_text() == "par carton"
    screenshot(page, "60-fr-product")
    page.get_by_label("Quantité", exact=True).fill("24")
    page.get_by_role("button", name="Ajouter au panier").click()
    page.goto(live_server.url + "/fr/p/SCR-100/")
    page.get_by_label("Quantité", exact=True).fill("120")
    page.get_by_role("button", name="Ajouter au panier").click()

    page.goto(live_server.url + "/fr/cart/")
    cart = page.locator("#cart")
    assert cart.locator("#line-GLV-12 .unit").inner_text() == "cartons"
    assert "TVA 20\xa0%" in cart.inner_text()
    assert "Taxe" not in cart.inner_text()
    screenshot(page, "61-fr-cart")

    page.get_by_role("link", name="Valider la commande").click()
    page.get_by_label("Bank transfer").check()
    page.get_by_role("button", name="Passer la commande").click()
    page.get_by_text("est enregistrée").wait_for()
    order = Order.objects.get()
    Order.objects.filter(pk=order.pk).update(
        placed_at=datetime.datetime(2026, 12, 6, 9, 30, tzinfo=datetime.UTC)
    )
    Invoice.objects.filter(order=order).update(
        issued_on=datetime.date(2026, 12, 6), due_on=datetime.date(2026, 12, 6)
    )

    page.goto(f"{live_server.url}/fr/orders/{order.number}/")
    text = page.get_by_role("main").inner_text()
    assert "6 décembre 2026, 10:30" in text
    assert f"24{NBSP}cartons" in text
    assert "TVA 20\xa0%" in text
    screenshot(page, "62-fr-order")

    page.get_by_role("link", name=order.invoice.number).click()
    page.wait_for_url(f"**/invoices/{order.invoice.number}/")
    text = page.get_by_role("main").inner_text()
    assert "6 décembre 2026" in text
    assert f"24{NBSP}cartons" in text
    assert (
        "Pénalités de retard\xa0: taux de refinancement de la BCE majoré de 10\xa0points, "
        "exigibles dès le lendemain de la date d’échéance."
    ) in text
    assert "40,00\xa0€ (art. L441-10 du Code de commerce)" in text
    screenshot(page, "63-fr-invoice")

    page.goto(live_server.url + "/fr/orders/")
    assert "2026-12-06" in page.get_by_role("table").inner_text()
