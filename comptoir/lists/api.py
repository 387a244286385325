"""Requisition lists over the REST API (issue 18): `GET/POST /lists`, `GET/PATCH/DELETE
/lists/{id}`, their lines, and `POST /lists/{id}/to-cart`. A list the caller does not see
(another company's, a colleague's private one) is 404."""

from typing import Literal

from django.core.paginator import Paginator
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from ninja.responses import Status

from comptoir.api.callers import Caller
from comptoir.api.openapi import (
    ListDetail,
    ListPage,
    ListRowsAndList,
    Quantity,
    RowsAndCart,
    documented,
)
from comptoir.api.problems import ApiError
from comptoir.api.security import BearerAuth
from comptoir.core.absent import NullIsAbsent
from comptoir.lists import services
from comptoir.lists.json_views import detail_json, summary_json
from comptoir.lists.selectors import list_lines, list_quote, visible_list, visible_lists
from comptoir.ordering.api import cart_answer
from comptoir.ordering.json_views import row_json
from comptoir.ordering.services import MAX_IMPORT_LINES, require_buyer

router = Router(tags=["requisition lists"], auth=BearerAuth(check=services.require_list_keeper))
KEEPER = (401, 403)
LIST_ID = Path(..., ge=1, le=2_147_483_647, example=1)


class ListLineIn(NullIsAbsent):
    sku: str = Field(..., max_length=64)
    qty: Quantity
    unit: str | None = Field(
        None,
        max_length=20,
        description="the product's unit or one of its enabled packagings (`case`): what "
        "`qty` counts; absent: the product's unit",
    )
    note: str | None = Field(None, max_length=500)


class NewListIn(NullIsAbsent):
    name: str = Field(..., max_length=200, examples=["Weekly restock"])
    sharing: Literal["private", "company", "location"] = "private"
    location: str | None = Field(None, max_length=64)
    lines: list[ListLineIn] | None = Field(None, max_length=MAX_IMPORT_LINES)


class ListPatch(NullIsAbsent):
    name: str | None = Field(None, max_length=200)
    sharing: Literal["private", "company", "location"] | None = None
    location: str | None = Field(None, max_length=64)


class ListLinesIn(NullIsAbsent):
    lines: list[ListLineIn] = Field(..., max_length=MAX_IMPORT_LINES)


class ListLinePut(NullIsAbsent):
    qty: Quantity
    note: str | None = Field(None, max_length=500)


class ListToCartIn(NullIsAbsent):
    skus: list[str] | None = Field(
        None, max_length=MAX_IMPORT_LINES, description="the lines to take; absent: all"
    )


class ListPaging(Schema):
    page: int = Field(1, ge=1)
    page_size: int = Field(20, ge=1, le=100)


def _found(caller: Caller, list_id: int):
    found = visible_list(caller, list_id)
    if found is None:
        raise ApiError(404, "not_found", _("No list %(id)s.") % {"id": list_id})
    return found


def _detail(caller: Caller, list_id: int) -> dict:
    found = _found(caller, list_id)
    lines = list_lines(found)
    return detail_json(caller, found, lines, list_quote(caller, lines))


def _rows(lines: list[ListLineIn]) -> list[tuple]:
    """Rows as the service reads them; a unit goes with its quantity ("3 case")."""
    return [
        (n, line.sku, f"{line.qty} {line.unit}" if line.unit else line.qty, line.note or "")
        for n, line in enumerate(lines, start=1)
    ]


@router.get("/lists", openapi_extra=documented(ListPage, errors=(*KEEPER, 400)))
def get_lists(request, paging: Query[ListPaging]):
    """The caller's lists and those shared with their company or their locations."""
    caller = request.auth
    page = Paginator(visible_lists(caller), paging.page_size).get_page(paging.page)
    return {
        "items": [summary_json(caller, found) for found in page.object_list]
        if page.number == paging.page
        else [],
        "count": page.paginator.count,
        "page": paging.page,
        "page_size": paging.page_size,
    }


@router.post(
    "/lists",
    response={201: dict},
    openapi_extra=documented(ListRowsAndList, status=201, errors=(*KEEPER, 400, 422)),
)
def post_list(request, body: NewListIn):
    """A new list, with its first lines if given (each row reported)."""
    caller = request.auth
    created = services.list_create(
        viewer=caller, name=body.name, sharing=body.sharing, location=body.location
    )
    results = []
    if body.lines:
        results = services.list_add_lines(
            viewer=caller, requisition_list=created, rows=_rows(body.lines)
        )
    return Status(
        201, {"rows": [row_json(r) for r in results], "list": _detail(caller, created.pk)}
    )


@router.get("/lists/{list_id}", openapi_extra=documented(ListDetail, errors=(*KEEPER, 400, 404)))
def get_list(request, list_id: int = LIST_ID):
    """The list with today's prices, availability and every rule a line breaks."""
    return _detail(request.auth, list_id)


@router.patch(
    "/lists/{list_id}", openapi_extra=documented(ListDetail, errors=(*KEEPER, 400, 404, 422))
)
def patch_list(request, body: ListPatch, list_id: int = LIST_ID):
    """Rename or re-share (the owner, or a user manager for a shared list)."""
    caller = request.auth
    services.list_update(
        viewer=caller,
        requisition_list=_found(caller, list_id),
        name=body.name,
        sharing=body.sharing,
        location=body.location,
    )
    return _detail(caller, list_id)


@router.delete(
    "/lists/{list_id}", response={204: None}, openapi_extra=documented(errors=(*KEEPER, 400, 404))
)
def delete_list(request, list_id: int = LIST_ID):
    caller = request.auth
    services.list_delete(viewer=caller, requisition_list=_found(caller, list_id))
    return Status(204, None)


@router.post(
    "/lists/{list_id}/lines",
    openapi_extra=documented(ListRowsAndList, errors=(*KEEPER, 400, 404, 422)),
)
def post_list_lines(request, body: ListLinesIn, list_id: int = LIST_ID):
    """Add lines (quantities of an SKU already there add up); each row reported."""
    caller = request.auth
    found = _found(caller, list_id)
    results = services.list_add_lines(viewer=caller, requisition_list=found, rows=_rows(body.lines))
    return {"rows": [row_json(r) for r in results], "list": _detail(caller, list_id)}


@router.put(
    "/lists/{list_id}/lines/{sku}",
    openapi_extra=documented(ListDetail, errors=(*KEEPER, 400, 404, 422)),
)
def put_list_line(request, body: ListLinePut, sku: str, list_id: int = LIST_ID):
    """Set a line's quantity (0 removes it) and note."""
    caller = request.auth
    services.list_set_line(
        viewer=caller,
        requisition_list=_found(caller, list_id),
        sku=sku,
        quantity=body.qty,
        note=body.note,
    )
    return _detail(caller, list_id)


@router.delete(
    "/lists/{list_id}/lines/{sku}",
    openapi_extra=documented(ListDetail, errors=(*KEEPER, 400, 404, 422)),
)
def delete_list_line(request, sku: str, list_id: int = LIST_ID):
    caller = request.auth
    found = _found(caller, list_id)
    if not services.list_remove_lines(viewer=caller, requisition_list=found, skus=[sku]):
        raise ApiError(404, "not_found", _("This list has no line %(sku)s.") % {"sku": sku})
    return _detail(caller, list_id)


@router.post(
    "/lists/{list_id}/to-cart",
    openapi_extra=documented(RowsAndCart, errors=(*KEEPER, 400, 404, 422)),
)
def list_to_cart(request, body: ListToCartIn, list_id: int = LIST_ID):
    """Put all lines, or the chosen SKUs, in the cart through the quick-order path."""
    caller = request.auth
    require_buyer(caller)
    found = _found(caller, list_id)
    results = services.list_to_cart(viewer=caller, requisition_list=found, skus=body.skus)
    return {"rows": [row_json(r) for r in results], "cart": cart_answer(caller)}
