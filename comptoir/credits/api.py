"""Credit notes over the REST API (issue 21): the list, one credit note and its PDF, for
the roles that see invoices (403 `permission_denied` otherwise, 404 for another company's)."""

from django.core.paginator import Paginator
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema

from comptoir.api.openapi import CreditNoteOut, CreditNotePage, documented
from comptoir.api.problems import ApiError
from comptoir.api.security import BearerAuth
from comptoir.core.errors import BusinessRuleError
from comptoir.credits import selectors
from comptoir.credits.models import CreditNote
from comptoir.credits.views import pdf_response

CALLER = (401, 403)
EXAMPLE = "AV-2026-000001"
PDF = {
    "description": "The credit note as a PDF.",
    "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
}


def require_invoice_reader(caller) -> None:
    """Credit notes, as invoices, need an approved company's user who sees invoices."""
    refused = caller.company_refusal()
    if refused is not None:
        raise BusinessRuleError(*refused)
    if not caller.sees_invoices:
        raise BusinessRuleError(
            "permission_denied", _("Your role does not allow you to see invoices.")
        )


router = Router(tags=["credit notes"], auth=BearerAuth(check=require_invoice_reader))


class CreditNotePaging(Schema):
    page: int = Field(1, ge=1)
    page_size: int = Field(20, ge=1, le=100)


def _locations(caller):
    return None if caller.access.all_locations else caller.access.location_ids


def summary_json(note: CreditNote) -> dict:
    return {
        "number": note.number,
        "invoice": note.invoice_number,
        "order": note.order_number,
        "issued_on": note.issued_on.isoformat(),
        "kind": note.kind,
        "reason": note.reason,
        "currency": note.currency,
        "total": str(note.total),
    }


def _found(caller, number: str) -> CreditNote:
    note = selectors.company_credit_note(caller.company, number)
    if note is None:
        raise ApiError(404, "not_found", _("No credit note %(number)s.") % {"number": number})
    if not caller.access.covers(note.invoice.order.location_id):
        raise ApiError(403, "permission_denied", _("Your locations do not cover this credit note."))
    return note


def credit_note_json(note: CreditNote) -> dict:
    note.invoice_number = note.invoice.number
    note.order_number = note.invoice.order.number
    return {
        **summary_json(note),
        "seller": {
            "name": note.seller_name,
            "address": note.seller_address,
            "vat_number": note.seller_vat_number,
        },
        "buyer": {
            "name": note.buyer_name,
            "code": note.buyer_code,
            "vat_number": note.buyer_vat_number,
            "billing_address": note.billing_address,
        },
        "lines": [
            {key: line[key] for key in ("sku", "name", "quantity", "unit", "unit_price", "net")}
            | {"tax_rate": line["tax_rate"]}
            for line in note.lines
        ],
        "tax_lines": [
            {
                "rate": tax["rate"],
                "base": tax["base"],
                "amount": tax["amount"],
                "reason": tax["reason"] or None,
            }
            for tax in note.tax_lines
        ],
        "shipping": str(note.shipping),
        "net_total": str(note.net_total),
        "tax_total": str(note.tax_total),
        "tax_mention": note.tax_mention,
        "pdf_url": reverse("api-v1:credit_note_pdf", kwargs={"number": note.number}),
    }


@router.get("/credit-notes", openapi_extra=documented(CreditNotePage, errors=(*CALLER, 400)))
def list_credit_notes(request, paging: Query[CreditNotePaging]):
    """The company's credit notes the caller may see, newest first."""
    caller = request.auth
    notes = selectors.credit_notes_of(caller.company, _locations(caller))
    page = Paginator(notes, paging.page_size).get_page(paging.page)
    return {
        "items": [summary_json(note) for note in page.object_list]
        if page.number == paging.page
        else [],
        "count": page.paginator.count,
        "page": paging.page,
        "page_size": paging.page_size,
    }


@router.get(
    "/credit-notes/{number}", openapi_extra=documented(CreditNoteOut, errors=(*CALLER, 404))
)
def get_credit_note(request, number: str = Path(..., examples=[EXAMPLE])):
    """A credit note with its seller, buyer, lines and tax lines as issued."""
    return credit_note_json(_found(request.auth, number))


@router.get(
    "/credit-notes/{number}/pdf",
    url_name="credit_note_pdf",
    openapi_extra={"responses": {200: PDF, **documented(errors=(*CALLER, 404))["responses"]}},
)
def get_credit_note_pdf(request, number: str = Path(..., examples=[EXAMPLE])):
    return pdf_response(_found(request.auth, number), as_attachment=True)
