"""The back office: a credit note issued from an invoice's page (lines, amount), listed and
read as a PDF; a refund recorded; bad input shown on the form, nothing written."""

from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from comptoir.core.selectors import get_store, store_today
from comptoir.credits.models import CreditNote, InvoiceRefund
from comptoir.payments.invoicing import invoice_record_payment

from .conftest import place

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoice(shop):
    return place(shop, ("SCR-100", 120), ("MNL-1", 3), payment="INVOICE30").invoice  # 559.98


def test_issue_a_credit_note_by_lines_from_the_invoice_page(admin_client, invoice):
    change = admin_client.get(reverse("admin:payments_invoice_change", args=[invoice.pk]))
    issue_url = reverse("admin:credits_creditnote_issue", args=[invoice.pk])
    assert issue_url in change.content.decode()
    form = admin_client.get(issue_url).content.decode()
    assert 'name="line_0"' in form and 'name="line_1"' in form
    assert "559.98 EUR remain creditable" in form

    response = admin_client.post(
        issue_url, {"kind": "lines", "reason": "Damaged", "line_0": "40", "line_1": "1"}
    )

    assert response.status_code == 302
    note = CreditNote.objects.get()
    assert (note.total, note.issued_by.is_superuser) == (Decimal("180.66"), True)
    listing = admin_client.get(reverse("admin:credits_creditnote_changelist")).content.decode()
    assert note.number in listing
    pdf = admin_client.get(reverse("admin:credits_creditnote_pdf", args=[note.pk]))
    assert pdf["Content-Type"] == "application/pdf"


def test_a_credit_above_what_remains_is_shown_on_the_form(admin_client, invoice):
    issue_url = reverse("admin:credits_creditnote_issue", args=[invoice.pk])
    response = admin_client.post(issue_url, {"kind": "amount", "reason": "x", "amount": "600"})
    assert response.status_code == 200
    assert "600.00 is more than the 559.98 that remain creditable" in response.content.decode()
    assert not CreditNote.objects.exists()


def test_record_a_refund_after_a_credit_note(admin_client, invoice):
    today = store_today(get_store())
    invoice_record_payment(
        invoice=invoice, amount=Decimal("559.98"), paid_on=today, method="bank_transfer"
    )
    admin_client.post(
        reverse("admin:credits_creditnote_issue", args=[invoice.pk]),
        {"kind": "amount", "reason": "Goodwill", "amount": "50.00"},
    )
    refund_url = reverse("admin:credits_invoice_refund", args=[invoice.pk])
    change = admin_client.get(reverse("admin:payments_invoice_change", args=[invoice.pk]))
    assert refund_url in change.content.decode()

    response = admin_client.post(
        refund_url,
        {"amount": "50.00", "refunded_on": today.isoformat(), "method": "bank_transfer"},
    )

    assert response.status_code == 302
    assert InvoiceRefund.objects.get().amount == Decimal("50.00")
    invoice.refresh_from_db()
    assert (invoice.amount_refunded, invoice.amount_due) == (Decimal("50.00"), Decimal("0.00"))


def test_a_credit_note_issued_by_hand_is_mailed_to_the_buyer_in_their_language(
    admin_client, shop, invoice, django_capture_on_commit_callbacks
):
    shop.buyer.language = "fr"
    shop.buyer.save()
    issue_url = reverse("admin:credits_creditnote_issue", args=[invoice.pk])

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            issue_url, {"kind": "lines", "reason": "Vis tordues", "line_0": "40", "line_1": "1"}
        )

    note = CreditNote.objects.get()
    (message,) = mail.outbox
    assert message.to == [shop.buyer.email]
    assert message.subject == f"Avoir {note.number} sur la facture {invoice.number}"
    assert "180,66 EUR" in message.body
    assert "Vis tordues" in message.body
    assert reverse("storefront:credit_note", kwargs={"number": note.number}) in message.body
