"""What payments make of an invoice, pure: statuses, the order's payment status, refusals."""

import datetime
from decimal import Decimal as D

import pytest

from comptoir.payments.invoice_rules import (
    PaymentRefusal,
    invoice_number,
    invoice_status,
    order_payment_status,
    payment_refusal,
    shows_bank_details,
)

DUE = datetime.date(2026, 4, 3)


@pytest.mark.parametrize(
    ("paid", "today", "expected"),
    [
        (D("0.00"), datetime.date(2026, 3, 4), "unpaid"),
        (D("0.00"), DUE, "unpaid"),  # the due date is the last day to pay
        (D("0.00"), datetime.date(2026, 4, 4), "overdue"),
        (D("100.00"), DUE, "partly_paid"),
        (D("100.00"), datetime.date(2026, 4, 4), "overdue"),
        (D("547.31"), datetime.date(2026, 4, 4), "overdue"),
        (D("547.32"), datetime.date(2026, 4, 4), "paid"),
        (D("547.32"), datetime.date(2026, 3, 4), "paid"),
    ],
)
def test_status_from_payments_and_date(paid, today, expected):
    assert invoice_status(total=D("547.32"), amount_paid=paid, due_on=DUE, today=today) == expected


@pytest.mark.parametrize(
    ("paid", "credited", "refunded", "today", "expected"),
    [
        (D("0.00"), D("547.32"), D("0.00"), DUE, "credited"),
        (D("547.32"), D("547.32"), D("0.00"), DUE, "credited"),  # the payment awaits its refund
        (D("0.00"), D("100.00"), D("0.00"), DUE, "unpaid"),
        (D("447.32"), D("100.00"), D("0.00"), datetime.date(2026, 4, 4), "paid"),
        (D("447.31"), D("100.00"), D("0.00"), datetime.date(2026, 4, 4), "overdue"),
        (D("547.32"), D("100.00"), D("100.00"), DUE, "paid"),
        (D("547.32"), D("0.00"), D("0.01"), DUE, "partly_paid"),
    ],
)
def test_status_with_credit_notes_and_refunds(paid, credited, refunded, today, expected):
    status = invoice_status(
        total=D("547.32"),
        amount_paid=paid,
        due_on=DUE,
        today=today,
        amount_credited=credited,
        amount_refunded=refunded,
    )
    assert status == expected


def test_an_invoice_of_nothing_is_paid():
    assert invoice_status(total=D("0.00"), amount_paid=D("0.00"), due_on=DUE, today=DUE) == "paid"


@pytest.mark.parametrize(
    ("status", "paid", "expected"),
    [
        ("unpaid", D("0.00"), "unpaid"),
        ("overdue", D("0.00"), "unpaid"),
        ("overdue", D("12.00"), "partly_paid"),
        ("partly_paid", D("12.00"), "partly_paid"),
        ("paid", D("547.32"), "paid"),
        ("cancelled", D("0.00"), "unpaid"),
    ],
)
def test_the_order_shows_unpaid_partly_paid_or_paid(status, paid, expected):
    assert order_payment_status(status=status, amount_paid=paid) == expected


TODAY = datetime.date(2026, 3, 20)


@pytest.mark.parametrize(
    ("status", "amount", "paid_on", "expected"),
    [
        ("unpaid", D("547.32"), TODAY, None),
        ("overdue", D("0.01"), TODAY, None),
        ("unpaid", D("547.33"), TODAY, PaymentRefusal(
            "payment_above_amount_due", {"due": D("547.32"), "amount": D("547.33")}
        )),
        ("unpaid", D("0.00"), TODAY, PaymentRefusal("payment_not_positive")),
        ("unpaid", D("-5.00"), TODAY, PaymentRefusal("payment_not_positive")),
        ("unpaid", D("1.005"), TODAY, PaymentRefusal("payment_not_in_cents")),
        ("paid", D("1.00"), TODAY, PaymentRefusal("invoice_already_paid")),
        ("cancelled", D("1.00"), TODAY, PaymentRefusal("invoice_cancelled")),
        ("unpaid", D("1.00"), datetime.date(2026, 3, 21), PaymentRefusal(
            "payment_in_the_future", {"date": "2026-03-21"}
        )),
    ],
)  # fmt: skip
def test_payment_refusals(status, amount, paid_on, expected):
    assert (
        payment_refusal(
            status=status, amount_due=D("547.32"), amount=amount, paid_on=paid_on, today=TODAY
        )
        == expected
    )


def test_numbers_and_bank_details():
    assert invoice_number(2026, 1) == "FAC-2026-000001"
    assert invoice_number(2027, 123456) == "FAC-2027-123456"
    assert shows_bank_details("bank_transfer") and shows_bank_details("invoice")
    assert not shows_bank_details("cheque") and not shows_bank_details("cash_on_delivery")
