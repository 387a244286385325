"""Credit notes and refunds in a bundle (docs/bundle.md "Credit notes and refunds"): dumped
with their invoice, loaded after it.

A credit note is a legal document: one already in the database keeps its copy, and a
bundle never deletes one; a new one copies the seller and the buyer from its invoice, as
the service does. Refunds, like payments, follow the bundle's whole list. The invoice's
credited and refunded amounts and its status are then recomputed from what is stored.
"""

from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from comptoir.bundle.sync import sync_children
from comptoir.core.money import ZERO
from comptoir.credits.models import CreditNote, InvoiceRefund
from comptoir.credits.rules import base_units
from comptoir.credits.services import raise_credit_counters
from comptoir.payments.invoicing import status_of
from comptoir.payments.models import Invoice, InvoiceStatus

COPIED = (
    "seller_name",
    "seller_address",
    "seller_vat_number",
    "buyer_name",
    "buyer_code",
    "buyer_vat_number",
    "billing_address",
    "currency",
    "tax_mention",
)


def dump_credits(invoice: Invoice) -> dict:
    """The credit notes and refunds of an invoice (prefetched: `credit_notes`, `refunds`);
    an empty list is left out, so an invoice without any dumps as it always did."""
    notes = sorted(invoice.credit_notes.all(), key=lambda note: note.number)
    refunds = sorted(
        invoice.refunds.all(), key=lambda r: (r.refunded_on, r.amount, r.method, r.reference)
    )
    dumped = {
        "credit_notes": [
            {
                "number": note.number,
                "issued_on": note.issued_on.isoformat(),
                "kind": note.kind,
                "reason": note.reason,
                "lines": [
                    {key: line[key] for key in ("line", "sku", "name", "quantity", "unit")}
                    | {key: str(line[key]) for key in ("unit_price", "net", "tax_rate")}
                    for line in note.lines
                ],
                "tax_lines": [
                    {
                        "rate": str(tax["rate"]),
                        "base": str(tax["base"]),
                        "amount": str(tax["amount"]),
                        "reason": tax["reason"] or None,
                    }
                    for tax in note.tax_lines
                ],
                "shipping": f"{note.shipping:.2f}",
            }
            for note in notes
        ],
        "refunds": [
            {
                "amount": f"{refund.amount:.2f}",
                "refunded_on": refund.refunded_on.isoformat(),
                "method": refund.method,
                "reference": refund.reference,
            }
            for refund in refunds
        ],
    }
    return {key: value for key, value in dumped.items() if value}


def load_credits(invoiced: list, invoice_ids: dict[tuple, int], today) -> None:
    """Writes the credit notes and refunds of these orders' invoices (`order.invoice` are
    bundle items; `invoice_ids`: (number,) → id), then their invoices' figures as of
    `today` (store time)."""
    ids = [invoice_ids[(order.invoice.number,)] for order in invoiced]
    invoices = {invoice.pk: invoice for invoice in Invoice.objects.filter(pk__in=ids)}
    known = set(
        CreditNote.objects.filter(
            number__in=[note.number for o in invoiced for note in o.invoice.credit_notes]
        ).values_list("number", flat=True)
    )
    new_notes = []
    for order in invoiced:
        invoice = invoices[invoice_ids[(order.invoice.number,)]]
        for note in order.invoice.credit_notes:
            if note.number in known:
                continue
            new_notes.append(
                CreditNote(
                    number=note.number,
                    invoice=invoice,
                    company_id=invoice.company_id,
                    issued_on=note.issued_on,
                    kind=note.kind,
                    reason=note.reason,
                    lines=[
                        {
                            "line": line.line,
                            "sku": line.sku,
                            "name": line.name,
                            "quantity": line.quantity,
                            "unit": line.unit,
                            "unit_price": str(line.unit_price),
                            "net": str(line.net),
                            "tax_rate": str(line.tax_rate),
                        }
                        | _base_units(invoice, line)
                        for line in note.lines
                    ],
                    tax_lines=[
                        {
                            "rate": str(tax.rate),
                            "base": str(tax.base),
                            "amount": str(tax.amount),
                            "reason": tax.reason or "",
                        }
                        for tax in note.tax_lines
                    ],
                    shipping=note.shipping,
                    net_total=note.net_total,
                    tax_total=note.tax_total,
                    total=note.total,
                    **{name: getattr(invoice, name) for name in COPIED},
                )
            )
    CreditNote.objects.bulk_create(new_notes, batch_size=500)
    sync_children(
        InvoiceRefund,
        "invoice_id",
        ids,
        ("refunded_on", "amount", "method", "reference"),
        [
            {
                "invoice_id": invoice_ids[(order.invoice.number,)],
                "refunded_on": refund.refunded_on,
                "amount": refund.amount,
                "method": refund.method,
                "reference": refund.reference,
            }
            for order in invoiced
            for refund in order.invoice.refunds
        ],
    )
    _refresh_figures(invoices, today)
    if new_notes:
        raise_credit_counters()


def _base_units(invoice: Invoice, line) -> dict:
    """A credited line of an invoice line bought in a packaging says its product's units,
    as the credit note issued in the store did (the bundle does not carry them)."""
    if line.line >= len(invoice.lines):
        return {}
    return base_units(invoice.lines[line.line], line.quantity)


def _refresh_figures(invoices: dict[int, Invoice], today) -> None:
    """Credited and refunded amounts from the rows, and the status they make."""
    credited = _sums(CreditNote, "total", invoices)
    refunded = _sums(InvoiceRefund, "amount", invoices)
    changed = []
    now = timezone.now()
    for pk, invoice in invoices.items():
        figures = (credited.get(pk, ZERO), refunded.get(pk, ZERO))
        if figures == (ZERO, ZERO):
            continue  # the status the loader gave it stands
        before = (invoice.amount_credited, invoice.amount_refunded, invoice.status)
        invoice.amount_credited, invoice.amount_refunded = figures
        if invoice.status != InvoiceStatus.CANCELLED or invoice.amount_credited:
            invoice.status = status_of(invoice, today)
        if (invoice.amount_credited, invoice.amount_refunded, invoice.status) != before:
            invoice.updated_at = now  # bulk_update skips auto_now; the ERP sync reads it
            changed.append(invoice)
    Invoice.objects.bulk_update(
        changed, ["amount_credited", "amount_refunded", "status", "updated_at"], batch_size=500
    )


def _sums(model, field: str, invoices) -> dict[int, Decimal]:
    return dict(
        model.objects.filter(invoice_id__in=list(invoices))
        .order_by()
        .values("invoice_id")
        .annotate(total=Sum(field))
        .values_list("invoice_id", "total")
    )
