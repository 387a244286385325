"""When the database is unreachable (restart, failover), answer 503 at once, cleanly.

The API gets a problem+json body with the code `service_unavailable`, pages a short HTML
page; both say to retry. Django reconnects by itself on the next request.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views import defaults

from comptoir.core.problem_json import problem

logger = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = "5"


class DatabaseOutageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        return outage_response(request, exception)


def server_error(request):
    """`handler500`. Django hands a middleware only the errors of the view: a database lost
    while a middleware used it (the storefront's access check reads the store before the
    view) reaches this handler instead, and is an outage all the same."""
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        return outage_response(request, error)
    return defaults.server_error(request)


def outage_response(request, exception) -> HttpResponse:
    logger.error("database unavailable: %s", exception)
    message = _("The service is briefly unavailable; please try again in a moment.")
    if request.path.startswith("/api/"):
        response = problem(503, "service_unavailable", message)
    else:
        response = HttpResponse(
            f"<!doctype html><title>503</title><h1>{message}</h1>",
            status=503,
            content_type="text/html; charset=utf-8",
        )
    response["Retry-After"] = RETRY_AFTER_SECONDS
    return response
