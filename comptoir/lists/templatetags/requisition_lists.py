"""The "add to a list" form of the product and order pages: the lists the user sees, or a
new one to name; nothing for a user whose role keeps no lists."""

from django import template

from comptoir.lists.selectors import visible_lists

register = template.Library()


@register.inclusion_tag("storefront/_add_to_list.html", takes_context=True)
def add_to_list(context, sku: str = "", order: str = "") -> dict:
    request = context["request"]
    viewer = request.viewer
    keeps = viewer.keeps_lists
    return {
        "keeps_lists": keeps,
        "lists": list(visible_lists(viewer)) if keeps else [],
        "sku": sku,
        "order": order,
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
