"""`application/problem+json` responses (RFC 9457) with a stable `code` (API.md §2).

In core because both the API and the outage middleware answer with them.
"""

import json

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

TITLES = {
    400: _("Bad request"),
    401: _("Authentication required"),
    403: _("Forbidden"),
    404: _("Not found"),
    422: _("Unprocessable request"),
    429: _("Too many requests"),
    503: _("Service unavailable"),
}


def problem(status: int, code: str, detail: str, errors: list[dict] | None = None) -> HttpResponse:
    body = {
        "type": "about:blank",
        "status": status,
        "title": str(TITLES.get(status, "Error")),
        "detail": str(detail),
        "code": code,
        "errors": errors or [],
    }
    response = HttpResponse(
        json.dumps(body), status=status, content_type="application/problem+json"
    )
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="comptoir"'
    return response
