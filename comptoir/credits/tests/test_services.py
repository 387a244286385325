"""Issuing credit notes and recording refunds: numbers, copies, the invoice and the open
balance that follow, and refusals that write nothing. Literal figures throughout: ACME's
invoice of 120 × SCR-100 at 3.50 (20 %) and 3 × MNL-1 at 12.00 (5.5 %), shipping 15.00:
420.00 + 36.00 + 15.00 + 87.00 + 1.98 = 559.98."""

import datetime
from decimal import Decimal

import pytest

from comptoir.core.errors import BusinessRuleError
from comptoir.core.selectors import get_store, store_today
from comptoir.credits.models import CreditNote, InvoiceRefund
from comptoir.credits.services import credit_note_issue, invoice_record_refund
from comptoir.ordering.models import PaymentStatus
from comptoir.payments.invoicing import invoice_record_payment
from comptoir.payments.models import Invoice, InvoiceStatus
from comptoir.payments.selectors import open_balance
from comptoir.tax.engine import REVERSE_CHARGE_MENTION
from tests.factories import InvoiceFactory, StaffUserFactory

from .conftest import place

D = Decimal
pytestmark = pytest.mark.django_db


def two_rate_invoice(shop) -> Invoice:
    order = place(shop, ("SCR-100", 120), ("MNL-1", 3), payment="INVOICE30")
    assert order.invoice.total == D("559.98")
    return order.invoice


def today():
    return store_today(get_store())


def pay(invoice, amount):
    invoice_record_payment(
        invoice=invoice, amount=D(amount), paid_on=today(), method="bank_transfer"
    )


def test_a_partial_credit_note_on_a_two_rate_invoice(shop):
    invoice = two_rate_invoice(shop)
    clerk = StaffUserFactory()

    note = credit_note_issue(
        invoice=invoice, kind="lines", quantities={0: 40, 1: 1}, reason="Damaged", user=clerk
    )

    assert note.number == f"AV-{today().year}-000001"
    assert note.tax_lines == [
        {"rate": "20.0000", "base": "140.00", "amount": "28.00", "reason": ""},
        {"rate": "5.5000", "base": "12.00", "amount": "0.66", "reason": ""},
    ]
    assert (note.net_total, note.tax_total, note.total) == (D("152.00"), D("28.66"), D("180.66"))
    assert [(line["sku"], line["quantity"], line["net"]) for line in note.lines] == [
        ("SCR-100", 40, "140.00"),
        ("MNL-1", 1, "12.00"),
    ]
    assert (note.seller_name, note.seller_vat_number) == (
        invoice.seller_name,
        "FR40303265045",
    )
    assert (note.buyer_name, note.buyer_code, note.buyer_vat_number) == (
        invoice.buyer_name,
        invoice.buyer_code,
        "FR83404833048",
    )
    assert (note.company_id, note.issued_by, note.reason) == (shop.company.pk, clerk, "Damaged")
    invoice.refresh_from_db()
    assert (invoice.amount_credited, invoice.amount_due, invoice.status) == (
        D("180.66"),
        D("379.32"),
        InvoiceStatus.UNPAID,
    )
    assert open_balance(shop.company) == D("379.32")
    pay(invoice, "379.32")
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID
    assert invoice.order.payment_status == PaymentStatus.PAID
    assert open_balance(shop.company) == D("0.00")


def test_a_reverse_charge_credit_note_keeps_the_reason_and_the_mention(shop):
    invoice = InvoiceFactory(
        order__company=shop.company,
        subtotal=D("500.00"),
        shipping_total=D("0.00"),
        tax_total=D("0.00"),
        total=D("500.00"),
        tax_mention=REVERSE_CHARGE_MENTION,
        lines=[
            {
                "sku": "SCR-100",
                "name": "Wood screws 4x40",
                "quantity": 100,
                "unit": "box",
                "unit_price": "5.0000",
                "gross": "500.00",
                "discount": "0.00",
                "net": "500.00",
                "tax_rate": "0.0000",
            }
        ],
        tax_lines=[
            {"rate": "0.0000", "base": "500.00", "amount": "0.00", "reason": "reverse_charge"}
        ],
    )

    note = credit_note_issue(invoice=invoice, kind="lines", quantities={0: 30}, reason="Return")

    assert note.tax_lines == [
        {"rate": "0.0000", "base": "150.00", "amount": "0.00", "reason": "reverse_charge"}
    ]
    assert (note.tax_total, note.total) == (D("0.00"), D("150.00"))
    assert note.tax_mention == "Autoliquidation — article 196 de la directive 2006/112/CE"
    invoice.refresh_from_db()
    assert invoice.amount_due == D("350.00")


def test_the_open_balance_after_a_credit_note_and_its_refund(shop):
    paid = two_rate_invoice(shop)
    pay(paid, "559.98")
    unpaid = place(shop, ("SCR-100", 120), payment="INVOICE30").invoice
    assert unpaid.total == D("522.00")
    assert open_balance(shop.company) == D("522.00")

    credit_note_issue(invoice=paid, kind="amount", amount=D("100.00"), reason="Goodwill")

    paid.refresh_from_db()
    assert (paid.status, paid.amount_due, paid.amount_refundable) == (
        InvoiceStatus.PAID,
        D("-100.00"),
        D("100.00"),
    )
    # The 100.00 the merchant holds for ACME lowers what it owes.
    assert open_balance(shop.company) == D("422.00")

    with pytest.raises(BusinessRuleError) as refused:
        invoice_record_refund(
            invoice=paid, amount=D("100.01"), refunded_on=today(), method="bank_transfer"
        )
    assert refused.value.code == "refund_above_credit"
    assert refused.value.message == (
        f"100.01 is more than the 100.00 owed back to the buyer on invoice {paid.number}."
    )
    invoice_record_refund(
        invoice=paid,
        amount=D("100.00"),
        refunded_on=today(),
        method="bank_transfer",
        reference="VIR-RBT-1",
    )

    paid.refresh_from_db()
    assert (paid.amount_refunded, paid.amount_due, paid.status) == (
        D("100.00"),
        D("0.00"),
        InvoiceStatus.PAID,
    )
    assert open_balance(shop.company) == D("522.00")
    assert InvoiceRefund.objects.get().reference == "VIR-RBT-1"


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"kind": "amount", "amount": D("559.99")}, "credit_amount_above_remaining"),
        ({"kind": "lines", "quantities": {0: 121}}, "credit_quantity_above_remaining"),
        ({"kind": "lines", "quantities": {}}, "credit_no_lines"),
        ({"kind": "everything"}, "credit_kind_unknown"),
        ({"kind": "whole", "reason": "  "}, "credit_reason_missing"),
        ({"kind": "whole", "reason": "x" * 201}, "credit_reason_too_long"),
    ],
)
def test_refused_credit_notes_write_nothing(shop, changes, code):
    invoice = two_rate_invoice(shop)
    with pytest.raises(BusinessRuleError) as refused:
        credit_note_issue(invoice=invoice, **{"reason": "Because", **changes})
    assert refused.value.code == code
    assert refused.value.message
    assert not CreditNote.objects.exists()
    invoice.refresh_from_db()
    assert invoice.amount_credited == D("0.00")


def test_credit_notes_never_add_up_to_more_than_the_invoice(shop):
    invoice = two_rate_invoice(shop)
    credit_note_issue(invoice=invoice, kind="amount", amount=D("500.00"), reason="Price")
    whole = credit_note_issue(invoice=invoice, kind="whole", reason="Cancelled")
    assert (whole.total, whole.lines) == (D("59.98"), [])
    invoice.refresh_from_db()
    assert (invoice.amount_credited, invoice.status) == (D("559.98"), InvoiceStatus.CREDITED)
    with pytest.raises(BusinessRuleError) as refused:
        credit_note_issue(invoice=invoice, kind="amount", amount=D("0.01"), reason="More")
    assert refused.value.code == "credit_amount_above_remaining"


def test_a_refund_cannot_be_dated_tomorrow(shop):
    invoice = two_rate_invoice(shop)
    pay(invoice, "559.98")
    credit_note_issue(invoice=invoice, kind="whole", reason="Cancelled")
    with pytest.raises(BusinessRuleError) as refused:
        invoice_record_refund(
            invoice=invoice,
            amount=D("10.00"),
            refunded_on=today() + datetime.timedelta(days=1),
            method="bank_transfer",
        )
    assert refused.value.code == "refund_in_the_future"
