"""Credit notes as buyers see them: the page, the PDF, the invoice's and account's lists."""

import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from comptoir.credits.services import credit_note_issue
from tests.factories import CompanyFactory, InvoiceFactory, UserFactory, create_order

from .conftest import place

pytestmark = pytest.mark.django_db


@pytest.fixture
def note(shop):
    invoice = place(shop, ("SCR-100", 120), ("MNL-1", 3), payment="INVOICE30").invoice
    return credit_note_issue(
        invoice=invoice, kind="lines", quantities={0: 40, 1: 1}, reason="Damaged in transit"
    )


def test_the_credit_note_page_shows_what_is_taken_back(client, shop, note):
    client.force_login(shop.buyer)
    page = client.get(f"/credit-notes/{note.number}/").content.decode()
    for text in (
        f"Credit note {note.number}",
        note.invoice.number,
        "Damaged in transit",
        "VAT number: FR40303265045",
        "VAT number: FR83404833048",
        "140.00",
        "28.00",
        "0.66",
        "180.66",
        f'href="/credit-notes/{note.number}.pdf"',
    ):
        assert text in page, text


def test_the_credit_note_pdf(client, shop, note):
    client.force_login(shop.buyer)
    response = client.get(f"/credit-notes/{note.number}.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="{note.number}.pdf"' in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert f"Credit note {note.number}" in text
    assert "180.66" in text
    assert "Damaged in transit" in text


def test_the_invoice_page_and_the_account_page_list_the_credit_note(client, shop, note):
    client.force_login(shop.buyer)
    invoice_page = client.get(f"/invoices/{note.invoice.number}/").content.decode()
    assert f'href="/credit-notes/{note.number}/"' in invoice_page
    assert "−180.66" in invoice_page
    assert "379.32" in invoice_page  # still due: 559.98 − 180.66
    account = client.get("/account/").content.decode()
    assert f'href="/credit-notes/{note.number}.pdf"' in account
    assert "€379.32" in account  # open balance


def test_another_companys_buyer_gets_a_404(client, shop, note):
    client.force_login(UserFactory(company=CompanyFactory(group=shop.group)))
    for suffix in ("/", ".pdf"):
        assert client.get(f"/credit-notes/{note.number}{suffix}").status_code == 404
        assert client.get(f"/credit-notes/AV-1999-000001{suffix}").status_code == 404


def test_the_account_page_queries_do_not_grow_with_credit_notes(
    client, shop, django_assert_max_num_queries
):
    client.force_login(shop.buyer)

    def credited_invoice():
        order = create_order(
            company=shop.company, items=[(shop.products["SCR-100"], 10, Decimal("3.90"))]
        )
        invoice = InvoiceFactory(order=order)
        credit_note_issue(invoice=invoice, kind="amount", amount=Decimal("10.00"), reason="Gift")

    credited_invoice()
    with django_assert_max_num_queries(30) as one:
        assert client.get("/account/").status_code == 200
    for _ in range(49):
        credited_invoice()
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get("/account/").content.decode()
    assert page.count('id="credit-note-AV-') == 50


def test_the_credit_note_speaks_french(client, shop, note):
    client.force_login(shop.buyer)
    page = client.get(f"/fr/credit-notes/{note.number}/").content.decode()
    assert f"Avoir {note.number}" in page
    assert "Total crédité (EUR)" in page
    assert "180,66" in page
    pdf = client.get(f"/fr/credit-notes/{note.number}.pdf")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert f"Avoir {note.number}" in text
    assert "180,66" in text
