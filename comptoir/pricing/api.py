"""Catalogue and prices over the REST API (API.md §2): each caller sees its own."""

import json

from django.http import HttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema
from ninja.responses import NinjaJSONEncoder
from pydantic import Field

from comptoir.api.callers import Caller
from comptoir.api.openapi import (
    SKU_EXAMPLE,
    PriceQuote,
    ProductDetail,
    ProductFamilyDetail,
    ProductPage,
    QuantityText,
    documented,
)
from comptoir.api.problems import ApiError
from comptoir.api.security import OPTIONAL
from comptoir.catalog.availability import Availability
from comptoir.catalog.family_selectors import (
    cell_labels,
    family_axes_json,
    family_place_json,
    visible_family,
)
from comptoir.catalog.listing import (
    PRICE_SORTS,
    SORTS,
    CategoryScope,
    Facets,
    Problem,
    category_scope,
    parse_filters,
    product_listing,
)
from comptoir.catalog.models import Product
from comptoir.catalog.packagings import (
    loaded_packagings,
    max_quantity,
    packagings_of,
    resolve_unit,
)
from comptoir.catalog.selectors import (
    attributes_json,
    documents_json,
    images_json,
    product_stock,
    product_translations,
    sku_key,
    visible_products,
    with_skus,
)
from comptoir.catalog.stock_prefetch import stock_for
from comptoir.core.money import format_decimal
from comptoir.core.selectors import store_today
from comptoir.core.sku_lines import parse_quantity_text
from comptoir.core.versioned_cache import cached
from comptoir.pricing.engine import PricingContext, ProductData, quote_line
from comptoir.pricing.offers import Offer, offers
from comptoir.pricing.selectors import category_ancestors, packaging_data, pricing_context

router = Router(tags=["catalog"])
# Beyond it the OFFSET of the page overflows the database's integers (a 500 before); no
# catalogue has that many products, even one per page.
MAX_PAGE = 1_000_000
SORT_NAMES = ", ".join([*SORTS, *PRICE_SORTS])


class PriceQuery(Schema):
    # Read by `_quantity`: a missing or bad one is a 422 `invalid_quantity`.
    qty: QuantityText = Field("", json_schema_extra=lambda schema: schema.pop("default"))
    unit: str = Field(
        "",
        max_length=20,
        description="a packaging of the product (`case`): `qty` counts those; empty: its unit",
    )


class ProductFilters(Schema):
    q: str = Field("", max_length=200, description="words or a SKU (catalog/search.py)")
    search: str = Field("", max_length=200, description="the former name of `q`")
    category: str = ""
    in_stock: str = Field("", description="`1`: only the products in stock")
    price_min: str = Field("", description="the caller's unit price from (a decimal)")
    price_max: str = Field("", description="the caller's unit price up to (a decimal)")
    sort: str = Field(
        "",
        description="`relevance` (with `q`, the default then), `sku` (the default without "
        "`q`), `name`, `-name`, `price`, `-price`",
    )
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(20, ge=1, le=100)


def _offer_json(offer: Offer, currency: str, packagings=()) -> dict:
    """An offer as the API shows it, but for its availability: stock is read live on every
    request (`_with_availability`), the rest is copied per version (core/versioned_cache.py)."""
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
        "name": product.translated("name"),
        "category": product.category.code if product.category else None,
        "unit": product.unit,
        "pack_size": product.pack_size,
        "rules": {"min_qty": rules.min_qty, "max_qty": rules.max_qty, "qty_step": rules.qty_step},
        "packagings": [
            {
                "unit": packaging.unit,
                "factor": packaging.factor,
                "min_qty": packaging.min_qty,
                "max_qty": packaging.max_qty,
                "qty_step": packaging.qty_step,
            }
            for packaging in sorted(packagings, key=lambda packaging: packaging.factor)
            if packaging.enabled
        ],
        "price": price,
    }
    return item


def _with_availability(request, items: list[tuple[int, str]], read: dict, *more: str) -> list[str]:
    """The items as JSON with their products' availability as of now, then `more` (JSON
    members): the availability from the products that a copy just made has `read` this
    request, else from one query. An item whose product was deleted since its copy was made
    is left out.

    The items are copied as JSON text without their closing brace (`_item_json`): a page's
    50 items are not encoded again on every request. The text is what django-ninja's
    renderer writes (`json.dumps` with its encoder), member for member."""
    stock = read.get("stock")
    if stock is None:
        ids = [pk for pk, _item in items]
        stock = stock_for(request, ids)
        if stock is None:
            stock = product_stock(ids)
    tail = "".join(more) + "}"
    return [
        f'{item}, "availability": {_availability_json(found)}{tail}'
        for pk, item in items
        if (found := stock.get(pk)) is not None
    ]


def _item_json(offer: Offer, currency: str, packagings=()) -> str:
    return json.dumps(_offer_json(offer, currency, packagings), cls=NinjaJSONEncoder)[:-1]


# The texts of the labels without a count, by status: 50 a listing, on every request.
_availabilities: dict[str, str] = {}


def _availability_json(found: Availability) -> str:
    if found.left is not None:
        return json.dumps({"status": found.status, "left": found.left})
    text = _availabilities.get(found.status)
    if text is None:
        text = _availabilities[found.status] = json.dumps({"status": found.status, "left": None})
    return text


def _json_response(text: str) -> HttpResponse:
    return HttpResponse(text, content_type="application/json; charset=utf-8")


def _copy_key(caller: Caller, *parts) -> tuple:
    """What a caller's copied items depend on besides the data the version covers: its
    catalogue and prices (group and company), whether it sees prices, and the store's day
    (lists and promotions open and close by date), and the answer's language (catalogue text)."""
    company_id = caller.company.pk if caller.company else None
    return (
        caller.group.pk,
        company_id,
        caller.sees_prices,
        store_today(caller.store),
        get_language(),
        *parts,
    )


def _visible(caller: Caller):
    return visible_products(group=caller.group, company=caller.company)


@router.get(
    "/products", openapi_extra=documented(ProductPage, errors=(400, 401), security=OPTIONAL)
)
def list_products(request, filters: Query[ProductFilters]):
    """The products the caller may see, with its own rules and prices, filtered and counted
    by facets as the storefront's listings are (catalog/listing.py). Attribute filters are
    `attr.<code>=value` (repeat it for any of several values), with a `category`."""
    caller = request.auth
    search = (filters.q or filters.search).strip()
    scope = None
    if filters.category:  # an unknown category lists nothing
        scope = category_scope(filters.category) or CategoryScope(filters.category, (), ())
    wanted, problems = parse_filters(request.GET, scope, sees_prices=caller.sees_prices)
    sort = filters.sort or ("relevance" if search else "sku")
    if sort not in SORTS and sort not in PRICE_SORTS:
        problems.append(Problem("sort", _("Sort by one of: %(sorts)s.") % {"sorts": SORT_NAMES}))
    elif sort in PRICE_SORTS and not caller.sees_prices:
        problems.append(Problem("sort", _("Log in with a role that sees prices to sort by price.")))
    if problems:
        raise ApiError(
            400,
            "invalid_filter",
            problems[0].message,
            [{"field": p.field, "code": "invalid_filter", "message": p.message} for p in problems],
        )
    params = (search, scope, wanted, sort, filters.page, filters.page_size)
    read: dict = {}
    count, sorted_by, facets, items = cached(
        _copy_key(
            caller,
            "api_products",
            search,
            filters.category,
            wanted.key(),
            sort,
            filters.page,
            filters.page_size,
        ),
        lambda: _priced_page(caller, *params, read=read),
        page=True,
    )
    return _json_response(
        f'{{"items": [{", ".join(_with_availability(request, items, read))}], "count": {count}, '
        f'"page": {filters.page}, "page_size": {filters.page_size}, '
        f'"sort": "{sorted_by}", "facets": {facets}}}'
    )


def _priced_page(caller: Caller, search, scope, wanted, sort, page, page_size, *, read: dict):
    listing = product_listing(caller, scope=scope, search=search, filters=wanted, sort=sort)
    start = (page - 1) * page_size
    products = listing.products(start, start + page_size) if start < listing.count else []
    found = offers(
        store=caller.store,
        group=caller.group,
        company=caller.company,
        products=products,
        with_prices=caller.sees_prices,
    )
    read["stock"] = {offer.product.pk: offer.availability for offer in found}
    packagings = packagings_of(offer.product.pk for offer in found)
    items = [
        (
            offer.product.pk,
            _item_json(offer, caller.store.currency, packagings.get(offer.product.pk, ())),
        )
        for offer in found
    ]
    return listing.count, listing.sort, json.dumps(_facets_json(listing.facets)), items


def _facets_json(facets: Facets) -> dict:
    return {
        "attributes": [
            {
                "code": facet.code,
                "label": facet.label,
                "type": facet.type,
                "unit": facet.unit,
                "values": [
                    {"value": v.value, "label": v.label, "count": v.count, "selected": v.selected}
                    for v in facet.values
                ],
            }
            for facet in facets.attributes
        ],
        "in_stock": facets.in_stock,
        "price_filter_refused": facets.price_refused,
    }


@router.get(
    "/products/{sku}",
    openapi_extra=documented(ProductDetail, errors=(401, 404), security=OPTIONAL),
)
def get_product(request, sku: str = Path(..., example=SKU_EXAMPLE)):
    caller = request.auth
    read: dict = {}
    found = cached(
        _copy_key(caller, "api_product", sku_key(sku)),
        lambda: _priced_product(caller, sku, read=read),
    )
    if found is None:
        raise ApiError(404, "not_found", _("No product %(sku)s.") % {"sku": sku})
    pk, item, detail = found
    items = _with_availability(request, [(pk, item)], read, ', "description": ', detail)
    if not items:
        raise ApiError(404, "not_found", _("No product %(sku)s.") % {"sku": sku})
    return _json_response(items[0])


def _priced_product(caller: Caller, sku: str, *, read: dict):
    product = with_skus(_visible(caller), [sku]).first()
    if product is None:
        return None
    (offer,) = offers(
        store=caller.store,
        group=caller.group,
        company=caller.company,
        products=[product],
        with_prices=caller.sees_prices,
    )
    read["stock"] = {product.pk: offer.availability}
    detail = (
        json.dumps(product.translated("description"))
        + ', "translations": '
        + json.dumps(product_translations(product))
        + ', "images": '
        + json.dumps(images_json(product))
        + ', "documents": '
        + json.dumps(documents_json(product))
        + ', "attributes": '
        + json.dumps(attributes_json(product))
        + ', "family": '
        + json.dumps(family_place_json(product))
    )
    packagings = packagings_of([product.pk]).get(product.pk, ())
    return product.pk, _item_json(offer, caller.store.currency, packagings), detail


@router.get(
    "/families/{code}",
    openapi_extra=documented(ProductFamilyDetail, errors=(401, 404), security=OPTIONAL),
)
def get_family(request, code: str = Path(..., example="GLOVE-NITRILE")):
    """A product family with the variants the caller may see, their prices and stock; 404
    when it sees none of them, as for an unknown code."""
    caller = request.auth
    read: dict = {}
    found = cached(
        _copy_key(caller, "api_family", sku_key(code)),
        lambda: _priced_family(caller, code, read=read),
    )
    variants = _with_availability(request, found[1], read) if found is not None else []
    if not variants:
        raise ApiError(404, "not_found", _("No product family %(code)s.") % {"code": code})
    return _json_response(f'{found[0]}, "variants": [{", ".join(variants)}]}}')


def _priced_family(caller: Caller, code: str, *, read: dict):
    """The family as JSON without its variants nor closing brace, and its visible variants'
    items (`_with_availability`), or None."""
    found = visible_family(group=caller.group, company=caller.company, code=code, packagings=True)
    if found is None:
        return None
    family, variants = found
    priced = offers(
        store=caller.store,
        group=caller.group,
        company=caller.company,
        products=[product for _variant, product in variants],
        with_prices=caller.sees_prices,
    )
    read["stock"] = {offer.product.pk: offer.availability for offer in priced}
    packagings = loaded_packagings([offer.product for offer in priced])
    head = {
        "code": family.code,
        "name": family.translated("name"),
        "description": family.translated("description"),
        "category": family.category.code if family.category else None,
        "axes": family_axes_json(family),
    }
    items = []
    for (variant, _product), offer in zip(variants, priced, strict=True):
        values = [variant.row_value] + ([variant.column_value] if family.column_axis else [])
        item = _item_json(offer, caller.store.currency, packagings.get(offer.product.pk, ()))
        labels = cell_labels(family, variant)
        cell = f'"axis_values": {json.dumps(values)}, "axis_labels": {json.dumps(labels)}'
        items.append((offer.product.pk, f"{item}, {cell}"))
    return json.dumps(head)[:-1], items


@router.get(
    "/products/{sku}/price",
    openapi_extra=documented(PriceQuote, errors=(400, 401, 403, 404, 422), security=OPTIONAL),
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
    found = cached(_copy_key(caller, "api_price", sku_key(sku)), lambda: _pricing_of(caller, sku))
    if found is None:
        raise ApiError(404, "not_found", _("No product %(sku)s.") % {"sku": sku})
    context, item, base_unit = found
    packaging = None
    if query.unit.strip():
        context, packaging = _packaged(caller, item, query.unit, context)
        if quantity > max_quantity(packaging):
            raise ApiError(
                422,
                "invalid_quantity",
                _("In this packaging the quantity must be a whole number from 0 to %(max)s.")
                % {"max": max_quantity(packaging)},
                [
                    {
                        "field": "qty",
                        "code": "invalid_quantity",
                        "message": _("not a valid quantity"),
                    }
                ],
            )
    quote = quote_line(context, item, quantity, packaging_data(packaging) if packaging else None)
    if quote is None:
        raise ApiError(
            422, "not_purchasable", _("%(sku)s has no price: price on request.") % {"sku": sku}
        )
    return {
        "currency": caller.store.currency,
        "quantity": quantity,
        "unit": packaging.unit if packaging else base_unit,
        "base_qty": quote.base_quantity,
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


def _packaged(caller: Caller, item: ProductData, unit: str, context: PricingContext):
    """The packaging `unit` names (catalog.packagings.resolve_unit: 422 `unknown_unit`,
    `unit_not_enabled`), and a context with the lists' own prices for it."""
    product = Product.objects.get(pk=item.id)
    packaging = resolve_unit(product, unit, packagings_of([product.pk]).get(product.pk, []))
    if packaging is None:
        return context, None
    context = pricing_context(
        store=caller.store,
        company=caller.company,
        product_ids=[product.pk],
        packaging_ids=[packaging.pk],
    )
    return context, packaging


def _pricing_of(caller: Caller, sku: str) -> tuple[PricingContext, ProductData, str] | None:
    """What pricing the product takes, read once per version: its tiers in the caller's
    lists, the promotions and volume tiers; None for a product the caller cannot see."""
    product = with_skus(_visible(caller), [sku]).first()
    if product is None:
        return None
    context = pricing_context(store=caller.store, company=caller.company, product_ids=[product.pk])
    ancestors = category_ancestors()
    data = ProductData(product.pk, product.sku, ancestors.get(product.category_id, ()))
    return context, data, product.unit


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
