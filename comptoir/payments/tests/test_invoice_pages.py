"""Invoices as buyers see them: the HTML page, the PDF, and the account page's list."""

import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from comptoir.payments.invoicing import invoice_record_payment
from comptoir.payments.models import InvoiceStatus
from tests.factories import (
    AddressFactory,
    CompanyFactory,
    InvoiceFactory,
    OrderFactory,
    UserFactory,
)

from .conftest import SELLER_VAT, place

REVERSE_CHARGE = "Autoliquidation — article 196 de la directive 2006/112/CE"


def pdf_text(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def invoice(shop):
    """ACME's order of 120 screws and 2 binders on 30-day terms: 547.32, 200.00 paid."""
    order = place(shop, ("SCR-100", 120), ("MNL-1", 2), payment="INVOICE30", po_number="PO-88")
    invoice_record_payment(
        invoice=order.invoice, amount=Decimal("200.00"), paid_on=order.invoice.issued_on,
        method="bank_transfer",
    )  # fmt: skip
    order.invoice.refresh_from_db()
    return order.invoice


@pytest.fixture
def belgian_invoice(shop):
    """A Belgian company's order shipped to Belgium: EU reverse charge, no VAT."""
    company = CompanyFactory(
        code="VDB", name="Van den Broeck NV", group=shop.group, belgian=True,
        vat_number="BE0403019261",
    )  # fmt: skip
    AddressFactory(company=company, code="GENT", city="Gent", postal_code="9000", country="BE")
    buyer = UserFactory(company=company, email="inkoop@vdb.example")
    order = place(shop, ("SCR-100", 120), user=buyer)
    return order.invoice


def test_the_invoice_page_shows_the_legal_mentions(client, shop, invoice):
    client.force_login(shop.buyer)
    response = client.get(f"/invoices/{invoice.number}/")
    assert response.status_code == 200
    page = response.content.decode()
    for text in (
        f"Invoice {invoice.number}",
        "Quincaillerie Martin &amp; Fils SAS",
        f"VAT number: {SELLER_VAT}",
        "Acme Outillage (ACME)",
        "VAT number: FR83404833048",
        "PO-88",
        "SCR-100",
        "Tax 20\N{NO-BREAK SPACE}%",
        "Tax 5.5\N{NO-BREAK SPACE}%",
        "547.32",
        "347.32",  # still due
        "Partly paid",
        "30 days net",
        "FR76 3000 6000 0112 3456 7890 189",
        "AGRIFRPP",
        f"{invoice.number} / {invoice.order.number}",
        f'href="/invoices/{invoice.number}.pdf"',
    ):
        assert text in page, text


def test_the_pdf_is_downloaded_under_the_invoice_number(client, shop, invoice):
    client.force_login(shop.buyer)
    response = client.get(f"/invoices/{invoice.number}.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{invoice.number}.pdf"'
    text = pdf_text(response)
    for expected in (
        f"Invoice {invoice.number}",
        f"VAT number: {SELLER_VAT}",
        "VAT number: FR83404833048",
        "Acme Outillage (ACME)",
        "Subtotal 444.00",
        "Shipping 15.00",
        "Tax 20\N{NO-BREAK SPACE}% (base 435.00) 87.00",
        "Tax 5.5\N{NO-BREAK SPACE}% (base 24.00) 1.32",
        "Total (EUR) 547.32",
        "Paid 200.00",
        "Amount due 347.32",
        "IBAN: FR76 3000 6000 0112 3456 7890 189",
        "BIC: AGRIFRPP",
        f"Order: {invoice.order.number}",
        "Purchase order: PO-88",
    ):
        assert expected in text, expected
    assert REVERSE_CHARGE not in text


def test_the_pdf_of_a_reverse_charge_invoice_carries_the_mention(client, shop, belgian_invoice):
    client.force_login(belgian_invoice.order.buyer)
    text = pdf_text(client.get(f"/invoices/{belgian_invoice.number}.pdf"))
    assert "VAT number: BE0403019261" in text
    assert "Tax 0\N{NO-BREAK SPACE}% — EU reverse charge (base 435.00) 0.00" in text
    assert "Total (EUR) 435.00" in text
    assert REVERSE_CHARGE in text


def test_the_pdf_speaks_the_buyers_language(client, shop, invoice):
    client.force_login(shop.buyer)
    text = pdf_text(client.get(f"/fr/invoices/{invoice.number}.pdf"))
    assert "547,32" in text


@pytest.mark.parametrize("suffix", ["/", ".pdf"])
def test_another_companys_buyer_gets_a_404(client, shop, invoice, suffix):
    other = UserFactory(company=CompanyFactory(group=shop.group))
    client.force_login(other)
    assert client.get(f"/invoices/{invoice.number}{suffix}").status_code == 404
    assert client.get(f"/invoices/FAC-1999-000001{suffix}").status_code == 404
    client.logout()
    assert client.get(f"/invoices/{invoice.number}{suffix}").status_code == 302  # to log in


def test_the_account_page_lists_the_credit_and_the_invoices(client, shop, invoice):
    # Not invoiced yet: 163.60 (numbered apart from the placed order's CMD-<year>-000001).
    OrderFactory(number="CMD-1999-000001", company=shop.company, subtotal=Decimal("100.00"))
    client.force_login(shop.buyer)
    page = client.get("/account/").content.decode()
    assert "€5,000.00" in page  # credit limit
    assert "€510.92" in page  # open balance: 347.32 + 163.60
    assert "€4,489.08" in page  # available
    assert f'href="/invoices/{invoice.number}/"' in page
    assert f'href="/invoices/{invoice.number}.pdf"' in page
    assert "Partly paid" in page
    assert "€347.32" in page


def test_the_account_page_queries_do_not_grow_with_invoices(
    client, shop, django_assert_max_num_queries
):
    client.force_login(shop.buyer)
    InvoiceFactory(order=OrderFactory(company=shop.company))
    with django_assert_max_num_queries(30) as one:
        assert client.get("/account/").status_code == 200
    for _ in range(49):
        InvoiceFactory(order=OrderFactory(company=shop.company), status=InvoiceStatus.OVERDUE)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get("/account/").content.decode()
    assert page.count('class="status-overdue"') == 49


def test_the_order_page_links_to_its_invoice(client, shop, invoice):
    client.force_login(shop.buyer)
    page = client.get(f"/orders/{invoice.order.number}/").content.decode()
    assert f'href="/invoices/{invoice.number}/"' in page
    assert f'href="/invoices/{invoice.number}.pdf"' in page
