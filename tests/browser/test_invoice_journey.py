"""Invoice terms and invoices in a real browser: a buyer whose order would go over the
company's credit limit no longer sees invoice terms and pays by bank transfer; the merchant
records the transfer in the back office; the buyer's account shows the invoice paid."""

from decimal import Decimal

import pytest

from comptoir.payments.models import Invoice, InvoiceStatus
from tests.factories import (
    InvoiceFactory,
    OrderFactory,
    PaymentMethodFactory,
    StaffUserFactory,
    StoreFactory,
)
from tests.shops import build_shop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Comptoir-2026!"
ADMIN = ("merchant@comptoir.example", "Back-Office-2026")


@pytest.fixture
def shop(transactional_db):
    """ACME (credit limit 5,000.00) owes 4,600.00 on an earlier invoice: an order of 30
    boxes of screws (158.40) fits on 30-day terms, one of 120 boxes (522.00) does not."""
    store = StoreFactory(
        legal_address="Quincaillerie Martin & Fils SAS\n18 rue de l'Industrie\n69200 Vénissieux",
        vat_number="FR40303265045",
        iban="FR7630006000011234567890189",
        bic="AGRIFRPP",
    )
    shop = build_shop(store)
    shop.company.credit_limit = Decimal("5000.00")
    shop.company.save()
    PaymentMethodFactory(code="INVOICE30", invoice=True, name="Invoice, 30 days net", position=3)
    earlier = OrderFactory(
        number="CMD-2026-000900",
        company=shop.company,
        subtotal=Decimal("4600.00"),
        shipping_total=Decimal("0.00"),
        tax_total=Decimal("0.00"),
        payment_method_code="INVOICE30",
        payment_method_name="Invoice, 30 days net",
    )
    InvoiceFactory(order=earlier, number="FAC-2026-000900")
    StaffUserFactory(email=ADMIN[0], password=ADMIN[1], is_superuser=True)
    return shop


def test_over_the_credit_limit_the_buyer_pays_by_transfer_and_the_merchant_records_it(
    shop, live_server, new_page, screenshot
):
    buyer = new_page()
    buyer.goto(live_server.url + "/account/login/")
    buyer.get_by_label("E-mail address").fill(shop.buyer.email)
    buyer.get_by_label("Password").fill(PASSWORD)
    buyer.get_by_role("main").get_by_role("button", name="Log in").click()

    buyer.get_by_role("link", name="Quick order").first.click()
    buyer.get_by_label("SKU and quantity, one per line").fill("SCR-100 30")
    buyer.get_by_role("button", name="Add to the cart").click()
    buyer.goto(live_server.url + "/checkout/")
    assert buyer.get_by_label("Invoice, 30 days net").count() == 1
    screenshot(buyer, "40-checkout-within-credit")

    buyer.goto(live_server.url + "/cart/")
    quantity = buyer.get_by_label("Quantity of SCR-100")
    quantity.fill("120")
    quantity.dispatch_event("change")
    buyer.get_by_text("522.00").first.wait_for()
    buyer.get_by_role("link", name="Checkout").click()
    assert buyer.get_by_label("Invoice, 30 days net").count() == 0
    assert buyer.get_by_label("Bank transfer").count() == 1
    screenshot(buyer, "41-checkout-over-credit")
    buyer.get_by_label("Bank transfer").check()
    buyer.get_by_role("button", name="Place the order").click()
    buyer.get_by_text("is placed").wait_for()
    invoice = Invoice.objects.exclude(number="FAC-2026-000900").get()
    assert (invoice.total, invoice.status, invoice.payment_type) == (
        Decimal("522.00"),
        InvoiceStatus.UNPAID,
        "bank_transfer",
    )

    buyer.goto(live_server.url + "/account/#invoices")
    row = buyer.locator(f"#invoice-{invoice.number}")
    assert "Unpaid" in row.inner_text()
    assert "€5,122.00" in buyer.locator("dl.credit").inner_text()  # open balance
    screenshot(buyer, "42-account-invoice-unpaid")
    row.get_by_role("link", name=invoice.number).click()
    buyer.get_by_role("heading", name=f"Invoice {invoice.number}").wait_for()
    assert "FR76 3000 6000 0112 3456 7890 189" in buyer.locator("article.invoice").inner_text()
    screenshot(buyer, "43-invoice-page")

    merchant = new_page()
    merchant.goto(live_server.url + "/admin/")
    merchant.get_by_label("E-mail address").fill(ADMIN[0])
    merchant.get_by_label("Password").fill(ADMIN[1])
    merchant.get_by_role("button", name="Log in").click()
    merchant.goto(live_server.url + "/admin/payments/invoice/?status__exact=unpaid")
    merchant.get_by_role("link", name=invoice.number).click()
    merchant.get_by_role("link", name="Record a payment").click()
    assert merchant.get_by_label("Amount").input_value() == "522.00"
    merchant.get_by_label("Paid by").select_option("bank_transfer")
    merchant.get_by_label("Reference").fill(f"VIR SEPA {invoice.number}")
    screenshot(merchant, "44-admin-record-payment")
    merchant.get_by_role("button", name="Record the payment").click()
    merchant.get_by_text(f"recorded on invoice {invoice.number}: Paid.").wait_for()
    screenshot(merchant, "45-admin-invoice-paid")

    buyer.goto(live_server.url + "/account/#invoices")
    row = buyer.locator(f"#invoice-{invoice.number}")
    assert "Paid" in row.inner_text()
    assert "€4,600.00" in buyer.locator("dl.credit").inner_text()
    screenshot(buyer, "46-account-invoice-paid")
