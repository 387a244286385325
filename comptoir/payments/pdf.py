"""An invoice as a PDF (fpdf2: pure Python, no system library), from `InvoiceDocument`.

The standard PDF fonts are used (Helvetica, Windows-1252 encoding: € and the letters of
French, German and Dutch included), so nothing is shipped or installed; a character outside
that encoding is replaced by its closest plain letter, or "?".
"""

import unicodedata

from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from comptoir.payments.documents import InvoiceDocument

ENCODING = "windows-1252"
FONT = "helvetica"
MARGIN = 15
GREY = (110, 110, 110)
NEXT_LINE = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}
# Characters outside the encoding that have a close one inside: French digit groups and
# spaces before ; ! ? (narrow no-break space) stay unbreakable, a minus sign stays a sign.
SUBSTITUTES = {"\N{NARROW NO-BREAK SPACE}": "\N{NO-BREAK SPACE}", "\N{MINUS SIGN}": "-"}


def labelled(label: str, value: str) -> str:
    """A label and its value: "Date: 6 Dec 2026", but "Date : 6 décembre 2026" in French."""
    return _("%(label)s: %(value)s") % {"label": label, "value": value}


def printable(text: str) -> str:
    """The text the standard fonts can draw."""
    try:
        text.encode(ENCODING)
        return text
    except UnicodeEncodeError:
        return "".join(_printable_char(char) for char in text)


def _printable_char(char: str) -> str:
    if char in SUBSTITUTES:
        return SUBSTITUTES[char]
    try:
        char.encode(ENCODING)
        return char
    except UnicodeEncodeError:
        plain = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
        return plain or "?"


class DocumentPdf(FPDF):
    """A4 page, margins and a footer "number — page n": invoices and credit notes."""

    def __init__(self, document: InvoiceDocument):
        super().__init__(format="A4")
        self.document = document
        self.core_fonts_encoding = ENCODING
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(auto=True, margin=MARGIN + 5)
        self.set_title(printable(document.title))
        self.set_author(printable(document.seller_name))
        self.set_creator("Comptoir")

    def footer(self):
        self.set_y(-MARGIN)
        self.set_font(FONT, size=8)
        self.set_text_color(*GREY)
        self.cell(
            0,
            5,
            printable(
                _("%(number)s — page %(page)d")
                % {"number": self.document.number, "page": self.page_no()}
            ),
            align="C",
        )
        self.set_text_color(0)

    def text_line(self, text: str, *, size=9, bold=False, height=4.5, align="L"):
        self.set_font(FONT, style="B" if bold else "", size=size)
        self.multi_cell(0, height, printable(text), align=align, **NEXT_LINE)

    def heading(self, identity: list[tuple[str, str]]) -> None:
        """The seller on the left; the title and the document's identity on the right."""
        document, width = self.document, self.epw
        top = self.get_y()
        self.text_line(document.seller_name, size=11, bold=True)
        for line in document.seller_address:
            self.text_line(line)
        if document.seller_vat_number:
            self.text_line(_("VAT number: %(number)s") % {"number": document.seller_vat_number})
        seller_bottom = self.get_y()
        self.set_xy(MARGIN + width / 2, top)
        self.set_font(FONT, style="B", size=16)
        self.cell(width / 2, 8, printable(document.title), align="R", **NEXT_LINE)
        self.set_font(FONT, size=9)
        for label, value in identity:
            self.set_x(MARGIN + width / 2)
            self.cell(width / 2, 5, printable(labelled(label, value)), align="R", **NEXT_LINE)
        self.set_y(max(seller_bottom, self.get_y()) + 6)

    def buyer(self, heading: str, *, placed_by: str = "") -> None:
        document = self.document
        self.text_line(heading, size=8, bold=True)
        self.text_line(f"{document.buyer_name} ({document.buyer_code})", size=10, bold=True)
        if placed_by:
            self.text_line(placed_by, size=8)
        for line in document.billing_address:
            self.text_line(line)
        if document.buyer_vat_number:
            self.text_line(_("VAT number: %(number)s") % {"number": document.buyer_vat_number})

    def lines_table(self, headings: tuple, col_widths: tuple, rows) -> None:
        """The document's lines: text columns first, then the figures aligned right."""
        self.set_font(FONT, size=8)
        with self.table(
            col_widths=col_widths,
            text_align=("LEFT", "LEFT") + ("RIGHT",) * (len(headings) - 2),
            line_height=5,
            width=self.epw,
            first_row_as_headings=True,
        ) as table:
            table.row([printable(heading) for heading in headings])
            for row in rows:
                table.row([printable(value) for value in row])
        self.ln(4)

    def total_row(self, label: str, value: str, *, bold=False) -> None:
        label_width, value_width = 95, 30
        self.set_x(MARGIN + self.epw - label_width - value_width)
        self.set_font(FONT, style="B" if bold else "", size=9)
        self.cell(label_width, 5.5, printable(label))
        self.cell(value_width, 5.5, printable(value), align="R", **NEXT_LINE)

    def amounts(self) -> None:
        """The document's totals and its tax lines, each with its base."""
        for label, value in self.document.totals:
            self.total_row(label, value)
        for tax in self.document.tax_lines:
            self.total_row(f"{tax.label} ({_('base %(base)s') % {'base': tax.base}})", tax.amount)


def invoice_pdf(document: InvoiceDocument) -> bytes:
    pdf = DocumentPdf(document)
    pdf.add_page()
    identity = [
        (_("Date"), document.issued_on),
        (_("Due date"), document.due_on),
        (_("Order"), document.order_number),
    ]
    if document.po_number:
        identity.append((_("Purchase order"), document.po_number))
    identity.append((_("Status"), document.status_label))
    pdf.heading(identity)
    pdf.buyer(_("Billed to"), placed_by=document.placed_by)
    pdf.ln(5)
    pdf.lines_table(
        (_("SKU"), _("Description"), _("Qty"), _("Unit price"), _("Discount"), _("Net"), _("VAT")),
        (28, 52, 22, 22, 20, 22, 14),
        (
            (
                line.sku,
                line.name,
                line.quantity,
                line.unit_price,
                line.discount,
                line.net,
                line.tax_rate,
            )
            for line in document.lines
        ),
    )
    _totals(pdf, document)
    _payment(pdf, document)
    if document.tax_mention:
        pdf.ln(3)
        pdf.text_line(document.tax_mention, bold=True)
    if document.late_payment:
        pdf.ln(3)
        for sentence in document.late_payment:
            pdf.text_line(sentence, size=8)
    return bytes(pdf.output())


def _totals(pdf: DocumentPdf, document: InvoiceDocument) -> None:
    pdf.amounts()
    row = pdf.total_row
    row(_("Total (%(currency)s)") % {"currency": document.currency}, document.total, bold=True)
    if document.has_payments:
        if document.amount_credited:
            row(_("Credit notes"), "−" + document.amount_credited)
        row(_("Paid"), document.amount_paid)
        if document.amount_refunded:
            row(_("Refunded"), "−" + document.amount_refunded)
        row(_("Amount due"), document.amount_due, bold=True)
    pdf.ln(4)


def _payment(pdf: DocumentPdf, document: InvoiceDocument) -> None:
    pdf.text_line(_("Payment"), size=10, bold=True)
    pdf.text_line(
        _("%(method)s — %(terms)s, due on %(date)s")
        % {"method": document.payment_method, "terms": document.terms, "date": document.due_on}
    )
    for label, value in document.bank_details:
        pdf.text_line(labelled(label, value))
    if document.payment_instructions:
        pdf.text_line(document.payment_instructions, size=8)
