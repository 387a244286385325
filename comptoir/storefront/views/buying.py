"""Pages where a buyer orders: cart, quick order and reorder. Every edit goes through the
ordering services, and every figure shown comes from `quote_cart`, as in the API."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from comptoir.accounts.permissions import REQUEST_QUOTES
from comptoir.approvals.preview import cart_preview
from comptoir.catalog.listing import product_listing
from comptoir.core.errors import BusinessRuleError
from comptoir.core.sku_lines import split_sku_lines
from comptoir.customers.models import Location
from comptoir.ordering import services
from comptoir.ordering.quotes import quote_cart
from comptoir.ordering.selectors import company_order

QUICK_ORDER_FILE_LIMIT = 1_000_000
QUICK_ORDER_FOUND = 10
"""The products a SKU look-up of the quick order lists, best first."""


def refusing(refusal_of):
    """A view for a logged-in user whom `refusal_of(viewer)` lets in; others see why (403)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def checked(request, *args, **kwargs):
            refusal = refusal_of(request.viewer)
            if refusal is not None:
                return render(
                    request, "storefront/cannot_order.html", {"reason": refusal[1]}, status=403
                )
            return view(request, *args, **kwargs)

        return checked

    return decorator


buyer_required = refusing(lambda viewer: viewer.order_refusal())
"""A user of an approved company whose role places orders: cart, checkout, quick order."""
account_required = refusing(lambda viewer: viewer.company_refusal())
"""A user of an approved company, whatever their role: the order history."""


def visible_order(viewer, number: str):
    """The order for its page: 404 for another company's or an unknown number, 403 for one of
    the company that the viewer's role or locations do not cover."""
    try:
        order = company_order(viewer, number)
    except BusinessRuleError as refused:
        raise PermissionDenied(refused.message) from None
    if order is None:
        raise Http404(_("No such order."))
    return order


def _cart_quote(viewer):
    """The buyer's cart priced now, each line in its packaging."""
    items, packagings = services.cart_contents(viewer.user)
    return quote_cart(viewer, items, packagings=packagings)


def _cart_context(request, **extra):
    viewer = request.viewer
    quote = _cart_quote(viewer)
    gate = cart_preview(viewer, quote, location_code=services.cart_location(viewer.user))
    may_request_quotes = viewer.access.allows(REQUEST_QUOTES)
    return {"quote": quote, "gate": gate, "may_request_quotes": may_request_quotes, **extra}


@require_GET
@buyer_required
def cart(request):
    """The cart; a buyer acting for several locations also says which one it is for."""
    viewer = request.viewer
    locations = [
        location
        for location in Location.objects.filter(company=viewer.company).order_by("position", "id")
        if viewer.access.covers(location.pk)
    ]
    context = _cart_context(
        request,
        locations=locations if len(locations) > 1 else [],
        cart_location=services.cart_location(viewer.user),
    )
    return render(request, "storefront/cart.html", context)


@require_POST
@buyer_required
def cart_location(request):
    """The location the cart is for; an empty choice leaves it to checkout."""
    try:
        services.cart_set_location(
            viewer=request.viewer, code=request.POST.get("location", "").strip() or None
        )
    except BusinessRuleError as refused:
        messages.error(request, refused.message)
    return redirect("storefront:cart")


@require_POST
@buyer_required
def cart_line(request, sku: str):
    """Set a line's quantity (0 or "remove" deletes it); htmx gets the cart fragment back."""
    typed = "0" if "remove" in request.POST else request.POST.get("qty", "").strip()
    quantity = services.parse_quantity(typed)
    error = None
    if quantity is None:
        error = _("%(quantity)s is not a quantity (a whole number from 0 to 1,000,000).") % {
            "quantity": typed or "—"
        }
    else:
        try:
            services.cart_set_line(viewer=request.viewer, sku=sku, quantity=quantity)
        except BusinessRuleError as refused:
            if refused.code == "not_found":
                raise Http404(refused.message) from None
            if refused.code != "invalid_quantity":
                raise
            error = refused.message
    if request.htmx:
        return render(
            request, "storefront/cart.html#cart", _cart_context(request, input_error=(sku, error))
        )
    if error:
        messages.error(request, error)
    return redirect("storefront:cart")


@require_POST
@buyer_required
def cart_add(request):
    """Add one product from a catalogue page; the buyer stays where he was."""
    sku = request.POST.get("sku", "")
    quantity = services.parse_quantity(request.POST.get("qty", "").strip())
    unit = request.POST.get("unit", "").strip() or None
    if quantity is None or quantity == 0:
        messages.error(request, _("Enter a quantity from 1 to 1,000,000."))
    else:
        (result,) = services.cart_add_lines(viewer=request.viewer, rows=[(1, sku, quantity, unit)])
        if result.code == "unknown_sku":
            raise Http404(result.message)
        if result.status == "added":
            _added_message(request, sku, quantity)
        else:
            messages.error(request, result.message)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = "storefront:cart"
    return redirect(target)


def _added_message(request, sku: str, quantity: int) -> None:
    """Say at once what the cart would say of the line (out of stock, below the minimum...),
    from the same rules, rather than a plain "added" that the cart contradicts later."""
    viewer = request.viewer
    quote = _cart_quote(viewer)
    line = next(
        (line for line in quote.lines if line.product.sku.casefold() == sku.casefold()), None
    )
    shown = line.quantity_label if line is not None and line.packaging else quantity
    params = {"quantity": shown, "sku": sku}
    if line is None or not line.messages:
        messages.success(request, _("%(quantity)s × %(sku)s added to the cart.") % params)
        return
    messages.error(
        request,
        _("%(quantity)s × %(sku)s is in the cart but cannot be ordered: %(reasons)s")
        % {**params, "reasons": " ".join(line.messages)},
    )


@require_POST
@buyer_required
def cart_clear(request):
    services.cart_clear(viewer=request.viewer)
    messages.success(request, _("Your cart has been emptied."))
    return redirect("storefront:cart")


@buyer_required
def quick_order(request):
    """Paste "SKU quantity" lines or send a CSV file; every good row goes in at once. `find`
    looks a SKU up by the storefront's search (catalog/search.py)."""
    find = request.GET.get("find", "").strip()[:200]
    context = {"text": "", "find": find}
    if find:
        found = product_listing(request.viewer, search=find, sort="relevance")
        context["found"] = found.products(0, QUICK_ORDER_FOUND)
    if request.method == "POST":
        text = request.POST.get("lines", "")
        upload = request.FILES.get("file")
        try:
            if upload is not None:
                if upload.size > QUICK_ORDER_FILE_LIMIT:
                    raise BusinessRuleError("invalid_file", _("The file is larger than 1 MB."))
                rows = services.parse_cart_csv(upload.read())
            else:
                rows = split_sku_lines(text)
                if not rows:
                    raise BusinessRuleError(
                        "invalid_file", _("Paste at least one line: a SKU and a quantity.")
                    )
            mode = services.REPLACE if request.POST.get("mode") == "replace" else services.ADD
            results = services.cart_add_lines(viewer=request.viewer, rows=rows, mode=mode)
        except BusinessRuleError as refused:
            context |= {"text": text, "error": refused.message}
        else:
            added = sum(1 for r in results if r.status == "added")
            context |= {"results": results, "added": added, "text": "" if added else text}
    return render(request, "storefront/quick_order.html", _cart_context(request, **context))


@require_POST
@buyer_required
def reorder(request, number: str):
    order = visible_order(request.viewer, number)
    results = services.order_reorder(viewer=request.viewer, order=order)
    missing = [r.sku for r in results if r.status != "added"]
    messages.success(request, _("The lines of %(number)s are in the cart.") % {"number": number})
    if missing:
        messages.warning(
            request,
            _("No longer available: %(skus)s.") % {"skus": ", ".join(missing)},
        )
    return redirect("storefront:cart")
