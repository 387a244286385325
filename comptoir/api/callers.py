"""Who is calling: a bearer token or the storefront's session, and what the store lets them see."""

from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.translation import gettext as _

from comptoir.accounts.models import User
from comptoir.accounts.services import api_token_user
from comptoir.api.problems import ApiError
from comptoir.core.models import AccessMode, Store
from comptoir.core.selectors import get_store
from comptoir.customers.models import Company, CustomerGroup


@dataclass(frozen=True)
class Caller:
    store: Store
    user: User | None
    company: Company | None

    @property
    def group(self) -> CustomerGroup:
        """A guest, and the merchant's staff, see the store's default group."""
        return self.company.group if self.company else self.store.default_group

    @property
    def sees_prices(self) -> bool:
        return self.user is not None or self.store.access_mode == AccessMode.PUBLIC


def resolve_caller(request: HttpRequest) -> Caller:
    """The caller, refused with 401 where the store needs a login or a token is not valid."""
    try:
        store = get_store()
    except Store.DoesNotExist:
        raise ApiError(503, "store_not_configured", _("The store is not set up yet.")) from None
    user = _user(request)
    if user is None and store.access_mode == AccessMode.LOGIN_REQUIRED:
        raise ApiError(401, "login_required", _("This store requires a login."))
    company = user.company if user is not None and user.company_id else None
    return Caller(store=store, user=user, company=company)


def _user(request: HttpRequest) -> User | None:
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _space, token = header.partition(" ")
        user = api_token_user(token.strip()) if scheme.lower() == "bearer" and token else None
        if user is None:
            raise ApiError(401, "login_required", _("The token is not valid."))
        return user
    if request.user.is_authenticated:
        return User.objects.select_related("company__group").get(pk=request.user.pk)
    return None
