"""Who may call an operation (API.md §2.1), decided by django-ninja before it reads the body.

Running as the operations' `auth`, the caller is known before the body or the query is
validated, so a guest's write is a 401 whatever it sends, never a 400 about its body. It is
also what the OpenAPI document declares: an http bearer scheme, so that the interactive docs
at /api/v1/docs offer "Authorize" and send the token. The storefront's session works too.
"""

from collections.abc import Callable

from django.http import HttpRequest
from ninja.security.http import HttpAuthBase

from comptoir.api.callers import Caller, resolve_caller

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class BearerAuth(HttpAuthBase):
    """The caller from a bearer token or the session (`request.auth`), or a refusal.

    `check` refuses the callers an operation is not for, before its body is read: the
    buyer who may place orders for the cart and checkout, any user of an approved company for
    the order history (401, then 403 `company_not_approved` or `permission_denied`); without
    it, a guest passes where the store lets guests browse.
    """

    openapi_scheme = "bearer"
    openapi_description = (
        "A token from `POST /api/v1/auth/token`, sent as `Authorization: Bearer <token>`; "
        "the storefront's session works too."
    )

    def __init__(self, *, check: Callable[[Caller], None] | None = None) -> None:
        super().__init__()
        self.check = check

    def __call__(self, request: HttpRequest) -> Caller:
        caller = resolve_caller(request, writes=request.method not in SAFE_METHODS)
        if self.check is not None:
            self.check(caller)
        return caller


# Guests may call these where the store lets them browse: the document says so with the
# empty alternative, which django-ninja appends to the operation's `security` list.
OPTIONAL = [{}]
