"""A credit note as people read it, from its snapshot only: the HTML page (buyers and the
back office) and the PDF show the same figures and sentences, laid out as invoices are."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from comptoir.core.units import quantity_label
from comptoir.credits.models import CreditKind, CreditNote
from comptoir.payments.documents import (
    TaxLine,
    address_lines,
    amount,
    day,
    percent,
    tax_line_text,
    unit_price_text,
)


@dataclass(frozen=True)
class CreditLine:
    sku: str
    name: str
    quantity: str
    unit_price: str
    net: str
    tax_rate: str


@dataclass(frozen=True)
class CreditNoteDocument:
    number: str
    title: str
    invoice_number: str
    order_number: str
    issued_on: str
    kind: str
    reason: str
    seller_name: str
    seller_address: list[str]
    seller_vat_number: str
    buyer_name: str
    buyer_code: str
    buyer_vat_number: str
    billing_address: list[str]
    currency: str
    lines: list[CreditLine]
    tax_lines: list[TaxLine]
    totals: list[tuple[str, str]]
    total: str
    tax_mention: str
    filename: str


def credit_note_document(note: CreditNote) -> CreditNoteDocument:
    """Everything a credit note shows, as text in the active language; `note` comes with its
    invoice and the invoice's order (selectors.company_credit_note)."""
    totals = [(_("Total before tax"), amount(note.net_total))]
    if note.shipping:
        totals.insert(0, (_("Shipping"), amount(note.shipping)))
    return CreditNoteDocument(
        number=note.number,
        title=_("Credit note %(number)s") % {"number": note.number},
        invoice_number=note.invoice.number,
        order_number=note.invoice.order.number,
        issued_on=day(note.issued_on),
        kind=CreditKind(note.kind).label,
        reason=note.reason,
        seller_name=note.seller_name,
        seller_address=[line for line in note.seller_address.splitlines() if line.strip()],
        seller_vat_number=note.seller_vat_number,
        buyer_name=note.buyer_name,
        buyer_code=note.buyer_code,
        buyer_vat_number=note.buyer_vat_number,
        billing_address=address_lines(note.billing_address),
        currency=note.currency,
        lines=[
            CreditLine(
                sku=line["sku"],
                name=line["name"],
                quantity=quantity_label(
                    line["quantity"],
                    line.get("unit", ""),
                    line.get("base_quantity"),
                    line.get("base_unit", ""),
                ),
                unit_price=unit_price_text(line["unit_price"]),
                net=amount(line["net"]),
                tax_rate=percent(line["tax_rate"]),
            )
            for line in note.lines
        ],
        tax_lines=[tax_line_text(tax) for tax in note.tax_lines],
        totals=totals,
        total=amount(Decimal(note.total)),
        tax_mention=note.tax_mention,
        filename=f"{note.number}.pdf",
    )
