"""Errors of the REST API as `application/problem+json` with a stable `code` (API.md §2)."""

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from comptoir.core.errors import BusinessRuleError
from comptoir.core.problem_json import problem


class ApiError(Exception):
    def __init__(self, status: int, code: str, detail: str, errors: list[dict] | None = None):
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.errors = errors or []


def api_error_handler(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return problem(exc.status, exc.code, exc.detail, exc.errors)


# Business refusals are 422 but for these: who the caller is, and what it may see.
STATUS_BY_CODE = {
    "login_required": 401,
    "company_not_approved": 403,
    "permission_denied": 403,
    "self_approval": 403,
    "approval_not_open": 409,
    "approval_expired": 409,
    "not_found": 404,
    "invitation_invalid": 400,
    "quote_expired": 409,
    "quote_not_open": 409,
}


def business_error_handler(request: HttpRequest, exc: BusinessRuleError) -> HttpResponse:
    return problem(STATUS_BY_CODE.get(exc.code, 422), exc.code, exc.message, exc.errors)


def validation_error_handler(request: HttpRequest, exc) -> HttpResponse:
    errors = [
        {
            "field": ".".join(
                str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path")
            ),
            "code": "invalid",
            "message": error.get("msg", ""),
        }
        for error in exc.errors
    ]
    return problem(
        400, "invalid_request", _("The request is malformed or has wrong types."), errors
    )


HTTP_ERROR_CODES = {
    400: "invalid_request",
    401: "login_required",
    403: "forbidden",
    404: "not_found",
}


def http_error_handler(request: HttpRequest, exc) -> HttpResponse:
    """Errors raised by the framework itself (a body that is not JSON, for one)."""
    status = exc.status_code
    return problem(status, HTTP_ERROR_CODES.get(status, "error"), str(exc))


def not_found_handler(request: HttpRequest, exc) -> HttpResponse:
    return problem(404, "not_found", _("Not found."))
