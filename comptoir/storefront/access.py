"""The storefront's one gate: who is looking, and whether the store lets them in.

Every storefront view is closed to visitors of a `login_required` store unless it is marked
`open_to_visitors` (login, account request, password reset, legal page). The API applies
the same `Viewer` rules in `comptoir.api.callers`.
"""

from django.contrib.auth.views import redirect_to_login
from django.template.response import TemplateResponse
from django.utils.functional import SimpleLazyObject

from comptoir.accounts.access import Viewer, viewer_for
from comptoir.catalog import stock_prefetch
from comptoir.core.models import Store
from comptoir.core.selectors import current_store
from comptoir.storefront import price_display
from comptoir.storefront.auth_backend import with_header_facts

NAMESPACE = "storefront"


def open_to_visitors(view):
    """Marks a view that a visitor reaches even where the store requires a login."""
    view.open_to_visitors = True
    return view


class StorefrontAccessMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        token = getattr(request, "_price_display", None)
        if token is not None:
            price_display.reset(token)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or NAMESPACE not in match.namespaces:
            return None
        # Before the first cached read: the version's statement may read the page's stock.
        stock_prefetch.prefetch_with_version(request)
        try:
            store = current_store()
        except Store.DoesNotExist:
            return TemplateResponse(request, "storefront/store_missing.html", status=503)
        request.viewer = SimpleLazyObject(lambda: _viewer(request, store))
        request._price_display = price_display.set_viewer(request.viewer)
        if getattr(view_func, "open_to_visitors", False):
            return None
        if request.viewer.must_log_in:
            return redirect_to_login(request.get_full_path())
        return None


def _viewer(request, store: Store) -> Viewer:
    user = with_header_facts(request.user) if request.user.is_authenticated else None
    return viewer_for(store, user, staff=getattr(request, "acting_staff", None))
