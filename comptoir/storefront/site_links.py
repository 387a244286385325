"""The storefront's fixed addresses, reversed once per process."""

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

# The links of base.html, on every storefront page (19 `reverse()` a page before), and the
# buy form's and login link's of every product card.
_SITE_URLS = {
    name.rpartition(":")[2]: name
    for name in (
        "favicon",
        "set_language",
        "storefront:account",
        "storefront:account_request",
        "storefront:approvals",
        "storefront:cart",
        "storefront:cart_add",
        "storefront:home",
        "storefront:legal",
        "storefront:lists",
        "storefront:login",
        "storefront:logout",
        "storefront:offers",
        "storefront:orders",
        "storefront:quick_order",
        "storefront:quotes",
        "storefront:search",
        "storefront:team",
    )
}
_site_urls: dict[tuple, dict[str, str]] = {}


def site_links() -> dict[str, str]:
    """These addresses by short name: they change only with the code, the language prefix
    and the script prefix, so they are reversed once per process for each."""
    key = (get_urlconf(), get_script_prefix(), get_language())
    urls = _site_urls.get(key)
    if urls is None:
        urls = _site_urls[key] = {short: reverse(name) for short, name in _SITE_URLS.items()}
    return urls
