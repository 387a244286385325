"""What an invoice's payments make of it (issue 7 "Invoices"), pure: no ORM, no request.

An invoice is paid once its payments reach its total; until then it is overdue from the day
after its due date (the due date itself is the last day to pay, DESIGN.md "Dates"), else
partly paid or unpaid. A cancelled invoice (its order was cancelled before any payment)
stays cancelled. The order follows its invoice: unpaid, partly paid or paid.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from comptoir.core.money import ZERO, round2

UNPAID = "unpaid"
PARTLY_PAID = "partly_paid"
PAID = "paid"
OVERDUE = "overdue"
CANCELLED = "cancelled"
CREDITED = "credited"
OPEN_STATUSES = (UNPAID, PARTLY_PAID, OVERDUE)
"""The statuses of invoices that still wait for money: their unpaid part is owed."""

NUMBER_PREFIX = "FAC"
# A business that pays late owes this fixed compensation for recovery costs, which the
# invoices of a seller in France must state with the penalty rate (Code de commerce,
# art. L441-10 and D441-5).
RECOVERY_FEE = Decimal("40.00")
LATE_PAYMENT_MENTION_COUNTRIES = frozenset({"FR"})
# Payment types whose invoices show the seller's bank account: a transfer pays both.
BANK_DETAILS_TYPES = frozenset({"bank_transfer", "invoice"})


@dataclass(frozen=True)
class PaymentRefusal:
    """Why a payment cannot be recorded: a stable code and the figures the sentence shows."""

    code: str
    params: dict = field(default_factory=dict)


def recovery_fee(seller_country: str) -> Decimal | None:
    """The fixed recovery fee the seller's invoices state, or None where the law asks none."""
    return RECOVERY_FEE if seller_country in LATE_PAYMENT_MENTION_COUNTRIES else None


def invoice_number(year: int, sequence: int) -> str:
    """FAC-<year>-<6 digits>: the `sequence`-th invoice of `year`."""
    return f"{NUMBER_PREFIX}-{year}-{sequence:06d}"


def invoice_status(
    *,
    total: Decimal,
    amount_paid: Decimal,
    due_on: datetime.date,
    today: datetime.date,
    amount_credited: Decimal = ZERO,
    amount_refunded: Decimal = ZERO,
) -> str:
    """The status of an invoice that is not cancelled, from its payments, credit notes and
    refunds and today's date. Credit notes taking back its whole total make it credited,
    whatever was paid (a payment then waits for its refund); else it is paid once what was
    paid and not refunded reaches its total less its credit notes."""
    if total > ZERO and amount_credited >= total:
        return CREDITED
    if amount_paid - amount_refunded >= total - amount_credited:
        return PAID
    if today > due_on:
        return OVERDUE
    if amount_paid > ZERO:
        return PARTLY_PAID
    return UNPAID


def buyer_balance(
    *, total: Decimal, credited: Decimal, paid: Decimal, refunded: Decimal
) -> Decimal:
    """What the buyer still owes on an invoice: its total less its credit notes, less what
    was paid and not refunded. Below zero, the merchant owes the buyer that much (a paid
    invoice later credited) until it is refunded."""
    return total - credited - paid + refunded


def order_payment_status(*, status: str, amount_paid: Decimal) -> str:
    """The payment status the order shows for its invoice (orders know no "overdue")."""
    if status == PAID:
        return PAID
    return PARTLY_PAID if amount_paid > ZERO else UNPAID


def payment_refusal(
    *,
    status: str,
    amount_due: Decimal,
    amount: Decimal,
    paid_on: datetime.date,
    today: datetime.date,
) -> PaymentRefusal | None:
    """Why `amount` paid on `paid_on` cannot be recorded on the invoice, or None."""
    if status == CANCELLED:
        return PaymentRefusal("invoice_cancelled")
    if status == CREDITED:
        return PaymentRefusal("invoice_credited")
    if status == PAID or amount_due <= ZERO:
        return PaymentRefusal("invoice_already_paid")
    if amount <= ZERO:
        return PaymentRefusal("payment_not_positive")
    if amount != round2(amount):
        return PaymentRefusal("payment_not_in_cents")
    if amount > amount_due:
        return PaymentRefusal("payment_above_amount_due", {"due": amount_due, "amount": amount})
    if paid_on > today:
        return PaymentRefusal("payment_in_the_future", {"date": paid_on.isoformat()})
    return None


def shows_bank_details(payment_type: str) -> bool:
    return payment_type in BANK_DETAILS_TYPES
