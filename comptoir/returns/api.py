"""Returns over the REST API (issue 21): ask for one (JSON: lines by SKU, a reason from the
list, a comment; the photo is sent from the storefront), list them, read one. The same
services as the pages; refusals keep their codes (422, 404 for another company's order or
return, 403 `permission_denied` beyond the role or locations)."""

from typing import Any

from django.core.paginator import Paginator
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from ninja.responses import Status

from comptoir.api.openapi import ReturnOut, ReturnPage, documented
from comptoir.api.problems import ApiError
from comptoir.api.security import BearerAuth
from comptoir.core.absent import NullIsAbsent
from comptoir.core.errors import BusinessRuleError
from comptoir.ordering.selectors import company_order
from comptoir.ordering.services import require_account, require_buyer
from comptoir.returns import rules, selectors, services
from comptoir.returns.json_views import return_json, summary_json
from comptoir.returns.models import ReturnRequest

router = Router(tags=["returns"], auth=BearerAuth(check=require_account))
BUYER = BearerAuth(check=require_buyer)
CALLER = (401, 403)
EXAMPLE = "RMA-2026-000001"
MAX_LINES = 500


class ReturnLineIn(NullIsAbsent):
    sku: str = Field(..., max_length=64)
    qty: Any = Field(..., json_schema_extra={"type": "integer", "minimum": 1, "maximum": 1_000_000})


class ReturnIn(NullIsAbsent):
    order: str = Field(..., max_length=32, description="The number of a delivered order.")
    lines: list[ReturnLineIn] = Field(..., min_length=1, max_length=MAX_LINES)
    reason: str = Field(..., max_length=20, description=", ".join(rules.REASONS))
    comment: str = Field("", max_length=rules.MAX_COMMENT)


class ReturnPaging(Schema):
    page: int = Field(1, ge=1)
    page_size: int = Field(20, ge=1, le=100)


def _found(caller, number: str) -> ReturnRequest:
    found = selectors.company_return(caller.company, number)
    if found is None:
        raise ApiError(404, "not_found", _("No return %(number)s.") % {"number": number})
    company_order(caller, found.order.number)  # 403 beyond the role or locations
    return found


def _locations(caller):
    return None if caller.access.all_locations else caller.access.location_ids


@router.post(
    "/returns",
    auth=BUYER,
    response={201: dict},
    openapi_extra=documented(ReturnOut, status=201, errors=(*CALLER, 400, 404, 422)),
)
def request_return(request, body: ReturnIn):
    """Ask to return units of a delivered order, within the store's return window."""
    caller = request.auth
    order = company_order(caller, body.order)
    if order is None:
        raise ApiError(404, "not_found", _("No order %(number)s.") % {"number": body.order})
    by_sku = {line.sku.upper(): line.pk for line in order.lines.all()}
    quantities: dict[int, int] = {}
    for row in body.lines:
        pk = by_sku.get(row.sku.strip().upper())
        qty = row.qty if isinstance(row.qty, int) and not isinstance(row.qty, bool) else 0
        if pk is None:
            raise BusinessRuleError(
                "return_unknown_line",
                _("%(sku)s is not a line of order %(number)s.")
                % {"sku": row.sku, "number": order.number},
            )
        if qty <= 0:
            quantities[pk] = 0  # refused by the rules: "a whole number above 0"
            continue
        quantities[pk] = quantities.get(pk, 0) + qty
    found = services.return_request(
        viewer=caller,
        order_number=order.number,
        ask=services.ReturnAsk(quantities=quantities, reason=body.reason, comment=body.comment),
    )
    return Status(201, return_json(_found(caller, found.number)))


@router.get("/returns", openapi_extra=documented(ReturnPage, errors=(*CALLER, 400)))
def list_returns(request, paging: Query[ReturnPaging]):
    """The company's returns the caller may see, newest first."""
    caller = request.auth
    page = Paginator(
        selectors.returns_of(caller.company, _locations(caller)), paging.page_size
    ).get_page(paging.page)
    return {
        "items": [summary_json(found) for found in page.object_list]
        if page.number == paging.page
        else [],
        "count": page.paginator.count,
        "page": paging.page,
        "page_size": paging.page_size,
    }


@router.get("/returns/{number}", openapi_extra=documented(ReturnOut, errors=(*CALLER, 404)))
def get_return(request, number: str = Path(..., examples=[EXAMPLE])):
    """A return with its lines, its history and its credit note's number once issued."""
    return return_json(_found(request.auth, number))
