"""A credit note as a PDF, drawn as invoices are (payments/pdf.py: the same page, fonts and
characters), from `CreditNoteDocument`."""

from django.utils.translation import gettext as _

from comptoir.credits.documents import CreditNoteDocument
from comptoir.payments.pdf import FONT, MARGIN, NEXT_LINE, DocumentPdf, labelled, printable


def credit_note_pdf(document: CreditNoteDocument) -> bytes:
    pdf = DocumentPdf(document)
    pdf.add_page()
    width = pdf.epw

    top = pdf.get_y()
    pdf.text_line(document.seller_name, size=11, bold=True)
    for line in document.seller_address:
        pdf.text_line(line)
    if document.seller_vat_number:
        pdf.text_line(_("VAT number: %(number)s") % {"number": document.seller_vat_number})
    seller_bottom = pdf.get_y()
    pdf.set_xy(MARGIN + width / 2, top)
    pdf.set_font(FONT, style="B", size=16)
    pdf.cell(width / 2, 8, printable(document.title), align="R", **NEXT_LINE)
    identity = [
        (_("Date"), document.issued_on),
        (_("Invoice"), document.invoice_number),
        (_("Order"), document.order_number),
    ]
    pdf.set_font(FONT, size=9)
    for label, value in identity:
        pdf.set_x(MARGIN + width / 2)
        pdf.cell(width / 2, 5, printable(labelled(label, value)), align="R", **NEXT_LINE)
    pdf.set_y(max(seller_bottom, pdf.get_y()) + 6)

    pdf.text_line(_("Credited to"), size=8, bold=True)
    pdf.text_line(f"{document.buyer_name} ({document.buyer_code})", size=10, bold=True)
    for line in document.billing_address:
        pdf.text_line(line)
    if document.buyer_vat_number:
        pdf.text_line(_("VAT number: %(number)s") % {"number": document.buyer_vat_number})
    pdf.ln(3)
    pdf.text_line(labelled(_("Reason"), document.reason))
    pdf.ln(3)

    if document.lines:
        headings = (_("SKU"), _("Description"), _("Qty"), _("Unit price"), _("Net"), _("VAT"))
        pdf.set_font(FONT, size=8)
        with pdf.table(
            col_widths=(28, 62, 24, 24, 24, 18),
            text_align=("LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"),
            line_height=5,
            width=width,
            first_row_as_headings=True,
        ) as table:
            table.row([printable(heading) for heading in headings])
            for line in document.lines:
                table.row(
                    [
                        printable(value)
                        for value in (
                            line.sku,
                            line.name,
                            line.quantity,
                            line.unit_price,
                            line.net,
                            line.tax_rate,
                        )
                    ]
                )
        pdf.ln(4)

    label_width, value_width = 95, 30
    left = MARGIN + width - label_width - value_width

    def row(label, value, *, bold=False):
        pdf.set_x(left)
        pdf.set_font(FONT, style="B" if bold else "", size=9)
        pdf.cell(label_width, 5.5, printable(label))
        pdf.cell(value_width, 5.5, printable(value), align="R", **NEXT_LINE)

    for label, value in document.totals:
        row(label, value)
    for tax in document.tax_lines:
        row(f"{tax.label} ({_('base %(base)s') % {'base': tax.base}})", tax.amount)
    row(
        _("Total credited (%(currency)s)") % {"currency": document.currency},
        document.total,
        bold=True,
    )
    if document.tax_mention:
        pdf.ln(3)
        pdf.text_line(document.tax_mention, bold=True)
    return bytes(pdf.output())
