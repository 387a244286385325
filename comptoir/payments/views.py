"""Invoices to the buyers of their company (storefront, routed in `comptoir/storefront/urls.py`):
the HTML page and the PDF. Anyone else gets the 404 of an invoice that does not exist."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from comptoir.credits.selectors import invoice_credit_notes
from comptoir.payments.documents import invoice_document
from comptoir.payments.models import Invoice
from comptoir.payments.pdf import invoice_pdf
from comptoir.payments.selectors import company_invoice


def _own_invoice(request, number: str) -> Invoice:
    """An invoice of the caller's company, for a role that sees invoices (else a 403 page)."""
    viewer = request.viewer
    if viewer.company is not None and not viewer.sees_invoices:
        raise PermissionDenied(_("Your role does not allow you to see invoices."))
    invoice = company_invoice(viewer.company, number)
    if invoice is None:
        raise Http404(_("No such invoice."))
    if not viewer.access.covers(invoice.order.location_id):
        raise PermissionDenied(_("Your locations do not cover this invoice."))
    return invoice


@never_cache
@require_GET
@login_required
def invoice_page(request, number: str):
    invoice = _own_invoice(request, number)
    return render(
        request,
        "payments/invoice_page.html",
        {
            "invoice": invoice,
            "document": invoice_document(invoice),
            "credit_notes": invoice_credit_notes(invoice),
        },
    )


@never_cache
@require_GET
@login_required
def invoice_pdf_view(request, number: str):
    return pdf_response(_own_invoice(request, number), as_attachment=True)


def pdf_response(invoice: Invoice, *, as_attachment: bool) -> HttpResponse:
    """The invoice's PDF, downloaded (or shown inline), named after its number."""
    document = invoice_document(invoice)
    response = HttpResponse(invoice_pdf(document), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=as_attachment, filename=document.filename
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
