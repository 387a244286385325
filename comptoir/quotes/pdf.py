"""A sent quote as a PDF, drawn as invoices are (fpdf2, the standard fonts; see
payments/pdf.py): the offer of the latest round sent, and the estimate of taxes."""

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from fpdf import FPDF

from comptoir.core.admin_money import localized_decimal
from comptoir.core.selectors import get_store
from comptoir.payments.documents import amount, percent
from comptoir.payments.pdf import ENCODING, FONT, GREY, MARGIN, NEXT_LINE, labelled, printable
from comptoir.quotes.models import Quote
from comptoir.quotes.selectors import Estimate
from comptoir.tax.templatetags.tax import tax_reason


def _unit_price(value) -> str:
    """Up to 4 decimals, at least 2, in the reader's language: 7.1234, 3.90 (7,1234 in French)."""
    return localized_decimal(value, grouping=True)


class _QuotePdf(FPDF):
    def __init__(self, number: str):
        super().__init__(format="A4")
        self.number = number
        self.core_fonts_encoding = ENCODING
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(auto=True, margin=MARGIN + 5)
        self.set_creator("Comptoir")

    def footer(self):
        self.set_y(-MARGIN)
        self.set_font(FONT, size=8)
        self.set_text_color(*GREY)
        self.cell(
            0,
            5,
            printable(
                _("%(number)s — page %(page)d") % {"number": self.number, "page": self.page_no()}
            ),
            align="C",
        )
        self.set_text_color(0)

    def text_line(self, text: str, *, size=9, bold=False, height=4.5):
        self.set_font(FONT, style="B" if bold else "", size=size)
        self.multi_cell(0, height, printable(text), **NEXT_LINE)


def quote_pdf(quote: Quote, sent, estimate: Estimate) -> bytes:
    """The PDF of `sent`, the latest round sent, with its estimate."""
    store = get_store()
    title = _("Quote %(number)s") % {"number": quote.number}
    pdf = _QuotePdf(quote.number)
    pdf.set_title(printable(title))
    pdf.set_author(printable(store.name))
    pdf.add_page()
    pdf.text_line(store.name, size=11, bold=True)
    for line in store.legal_address.splitlines():
        if line.strip():
            pdf.text_line(line)
    pdf.ln(4)
    pdf.text_line(title, size=16, bold=True, height=8)
    for label, value in (
        (_("Customer"), f"{quote.company.name} ({quote.company.code})"),
        (_("Date"), date_format(sent.sent_at, "DATE_FORMAT")),
        (_("Offer valid until"), date_format(sent.expires_on, "DATE_FORMAT")),
    ):
        pdf.text_line(labelled(label, value))
    if sent.merchant_message:
        pdf.ln(2)
        pdf.text_line(sent.merchant_message)
    pdf.ln(4)
    pdf.set_font(FONT, size=8)
    currency = estimate.currency
    with pdf.table(
        col_widths=(30, 60, 20, 26, 22, 26),
        text_align=("LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"),
        line_height=5,
        width=pdf.epw,
        first_row_as_headings=True,
    ) as table:
        table.row(
            [
                printable(h)
                for h in (
                    _("SKU"),
                    _("Description"),
                    _("Qty"),
                    _("Unit price"),
                    _("Discount"),
                    _("Net"),
                )
            ]
        )
        names = {line.sku: line.name for line in sent.lines.all()}
        for line in estimate.lines:
            table.row(
                [
                    printable(line.sku),
                    printable(names.get(line.sku, "")),
                    str(line.quantity),
                    printable(_unit_price(line.unit_price)),
                    printable("−" + amount(line.discount) if line.discount else ""),
                    printable(amount(line.net)),
                ]
            )
    pdf.ln(4)
    rows = [(_("Subtotal"), amount(estimate.subtotal))]
    if estimate.discount_total:
        rows.append((_("Discounts"), "−" + amount(estimate.discount_total)))
    rows.append(
        (
            _("Shipping"),
            amount(estimate.shipping_total)
            if estimate.shipping_total is not None
            else _("priced at checkout"),
        )
    )
    for tax in estimate.tax_lines:
        label = (
            _("No tax: %(reason)s") % {"reason": tax_reason(tax.reason)}
            if tax.reason
            else _("Tax %(rate)s") % {"rate": percent(tax.rate)}
        )
        rows.append((label, amount(tax.amount)))
    rows.append(
        (_("Estimated total (%(currency)s)") % {"currency": currency}, amount(estimate.total))
    )
    left = MARGIN + pdf.epw - 125
    for label, value in rows:
        pdf.set_x(left)
        pdf.set_font(FONT, size=9)
        pdf.cell(95, 5.5, printable(label))
        pdf.cell(30, 5.5, printable(value), align="R", **NEXT_LINE)
    pdf.ln(4)
    pdf.text_line(
        _(
            "Taxes are an estimate: taxes, exemptions, payment terms and credit are decided "
            "when the order is placed."
        ),
        size=8,
    )
    return bytes(pdf.output())
