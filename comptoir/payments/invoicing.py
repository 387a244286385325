"""Invoices (issue 7 "Invoices"): issuing one per order, recording payments, overdue ones.

Numbers come from `InvoiceCounter`, whose row is updated in the transaction that creates
the invoice and stays locked until it ends: two invoices never share a number, and an
invoice rolled back (with the order placement it was part of) gives its number back, so
the yearly sequence FAC-<year>-000001, -000002... has no gap.

Locks: an order row, then its invoice row, then the counter. A payment locks the order
before the invoice, as a cancellation does (order_status.py), so the two never deadlock and
a cancelled order's invoice cannot be paid while it is being cancelled.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from comptoir.core.errors import BusinessRuleError
from comptoir.core.models import Store
from comptoir.core.numbering import next_number, raise_counters
from comptoir.core.selectors import get_store, store_today
from comptoir.ordering.models import Order, PaymentStatus
from comptoir.payments import invoice_rules
from comptoir.payments.invoice_rules import PaymentRefusal
from comptoir.payments.models import (
    Invoice,
    InvoiceCounter,
    InvoicePayment,
    InvoiceStatus,
    PaymentMethod,
    PaymentType,
)
from comptoir.payments.rules import MethodFacts, due_date
from comptoir.webhooks import events

BATCH_SIZE = 500


def invoice_for_order(
    *, order: Order, store: Store | None = None, issued_on: datetime.date | None = None
) -> Invoice:
    """The order's invoice, issued `issued_on` (default: today, store time), unless it has
    one already.

    Copies the seller (the store's name, legal address, VAT number and bank account), the
    buyer (company name, code, VAT number, the order's billing address), the lines, tax
    lines and totals, and the terms of the order's payment method, which give the due date
    (rules.due_date; a method without terms makes the invoice due on its issue date).
    An order marked paid before it was invoiced (a store invoicing on shipping) gets a paid
    invoice, with one payment of its total dated on the issue date.
    """
    with transaction.atomic():
        order = (
            Order.objects.select_for_update(of=("self",)).select_related("company").get(pk=order.pk)
        )
        existing = Invoice.objects.filter(order=order).first()
        if existing is not None:
            return existing
        store = store or get_store()
        issued_on = issued_on or store_today(store)
        method = PaymentMethod.objects.filter(code=order.payment_method_code).first()
        net_days = method.net_days if method else None
        term_rule = method.term_rule if method else "net"
        due_on = due_date(terms(net_days, term_rule), issued_on)
        invoice = Invoice(
            number=next_invoice_number(issued_on.year),
            order=order,
            company=order.company,
            issued_on=issued_on,
            due_on=due_on,
            payment_method_code=order.payment_method_code,
            payment_method_name=order.payment_method_name,
            payment_type=method.type if method else "",
            net_days=net_days,
            term_rule=term_rule,
            payment_instructions=order.payment_instructions,
            **seller_snapshot(store),
            **buyer_snapshot(order),
            **order_snapshot(order),
        )
        if order.payment_status == PaymentStatus.PAID:
            invoice.amount_paid = invoice.total
        invoice.status = invoice_rules.invoice_status(
            total=invoice.total, amount_paid=invoice.amount_paid, due_on=due_on, today=issued_on
        )
        invoice.save(force_insert=True)
        if order.payment_status == PaymentStatus.PAID and invoice.total > 0:
            InvoicePayment.objects.create(
                invoice=invoice,
                amount=invoice.total,
                paid_on=issued_on,
                method=invoice.payment_type or PaymentType.BANK_TRANSFER,
                reference=_("Paid before invoicing"),
            )
        _sync_order(invoice)
        events.invoice_issued(invoice)
    return invoice


def seller_snapshot(store: Store) -> dict:
    fee = invoice_rules.recovery_fee(store.country)
    return {
        "seller_name": store.name,
        "seller_address": store.legal_address,
        "seller_vat_number": store.vat_number,
        "seller_iban": store.iban,
        "seller_bic": store.bic,
        "late_payment_penalty_rate": store.late_payment_penalty_rate if fee else None,
        "recovery_fee": fee,
    }


def buyer_snapshot(order: Order) -> dict:
    company = order.company
    return {
        "buyer_name": company.name,
        "buyer_code": company.code,
        "buyer_vat_number": company.vat_number,
        "billing_address": order.billing_address,
    }


def order_snapshot(order: Order) -> dict:
    """What the order says about money, lines and taxes, as plain values (JSON for lists)."""
    return {
        "po_number": order.po_number,
        "currency": order.currency,
        "subtotal": order.subtotal,
        "discount_total": order.discount_total,
        "shipping_total": order.shipping_total,
        "tax_total": order.tax_total,
        "total": order.total,
        "tax_mention": order.tax_mention,
        "lines": [
            line_snapshot(
                sku=line.sku,
                name=line.name,
                quantity=line.quantity,
                unit=line.unit,
                unit_price=line.unit_price,
                gross=line.gross,
                discount=line.promotion_amount + line.volume_amount,
                net=line.net,
                tax_rate=line.tax_rate,
                base_quantity=line.base_quantity,
                base_unit=line.base_unit,
            )
            for line in order.lines.order_by("position", "id")
        ],
        "tax_lines": [
            tax_snapshot(rate=tax.rate, base=tax.base, amount=tax.amount, reason=tax.reason)
            for tax in order.tax_lines.order_by("-rate", "reason")
        ],
    }


def line_snapshot(
    *,
    sku,
    name,
    quantity,
    unit,
    unit_price,
    gross,
    discount,
    net,
    tax_rate,
    base_quantity=None,
    base_unit="",
) -> dict:
    """An invoice line as the invoice keeps it (decimals as strings; the selling unit's code).

    A line bought in a packaging also keeps its quantity in the product's unit, so that the
    invoice says "3 cases (432 pieces)" (docs/units-of-measure.md)."""
    line = {
        "sku": sku,
        "name": name,
        "quantity": quantity,
        "unit": unit,
        "unit_price": str(unit_price),
        "gross": str(gross),
        "discount": str(discount),
        "net": str(net),
        "tax_rate": str(tax_rate),
    }
    if base_quantity is not None:
        line |= {"base_quantity": base_quantity, "base_unit": base_unit}
    return line


def tax_snapshot(*, rate, base, amount, reason) -> dict:
    return {"rate": str(rate), "base": str(base), "amount": str(amount), "reason": reason or ""}


def terms(net_days: int | None, term_rule: str) -> MethodFacts:
    """The payment terms as rules.due_date reads them."""
    return MethodFacts(
        code="",
        name="",
        position=0,
        countries=None,
        group_ids=frozenset(),
        company_ids=frozenset(),
        min_total=None,
        max_total=None,
        net_days=net_days,
        term_rule=term_rule,
    )


def next_invoice_number(year: int) -> str:
    """The next number of `year`; the counter row stays locked until the invoice commits."""
    sequence = next_number(
        counter=InvoiceCounter, numbered=Invoice, prefix=invoice_rules.NUMBER_PREFIX, year=year
    )
    return invoice_rules.invoice_number(year, sequence)


def raise_invoice_counters() -> None:
    """After invoices were loaded from a bundle, so that the next invoice follows them."""
    raise_counters(counter=InvoiceCounter, numbered=Invoice, prefix=invoice_rules.NUMBER_PREFIX)


def invoice_record_payment(
    *,
    invoice: Invoice,
    amount: Decimal,
    paid_on,
    method: str,
    reference: str = "",
    user=None,
) -> InvoicePayment:
    """Records a payment received for the invoice; its status and its order's follow.

    Refused (BusinessRuleError) for a cancelled or paid invoice, an amount that is not more
    than 0.00 in cents, more than what is still due, or a date after today (store time).
    """
    if method not in PaymentType.values:
        raise BusinessRuleError(
            "unknown_payment_type",
            _("“%(method)s” is not a payment type.") % {"method": method},
        )
    store = get_store()
    today = store_today(store)
    with transaction.atomic():
        list(Order.objects.select_for_update().filter(pk=invoice.order_id).values_list("pk"))
        locked = Invoice.objects.select_for_update().get(pk=invoice.pk)
        refusal = invoice_rules.payment_refusal(
            status=locked.status,
            amount_due=locked.amount_due,
            amount=amount,
            paid_on=paid_on,
            today=today,
        )
        if refusal is not None:
            raise BusinessRuleError(refusal.code, payment_refusal_message(locked, refusal))
        payment = InvoicePayment.objects.create(
            invoice=locked,
            amount=amount,
            paid_on=paid_on,
            method=method,
            reference=reference.strip(),
            recorded_by=user,
        )
        locked.amount_paid += amount
        locked.status = status_of(locked, today)
        locked.save(update_fields=["amount_paid", "status", "updated_at"])
        _sync_order(locked)
        events.payment_recorded(locked, payment)
    invoice.amount_paid, invoice.status = locked.amount_paid, locked.status
    return payment


def status_of(invoice: Invoice, today: datetime.date) -> str:
    """The status of an invoice that is not cancelled, from its figures (invoice_rules)."""
    return invoice_rules.invoice_status(
        total=invoice.total,
        amount_paid=invoice.amount_paid,
        due_on=invoice.due_on,
        today=today,
        amount_credited=invoice.amount_credited,
        amount_refunded=invoice.amount_refunded,
    )


def sync_order_payment(invoice: Invoice) -> None:
    """The order's payment status follows its invoice's (after a credit note or a refund)."""
    _sync_order(invoice)


def payment_refusal_message(invoice: Invoice, refusal: PaymentRefusal) -> str:
    params = {
        key: number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)
        if isinstance(value, Decimal)
        else value
        for key, value in refusal.params.items()
    }
    params["number"] = invoice.number
    messages = {
        "invoice_cancelled": _("Invoice %(number)s is cancelled: it takes no payment."),
        "invoice_already_paid": _("Invoice %(number)s is already paid."),
        "invoice_credited": _("Invoice %(number)s is wholly credited: it takes no payment."),
        "payment_not_positive": _("A payment is more than 0.00."),
        "payment_not_in_cents": _("A payment is an amount in cents, e.g. 120.50."),
        "payment_above_amount_due": _(
            "%(amount)s is more than the %(due)s still due on invoice %(number)s."
        ),
        "payment_in_the_future": _("A payment cannot be dated after today (%(date)s)."),
    }
    return messages[refusal.code] % params


def invoices_mark_overdue(*, day) -> int:
    """Invoices unpaid or partly paid whose due date is before `day` become overdue.

    Returns how many did. Running it twice on the same day changes nothing the second time.
    """
    with transaction.atomic():
        ids = list(
            Invoice.objects.select_for_update()
            .filter(status__in=[InvoiceStatus.UNPAID, InvoiceStatus.PARTLY_PAID], due_on__lt=day)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        for start in range(0, len(ids), BATCH_SIZE):
            Invoice.objects.filter(pk__in=ids[start : start + BATCH_SIZE]).update(
                status=InvoiceStatus.OVERDUE, updated_at=timezone.now()
            )
    return len(ids)


def _sync_order(invoice: Invoice) -> None:
    Order.objects.filter(pk=invoice.order_id).update(
        payment_status=invoice_rules.order_payment_status(
            status=invoice.status, amount_paid=invoice.amount_paid
        ),
        updated_at=timezone.now(),
    )
