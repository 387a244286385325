"""E-mails to applicants and buyers about their account, each in the recipient's language."""

from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from comptoir.accounts.models import User
from comptoir.core.mail import language_of, send_templated
from comptoir.core.selectors import get_store


def request_received(user: User, site_url: str) -> None:
    _send(user, "request_received", site_url)
    staff = User.objects.filter(is_active=True, is_superuser=True).exclude(email="")
    for member in staff:
        _send(member, "request_to_review", site_url, applicant=user)


def approved(buyers: list[User], site_url: str) -> None:
    for user in buyers:
        link = None if user.has_usable_password() else _password_link(user, site_url)
        _send(user, "approved", site_url, password_link=link)


def rejected(buyers: list[User], reason: str, site_url: str) -> None:
    for user in buyers:
        _send(user, "rejected", site_url, reason=reason)


def _password_link(user: User, site_url: str) -> str:
    with translation.override(language_of(user)):
        path = reverse(
            "storefront:password_set",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
    return site_url.rstrip("/") + path


def _send(user: User, template: str, site_url: str, **context) -> None:
    with translation.override(language_of(user)):
        login_url = site_url.rstrip("/") + reverse("storefront:login")
    context |= {
        "user": user,
        "store": get_store(),
        "site_url": site_url.rstrip("/"),
        "login_url": login_url,
    }
    send_templated(user, f"customers/email/{template}", context)
