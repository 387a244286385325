"""Checkout and the company's orders."""

import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from comptoir.core.errors import BusinessRuleError
from comptoir.core.selectors import store_today
from comptoir.customers.models import Address
from comptoir.ordering import services
from comptoir.ordering.placement import order_place
from comptoir.ordering.quotes import quote_cart
from comptoir.ordering.selectors import company_order, company_orders
from comptoir.storefront.forms import CheckoutForm
from comptoir.storefront.views.buying import buyer_required

ORDERS_PER_PAGE = 20


def _checkout_state(request, data=None):
    """The form and the quote for what is chosen so far (the company's first address first)."""
    viewer = request.viewer
    addresses = list(Address.objects.filter(company=viewer.company).order_by("position", "id"))
    items = services.cart_items(viewer.user)
    preview = quote_cart(viewer, items)
    form = CheckoutForm(
        data,
        addresses=addresses,
        shipping=preview.shipping_options,
        payment=preview.payment_options,
        today=store_today(viewer.store),
        initial={
            "token": uuid.uuid4().hex,
            "address": addresses[0].code if addresses else CheckoutForm.NEW,
            "shipping_method": preview.shipping.code if preview.shipping else "",
        },
    )
    quote = preview
    if data is not None and form.is_valid():
        request_ = form.checkout_request()
        quote = quote_cart(
            viewer,
            items,
            destination=form.destination(),
            shipping_code=request_.shipping_method,
        )
    return form, quote


@require_GET
@buyer_required
def checkout(request):
    form, quote = _checkout_state(request)
    if not quote.lines:
        messages.info(request, _("The cart is empty."))
        return redirect("storefront:cart")
    return render(request, "storefront/checkout.html", {"form": form, "quote": quote})


@require_POST
@buyer_required
def checkout_summary(request):
    """htmx: the totals again for the address and shipping method just chosen."""
    form, quote = _checkout_state(request, request.POST)
    return render(request, "storefront/checkout.html#summary", {"form": form, "quote": quote})


@require_POST
@buyer_required
def place_order(request):
    form, quote = _checkout_state(request, request.POST)
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
        {"form": form, "quote": quote, "errors": errors},
        status=422,
    )


@require_GET
@buyer_required
def orders(request):
    page = Paginator(company_orders(request.viewer.company), ORDERS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "storefront/orders.html", {"page": page})


@require_GET
@buyer_required
def order(request, number: str):
    found = company_order(request.viewer.company, number)
    if found is None:
        raise Http404(_("No such order."))
    return render(request, "storefront/order.html", {"order": found})
