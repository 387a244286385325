"""Catalogue and prices over the REST API (API.md §2): each caller sees its own."""

from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema
from pydantic import Field

from comptoir.api.callers import Caller
from comptoir.api.openapi import (
    SKU_EXAMPLE,
    PriceQuote,
    ProductDetail,
    ProductPage,
    QuantityText,
    documented,
)
from comptoir.api.problems import ApiError
from comptoir.api.security import OPTIONAL
from comptoir.catalog.selectors import catalogue_page, visible_products, with_skus
from comptoir.core.money import format_decimal
from comptoir.core.sku_lines import parse_quantity_text
from comptoir.pricing.engine import ProductData, quote_line
from comptoir.pricing.offers import Offer, offers
from comptoir.pricing.selectors import category_ancestors, pricing_context

router = Router(tags=["catalog"])
# Beyond it the OFFSET of the page overflows the database's integers (a 500 before); no
# catalogue has that many products, even one per page.
MAX_PAGE = 1_000_000


class PriceQuery(Schema):
    # Read by `_quantity`: a missing or bad one is a 422 `invalid_quantity`.
    qty: QuantityText = Field("", json_schema_extra=lambda schema: schema.pop("default"))


class ProductFilters(Schema):
    search: str = ""
    category: str = ""
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(20, ge=1, le=100)


def _offer_json(offer: Offer, currency: str, *, description: bool = False) -> dict:
    product, rules = offer.product, offer.rules
    price = None
    if offer.breaks:
        price = {
            "currency": currency,
            "unit_price": format_decimal(offer.breaks[0][1]),
            "tiers": [
                {"min_qty": quantity, "unit_price": format_decimal(unit_price)}
                for quantity, unit_price in offer.breaks
            ],
        }
    item = {
        "sku": product.sku,
        "name": product.name,
        "category": product.category.code if product.category else None,
        "unit": product.unit,
        "pack_size": product.pack_size,
        "rules": {"min_qty": rules.min_qty, "max_qty": rules.max_qty, "qty_step": rules.qty_step},
        "price": price,
        "availability": {"status": offer.availability.status, "left": offer.availability.left},
    }
    if description:
        item["description"] = product.description
    return item


def _visible(caller: Caller):
    return visible_products(group=caller.group, company=caller.company)


def _product(caller: Caller, sku: str):
    product = with_skus(_visible(caller), [sku]).first()
    if product is None:
        raise ApiError(404, "not_found", _("No product %(sku)s.") % {"sku": sku})
    return product


@router.get(
    "/products", openapi_extra=documented(ProductPage, errors=(400, 401), security=OPTIONAL)
)
def list_products(request, filters: Query[ProductFilters]):
    """The products the caller may see, with its own rules and prices."""
    caller = request.auth
    products, count = catalogue_page(
        group=caller.group,
        company=caller.company,
        search=filters.search.strip(),
        category=filters.category,
        page=filters.page,
        page_size=filters.page_size,
    )
    page = offers(
        store=caller.store,
        group=caller.group,
        company=caller.company,
        products=products,
        with_prices=caller.sees_prices,
    )
    return {
        "items": [_offer_json(offer, caller.store.currency) for offer in page],
        "count": count,
        "page": filters.page,
        "page_size": filters.page_size,
    }


@router.get(
    "/products/{sku}",
    openapi_extra=documented(ProductDetail, errors=(401, 404), security=OPTIONAL),
)
def get_product(request, sku: str = Path(..., example=SKU_EXAMPLE)):
    caller = request.auth
    product = _product(caller, sku)
    (offer,) = offers(
        store=caller.store,
        group=caller.group,
        company=caller.company,
        products=[product],
        with_prices=caller.sees_prices,
    )
    return _offer_json(offer, caller.store.currency, description=True)


@router.get(
    "/products/{sku}/price",
    openapi_extra=documented(PriceQuote, errors=(401, 404, 422), security=OPTIONAL),
)
def get_price(request, query: Query[PriceQuery], sku: str = Path(..., example=SKU_EXAMPLE)):
    """The caller's price for a quantity, explained step by step.

    `qty=0` answers the unit price, promotion and explanation of one unit, with a
    `line_total` of 0.00.
    """
    caller = request.auth
    quantity = _quantity(query.qty)
    if not caller.sees_prices:
        if caller.user is not None:
            raise ApiError(
                403, "permission_denied", _("Your role does not allow you to see prices.")
            )
        raise ApiError(401, "login_required", _("Log in to see prices."))
    product = _product(caller, sku)
    context = pricing_context(store=caller.store, company=caller.company, product_ids=[product.pk])
    ancestors = category_ancestors()
    item = ProductData(product.pk, product.sku, ancestors.get(product.category_id, ()))
    quote = quote_line(context, item, quantity)
    if quote is None:
        raise ApiError(
            422, "not_purchasable", _("%(sku)s has no price: price on request.") % {"sku": sku}
        )
    return {
        "currency": caller.store.currency,
        "quantity": quantity,
        "unit_price": format_decimal(quote.unit_price),
        "promotion_percent": format_decimal(quote.promotion_percent),
        "line_total": format_decimal(quote.line_total),
        "explanation": [
            {
                "step": step.step,
                "source": step.source,
                "detail": step.detail,
                "unit_price": format_decimal(step.unit_price),
            }
            for step in quote.steps
        ],
    }


def _quantity(text: str) -> int:
    """A whole number of ASCII digits from 0 to 1,000,000 (API.md); `str.isdigit` alone let
    "²" through to `int` (a 500)."""
    quantity = parse_quantity_text(text)
    if quantity is None:
        raise ApiError(
            422,
            "invalid_quantity",
            _("The quantity must be a whole number from 0 to 1,000,000."),
            [{"field": "qty", "code": "invalid_quantity", "message": _("not a valid quantity")}],
        )
    return quantity
