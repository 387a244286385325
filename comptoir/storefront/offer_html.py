"""An offer's price, availability and buy form as HTML, for product cards and the product page.

These were three `{% include %}` templates; a listing renders them 24 times, and there they
took about half of the category page's CPU (variable lookups through tuples, `blocktranslate`,
`{% url %}` and `{% csrf_token %}` per card; bench/README.md, "Throughput"). Built here in
Python, with the same markup, messages and escaping as the templates had: each value goes
through `_text` as `{{ value }}` would (localized, then escaped), each message through
`gettext`/`ngettext` with the msgids that `{% translate %}` and `{% blocktranslate %}` used.
"""

from django.template.defaultfilters import urlencode
from django.template.defaulttags import CsrfTokenNode
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, ngettext

from comptoir.core import units
from comptoir.pricing.offers import Offer
from comptoir.storefront.money_display import money
from comptoir.storefront.site_links import site_links

_CSRF = CsrfTokenNode()


def _text(value) -> str:
    """What `{{ value }}` prints in a template that escapes: localized, then escaped."""
    return conditional_escape(localize(value))


def price_html(offer: Offer, viewer) -> SafeString:
    """The unit price of the minimum quantity and the next break, or why there is none."""
    if offer.breaks:
        currency = viewer.store.currency
        (_, unit_price), *later = offer.breaks
        unit = _text(units.unit_name(offer.product.unit))
        html = (
            f'<span class="price">{_text(money(unit_price, currency))}</span> '
            f'<span class="per">{gettext("per %(unit)s") % {"unit": unit}}</span>'
        )
        if later:
            quantity, price = later[0]
            text = gettext("from %(qty)s: %(price)s") % {
                "qty": _text(quantity),
                "price": _text(money(price, currency)),
            }
            html += f' <span class="from">{text}</span>'
    elif viewer.sees_prices:
        html = f'<span class="on-request">{_text(gettext("Price on request"))}</span>'
    else:
        html = f'<span class="hidden-price">{_text(gettext("Log in to see prices"))}</span>'
    return mark_safe(html + "\n")


def availability_html(offer: Offer, language: str | None = None) -> SafeString:
    """The stock label: a handful of texts per language, each built once per process.
    `language`: the active one, when the caller has it (a page asks for 24 labels)."""
    stock = offer.availability
    key = (language or get_language(), stock.status, stock.left)
    html = _availability.get(key)
    if html is None:
        html = _availability[key] = _availability_html(stock)
    return html


_availability: dict[tuple, SafeString] = {}


def _availability_html(stock) -> SafeString:
    if stock.status == "in_stock":
        label = _text(gettext("In stock"))
    elif stock.status == "low_stock":
        label = ngettext("Only %(left)s left", "Only %(left)s left", stock.left) % {
            "left": _text(stock.left)
        }
    elif stock.status == "backorder":
        label = _text(gettext("On backorder"))
    else:
        label = _text(gettext("Out of stock"))
    return mark_safe(f'<span class="stock stock-{_text(stock.status)}">{label}</span>\n')


def buy_html(context, offer: Offer) -> SafeString:
    """The quantity form for a buyer who may order; a login link for a visitor. What does
    not depend on the offer is built once per request (`_page_parts`)."""
    request = context["request"]
    if offer.breaks and request.viewer.may_order:
        parts = _page_parts(context)
        sku = _text(offer.product.sku)
        return mark_safe(
            f"{parts['form']}\n"
            f'  <input type="hidden" name="sku" value="{sku}">\n'
            f"{parts['next']}"
            f'  <label for="buy-{sku}">{parts["quantity"]}</label>\n'
            f'  <input id="buy-{sku}" name="qty" type="text" inputmode="numeric" '
            f'autocomplete="off" value="{_text(offer.breaks[0][0])}">\n'
            f"{parts['add']}"
            "</form>\n\n"
        )
    if offer.breaks and not context["user"].is_authenticated:
        return _page_parts(context)["login"]
    return mark_safe("\n")


def _page_parts(context) -> dict[str, str]:
    """The buy forms' and login links' parts that are the same for every offer of a page."""
    request = context["request"]
    parts = getattr(request, "_offer_html_parts", None)
    if parts is None:
        path = request.get_full_path()
        login = _text(site_links()["login"])
        parts = request._offer_html_parts = {
            # one CSRF token per page, as `{% csrf_token %}` gives within a request
            "form": f'\n<form method="post" action="{_text(site_links()["cart_add"])}" '
            f'class="buy">{_CSRF.render(context)}',
            "next": f'  <input type="hidden" name="next" value="{_text(path)}">\n',
            "quantity": _text(gettext("Quantity")),
            "add": f'  <button type="submit" class="primary">{_text(gettext("Add to cart"))}'
            "</button>\n",
            "login": mark_safe(
                f'\n<p class="hint"><a href="{login}?next={_text(urlencode(path))}">'
                f"{_text(gettext('Log in to order'))}</a></p>\n\n"
            ),
        }
    return parts
