"""Who is calling the API: a bearer token or the storefront's session (API.md §2)."""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.utils import check_csrf

from comptoir.accounts.access import Viewer, viewer_for
from comptoir.accounts.models import User
from comptoir.accounts.services import api_token_user_with
from comptoir.api.problems import ApiError
from comptoir.catalog import stock_prefetch
from comptoir.core.models import Store
from comptoir.core.selectors import current_store
from comptoir.storefront.auth_backend import with_header_facts

Caller = Viewer


def resolve_caller(request: HttpRequest, *, writes: bool = False) -> Caller:
    """The caller, refused with 401 where the store needs a login or a token is not valid.

    A call that `writes` with the storefront's session must carry its CSRF token, as a form
    would; a bearer token cannot be sent by another site, so it needs none.
    """
    header = request.headers.get("Authorization", "")
    # The token first: its statement also reads the cache version that the store's copy
    # needs (accounts/services.py). A missing store still answers before a bad token.
    token_user = _token_user(request, header) if header else None
    try:
        store = current_store()
    except Store.DoesNotExist:
        raise ApiError(503, "store_not_configured", _("The store is not set up yet.")) from None
    if header and token_user is None:
        raise ApiError(401, "login_required", _("The token is not valid."))
    user = token_user if header else _session_user(request)
    by_session = user is not None and not header
    if writes and by_session and check_csrf(request) is not None:
        raise ApiError(403, "csrf_failed", _("The CSRF token is missing or wrong."))
    # A staff user acting as the buyer in this session writes in both names (issue 18).
    staff = getattr(request, "acting_staff", None) if by_session else None
    caller = viewer_for(store, user, staff=staff)
    if caller.must_log_in:
        raise ApiError(401, "login_required", _("This store requires a login."))
    return caller


def _token_user(request: HttpRequest, header: str) -> User | None:
    """The token's user; its statement also reads the stock of the products this address
    answered with last time (catalog/stock_prefetch.py)."""
    scheme, _space, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        return None
    rider = stock_prefetch.api_rider(request)
    if rider is None:
        return api_token_user_with(token.strip())[0]
    user, stock = api_token_user_with(token.strip(), *rider)
    stock_prefetch.rode(request, stock)
    return user


def _session_user(request: HttpRequest) -> User | None:
    return with_header_facts(request.user) if request.user.is_authenticated else None
