"""Writes of credit notes and refunds (issue 21): the one function that issues a credit note
(back office by hand, an order's cancellation, a received return), and refunds.

Locks, in the order payments and cancellations take them (payments/invoicing.py): the order
row, then the invoice row, then the credit note counter. What remains creditable is read
under the invoice's lock, so two credit notes issued at once never take back the same
amount twice, and the counter row keeps AV-<year>-<000001> gap-free.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from comptoir.core.errors import BusinessRuleError
from comptoir.core.numbering import next_document_number, raise_counters
from comptoir.core.selectors import get_store, store_today
from comptoir.credits import notifications, rules
from comptoir.credits.messages import refusal_message
from comptoir.credits.models import CreditNote, CreditNoteCounter, InvoiceRefund
from comptoir.ordering.models import Order
from comptoir.payments.invoicing import status_of, sync_order_payment
from comptoir.payments.models import Invoice, InvoiceStatus, PaymentType
from comptoir.webhooks import events

CREDITED_FIELDS = ("lines", "tax_lines", "shipping")


def next_credit_number(year: int) -> str:
    """AV-<year>-<6 digits>; the counter row stays locked until the credit note commits."""
    return next_document_number(
        counter=CreditNoteCounter, numbered=CreditNote, prefix=rules.NUMBER_PREFIX, year=year
    )


def raise_credit_counters() -> None:
    """After credit notes were loaded from a bundle, so that the next one follows them."""
    raise_counters(counter=CreditNoteCounter, numbered=CreditNote, prefix=rules.NUMBER_PREFIX)


def remaining_of(invoice: Invoice) -> rules.Remaining:
    """What of `invoice` its credit notes have not taken back yet."""
    credited = list(CreditNote.objects.filter(invoice=invoice).values(*CREDITED_FIELDS))
    return rules.remaining(
        lines=invoice.lines,
        tax_lines=invoice.tax_lines,
        shipping=invoice.shipping_total,
        credited=credited,
    )


def credit_note_issue(
    *,
    invoice: Invoice,
    kind: str,
    reason: str,
    quantities: dict[int, int] | None = None,
    amount: Decimal | None = None,
    user=None,
    issued_on: datetime.date | None = None,
    tell_buyer: bool = False,
) -> CreditNote:
    """Issues a credit note against `invoice`: the whole of what remains, `quantities` of
    its lines (line index → quantity) or an `amount` tax included (rules.py says how each
    is taken back). The invoice's credited amount, status and its order's payment status
    follow. Raises BusinessRuleError with a stable code when it cannot be issued; nothing
    is written then. With `tell_buyer` (issued by hand), the order's buyer is e-mailed once
    it commits."""
    reason = (reason or "").strip()
    if kind not in rules.KINDS:
        raise BusinessRuleError("credit_kind_unknown", refusal_message("credit_kind_unknown", {}))
    if not reason:
        raise BusinessRuleError("credit_reason_missing", refusal_message("credit_reason_missing"))
    if len(reason) > rules.REASON_MAX_LENGTH:
        raise BusinessRuleError("credit_reason_too_long", refusal_message("credit_reason_too_long"))
    store = get_store()
    with transaction.atomic():
        list(Order.objects.select_for_update().filter(pk=invoice.order_id).values_list("pk"))
        locked = Invoice.objects.select_for_update().get(pk=invoice.pk)
        if locked.status == InvoiceStatus.CANCELLED:
            raise BusinessRuleError(
                "invoice_cancelled",
                refusal_message("invoice_cancelled", {"number": locked.number}),
            )
        left = remaining_of(locked)
        try:
            if kind == rules.WHOLE:
                credit = rules.credit_whole(left)
            elif kind == rules.LINES:
                credit = rules.credit_lines(left, quantities or {})
            else:
                credit = rules.credit_amount(left, amount if amount is not None else Decimal(0))
        except rules.CreditRefused as refused:
            params = {"number": locked.number, **refused.params}
            raise BusinessRuleError(refused.code, refusal_message(refused.code, params)) from None
        if credit.total <= 0:
            raise BusinessRuleError(
                "credit_nothing_to_take_back",
                refusal_message("credit_nothing_to_take_back", {"number": locked.number}),
            )
        day = issued_on or store_today(store)
        note = CreditNote.objects.create(
            number=next_credit_number(day.year),
            invoice=locked,
            company_id=locked.company_id,
            issued_on=day,
            kind=kind,
            reason=reason,
            seller_name=locked.seller_name,
            seller_address=locked.seller_address,
            seller_vat_number=locked.seller_vat_number,
            buyer_name=locked.buyer_name,
            buyer_code=locked.buyer_code,
            buyer_vat_number=locked.buyer_vat_number,
            billing_address=locked.billing_address,
            currency=locked.currency,
            lines=credit.lines,
            tax_lines=credit.tax_lines,
            shipping=credit.shipping,
            net_total=credit.net_total,
            tax_total=credit.tax_total,
            total=credit.total,
            tax_mention=locked.tax_mention,
            issued_by=user,
        )
        locked.amount_credited += credit.total
        locked.status = status_of(locked, store_today(store))
        locked.save(update_fields=["amount_credited", "status", "updated_at"])
        sync_order_payment(locked)
        events.credit_note_issued(locked, note)
        if tell_buyer:
            transaction.on_commit(lambda: notifications.credit_note_issued(note.pk), robust=True)
    invoice.amount_credited, invoice.status = locked.amount_credited, locked.status
    return note


def credit_cancelled_orders(order_ids: list[int], reason: str) -> list[CreditNote]:
    """A whole credit note for each invoice of orders being cancelled (order_status.py,
    which holds their locks) that still has something to take back. An issued invoice is
    corrected only by a credit note, paid or not: docs/credit-notes-and-returns.md."""
    notes = []
    invoices = (
        Invoice.objects.filter(order_id__in=order_ids)
        .exclude(status__in=(InvoiceStatus.CANCELLED, InvoiceStatus.CREDITED))
        .order_by("pk")
    )
    for invoice in invoices:
        notes.append(credit_note_issue(invoice=invoice, kind=rules.WHOLE, reason=reason))
    return notes


def invoice_record_refund(
    *,
    invoice: Invoice,
    amount: Decimal,
    refunded_on: datetime.date,
    method: str,
    reference: str = "",
    user=None,
) -> InvoiceRefund:
    """Records money paid back to the buyer, up to what credit notes left the merchant
    owing on the invoice (rules.refund_refusal); the invoice's status follows."""
    if method not in PaymentType.values:
        raise BusinessRuleError(
            "unknown_payment_type", _("“%(method)s” is not a payment type.") % {"method": method}
        )
    today = store_today(get_store())
    with transaction.atomic():
        list(Order.objects.select_for_update().filter(pk=invoice.order_id).values_list("pk"))
        locked = Invoice.objects.select_for_update().get(pk=invoice.pk)
        refusal = rules.refund_refusal(
            balance=locked.amount_due, amount=amount, refunded_on=refunded_on, today=today
        )
        if refusal is not None:
            code, params = refusal
            raise BusinessRuleError(
                code, refusal_message(code, {"number": locked.number, **params})
            )
        refund = InvoiceRefund.objects.create(
            invoice=locked,
            amount=amount,
            refunded_on=refunded_on,
            method=method,
            reference=reference.strip(),
            recorded_by=user,
        )
        locked.amount_refunded += amount
        locked.status = status_of(locked, today)
        locked.save(update_fields=["amount_refunded", "status", "updated_at"])
        sync_order_payment(locked)
        events.refund_recorded(locked, refund)
    invoice.amount_refunded, invoice.status = locked.amount_refunded, locked.status
    return refund
