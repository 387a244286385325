"""The "add to a list" form of the product and order pages: the lists the user sees, or a
new one to name; nothing for a user whose role keeps no lists. On a product page the
quantity starts at the smallest one the buyer may order (12 for a case of 12), as the cart's
form does: a list line of 1 would be refused when the list is sent to the cart."""

from django import template

from comptoir.lists.selectors import visible_lists
from comptoir.pricing.engine import QuantityRules

register = template.Library()


@register.inclusion_tag("storefront/_add_to_list.html", takes_context=True)
def add_to_list(
    context, sku: str = "", order: str = "", rules: QuantityRules | None = None
) -> dict:
    request = context["request"]
    viewer = request.viewer
    keeps = viewer.keeps_lists
    return {
        "keeps_lists": keeps,
        "lists": list(visible_lists(viewer)) if keeps else [],
        "sku": sku,
        "qty": (rules.next_orderable(1) if rules else None) or 1,
        "order": order,
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
