"""Catalogue pages: home, category listing, search and product page, each as the viewer sees it."""

from functools import partial
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from comptoir.catalog.family_selectors import loaded_family_links
from comptoir.catalog.listing import (
    PRICE_SORTS,
    SORTS,
    category_scope,
    parse_filters,
    product_listing,
)
from comptoir.catalog.packagings import loaded_packagings
from comptoir.catalog.selectors import sku_key
from comptoir.catalog.stock_prefetch import stock_for
from comptoir.core.selectors import store_today
from comptoir.core.versioned_cache import cached
from comptoir.pricing.offers import Offer, offers, with_stock
from comptoir.storefront import page_copies
from comptoir.storefront.models import BannerKind
from comptoir.storefront.order_rows import TABLE, order_rows, view_mode
from comptoir.storefront.selectors import category_tree, current_banners, visible_product

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
    scope = category_scope(code) if node is not None else None
    if scope is None:
        raise Http404(_("No such category."))
    return _listing_page(request, tree, {"category": node}, scope=scope, ids=tuple(node.ids()))


@require_GET
def search(request):
    term = request.GET.get("q", "").strip()[:200]
    return _listing_page(request, category_tree(request.viewer), {"q": term}, search=term)


@require_GET
def product(request, sku: str):
    viewer = request.viewer
    read: dict = {}
    copy = cached(
        _copy_key(viewer, "product_page", sku_key(sku)), lambda: _offer(viewer, sku, read)
    )
    offer = (
        with_stock([copy], read.get("stock") or stock_for(request, [copy.product.pk]))
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


def _sort(request, *, searching: bool) -> str:
    """The sort asked for if the viewer may use it; else by relevance for a search, by name."""
    sort = request.GET.get("sort", "")
    if sort in PRICE_SORTS and request.viewer.sees_prices:
        return sort
    if sort in SORTS and (searching or sort != "relevance"):
        return sort
    return "relevance" if searching else "name"


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
    versioned_cache.py): its catalogue and prices, whether it sees them, the store's day, and
    the language (a search matches the names of the reader's language)."""
    company_id = viewer.company.pk if viewer.company else None
    return (
        viewer.group.pk,
        company_id,
        viewer.sees_prices,
        store_today(viewer.store),
        get_language(),
        *parts,
    )


def _listing_page(request, tree, context, *, scope=None, ids=None, search=""):
    """The listing's page of offers: its count, facets, products, rules and prices copied per
    version, viewer's catalogue and filters (pricing/api.py does the same), the stock read
    live. A search page without words lists nothing."""
    viewer = request.viewer
    filters, problems = parse_filters(request.GET, scope, sees_prices=viewer.sees_prices)
    sort = _sort(request, searching=bool(search))
    context.update(
        sort=sort,
        view=view_mode(request),
        filters=filters,
        filter_pairs=filters.query(),
        filter_query="".join("&" + urlencode([pair]) for pair in filters.query()),
        problems=problems,
    )
    page = None
    items, rows, families = [], [], {}
    if scope is not None or search:
        read: dict = {}
        key = _copy_key(
            viewer,
            "listing_page",
            scope.code if scope else None,
            search,
            sort,
            filters.key(),
            context["view"],
            request.GET.get("page"),
        )
        page, copies, changes, extras = cached(
            key,
            lambda: _priced_page(request, scope, ids, search, filters, sort, read, context["view"]),
            page=True,
        )
        context.update(changes)
        shown = [offer.product.pk for offer in copies]
        items = with_stock(copies, read.get("stock") or stock_for(request, shown))
        families = extras["families"]
        if context["view"] == TABLE:
            rows = order_rows(items, **extras)
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
            "rows": rows,
            "families": families,
            # Called by the template, so only when the page is rendered, not copied.
            "sorts": partial(_sort_labels, viewer.sees_prices, searching=bool(search)),
        },
        offers=items,
    )


def _priced_page(request, scope, ids, search, filters, sort, read: dict, view: str):
    """The page of the listing, its offers, what the listing tells the page (its facets, a
    price sort or filter refused), and the products' families and, for the table view, their
    enabled packagings (read with the products); `read` gets the stock the offers were read with."""
    viewer = request.viewer
    listing = product_listing(
        viewer, scope=scope, category_ids=ids, search=search, filters=filters, sort=sort
    )
    paginator = Paginator(range(listing.count), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    products = (
        listing.products(page.start_index() - 1, page.end_index(), packagings=view == TABLE)
        if listing.count
        else []
    )
    page.object_list = products
    found = offers(
        store=viewer.store,
        group=viewer.group,
        company=viewer.company,
        products=products,
        with_prices=viewer.sees_prices,
    )
    read["stock"] = {offer.product.pk: offer.availability for offer in found}
    changes = {"facets": listing.facets, "sort": listing.sort}
    if listing.sort_refused:
        changes["too_many_to_sort"] = True
    extras = {"families": loaded_family_links(products)}
    if view == TABLE:
        extras["packagings"] = loaded_packagings(products)
    return page, found, changes, extras


def _sort_labels(with_prices: bool, *, searching: bool):
    labels = [("name", _("Name, A to Z")), ("-name", _("Name, Z to A")), ("sku", _("SKU"))]
    if searching:
        labels.insert(0, ("relevance", _("Best match")))
    if with_prices:
        labels += [("price", _("Price, lowest first")), ("-price", _("Price, highest first"))]
    return labels
