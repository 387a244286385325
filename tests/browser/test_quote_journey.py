"""A quote in a real browser (issue 17): the buyer asks for a quote of the cart, the merchant
quotes a price in the back office and sends it, the buyer asks for a revision, the merchant
prepares a new round (the buyer keeps seeing the first until it is sent) and sends it with a
shipping price, the buyer accepts and orders; the order and its invoice carry the quoted
price to the cent and the quoted shipping."""

import datetime
from decimal import Decimal

import pytest

from comptoir.core.selectors import get_store, store_today
from comptoir.ordering.models import Order
from comptoir.quotes.models import Quote
from tests.factories import StaffUserFactory, StoreFactory
from tests.shops import build_shop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Comptoir-2026!"
MERCHANT = ("ventes@comptoir.example", "Back-Office-2026")


@pytest.fixture
def shop(transactional_db, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    shop = build_shop(StoreFactory())
    StaffUserFactory(email=MERCHANT[0], password=MERCHANT[1], is_superuser=True)
    return shop


def buyer_logs_in(page, url):
    page.goto(url + "/account/login/")
    page.get_by_label("E-mail address").fill("achats@acme.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Approvals").wait_for()


def merchant_logs_in(page, url):
    page.goto(url + "/admin/login/")
    page.get_by_label("E-mail address").fill(MERCHANT[0])
    page.get_by_label("Password").fill(MERCHANT[1])
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Log out").or_(
        page.get_by_role("button", name="Log out")
    ).wait_for()


def merchant_prepares(page, url, quote, price, message, shipping=""):
    page.goto(url + f"/admin/quotes/quote/{quote.pk}/change/")
    page.locator("#id_lines-0-quoted_unit_price").fill(price)
    expiry = store_today(get_store()) + datetime.timedelta(days=30)
    page.locator("#id_expires_on").fill(expiry.isoformat())
    page.locator("#id_shipping_price").fill(shipping)
    page.locator("#id_message").fill(message)


def merchant_sends(page, url, quote, price, message):
    merchant_prepares(page, url, quote, price, message)
    send(page, quote)


def send(page, quote):
    page.get_by_role("button", name="Save and send to the buyer").click()
    page.get_by_text(f"Quote {quote.number} is sent to the buyer.").wait_for()


def test_request_offer_revision_acceptance_order_and_invoice(
    shop, live_server, new_page, screenshot
):
    url = live_server.url
    buyer, merchant = new_page(), new_page()
    buyer_logs_in(buyer, url)
    buyer.goto(url + "/p/SCR-100/")
    buyer.get_by_label("Quantity", exact=True).fill("37")
    buyer.get_by_role("button", name="Add to cart").click()
    buyer.goto(url + "/cart/")
    buyer.get_by_text("Request a quote for these lines").click()
    buyer.get_by_label("Message to the store").fill("Best price for a yearly contract?")
    buyer.get_by_role("button", name="Request a quote", exact=True).click()
    buyer.get_by_text("The store is preparing its offer.").wait_for()
    quote = Quote.objects.get()

    merchant_logs_in(merchant, url)
    merchant_sends(merchant, url, quote, "7.5000", "Our yearly price.")
    buyer.reload()
    buyer.get_by_role("cell", name="€277.50").first.wait_for()  # 7.5 × 37
    buyer.get_by_label("Message (needed to ask for a revision)").fill("Could you do 7.1234?")
    buyer.get_by_role("button", name="Ask for a revision").click()
    buyer.get_by_text(f"Your request for a revision of quote {quote.number} is sent.").wait_for()

    # The new round, saved but not sent yet: the buyer still sees the first one.
    merchant_prepares(merchant, url, quote, "7.1234", "Agreed: 7.1234.", shipping="25.00")
    merchant.get_by_role("button", name="Save and continue editing").click()
    merchant.get_by_text("was changed successfully").wait_for()
    buyer.reload()
    buyer.get_by_role("cell", name="€277.50").first.wait_for()
    assert "Agreed: 7.1234." not in buyer.content()
    assert "€25.00" not in buyer.content()
    send(merchant, quote)
    buyer.reload()
    buyer.get_by_text("Agreed: 7.1234.").wait_for()
    buyer.get_by_text("€25.00").first.wait_for()
    buyer.get_by_role("button", name="Accept the quote").click()
    buyer.get_by_text(f"You accepted quote {quote.number}.").wait_for()
    screenshot(buyer, "quote-accepted")
    buyer.get_by_role("link", name="Order now").click()
    buyer.get_by_text(f"You are ordering the lines of quote {quote.number}").wait_for()
    buyer.get_by_label("Bank transfer").check()
    buyer.get_by_role("button", name="Place the order").click()
    buyer.get_by_text("is placed. A confirmation is on its way.").wait_for()
    screenshot(buyer, "quote-ordered")

    order = Order.objects.get()
    line = order.lines.get()
    assert (line.unit_price, line.net) == (
        Decimal("7.1234"),
        Decimal("263.57"),
    )
    # The quoted shipping, not STD's 15.00: (263.57 + 25.00) × 20 % = 57.71; 346.28.
    assert (order.shipping_total, order.tax_total, order.total) == (
        Decimal("25.00"),
        Decimal("57.71"),
        Decimal("346.28"),
    )
    assert Quote.objects.get().state == "ordered"
    buyer.get_by_role("cell", name="€263.57").first.wait_for()
    buyer.get_by_role("link", name=order.invoice.number).click()
    buyer.get_by_role("cell", name="7.1234", exact=True).wait_for()
    buyer.get_by_role("cell", name="263.57", exact=True).first.wait_for()
    buyer.get_by_text("346.28").first.wait_for()
    screenshot(buyer, "quote-invoice")
