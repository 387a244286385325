"""The REST API under /api/v1/ (API.md §2): routers of the apps, one error format."""

from django.http import Http404
from ninja.errors import HttpError, ValidationError

from comptoir.accounts.api import router as accounts_router
from comptoir.api.account import router as account_router
from comptoir.api.openapi import ComptoirAPI
from comptoir.api.problems import (
    ApiError,
    api_error_handler,
    business_error_handler,
    http_error_handler,
    not_found_handler,
    validation_error_handler,
)
from comptoir.api.security import BearerAuth
from comptoir.approvals.api import router as approvals_router
from comptoir.core.errors import BusinessRuleError
from comptoir.credits.api import router as credits_router
from comptoir.integrations.api import router as integrations_router
from comptoir.lists.api import router as lists_router
from comptoir.ordering.api import router as ordering_router
from comptoir.payments.api import router as payments_router
from comptoir.pricing.api import router as pricing_router
from comptoir.quotes.api import router as quotes_router
from comptoir.returns.api import router as returns_router
from comptoir.teams.api import router as teams_router

api = ComptoirAPI(
    title="Comptoir",
    version="1",
    description="B2B commerce: each caller sees its own catalogue, prices and rules.",
    urls_namespace="api-v1",
    # Guests pass where the store lets them browse; the ordering router asks for a buyer.
    auth=BearerAuth(),
)
api.add_exception_handler(ApiError, api_error_handler)
api.add_exception_handler(BusinessRuleError, business_error_handler)
api.add_exception_handler(ValidationError, validation_error_handler)
api.add_exception_handler(HttpError, http_error_handler)
api.add_exception_handler(Http404, not_found_handler)
api.add_router("", accounts_router)
api.add_router("", account_router)
api.add_router("", pricing_router)
api.add_router("", ordering_router)
api.add_router("", teams_router)
api.add_router("", lists_router)
api.add_router("", approvals_router)
api.add_router("", quotes_router)
api.add_router("", credits_router)
api.add_router("", returns_router)
api.add_router("", payments_router)
api.add_router("", integrations_router)
