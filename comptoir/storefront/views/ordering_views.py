"""Pages that order many products at once (issue 20): a family's grid of sizes × colours,
and the one "Add all to cart" post that it and a listing's table view send.

Both go through `ordering.add_all.cart_add_all`, the quick order's service judged all or
nothing: a refused form writes nothing and comes back with what was typed and each reason.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from comptoir.catalog.family_selectors import family_grid, family_links, visible_family
from comptoir.catalog.packagings import packagings_of
from comptoir.catalog.selectors import sku_key, with_skus
from comptoir.core.errors import BusinessRuleError
from comptoir.core.versioned_cache import cached
from comptoir.ordering.add_all import cart_add_all
from comptoir.pricing.offers import offers, with_stock
from comptoir.storefront import page_copies
from comptoir.storefront.order_rows import Posted, order_rows, posted
from comptoir.storefront.selectors import category_tree, viewer_products
from comptoir.storefront.views.buying import buyer_required
from comptoir.storefront.views.catalog import _copy_key


@require_GET
def family(request, code: str):
    """The family's grid as the viewer sees it: 404 when none of its variants is visible."""
    context = _family_context(request, code)
    return page_copies.serve(request, "storefront/family.html", context, offers=context["offers"])


def _family_context(request, code: str, sent: Posted | None = None, errors=None) -> dict:
    viewer = request.viewer
    read: dict = {}
    found = cached(
        _copy_key(viewer, "family_page", sku_key(code)), lambda: _family_offers(viewer, code, read)
    )
    if found is None:
        raise Http404(_("No such product family."))
    family, cells = found
    live = with_stock([offer for _values, offer in cells], read.get("stock"))
    by_pk = {offer.product.pk: offer for offer in live}
    rows = {
        offer.product.pk: row
        for offer, row in zip(live, order_rows(live, sent=sent, errors=errors), strict=True)
    }
    grid = family_grid(
        family,
        {values: rows[offer.product.pk] for values, offer in cells if offer.product.pk in by_pk},
    )
    tree = category_tree(viewer)
    node = tree.by_code.get(family.category.code) if family.category else None
    return {"tree": tree, "category": node, "family": family, "grid": grid, "offers": live}


def _family_offers(viewer, code: str, read: dict):
    """The family and its visible variants' offers with their (row, column) values, or None."""
    found = visible_family(group=viewer.group, company=viewer.company, code=code)
    if found is None:
        return None
    family, variants = found
    priced = offers(
        store=viewer.store,
        group=viewer.group,
        company=viewer.company,
        products=[product for _variant, product in variants],
        with_prices=viewer.sees_prices,
    )
    read["stock"] = {offer.product.pk: offer.availability for offer in priced}
    cells = [
        ((variant.row_value, variant.column_value), offer)
        for (variant, _product), offer in zip(variants, priced, strict=True)
    ]
    return family, cells


@require_POST
@buyer_required
def add_all(request):
    """Add every quantity typed in a table or grid, or none; a refusal shows the form again."""
    sent = posted(request.POST)
    errors, notice = {}, None
    try:
        results = cart_add_all(viewer=request.viewer, rows=sent.rows)
    except BusinessRuleError as refused:
        notice = refused.message
    else:
        errors = {sku_key(r.sku): r.message for r in results if r.status != "added"}
        if not errors:
            count = len(results)
            messages.success(
                request,
                ngettext(
                    "%(count)s line added to the cart.", "%(count)s lines added to the cart.", count
                )
                % {"count": count},
            )
            return redirect(_next(request))
    code = request.POST.get("family", "").strip()
    if code:
        context = _family_context(request, code, sent, errors)
        template = "storefront/family.html"
    else:
        context = {
            "rows": _posted_rows(request, sent, errors),
            "tree": category_tree(request.viewer),
        }
        template = "storefront/add_all.html"
    shown = {sku_key(row.sku) for row in context.get("rows", ())}
    shown |= {sku_key(offer.product.sku) for offer in context.get("offers", ())}
    context |= {
        "notice": notice,
        "next_path": _next(request),
        # rows the page does not show (an SKU the buyer may not see): said above the form
        "other_errors": [message for key, message in errors.items() if key not in shown],
    }
    return render(request, template, context, status=422)


def _next(request) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}) and target.startswith("/"):
        return target
    return reverse("storefront:cart")


def _posted_rows(request, sent: Posted, errors: dict):
    """The table's rows again, for the SKUs sent that the buyer may see, in the order sent."""
    viewer = request.viewer
    found = {sku_key(p.sku): p for p in with_skus(viewer_products(viewer), sent.skus)}
    products = [found[sku_key(sku)] for sku in sent.skus if sku_key(sku) in found]
    ids = [product.pk for product in products]
    priced = offers(
        store=viewer.store,
        group=viewer.group,
        company=viewer.company,
        products=products,
        with_prices=viewer.sees_prices,
    )
    packagings = {
        pk: [p for p in found_packagings if p.enabled]
        for pk, found_packagings in packagings_of(ids).items()
    }
    return order_rows(
        with_stock(priced),
        packagings=packagings,
        families=family_links(ids),
        sent=sent,
        errors=errors,
    )
