"""Credit notes to the buyers of their company (storefront, routed in
`comptoir/storefront/urls.py`): the page and the PDF, with the permissions of invoices."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from comptoir.credits.documents import credit_note_document
from comptoir.credits.models import CreditNote
from comptoir.credits.pdf import credit_note_pdf
from comptoir.credits.selectors import company_credit_note


def _own_credit_note(request, number: str) -> CreditNote:
    """A credit note of the caller's company, for a role that sees invoices (else 403)."""
    viewer = request.viewer
    if viewer.company is not None and not viewer.sees_invoices:
        raise PermissionDenied(_("Your role does not allow you to see invoices."))
    note = company_credit_note(viewer.company, number)
    if note is None:
        raise Http404(_("No such credit note."))
    if not viewer.access.covers(note.invoice.order.location_id):
        raise PermissionDenied(_("Your locations do not cover this credit note."))
    return note


@never_cache
@require_GET
@login_required
def credit_note_page(request, number: str):
    note = _own_credit_note(request, number)
    return render(
        request,
        "credits/credit_note_page.html",
        {"document": credit_note_document(note)},
    )


@never_cache
@require_GET
@login_required
def credit_note_pdf_view(request, number: str):
    return pdf_response(_own_credit_note(request, number), as_attachment=True)


def pdf_response(note: CreditNote, *, as_attachment: bool) -> HttpResponse:
    document = credit_note_document(note)
    response = HttpResponse(credit_note_pdf(document), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=as_attachment, filename=document.filename
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
