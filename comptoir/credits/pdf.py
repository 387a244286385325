"""A credit note as a PDF, drawn as invoices are (payments/pdf.py: the same page, fonts and
characters), from `CreditNoteDocument`."""

from django.utils.translation import gettext as _

from comptoir.credits.documents import CreditNoteDocument
from comptoir.payments.pdf import DocumentPdf, labelled


def credit_note_pdf(document: CreditNoteDocument) -> bytes:
    pdf = DocumentPdf(document)
    pdf.add_page()
    pdf.heading(
        [
            (_("Date"), document.issued_on),
            (_("Invoice"), document.invoice_number),
            (_("Order"), document.order_number),
        ]
    )
    pdf.buyer(_("Credited to"))
    pdf.ln(3)
    pdf.text_line(labelled(_("Reason"), document.reason))
    pdf.ln(3)
    if document.lines:
        pdf.lines_table(
            (_("SKU"), _("Description"), _("Qty"), _("Unit price"), _("Net"), _("VAT")),
            (28, 62, 24, 24, 24, 18),
            (
                (line.sku, line.name, line.quantity, line.unit_price, line.net, line.tax_rate)
                for line in document.lines
            ),
        )
    pdf.amounts()
    pdf.total_row(
        _("Total credited (%(currency)s)") % {"currency": document.currency},
        document.total,
        bold=True,
    )
    if document.tax_mention:
        pdf.ln(3)
        pdf.text_line(document.tax_mention, bold=True)
    return bytes(pdf.output())
