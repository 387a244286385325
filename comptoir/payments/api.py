"""A company's invoices over the REST API (issue 19): the list, one invoice, its PDF.

The same rights as the invoice pages (payments/views.py): a role that does not see invoices
and prices is refused (403 `permission_denied`), another company's invoice is unknown (404),
and a user limited to locations sees the invoices of their locations' orders only.
"""

import datetime
from typing import Literal

from django.core.paginator import Paginator
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema

from comptoir.api.callers import Caller
from comptoir.api.openapi import InvoiceOut, InvoicePage, documented
from comptoir.api.problems import ApiError
from comptoir.api.security import BearerAuth
from comptoir.ordering.services import require_account
from comptoir.payments.invoice_rules import OPEN_STATUSES
from comptoir.payments.models import Invoice
from comptoir.payments.resources import invoice_resource
from comptoir.payments.selectors import visible_invoices
from comptoir.payments.views import pdf_response

router = Router(tags=["invoices"], auth=BearerAuth(check=require_account))
ACCOUNT = (401, 403)
INVOICE_EXAMPLE = "FAC-2026-000001"
# What a buyer filters on: `open` is every invoice still waiting for money.
STATUS_FILTERS = {
    "open": OPEN_STATUSES,
    "paid": ("paid",),
    "overdue": ("overdue",),
    "credited": ("credited",),
    "cancelled": ("cancelled",),
}


class InvoiceQuery(Schema):
    status: Literal["open", "paid", "overdue", "credited", "cancelled"] | None = Field(
        None,
        description="open: unpaid, partly paid or overdue; credited: wholly taken back by "
        "credit notes",
    )
    issued_from: datetime.date | None = Field(None, description="first issue date, inclusive")
    issued_until: datetime.date | None = Field(None, description="last issue date, inclusive")
    page: int = Field(1, ge=1)
    page_size: int = Field(20, ge=1, le=100)


def _refuse_unless_sees_invoices(caller: Caller) -> None:
    if not caller.sees_invoices:
        raise ApiError(403, "permission_denied", _("Your role does not allow you to see invoices."))


def _location_ids(caller: Caller) -> frozenset[int] | None:
    access = caller.access
    return None if access.all_locations else access.location_ids


def _own_invoice(caller: Caller, number: str) -> Invoice:
    """An invoice of the caller's company that they may see; 404 for another company's."""
    _refuse_unless_sees_invoices(caller)
    invoice = visible_invoices(caller.company).filter(number=number).first()
    if invoice is None:
        raise ApiError(404, "not_found", _("No invoice %(number)s.") % {"number": number})
    if not caller.access.covers(invoice.order_location_id):
        raise ApiError(403, "permission_denied", _("Your locations do not cover this invoice."))
    return invoice


@router.get("/invoices", openapi_extra=documented(InvoicePage, errors=(*ACCOUNT, 400)))
def list_invoices(request, query: Query[InvoiceQuery]):
    """The company's invoices, newest first, filtered by status and issue dates."""
    caller = request.auth
    _refuse_unless_sees_invoices(caller)
    invoices = visible_invoices(
        caller.company,
        location_ids=_location_ids(caller),
        statuses=STATUS_FILTERS[query.status] if query.status else (),
        issued_from=query.issued_from,
        issued_until=query.issued_until,
    )
    page = Paginator(invoices, query.page_size).get_page(query.page)
    return {
        "items": [invoice_resource(invoice) for invoice in page.object_list]
        if page.number == query.page
        else [],
        "count": page.paginator.count,
        "page": query.page,
        "page_size": query.page_size,
    }


@router.get("/invoices/{number}", openapi_extra=documented(InvoiceOut, errors=(*ACCOUNT, 404)))
def get_invoice(request, number: str = Path(..., example=INVOICE_EXAMPLE)):
    return invoice_resource(_own_invoice(request.auth, number))


PDF_ANSWER = documented(errors=(*ACCOUNT, 404))
PDF_ANSWER["responses"][200] = {
    "description": "The invoice as a PDF document.",
    "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
}


@router.get("/invoices/{number}/pdf", openapi_extra=PDF_ANSWER)
def get_invoice_pdf(request, number: str = Path(..., example=INVOICE_EXAMPLE)):
    """The invoice's PDF, the same document as the storefront's download."""
    return pdf_response(_own_invoice(request.auth, number), as_attachment=True)
