"""The documents of exemption certificates, to the buyers of their company (storefront,
routed in `comptoir/storefront/urls.py`) and to the merchant's staff (back office)."""

from django.http import FileResponse, Http404
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from comptoir.tax.models import TaxCertificate
from comptoir.tax.rules import SNIFF_BYTES, document_type


@never_cache
@require_GET
def certificate_document(request, pk: int):
    """A certificate's document, to the buyers of its company only: anyone else gets the
    same 404 as for a certificate that does not exist."""
    company = request.viewer.company
    certificate = (
        TaxCertificate.objects.filter(pk=pk, company=company).exclude(document="").first()
        if company is not None
        else None
    )
    if certificate is None:
        raise Http404(_("No such certificate."))
    return document_response(certificate)


def document_response(certificate: TaxCertificate) -> FileResponse:
    """The document of a certificate, typed from its first bytes: PDF, PNG and JPEG are shown
    in the browser, anything else (a back-office upload) is downloaded, never run."""
    try:
        document = certificate.document.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("The document file is missing from the storage.")) from exc
    kind = document_type(document.read(SNIFF_BYTES))
    document.seek(0)
    name = slugify(certificate.number) or "certificate"
    response = FileResponse(
        document,
        as_attachment=kind is None,
        filename=name + (kind.extension if kind else ""),
        content_type=kind.content_type if kind else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
