"""A return in a real browser: the buyer asks to return part of a delivered order, the
merchant accepts it, marks the goods received and back in stock, and issues the credit
note; the buyer sees the return credited and opens its credit note and the PDF link."""

from decimal import Decimal

import pytest

from comptoir.accounts.access import viewer_for
from comptoir.ordering.models import OrderStatus
from comptoir.ordering.order_status import order_set_status
from comptoir.ordering.placement import CheckoutRequest, order_place
from comptoir.ordering.services import cart_add_lines
from comptoir.returns.models import ReturnRequest
from tests.factories import PaymentMethodFactory, StaffUserFactory, StoreFactory
from tests.shops import build_shop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Comptoir-2026!"
ADMIN = ("merchant@comptoir.example", "Back-Office-2026")


@pytest.fixture
def delivered(transactional_db):
    """ACME's delivered order of 30 boxes of screws and 3 safety binders at 12.00 (5.5 %
    VAT), invoiced."""
    store = StoreFactory(vat_number="FR40303265045")
    shop = build_shop(store)
    shop.company.credit_limit = Decimal("5000.00")
    shop.company.save()
    PaymentMethodFactory(code="INVOICE30", invoice=True, name="Invoice, 30 days net", position=3)
    viewer = viewer_for(store, shop.buyer)
    cart_add_lines(viewer=viewer, rows=[(1, "SCR-100", 30), (2, "MNL-1", 3)])
    order = order_place(viewer=viewer, request=CheckoutRequest(payment_method="INVOICE30")).order
    order_set_status(order=order, status=OrderStatus.DELIVERED)
    StaffUserFactory(email=ADMIN[0], password=ADMIN[1], is_superuser=True)
    shop.order = order
    return shop


def test_a_return_through_to_its_credit_note(delivered, live_server, new_page, screenshot):
    order = delivered.order
    buyer = new_page()
    buyer.goto(live_server.url + "/account/login/")
    buyer.get_by_label("E-mail address").fill(delivered.buyer.email)
    buyer.get_by_label("Password").fill(PASSWORD)
    buyer.get_by_role("main").get_by_role("button", name="Log in").click()

    buyer.goto(f"{live_server.url}/orders/{order.number}/")
    buyer.get_by_role("link", name="Return goods").click()
    buyer.get_by_label("MNL-1 — Safety binder").fill("2")
    buyer.get_by_label("Reason").select_option("damaged")
    buyer.get_by_label("Comment").fill("Two binders arrived torn.")
    screenshot(buyer, "70-return-request")
    buyer.get_by_role("button", name="Ask for the return").click()
    buyer.get_by_text("is requested").wait_for()
    found = ReturnRequest.objects.get()
    assert found.state == "requested"
    screenshot(buyer, "71-return-requested")

    merchant = new_page()
    merchant.goto(live_server.url + "/admin/")
    merchant.get_by_label("E-mail address").fill(ADMIN[0])
    merchant.get_by_label("Password").fill(ADMIN[1])
    merchant.get_by_role("button", name="Log in").click()
    merchant.goto(live_server.url + "/admin/returns/returnrequest/")
    merchant.get_by_role("link", name=found.number).click()
    merchant.get_by_label("Message to the buyer").fill("Send them back to Lyon.")
    merchant.get_by_role("button", name="Accept").click()
    merchant.get_by_text(f"Return {found.number}: Accepted.").wait_for()
    merchant.get_by_role("button", name="Received, back in stock").click()
    merchant.get_by_text(f"Return {found.number}: Received.").wait_for()
    merchant.get_by_role("button", name="Issue the credit note").click()
    merchant.get_by_text(f"Return {found.number}: Credited.").wait_for()
    screenshot(merchant, "72-admin-return-credited")
    found.refresh_from_db()
    assert found.credit_note.total == Decimal("25.32")  # 2 × 12.00 + 5.5 % VAT

    buyer.goto(f"{live_server.url}/returns/{found.number}/")
    assert "Credited" in buyer.locator("dd.return-state").inner_text()
    buyer.get_by_role("link", name=found.credit_note.number).click()
    buyer.get_by_role("heading", name=f"Credit note {found.credit_note.number}").wait_for()
    assert "25.32" in buyer.locator("article.credit-note").inner_text()
    pdf = buyer.get_by_role("link", name="Download the PDF")
    assert pdf.get_attribute("href") == f"/credit-notes/{found.credit_note.number}.pdf"
    screenshot(buyer, "73-credit-note-page")
