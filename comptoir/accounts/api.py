from django.utils.translation import gettext as _
from ninja import Router, Schema

from comptoir.accounts.services import api_token_issue
from comptoir.api.problems import ApiError
from comptoir.core.errors import BusinessRuleError

router = Router(tags=["auth"])


class Credentials(Schema):
    email: str
    password: str


class TokenOut(Schema):
    token: str


@router.post("/auth/token", response=TokenOut, auth=None)
def token(request, credentials: Credentials):
    """A bearer token for `Authorization: Bearer <token>`."""
    try:
        return {"token": api_token_issue(email=credentials.email, password=credentials.password)}
    except BusinessRuleError:
        raise ApiError(401, "invalid_credentials", _("E-mail or password is wrong.")) from None
