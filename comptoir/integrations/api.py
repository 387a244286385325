"""The ERP routes under /api/v1/erp/ (issue 19): incremental sync and bulk writes for an
integration's API key (security.py), never for a buyer.

A sync page lists rows in the order they changed, (updated_at, id), after `cursor` or from
`updated_since`; `next_cursor` resumes after the last row returned (docs/api.md).
"""

from typing import Annotated, Any

from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from pydantic import WithJsonSchema

from comptoir.api.openapi import documented
from comptoir.api.problems import ApiError
from comptoir.core.absent import NullIsAbsent
from comptoir.integrations import cursor as cursors
from comptoir.integrations import resources, selectors, services
from comptoir.integrations.openapi import (
    EntriesResult,
    ErpCompany,
    ErpCompanyPage,
    ErpDeletionPage,
    ErpInvoice,
    ErpInvoicePage,
    ErpOrderPage,
    ErpPriceEntryPage,
    ErpPriceListPage,
    ErpProductPage,
    StockResult,
)
from comptoir.integrations.rules import MAX_ITEMS
from comptoir.integrations.scopes import READ, WRITE_CREDIT, WRITE_PRICES, WRITE_STOCK
from comptoir.integrations.security import IntegrationKey
from comptoir.payments.views import pdf_response

router = Router(tags=["integrations (ERP)"])
KEY = (401, 403)


class SyncQuery(Schema):
    # Bounded so that no query string outgrows what a server accepts in a request line.
    updated_since: str | None = Field(
        None,
        max_length=40,
        description="ISO 8601 date-time with offset: rows changed at or after it",
    )
    cursor: str | None = Field(
        None, max_length=100, description="`next_cursor` of the previous page (wins)"
    )
    limit: int = Field(100, ge=1, le=1000)


def _sync(query: SyncQuery, queryset, resource, *, field: str = "updated_at") -> dict:
    try:
        position = cursors.start(cursor=query.cursor, updated_since=query.updated_since)
    except cursors.BadCursor:
        raise ApiError(
            400,
            "invalid_request",
            _("The cursor or updated_since is not valid: send back a next_cursor as given."),
            [{"field": "cursor", "code": "invalid", "message": _("Not a valid cursor.")}],
        ) from None
    rows, has_more = selectors.changed_since(queryset, position, query.limit, field=field)
    if rows:
        last = rows[-1]
        next_cursor = cursors.encode(cursors.Position(at=getattr(last, field), id=last.pk))
    else:
        next_cursor = query.cursor or cursors.encode(position or cursors.BEGINNING)
    return {
        "items": [resource(row) for row in rows],
        "next_cursor": next_cursor,
        "has_more": has_more,
    }


def _sync_route(path: str, page_model, summary: str, *, errors: tuple[int, ...] = ()):
    return router.get(
        path,
        auth=IntegrationKey(READ),
        summary=summary,
        openapi_extra=documented(page_model, errors=(*KEY, 400, *errors)),
    )


@_sync_route("/erp/products", ErpProductPage, "Products changed (inactive ones included)")
def erp_products(request, query: Query[SyncQuery]):
    return _sync(query, selectors.products(), resources.product_resource)


@_sync_route("/erp/price-lists", ErpPriceListPage, "Price lists changed")
def erp_price_lists(request, query: Query[SyncQuery]):
    """A list moves when it or any of its entries is written or deleted."""
    return _sync(query, selectors.price_lists(), resources.price_list_resource)


@_sync_route("/erp/price-entries", ErpPriceEntryPage, "Price entries changed")
def erp_price_entries(request, query: Query[SyncQuery]):
    return _sync(query, selectors.price_entries(), resources.price_entry_resource)


@_sync_route(
    "/erp/price-lists/{code}/entries", ErpPriceEntryPage, "A price list's entries", errors=(404,)
)
def erp_price_list_entries(request, query: Query[SyncQuery], code: str = Path(...)):
    """All of a list's entries page by page (without `updated_since`): what to read again
    when the list moved, entries deleted included."""
    return _sync(query, selectors.price_entries(_price_list(code)), resources.price_entry_resource)


@_sync_route("/erp/companies", ErpCompanyPage, "Companies changed")
def erp_companies(request, query: Query[SyncQuery]):
    return _sync(query, selectors.companies(), resources.company_resource)


@_sync_route("/erp/orders", ErpOrderPage, "Orders changed (placed, status, payment)")
def erp_orders(request, query: Query[SyncQuery]):
    return _sync(query, selectors.orders(), resources.order_resource)


@_sync_route("/erp/invoices", ErpInvoicePage, "Invoices changed (issued, paid, overdue)")
def erp_invoices(request, query: Query[SyncQuery]):
    return _sync(query, selectors.invoices(), resources.invoice_sync_resource)


@_sync_route("/erp/deletions", ErpDeletionPage, "Products, price lists, companies deleted")
def erp_deletions(request, query: Query[SyncQuery]):
    return _sync(query, selectors.tombstones(), resources.tombstone_resource, field="deleted_at")


def _invoice(number: str):
    invoice = selectors.invoices().filter(number=number).first()
    if invoice is None:
        raise ApiError(404, "not_found", _("No invoice %(number)s.") % {"number": number})
    return invoice


@router.get(
    "/erp/invoices/{number}",
    auth=IntegrationKey(READ),
    openapi_extra=documented(ErpInvoice, errors=(*KEY, 404)),
)
def erp_invoice(request, number: str = Path(...)):
    return resources.invoice_sync_resource(_invoice(number))


PDF_ANSWER = documented(errors=(*KEY, 404))
PDF_ANSWER["responses"][200] = {
    "description": "The invoice as a PDF document.",
    "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
}


@router.get("/erp/invoices/{number}/pdf", auth=IntegrationKey(READ), openapi_extra=PDF_ANSWER)
def erp_invoice_pdf(request, number: str = Path(...)):
    return pdf_response(_invoice(number), as_attachment=True)


# Items are read as sent and checked one by one (rules.py), so that each wrong item gets its
# own error in a 422, not a framework 400; the document still says what a good one is.
SkuIn = Annotated[Any, WithJsonSchema({"type": "string", "minLength": 1, "maxLength": 64})]
StockValue = Annotated[Any, WithJsonSchema({"type": "integer", "minimum": 0})]
MinQty = Annotated[Any, WithJsonSchema({"type": "integer", "minimum": 1, "maximum": 1_000_000})]
PriceText = Annotated[Any, WithJsonSchema({"type": "string", "examples": ["12.50"]})]


class StockItemIn(Schema):
    sku: SkuIn
    stock: StockValue


class StockIn(Schema):
    items: list[StockItemIn] = Field(..., json_schema_extra={"maxItems": MAX_ITEMS})


@router.put(
    "/erp/stock",
    auth=IntegrationKey(WRITE_STOCK),
    openapi_extra=documented(StockResult, errors=(*KEY, 400, 422)),
)
def erp_stock(request, body: StockIn):
    """Sets the stock of up to 10,000 products by SKU, all or nothing: one unknown SKU, a
    negative stock or a SKU sent twice refuses the call (422, one error per item)."""
    items = [(item.sku, item.stock) for item in body.items]
    changed = services.stock_put(items=items)
    return {"received": len(items), "changed": changed}


class EntryItemIn(Schema):
    sku: SkuIn
    min_qty: MinQty = 1
    price: PriceText


class EntriesIn(Schema):
    entries: list[EntryItemIn] = Field(..., json_schema_extra={"maxItems": MAX_ITEMS})


def _price_list(code: str):
    price_list = selectors.price_list_by_code(code)
    if price_list is None:
        raise ApiError(404, "not_found", _("No price list %(code)s.") % {"code": code})
    return price_list


@router.put(
    "/erp/price-lists/{code}/entries",
    auth=IntegrationKey(WRITE_PRICES),
    openapi_extra=documented(EntriesResult, errors=(*KEY, 400, 404, 422)),
)
def erp_price_entries_put(request, body: EntriesIn, code: str = Path(...)):
    """Creates or updates these tiers of the list ({sku, min_qty, price}), all or nothing;
    the list's other entries are kept."""
    price_list = _price_list(code)
    rows = [(entry.sku, entry.min_qty, entry.price) for entry in body.entries]
    result = services.price_entries_put(price_list=price_list, rows=rows)
    return {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}


class CreditIn(NullIsAbsent):
    credit_limit: PriceText = None


@router.patch(
    "/erp/companies/{code}",
    auth=IntegrationKey(WRITE_CREDIT),
    openapi_extra=documented(ErpCompany, errors=(*KEY, 400, 404, 422)),
)
def erp_company_patch(request, body: CreditIn, code: str = Path(...)):
    """Sets the company's credit limit: a decimal string, or null for no invoice terms."""
    company = selectors.company_by_code(code)
    if company is None:
        raise ApiError(404, "not_found", _("No company %(code)s.") % {"code": code})
    services.company_credit_set(company=company, value=body.credit_limit)
    return resources.company_resource(selectors.companies().get(pk=company.pk))
