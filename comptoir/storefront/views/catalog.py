"""Catalogue pages: home, category listing, search and product page, each as the viewer sees it."""

from functools import partial

from django.core.paginator import Paginator
from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from comptoir.catalog.selectors import sku_key, with_card_image
from comptoir.core.selectors import store_today
from comptoir.core.versioned_cache import cached
from comptoir.pricing.offers import Offer, offers, with_stock
from comptoir.storefront import page_copies
from comptoir.storefront.models import BannerKind
from comptoir.storefront.selectors import (
    PRICE_SORTS,
    SORTS,
    category_tree,
    current_banners,
    price_sorted_ids,
    product_listing,
    products_in_order,
    visible_product,
)
from comptoir.storefront.stock_prefetch import stock_for

PAGE_SIZE = 24


@require_GET
def home(request):
    viewer = request.viewer
    content = current_banners(
        viewer, today=store_today(viewer.store), language=(get_language() or "en")[:2]
    )
    return page_copies.serve(
        request,
        "storefront/home.html",
        {
            "tree": category_tree(viewer),
            "banners": [b for b in content if b.kind == BannerKind.BANNER],
            "notices": [b for b in content if b.kind == BannerKind.NOTICE],
        },
    )


@require_GET
def category(request, code: str):
    viewer = request.viewer
    tree = category_tree(viewer)
    node = tree.by_code.get(code)
    if node is None:
        raise Http404(_("No such category."))
    sort = _sort(request)
    listing = partial(product_listing, viewer, category=node, sort=sort)
    return _listing_page(request, tree, listing, {"category": node, "sort": sort})


@require_GET
def search(request):
    viewer = request.viewer
    term = request.GET.get("q", "").strip()[:200]
    sort = _sort(request)
    listing = partial(product_listing, viewer, search=term, sort=sort) if term else None
    return _listing_page(request, category_tree(viewer), listing, {"q": term, "sort": sort})


@require_GET
def product(request, sku: str):
    viewer = request.viewer
    read: dict = {}
    copy = cached(
        _copy_key(viewer, "product_page", sku_key(sku)), lambda: _offer(viewer, sku, read)
    )
    offer = (
        with_stock([copy], read.get("stock") or stock_for(request, [copy]))
        if copy is not None
        else []
    )
    if not offer:
        raise Http404(_("No such product."))
    (offer,) = offer
    found = offer.product
    tree = category_tree(viewer)
    node = tree.by_code.get(found.category.code) if found.category else None
    return page_copies.serve(
        request,
        "storefront/product.html",
        {"tree": tree, "category": node, "offer": offer, "product": found},
        offers=[offer],
        visitors_only=True,
    )


def _sort(request) -> str:
    sort = request.GET.get("sort", "name")
    if sort in PRICE_SORTS and request.viewer.sees_prices:
        return sort
    return sort if sort in SORTS else "name"


def _paginated(request, listing, context):
    """A page of the listing; sorted by price, the buyer's prices order the candidates first."""
    sort = context["sort"]
    if sort in PRICE_SORTS:
        viewer = request.viewer
        ids = price_sorted_ids(viewer, listing, descending=PRICE_SORTS[sort])
        if ids is not None:
            page = Paginator(ids, PAGE_SIZE).get_page(request.GET.get("page"))
            page.object_list = products_in_order(viewer, list(page.object_list))
            return page
        context["sort"] = "name"
        context["too_many_to_sort"] = True
    page = Paginator(listing, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = with_card_image(page.object_list)
    return page


def _offer(viewer, sku: str, read: dict) -> Offer | None:
    found = visible_product(viewer, sku)
    if found is None:
        return None
    (offer,) = offers(
        store=viewer.store,
        group=viewer.group,
        company=viewer.company,
        products=[found],
        with_prices=viewer.sees_prices,
    )
    read["stock"] = {found.pk: offer.availability}
    return offer


def _copy_key(viewer, *parts) -> tuple:
    """What a viewer's copied page data depend on besides the data the version covers (core/
    versioned_cache.py): its catalogue and prices, whether it sees them, the store's day."""
    company_id = viewer.company.pk if viewer.company else None
    return (viewer.group.pk, company_id, viewer.sees_prices, store_today(viewer.store), *parts)


def _listing_page(request, tree, listing, context):
    """The listing's page of offers: its count, products, rules and prices copied per version
    and viewer's catalogue (pricing/api.py does the same), the stock read live."""
    page = None
    items = []
    if listing is not None:
        read: dict = {}
        key = _copy_key(
            request.viewer,
            "listing_page",
            context["category"].code if context.get("category") else None,
            context.get("q"),
            context["sort"],
            request.GET.get("page"),
        )
        page, copies, changes = cached(
            key, lambda: _priced_page(request, listing, dict(context), read), page=True
        )
        context.update(changes)
        items = with_stock(copies, read.get("stock") or stock_for(request, copies))
    template = "storefront/listing.html"
    if request.htmx and request.htmx.target == "results":
        template += "#results"
    return page_copies.serve(
        request,
        template,
        {
            **context,
            "tree": tree,
            "page": page,
            "offers": items,
            # Called by the template, so only when the page is rendered, not copied.
            "sorts": partial(_sort_labels, request.viewer.sees_prices),
        },
        offers=items,
    )


def _priced_page(request, listing, context, read: dict):
    """The page of `listing()`, its offers, and what paginating changed in the context (a
    price sort refused); `read` gets the stock the offers were read with."""
    before = dict(context)
    page = _paginated(request, listing(), context)
    viewer = request.viewer
    products = list(page.object_list)
    page.object_list = products
    found = offers(
        store=viewer.store,
        group=viewer.group,
        company=viewer.company,
        products=products,
        with_prices=viewer.sees_prices,
    )
    read["stock"] = {offer.product.pk: offer.availability for offer in found}
    changes = {name: value for name, value in context.items() if before.get(name) != value}
    return page, found, changes


def _sort_labels(with_prices: bool):
    labels = [("name", _("Name, A to Z")), ("-name", _("Name, Z to A")), ("sku", _("SKU"))]
    if with_prices:
        labels += [("price", _("Price, lowest first")), ("-price", _("Price, highest first"))]
    return labels
