"""Whole storefront pages copied per process and version, with what differs per request
spliced in (issue 14, bench/README.md "Fourth pass").

Rendering the home page and a category's 24 cards cost 1.5 to 3 ms of CPU a request while
almost all of the markup is the same for every viewer of the same catalogue. A page is
rendered once per process, cache version (core/versioned_cache.py), language, address and
viewer's catalogue, with markers where the request's own parts go; each request then
joins the copy with:

- its CSRF token (one masked token per page, as `{% csrf_token %}` gives; `get_token`,
  core/csrf_tokens.py,
  also sets the cookie as rendering would);
- the parts that depend on the user (`{% per_viewer %}`: the account links with the
  company name or e-mail and the cart count, the notice about the company's status or
  prices), rendered from their small templates on every request for a logged-in user,
  once per language for visitors (they show a visitor nothing of his own);
- each product's stock label, from the stock read live (`{% offer_availability %}`).

Everything else the copy shows must be in its key or covered by the version: the key
names the viewer's group, company and company name, whether it is logged in, sees prices
and may order, and the store's day. A page is not copied when flash messages are waiting
(they are shown once), for htmx requests (fragments), or for other methods than GET.

The markers carry a random per-process secret, so no product name or search term can
forge one.
"""

import secrets

from django.contrib.messages import get_messages
from django.http import HttpResponse
from django.shortcuts import render
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.urls import get_script_prefix
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from comptoir.core.csrf_tokens import get_token
from comptoir.core.selectors import store_today
from comptoir.core.versioned_cache import cached
from comptoir.storefront.offer_html import availability_html

_SECRET = secrets.token_hex(16)
_COPYING = "_page_copy_" + _SECRET
CSRF = "csrf"


def _mark(name: str) -> SafeString:
    return mark_safe(f"{_SECRET}{name}{_SECRET}")


def copying(context) -> bool:
    """True while a page is rendered to be copied: the request's own parts become markers."""
    return bool(context.get(_COPYING))


def per_viewer(context, template_name: str) -> SafeString:
    """The part of the page that `template_name` renders for this user (a marker in a copy)."""
    if copying(context):
        return _mark(template_name)
    return mark_safe(get_template(template_name).template.render(context))


def availability(context, offer) -> SafeString:
    """The offer's stock label (a marker in a copy, filled from the stock read live)."""
    if copying(context):
        return _mark(f"stock:{offer.product.pk}")
    return availability_html(offer)


def viewer_key(viewer) -> tuple:
    """What a page shows of its viewer outside the `{% per_viewer %}` parts: the catalogue
    and prices, the buy form or the login link, the welcome with the company's name (read
    live, never versioned), whether a representative acts as the user (the page then has a
    place for the acting banner, itself per viewer), the store's day (promotions, banners)."""
    company = viewer.company
    return (
        viewer.group.pk,
        company.pk if company else None,
        company.name if company else None,
        viewer.user is not None,
        viewer.must_log_in,
        viewer.sees_prices,
        viewer.may_order,
        viewer.staff is not None,
        store_today(viewer.store),
    )


def serve(
    request, template_name: str, context: dict, *, offers=(), visitors_only: bool = False
) -> HttpResponse:
    """`render(request, template_name, context)`, from a copy of the page when it may be
    copied. `offers` are the page's offers with their live stock. `visitors_only`: a page
    that shows a logged-in user more of his own than the `{% per_viewer %}` parts (the
    product page's requisition lists) is copied for visitors only."""
    if (
        request.method != "GET"
        or getattr(request, "htmx", False)
        or (visitors_only and request.viewer.user is not None)
        or len(get_messages(request))
    ):
        return render(request, template_name, context)
    language = get_language()
    key = (
        "whole_page",
        template_name,
        language,
        request.get_full_path(),
        viewer_key(request.viewer),
    )
    parts = cached(key, lambda: _copy(request, template_name, context), page=True)
    token = get_token(request)
    viewer_context = None
    labels = {str(offer.product.pk): offer for offer in offers}
    out = []
    for index, part in enumerate(parts):
        if not index % 2:
            out.append(part)
        elif part == CSRF:
            out.append(token)
        elif part.startswith("stock:"):
            offer = labels.get(part[6:])
            if offer is None:  # its product deleted since the copy's version was read
                return render(request, template_name, context)
            out.append(availability_html(offer, language))
        elif request.viewer.user is None:
            out.append(_visitor_part(request, part).replace(_mark(CSRF), token))
        else:
            if viewer_context is None:
                viewer_context = Context(
                    {"request": request, "user": request.user, "csrf_token": token}
                )
            out.append(get_template(part).template.render(viewer_context))
    return HttpResponse("".join(out))


def _visitor_part(request, template_name: str) -> str:
    """A `{% per_viewer %}` part as every visitor sees it: it shows no user, only what the
    store's access mode (versioned) and the language decide."""
    return cached(
        ("visitor_part", template_name, get_language(), get_script_prefix()),
        lambda: get_template(template_name).template.render(
            Context({"request": request, "user": request.user, "csrf_token": _mark(CSRF)})
        ),
    )


def _copy(request, template_name: str, context: dict) -> list[str]:
    """The page with markers, cut at them: even items are markup, odd ones markers' names."""
    html = render_to_string(
        template_name, {**context, "csrf_token": _mark(CSRF), _COPYING: True}, request
    )
    return html.split(_SECRET)
