from django.utils.translation import gettext as _
from ninja import Router, Schema

from comptoir.accounts.services import api_token_issue
from comptoir.accounts.throttle import token_attempt_allowed
from comptoir.api.openapi import documented
from comptoir.api.problems import ApiError
from comptoir.core.absent import NullIsAbsent
from comptoir.core.errors import BusinessRuleError

router = Router(tags=["auth"])


class Credentials(NullIsAbsent):
    email: str
    password: str


class TokenOut(Schema):
    token: str


@router.post(
    "/auth/token", response=TokenOut, auth=None, openapi_extra=documented(errors=(400, 401, 429))
)
def token(request, credentials: Credentials):
    """A bearer token for `Authorization: Bearer <token>`."""
    if not token_attempt_allowed(request):
        raise ApiError(
            429, "too_many_requests", _("Too many token requests: wait a minute and try again.")
        )
    try:
        token = api_token_issue(
            request=request, email=credentials.email, password=credentials.password
        )
    except BusinessRuleError:
        raise ApiError(401, "invalid_credentials", _("E-mail or password is wrong.")) from None
    return {"token": token}
