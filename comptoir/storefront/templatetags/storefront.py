"""Template helpers of the storefront: money in the reader's language, the category menu and
an offer's price, availability and buy form (offer_html.py)."""

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf, reverse, translate_url
from django.utils.translation import get_language

from comptoir.core.versioned_cache import cached
from comptoir.storefront import offer_html
from comptoir.storefront.money_display import money

register = template.Library()

register.filter("money", money)

# The links of base.html, on every storefront page: 17 names, 19 `reverse()` a page before.
_SITE_URLS = {
    name.rpartition(":")[2]: name
    for name in (
        "favicon",
        "set_language",
        "storefront:account",
        "storefront:account_request",
        "storefront:cart",
        "storefront:home",
        "storefront:legal",
        "storefront:login",
        "storefront:logout",
        "storefront:offers",
        "storefront:orders",
        "storefront:quick_order",
        "storefront:search",
    )
}
_site_urls: dict[tuple, dict[str, str]] = {}


@register.simple_tag
def site_urls() -> dict[str, str]:
    """base.html's addresses by short name: they change only with the code, the language
    prefix and the script prefix, so they are reversed once per process for each."""
    key = (get_urlconf(), get_script_prefix(), get_language())
    urls = _site_urls.get(key)
    if urls is None:
        urls = _site_urls[key] = {short: reverse(name) for short, name in _SITE_URLS.items()}
    return urls


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


@register.simple_tag(takes_context=True)
def offer_price(context, offer) -> str:
    return offer_html.price_html(offer, context["request"].viewer)


@register.simple_tag
def offer_availability(offer) -> str:
    return offer_html.availability_html(offer)


@register.simple_tag(takes_context=True)
def offer_buy(context, offer) -> str:
    return offer_html.buy_html(context, offer)
