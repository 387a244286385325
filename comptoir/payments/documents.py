"""An invoice as people read it, built from its snapshot only: the HTML page (buyers and the
back office) and the PDF show the same figures and the same sentences."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from stdnum import iban as iban_number

from comptoir.core.units import quantity_label
from comptoir.payments import invoice_rules
from comptoir.payments.models import Invoice, InvoiceStatus, TermRule
from comptoir.tax.templatetags.tax import tax_reason

ADDRESS_LINES = (("line1",), ("line2",), ("postal_code", "city"), ("region", "country"))


def amount(value) -> str:
    """1,234.50 (en) or 1 234,50 (fr): two decimals, grouped, in the active language."""
    return number_format(Decimal(value), decimal_pos=2, use_l10n=True, force_grouping=True)


def percent(value) -> str:
    number = Decimal(value).normalize()
    places = max(0, -number.as_tuple().exponent)
    return number_format(number, decimal_pos=places, use_l10n=True) + "\N{NO-BREAK SPACE}%"


def day(value) -> str:
    return date_format(value, "DATE_FORMAT")


def address_lines(address) -> list[str]:
    if not isinstance(address, dict):
        return []
    lines = []
    for keys in ADDRESS_LINES:
        line = " ".join(str(address[key]) for key in keys if address.get(key))
        if line:
            lines.append(line)
    return lines


@dataclass(frozen=True)
class Line:
    sku: str
    name: str
    quantity: str
    unit_price: str
    discount: str
    net: str
    tax_rate: str


@dataclass(frozen=True)
class TaxLine:
    label: str
    base: str
    amount: str


@dataclass(frozen=True)
class InvoiceDocument:
    number: str
    title: str
    status: str
    status_label: str
    order_number: str
    placed_by: str
    """"placed by Anne Martin for Acme Outillage" when a member of the merchant's staff placed
    the order for the buyer (issue 18), as the order page says; empty otherwise."""
    issued_on: str
    due_on: str
    terms: str
    seller_name: str
    seller_address: list[str]
    seller_vat_number: str
    buyer_name: str
    buyer_code: str
    buyer_vat_number: str
    billing_address: list[str]
    po_number: str
    currency: str
    lines: list[Line]
    tax_lines: list[TaxLine]
    totals: list[tuple[str, str]]
    total: str
    amount_paid: str
    amount_credited: str
    amount_refunded: str
    amount_due: str
    has_payments: bool
    payment_method: str
    payment_instructions: str
    bank_details: list[tuple[str, str]]
    tax_mention: str
    late_payment: list[str]
    filename: str


def invoice_document(invoice: Invoice) -> InvoiceDocument:
    """Everything an invoice shows, as text in the active language."""
    currency = invoice.currency
    totals = [(_("Subtotal"), amount(invoice.subtotal))]
    if invoice.discount_total:
        totals.append((_("Discounts"), "−" + amount(invoice.discount_total)))
    totals.append((_("Shipping"), amount(invoice.shipping_total)))
    return InvoiceDocument(
        number=invoice.number,
        title=_("Invoice %(number)s") % {"number": invoice.number},
        status=invoice.status,
        status_label=InvoiceStatus(invoice.status).label,
        order_number=invoice.order.number,
        placed_by=_placed_by(invoice),
        issued_on=day(invoice.issued_on),
        due_on=day(invoice.due_on),
        terms=_terms(invoice),
        seller_name=invoice.seller_name,
        seller_address=[line for line in invoice.seller_address.splitlines() if line.strip()],
        seller_vat_number=invoice.seller_vat_number,
        buyer_name=invoice.buyer_name,
        buyer_code=invoice.buyer_code,
        buyer_vat_number=invoice.buyer_vat_number,
        billing_address=address_lines(invoice.billing_address),
        po_number=invoice.po_number,
        currency=currency,
        lines=[
            Line(
                sku=line["sku"],
                name=line["name"],
                quantity=quantity_label(
                    line["quantity"],
                    line.get("unit", ""),
                    line.get("base_quantity"),
                    line.get("base_unit", ""),
                ),
                unit_price=unit_price_text(line["unit_price"]),
                discount=amount(line["discount"]) if Decimal(line["discount"]) else "",
                net=amount(line["net"]),
                tax_rate=percent(line["tax_rate"]),
            )
            for line in invoice.lines
        ],
        tax_lines=[tax_line_text(tax) for tax in invoice.tax_lines],
        totals=totals,
        total=amount(invoice.total),
        amount_paid=amount(invoice.amount_paid),
        amount_credited=amount(invoice.amount_credited) if invoice.amount_credited else "",
        amount_refunded=amount(invoice.amount_refunded) if invoice.amount_refunded else "",
        amount_due=amount(invoice.amount_due),
        has_payments=invoice.amount_paid > 0 or invoice.amount_credited > 0,
        payment_method=invoice.payment_method_name or invoice.payment_method_code,
        payment_instructions=invoice.payment_instructions,
        bank_details=_bank_details(invoice),
        tax_mention=invoice.tax_mention,
        late_payment=_late_payment(invoice),
        filename=f"{invoice.number}.pdf",
    )


def _placed_by(invoice: Invoice) -> str:
    staff = invoice.order.placed_by
    if staff is None:
        return ""
    return _("placed by %(staff)s for %(company)s") % {
        "staff": staff.get_full_name(),
        "company": invoice.buyer_name,
    }


def unit_price_text(value) -> str:
    """Up to 4 decimals, at least 2: 9.50, 3.3333."""
    number = Decimal(value)
    places = max(2, min(4, -number.normalize().as_tuple().exponent))
    return number_format(number, decimal_pos=places, use_l10n=True, force_grouping=True)


def tax_line_text(tax: dict) -> TaxLine:
    rate = percent(tax["rate"])
    reason = tax.get("reason") or ""
    label = _("Tax %(rate)s") % {"rate": rate}
    if reason:
        label = _("Tax %(rate)s — %(reason)s") % {"rate": rate, "reason": tax_reason(reason)}
    return TaxLine(label=label, base=amount(tax["base"]), amount=amount(tax["amount"]))


def _terms(invoice: Invoice) -> str:
    if not invoice.net_days:
        return _("Payable on receipt")
    if invoice.term_rule == TermRule.END_OF_MONTH:
        return _("%(days)d days, end of month") % {"days": invoice.net_days}
    return _("%(days)d days net") % {"days": invoice.net_days}


def _late_payment(invoice: Invoice) -> list[str]:
    """The payment conditions a seller in France must print (Code de commerce, L441-9): the
    discount for early payment (none is given), the penalty rate and the fixed recovery fee."""
    if invoice.recovery_fee is None:
        return []
    early = _("No discount for early payment.")
    if invoice.late_payment_penalty_rate is None:
        penalties = _(
            "Late payment: penalties at the ECB refinancing rate plus 10 points, "
            "from the day after the due date."
        )
    else:
        penalties = _(
            "Late payment: penalties at %(rate)s a year, from the day after the due date."
        ) % {"rate": percent(invoice.late_payment_penalty_rate)}
    fee = _(
        "Fixed compensation for recovery costs owed by a business that pays late: "
        "€%(amount)s (French Commercial Code, art. L441-10)."
    ) % {"amount": amount(invoice.recovery_fee)}
    return [early, penalties, fee]


def _bank_details(invoice: Invoice) -> list[tuple[str, str]]:
    """IBAN, BIC and the reference to give with a transfer, for the methods paid that way."""
    if not invoice.seller_iban or not invoice_rules.shows_bank_details(invoice.payment_type):
        return []
    details = [(_("IBAN"), iban_number.format(invoice.seller_iban))]
    if invoice.seller_bic:
        details.append((_("BIC"), invoice.seller_bic))
    details.append(
        (
            _("Reference"),
            _("%(invoice)s / %(order)s")
            % {"invoice": invoice.number, "order": invoice.order.number},
        )
    )
    return details
