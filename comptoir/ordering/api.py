"""Cart, quick order, checkout and orders over the REST API (API.md §2)."""

from typing import Any, Literal

from django.core.paginator import Paginator
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from ninja.responses import Status

from comptoir.api.callers import Caller
from comptoir.api.openapi import (
    ORDER_EXAMPLE,
    SKU_EXAMPLE,
    ApprovalRequired,
    Cart,
    Order,
    OrderPage,
    Quantity,
    RowsAndCart,
    documented,
)
from comptoir.api.problems import ApiError
from comptoir.api.security import BearerAuth
from comptoir.approvals.json_views import approval_required_json
from comptoir.approvals.preview import cart_preview, preview_json
from comptoir.core.absent import NullIsAbsent
from comptoir.core.errors import BusinessRuleError
from comptoir.core.geography import region_problem
from comptoir.ordering import json_views, placement, services
from comptoir.ordering.quotes import Destination, quote_cart
from comptoir.ordering.selectors import company_order, company_orders
from comptoir.ordering.services import invalid_quantity_error, require_account, require_buyer

# Every operation is the buyer's: the caller (`request.auth`) is checked before the body.
router = Router(tags=["cart and orders"], auth=BearerAuth(check=require_buyer))
# The order history is every company user's; each sees the orders their role allows.
ACCOUNT = BearerAuth(check=require_account)
# Who may call: 401 without a login, 403 for a company that may not order (or no CSRF token).
BUYER = (401, 403)


def cart_answer(caller: Caller, destination: Destination | None = None) -> dict:
    items, packagings = services.cart_contents(caller.user)
    quote = quote_cart(caller, items, destination=destination, packagings=packagings)
    location = services.cart_location(caller.user)
    cart = json_views.cart_json(quote) | {"location": location}
    gate = cart_preview(caller, quote, location_code=location)
    return _as_seen(caller, cart) | preview_json(gate, quote.currency)


def _order_json(caller: Caller, order) -> dict:
    return _as_seen(caller, json_views.order_json(order))


def _as_seen(caller: Caller, data: dict) -> dict:
    """Amounts only for a role that sees prices."""
    return data if caller.sees_prices else json_views.without_prices(data)


def _json_quantity(value: Any) -> int:
    """API.md: a quantity is a JSON integer from 0 to 1,000,000."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise invalid_quantity_error()
    quantity = services.parse_quantity(value)
    if quantity is None:
        raise invalid_quantity_error()
    return quantity


UNIT_FIELD = Field(
    None,
    max_length=20,
    description="the product's unit or one of its enabled packagings (`case`); absent: the "
    "line's unit, else the product's",
)


class LineIn(NullIsAbsent):
    qty: Quantity
    unit: str | None = UNIT_FIELD


class LinesRowIn(NullIsAbsent):
    sku: str
    qty: Quantity
    unit: str | None = UNIT_FIELD


class LinesIn(NullIsAbsent):
    lines: list[LinesRowIn] = Field(..., max_length=services.MAX_IMPORT_LINES)
    mode: Literal["add", "replace"] = "add"


class CartQuery(Schema):
    shipping_address: str = Field("", description="an address code of the company")


@router.get("/cart", openapi_extra=documented(Cart, errors=(*BUYER, 422)))
def get_cart(request, query: Query[CartQuery]):
    """The caller's cart, priced now, with every rule it breaks; with `shipping_address`, the
    shipping and payment methods, shipping and tax for that address, as checkout decides."""
    caller = request.auth
    code = query.shipping_address.strip()
    return cart_answer(caller, placement.shipping_destination(caller, code) if code else None)


@router.put("/cart/lines/{sku}", openapi_extra=documented(Cart, errors=(*BUYER, 400, 404, 422)))
def put_line(request, line: LineIn, sku: str = Path(..., example=SKU_EXAMPLE)):
    """Set a line (0 removes it); a broken rule is reported in the line's `errors`."""
    caller = request.auth
    services.cart_set_line(
        viewer=caller, sku=sku, quantity=_json_quantity(line.qty), unit=line.unit
    )
    return cart_answer(caller)


@router.post("/cart/lines", openapi_extra=documented(RowsAndCart, errors=(*BUYER, 400, 422)))
def post_lines(request, body: LinesIn):
    """Many lines at once (quick order); each row says what became of it."""
    caller = request.auth
    rows = [(number, row.sku, row.qty, row.unit) for number, row in enumerate(body.lines, start=1)]
    results = services.cart_add_lines(viewer=caller, rows=rows, mode=body.mode)
    return {"rows": [json_views.row_json(r) for r in results], "cart": cart_answer(caller)}


@router.post(
    "/cart/import",
    openapi_extra=documented(
        RowsAndCart,
        errors=(*BUYER, 400, 422),
        requestBody={
            "required": True,
            "content": {"text/csv": {"schema": {"type": "string"}}},
        },
    ),
)
def import_lines(request):
    """Quick order from a CSV file (`sku,qty[,unit]` per line, up to 1,000 lines) as the body."""
    caller = request.auth
    rows = services.parse_cart_csv(request.body)
    results = services.cart_add_lines(viewer=caller, rows=rows)
    return {"rows": [json_views.row_json(r) for r in results], "cart": cart_answer(caller)}


class CartLocationIn(NullIsAbsent):
    location: str | None = Field(None, max_length=64)


@router.put("/cart/location", openapi_extra=documented(Cart, errors=(*BUYER, 400, 422)))
def put_cart_location(request, body: CartLocationIn):
    """The company location the cart is for (absent: decided at checkout)."""
    caller = request.auth
    services.cart_set_location(viewer=caller, code=body.location)
    return cart_answer(caller)


@router.delete("/cart", openapi_extra=documented(Cart, errors=BUYER))
def delete_cart(request):
    caller = request.auth
    services.cart_clear(viewer=caller)
    return cart_answer(caller)


class AddressIn(NullIsAbsent):
    line1: str = Field(..., min_length=1, max_length=200)
    line2: str = Field("", max_length=200)
    city: str = Field(..., min_length=1, max_length=100)
    postal_code: str = Field(..., min_length=1, max_length=20)
    country: str = Field(..., pattern=r"^[A-Z]{2}$")
    region: str | None = Field(None, max_length=3)


class CheckoutIn(NullIsAbsent):
    shipping_address: str | AddressIn | None = None
    location: str | None = Field(None, max_length=64)
    shipping_method: str | None = None
    payment_method: str | None = None
    po_number: str = Field("", max_length=64)
    comment: str = Field("", max_length=2000)
    quote: str | None = Field(None, max_length=32)


@router.post(
    "/checkout",
    response={201: dict, 202: dict},
    openapi_extra=documented(
        Order,
        status=201,
        also={202: ApprovalRequired},
        errors=(*BUYER, 400, 404, 409, 422),
        parameters=[
            {
                "in": "header",
                "name": "Idempotency-Key",
                "required": False,
                "schema": {"type": "string", "maxLength": 255},
            }
        ],
    ),
)
def checkout(request, body: CheckoutIn):
    """Place the cart as an order (201), or send it for approval when a rule of the company
    asks for one (202 `approval_required`); a retry with the same `Idempotency-Key` gets the
    same answer. With `quote`, the accepted quote's lines at its prices instead of the cart
    (404 another company's, 409 `quote_expired` or `quote_not_open`)."""
    caller = request.auth
    key = request.headers.get("Idempotency-Key", "").strip()
    if len(key) > 255:
        raise ApiError(400, "invalid_request", _("The Idempotency-Key is too long."))
    result = placement.order_place(viewer=caller, request=_checkout_request(body), key=key or None)
    if result.approval is not None:
        return Status(202, approval_required_json(caller, result.approval))
    order = company_order(caller, result.order.number)
    return Status(201, _order_json(caller, order))


def _checkout_request(body: CheckoutIn) -> placement.CheckoutRequest:
    address = body.shipping_address
    if isinstance(address, AddressIn):
        problem = region_problem(address.country, (address.region or "").upper())
        if problem:
            raise BusinessRuleError(
                "unknown_address",
                problem,
                [{"field": "shipping_address", "code": "unknown_address", "message": problem}],
            )
        address = Destination(
            line1=address.line1.strip(),
            line2=address.line2.strip(),
            city=address.city.strip(),
            postal_code=address.postal_code.strip(),
            country=address.country,
            region=(address.region or "").upper(),
        )
    return placement.CheckoutRequest(
        shipping_address=address,
        location=body.location,
        shipping_method=body.shipping_method,
        payment_method=body.payment_method,
        po_number=body.po_number,
        comment=body.comment,
        quote=body.quote,
    )


class Page(Schema):
    page: int = Field(1, ge=1)
    page_size: int = Field(20, ge=1, le=100)


@router.get("/orders", auth=ACCOUNT, openapi_extra=documented(OrderPage, errors=(*BUYER, 400)))
def list_orders(request, paging: Query[Page]):
    """The company's orders, newest first."""
    caller = request.auth
    page = Paginator(company_orders(caller), paging.page_size).get_page(paging.page)
    return {
        "items": [_order_json(caller, order) for order in page.object_list]
        if page.number == paging.page
        else [],
        "count": page.paginator.count,
        "page": paging.page,
        "page_size": paging.page_size,
    }


@router.get("/orders/{number}", auth=ACCOUNT, openapi_extra=documented(Order, errors=(*BUYER, 404)))
def get_order(request, number: str = Path(..., example=ORDER_EXAMPLE)):
    caller = request.auth
    order = company_order(caller, number)
    if order is None:
        raise ApiError(404, "not_found", _("No order %(number)s.") % {"number": number})
    return _order_json(caller, order)


@router.post(
    "/orders/{number}/reorder", openapi_extra=documented(RowsAndCart, errors=(*BUYER, 404))
)
def reorder(request, number: str = Path(..., example=ORDER_EXAMPLE)):
    """Put the order's lines in the cart again, at today's prices and rules."""
    caller = request.auth
    order = company_order(caller, number)
    if order is None:
        raise ApiError(404, "not_found", _("No order %(number)s.") % {"number": number})
    results = services.order_reorder(viewer=caller, order=order)
    return {"rows": [json_views.row_json(r) for r in results], "cart": cart_answer(caller)}
