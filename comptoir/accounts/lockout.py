"""What a locked-out login gets (django-axes): problem+json for the API, a page otherwise."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from comptoir.core.problem_json import problem

LOCKED = 429


def lockout_response(request, original_response=None, credentials=None):
    if request.path.startswith("/api/"):
        return problem(
            LOCKED,
            "too_many_requests",
            _("Too many failed attempts: this login is locked for a while."),
        )
    return render(request, "lockout.html", status=LOCKED)


def lockout_username(request, credentials=None):
    """The login the attempt was for, in its stored form, however it came: axes names it
    "email" (the user model's login field), Django's failure signal "username", and the
    forms post "username"."""
    credentials = credentials or {}
    given = (
        credentials.get("email")
        or credentials.get("username")
        or request.POST.get("username")
        or request.POST.get("email")
        or ""
    )
    return given.strip().lower() or None
