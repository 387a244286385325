"""Template helpers of the storefront: money in the reader's language, the category menu and
an offer's price, availability and buy form (offer_html.py)."""

import functools
from decimal import Decimal

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import get_urlconf, reverse, translate_url
from django.utils.html import format_html
from django.utils.translation import get_language, gettext

from comptoir.catalog.family_selectors import family_link_of
from comptoir.catalog.models import (
    AttributeType,
    Packaging,
    ProductDocument,
    ProductImage,
    product_media,
)
from comptoir.catalog.selectors import attribute_values
from comptoir.core.admin_money import localized_decimal
from comptoir.core.translatable import translation_of
from comptoir.core.versioned_cache import cached
from comptoir.storefront import offer_html, page_copies
from comptoir.storefront.buyer_home import buyer_home
from comptoir.storefront.money_display import money
from comptoir.storefront.site_links import site_links

register = template.Library()

register.filter("money", money)


@register.filter
def tr(row, field: str) -> str:
    """`{{ product|tr:"name" }}`: a catalogue row's field in the reader's language, the store
    language's text without a translation (core/translatable.py)."""
    return translation_of(row, field)


@register.simple_tag
def site_urls() -> dict[str, str]:
    """base.html's links (site_links.py): 19 `reverse()` a page before."""
    return site_links()


@register.simple_tag(takes_context=True)
def default_language_path(context) -> str:
    """The current page's address in the default language, for the language switch.

    The switch posts to a URL outside the language prefixes, where Django reads paths in
    the default language; "/fr/c/vis/" would not resolve there, "/c/vis/" does.
    """
    request = context["request"]
    return _in_default_language(get_urlconf(), get_language(), request.get_full_path())


@functools.lru_cache(maxsize=2048)
def _in_default_language(urlconf, language: str, path: str) -> str:
    """`translate_url` resolves the path and reverses it again: once per process for each
    language and path (the most visited pages; others come and go)."""
    return translate_url(path, settings.LANGUAGE_CODE)


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


class CopiedNode(template.Node):
    def __init__(self, nodelist, vary):
        self.nodelist = nodelist
        self.vary = vary

    def render(self, context):
        key = (
            "fragment",
            self.origin.name,
            self.token.lineno,
            self.token.contents,
            get_language(),
            *(value.resolve(context) for value in self.vary),
        )
        return cached(key, lambda: self.nodelist.render(context))


@register.tag
def copied(parser, token):
    """`{% copied a b %}...{% endcopied %}`: the block rendered once per process, cache
    version (core/versioned_cache.py), language and values of `a b`, which must name
    everything the block shows that the version does not cover (a viewer's catalogue, an
    offer's prices). For parts of pages that every request rendered alike: product cards,
    the home page's categories."""
    vary = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    nodelist = parser.parse(("endcopied",))
    parser.delete_first_token()
    return CopiedNode(nodelist, vary)


@register.simple_tag(takes_context=True)
def offer_price(context, offer) -> str:
    return offer_html.price_html(offer, context["request"].viewer)


@register.simple_tag(takes_context=True)
def offer_availability(context, offer) -> str:
    return page_copies.availability(context, offer)


@register.simple_tag(takes_context=True)
def per_viewer(context, template_name: str) -> str:
    """`{% per_viewer "name.html" %}`: the part of the page that depends on the user, rendered
    on every request even when the rest of the page is a copy (storefront/page_copies.py)."""
    return page_copies.per_viewer(context, template_name)


@register.simple_tag(takes_context=True)
def offer_buy(context, offer) -> str:
    return offer_html.buy_html(context, offer)


@register.filter
def picture_url(name: str) -> str:
    """The URL of a product picture from its name in the storage (a listing's `card_image`)."""
    return product_media.url(name)


@register.simple_tag
def product_images(product) -> list:
    """The product's pictures in order (catalog/images.py): this process's copy while the
    version holds (a picture's write bumps it)."""
    return cached(
        ("product_images", product.pk),
        lambda: list(ProductImage.objects.filter(product_id=product.pk)),
    )


@register.simple_tag
def product_attributes(product) -> list:
    """The product's attribute values in order: this process's copy while the version holds,
    the same for every language (each row carries its translations, read when shown)."""
    return cached(("product_attributes", product.pk), lambda: attribute_values(product))


@register.filter
def attribute_value(found) -> str:
    """A product's attribute value as the reader writes it: a number in the active
    language's format (12.5, 12,5 in French; grouped as prices are), a choice or a text in
    the reader's language (the store's without a translation)."""
    if found.definition.type != AttributeType.NUMBER:
        return found.shown_value()
    return localized_decimal(Decimal(found.value), 0, grouping=True)


@register.simple_tag
def product_documents(product) -> list:
    """The product's documents in order: this process's copy while the version holds."""
    return cached(
        ("product_documents", product.pk),
        lambda: list(ProductDocument.objects.filter(product_id=product.pk)),
    )


@register.simple_tag
def enabled_packagings(product) -> list:
    """The packagings a buyer may order the product in (docs/units-of-measure.md): this
    process's copy while the version holds (a packaging's write bumps it)."""
    return cached(
        ("enabled_packagings", product.pk),
        lambda: list(Packaging.objects.filter(product_id=product.pk, enabled=True)),
    )


@register.filter
def allows(viewer, permission: str) -> bool:
    """`{% if request.viewer|allows:"request_quotes" %}`: the role of a company's user opens
    this permission (accounts/permissions.py); a visitor or a user of no company has none."""
    return (
        viewer.company is not None and viewer.user is not None and viewer.access.allows(permission)
    )


@register.simple_tag(takes_context=True)
def buyer_summary(context):
    """The logged-in buyer's own orders, invoices and lists for the home page (buyer_home.py),
    None for anyone else; only ever called from a `{% per_viewer %}` part."""
    return buyer_home(context["request"].viewer)


@register.simple_tag
def family_link(product, families) -> str:
    """A listing's mark on a product that is a variant: its cell and a link to its family's
    grid (`families`: `catalog.family_selectors.family_links` of the page)."""
    link = families.get(product.pk) if families else None
    if link is None:
        return ""
    return format_html(
        '<a class="family-link" href="{}">{}</a>\n',
        reverse("storefront:family", args=[link.code]),
        gettext("%(values)s — all variants of %(name)s")
        % {"values": link.values, "name": link.name},
    )


@register.simple_tag
def product_family(product):
    """The product's place in its family, if any, its name in the reader's language: this
    process's copy while the version holds."""
    return cached(("product_family", product.pk, get_language()), lambda: family_link_of(product))
