"""Checkout and the company's orders."""

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from comptoir.approvals.json_views import approval_json, company_members
from comptoir.approvals.preview import cart_preview
from comptoir.core.errors import BusinessRuleError
from comptoir.core.selectors import store_today
from comptoir.customers.models import Address
from comptoir.ordering import services
from comptoir.ordering.placement import order_place
from comptoir.ordering.quotes import quote_cart
from comptoir.ordering.selectors import company_orders
from comptoir.quotes.checkout import quote_for_order
from comptoir.returns.selectors import order_returns, returnable
from comptoir.storefront.forms import CheckoutForm, chosen_destination
from comptoir.storefront.views.buying import account_required, buyer_required, visible_order

ORDERS_PER_PAGE = 20


def _checkout_state(request, data=None, *, bound=True):
    """The form and the quote for the address chosen so far (the company's first by default).

    The delivery and payment choices are the methods `quote_cart` finds eligible for that
    address, the function the API's cart and checkout call, so a page never offers what
    placing the order would refuse. `bound=False` gives back what was posted as the
    starting values of a fresh form (the live refresh), the delivery being the quote's.
    With a quote number (`?quote=` or the posted field), the items are the accepted quote's
    lines at its prices, as placement will take them; a quote that cannot be ordered raises
    its refusal (BusinessRuleError).
    """
    viewer = request.viewer
    # A user limited to some locations ships only to theirs and to the company's own addresses.
    addresses = [
        address
        for address in Address.objects.filter(company=viewer.company).order_by("position", "id")
        if viewer.access.covers(address.location_id)
    ]
    posted = data or {}
    number = (posted.get("quote") or request.GET.get("quote") or "").strip()
    from_quote = quote_for_order(viewer, number, lock=False) if number else None
    if from_quote is not None:
        items, packagings = from_quote.items, {}
    else:
        items, packagings = services.cart_contents(viewer.user)
    chosen = posted.get("address") or (addresses[0].code if addresses else CheckoutForm.NEW)
    quote = quote_cart(
        viewer,
        items,
        destination=chosen_destination(addresses, chosen, posted),
        shipping_code=posted.get("shipping_method") or None,
        fixed=from_quote.fixed if from_quote else None,
        waived=from_quote.waived if from_quote else None,
        shipping_price=from_quote.shipping_price if from_quote else None,
        packagings=packagings,
    )
    initial = {
        "token": uuid.uuid4().hex,
        "address": chosen,
        "shipping_method": quote.shipping.code if quote.shipping else "",
        "quote": number,
    }
    if data is not None and not bound:
        payment = posted.get("payment_method", "")
        offered = {method.code for method in quote.payment_options}
        initial |= {name: posted.get(name, "") for name in CheckoutForm.REFRESHED} | {
            "payment_method": payment if payment in offered else ""
        }
    form = CheckoutForm(
        data if bound else None,
        addresses=addresses,
        shipping=quote.shipping_options,
        payment=quote.payment_options,
        today=store_today(viewer.store),
        initial=initial,
    )
    return form, quote, from_quote


def _preview(request, quote, from_quote):
    """Budgets and approvals for the choices posted so far (the payment method may be one)."""
    viewer = request.viewer
    if from_quote is not None:
        location = from_quote.quote.location
        location_code = location.code if location is not None else None
    else:
        location_code = services.cart_location(viewer.user)
    return cart_preview(
        viewer,
        quote,
        location_code=location_code,
        payment_code=request.POST.get("payment_method") or None,
    )


def _context(request, form, quote, from_quote, **extra) -> dict:
    return {
        "form": form,
        "quote": quote,
        "from_quote": from_quote.quote if from_quote else None,
        "gate": _preview(request, quote, from_quote),
        **extra,
    }


def _quote_refused(request, refused: BusinessRuleError):
    """A quote that cannot be ordered: 404 another company's, 403 beyond the viewer's role,
    else back on the quote's page saying why (expired, not accepted, waiting for approval)."""
    if refused.code == "not_found":
        raise Http404(refused.message)
    if refused.code == "permission_denied":
        raise PermissionDenied(refused.message)
    messages.error(request, refused.message)
    number = (request.POST.get("quote") or request.GET.get("quote") or "").strip()
    return redirect("storefront:quote", number=number)


@require_GET
@buyer_required
def checkout(request):
    try:
        form, quote, from_quote = _checkout_state(request)
    except BusinessRuleError as refused:
        return _quote_refused(request, refused)
    if not quote.lines:
        messages.info(request, _("The cart is empty."))
        return redirect("storefront:cart")
    return render(request, "storefront/checkout.html", _context(request, form, quote, from_quote))


@require_POST
@buyer_required
def checkout_summary(request):
    """htmx: the delivery and payment choices and the totals again for what was just chosen."""
    try:
        form, quote, from_quote = _checkout_state(request, request.POST, bound=False)
    except BusinessRuleError as refused:
        return _quote_refused(request, refused)
    return render(
        request,
        "storefront/checkout.html#refresh",
        _context(request, form, quote, from_quote),
    )


@require_POST
@buyer_required
def place_order(request):
    try:
        form, quote, from_quote = _checkout_state(request, request.POST)
    except BusinessRuleError as refused:
        return _quote_refused(request, refused)
    errors = []
    if form.is_valid():
        try:
            placement = order_place(
                viewer=request.viewer,
                request=form.checkout_request(),
                key=f"form:{form.cleaned_data['token']}",
            )
        except BusinessRuleError as refused:
            errors = refused.errors or [{"code": refused.code, "message": refused.message}]
        else:
            if placement.approval is not None:
                return _sent_for_approval(request, placement)
            if placement.created:
                messages.success(
                    request,
                    _("Thank you: order %(number)s is placed. A confirmation is on its way.")
                    % {"number": placement.order.number},
                )
            return redirect("storefront:order", number=placement.order.number)
    return render(
        request,
        "storefront/checkout.html",
        _context(request, form, quote, from_quote, errors=errors),
        status=422,
    )


def _sent_for_approval(request, placement):
    """The checkout became an approval request: say to whom and why, on the request's page."""
    approval = placement.approval
    if placement.created:
        members = company_members(approval.company)
        rules = approval_json(approval, members, request.viewer.sees_prices)["rules"]
        messages.success(
            request,
            _(
                "Order sent for approval to %(approvers)s because %(reasons)s. It is placed once "
                "approved; its prices hold until %(date)s."
            )
            % {
                "approvers": ", ".join(sorted({n for r in rules for n in r["approvers"]}))
                or _("your company's approvers"),
                "reasons": "; ".join(reason for r in rules for reason in r["reasons"]),
                "date": date_format(approval.valid_until, "DATE_FORMAT"),
            },
        )
    return redirect("storefront:approval", number=approval.number)


@require_GET
@account_required
def orders(request):
    page = Paginator(company_orders(request.viewer), ORDERS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "storefront/orders.html", {"page": page})


@require_GET
@account_required
def order(request, number: str):
    found = visible_order(request.viewer, number)
    return render(
        request,
        "storefront/order.html",
        {
            "order": found,
            "returns": order_returns(found),
            "returnable": returnable(request.viewer, found),
        },
    )
