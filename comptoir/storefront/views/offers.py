"""The group's offers and terms: its promotions, and the delivery and payment options it has."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from comptoir.core.selectors import store_today
from comptoir.ordering.quotes import default_destination
from comptoir.payments.rules import Buyer, buyer_refusal
from comptoir.payments.selectors import credit_of, payment_methods, shipping_methods
from comptoir.storefront.selectors import category_tree, group_offers


@require_GET
def offers(request):
    viewer = request.viewer
    today = store_today(viewer.store)
    tree = category_tree(viewer)
    context = {"tree": tree, "offers": group_offers(viewer, today=today, tree=tree)}
    if viewer.company is not None:
        destination = default_destination(viewer)
        buyer = Buyer(
            country=destination.country if destination else viewer.company.country,
            group_id=viewer.group.pk,
            company_id=viewer.company.pk,
        )
        context |= {
            "shipping": [m for m in shipping_methods() if buyer_refusal(m, buyer) is None],
            "payment": [m for m in payment_methods() if buyer_refusal(m, buyer) is None],
            "credit": credit_of(viewer.company),
        }
    return render(request, "storefront/offers.html", context)
