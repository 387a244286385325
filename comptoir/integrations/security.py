"""Who may call the ERP routes: an integration's key, never a buyer (issue 19).

Decided before the body is read, as for buyers (api/security.py): without a valid key the
answer is 401, with a key that lacks the route's scope 403 `permission_denied`, whatever the
body. A buyer's token or the storefront's session is not a key: 401.
"""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security.http import HttpAuthBase

from comptoir.api.problems import ApiError
from comptoir.integrations.keys import Integration, integration_for


class IntegrationKey(HttpAuthBase):
    openapi_scheme = "bearer"
    openapi_description = (
        "An integration's API key (`ck_...`), made in the back office, sent as "
        "`Authorization: Bearer ck_...`. Buyers' tokens are refused here."
    )

    def __init__(self, scope: str) -> None:
        super().__init__()
        self.scope = scope

    def __call__(self, request: HttpRequest) -> Integration:
        scheme, _space, token = request.headers.get("Authorization", "").partition(" ")
        integration = integration_for(token.strip()) if scheme.lower() == "bearer" else None
        if integration is None:
            raise ApiError(
                401, "login_required", _("An integration's API key is needed (Bearer ck_...).")
            )
        if self.scope not in integration.scopes:
            raise ApiError(
                403,
                "permission_denied",
                _("This API key does not have the %(scope)s scope.") % {"scope": self.scope},
            )
        return integration
