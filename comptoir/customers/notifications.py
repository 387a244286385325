"""E-mails to applicants and buyers about their account, each in the recipient's language."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from comptoir.accounts.models import User
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
    with translation.override(_language(user)):
        path = reverse(
            "storefront:password_set",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
    return site_url.rstrip("/") + path


def _send(user: User, template: str, site_url: str, **context) -> None:
    with translation.override(_language(user)):
        context |= {
            "user": user,
            "store": get_store(),
            "site_url": site_url.rstrip("/"),
            "login_url": site_url.rstrip("/") + reverse("storefront:login"),
        }
        subject = render_to_string(f"customers/email/{template}_subject.txt", context)
        body = render_to_string(f"customers/email/{template}_body.txt", context)
    send_mail(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [user.email])


def _language(user: User) -> str:
    return user.language or settings.LANGUAGE_CODE
