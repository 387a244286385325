"""Template helpers of the storefront: money in the reader's language."""

from decimal import Decimal

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import translate_url
from django.utils.formats import number_format
from django.utils.translation import get_language

from comptoir.core.money import format_decimal
from comptoir.core.versioned_cache import cached
from comptoir.storefront.price_display import showing_prices

register = template.Library()

SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£"}


@register.filter
def money(value: Decimal | None, currency: str = "") -> str:
    """8.5 EUR as "€8.50" in English and "8,50 €" in French; unit prices keep up to 4 decimals.
    A dash for a viewer whose role does not show prices (`price_display`)."""
    if value is None:
        return ""
    if not showing_prices():
        return "—"
    places = len(format_decimal(value).partition(".")[2])
    number = number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)
    symbol = SYMBOLS.get(currency, currency)
    if (get_language() or "en").startswith("fr"):
        return f"{number}\N{NO-BREAK SPACE}{symbol}" if symbol else number
    if symbol in SYMBOLS.values():
        return f"{symbol}{number}"
    return f"{number}\N{NO-BREAK SPACE}{symbol}" if symbol else number


@register.simple_tag(takes_context=True)
def default_language_path(context) -> str:
    """The current page's address in the default language, for the language switch.

    The switch posts to a URL outside the language prefixes, where Django reads paths in
    the default language; "/fr/c/vis/" would not resolve there, "/c/vis/" does.
    """
    request = context["request"]
    return translate_url(request.get_full_path(), settings.LANGUAGE_CODE)


@register.simple_tag(takes_context=True)
def category_nav(context, tree, category=None) -> str:
    """The category menu beside every listing and product: some 200 links whose URLs cost a
    `reverse()` each. Rendered once per process and version (core/versioned_cache.py) for
    each catalogue (the viewer's group and company), language and current category."""
    viewer = context["request"].viewer
    key = (
        "category_nav",
        viewer.group.pk,
        viewer.company.pk if viewer.company else None,
        get_language(),
        category.code if category else None,
    )
    return cached(
        key,
        lambda: render_to_string(
            "storefront/_category_nav.html", {"tree": tree, "category": category}
        ),
    )
