"""Writes of the accounts area: API tokens."""

import datetime
import hashlib
import secrets

from django.contrib.auth import authenticate
from django.utils import timezone

from comptoir.accounts.models import ApiToken, User
from comptoir.core.errors import BusinessRuleError

# Noting every use would cost a write per request; the minute is precise enough.
LAST_USED_PRECISION = datetime.timedelta(minutes=1)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def api_token_issue(*, request, email: str, password: str) -> str:
    """A new token for valid credentials; the plain token is shown once and never stored.

    The request goes to `authenticate` so that failed attempts count towards the login
    lockout (django-axes) exactly as failed logins on the site do.
    """
    user = authenticate(request, username=email.strip().lower(), password=password)
    if user is None:
        raise BusinessRuleError("invalid_credentials", "E-mail or password is wrong.")
    token = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, digest=token_digest(token))
    return token


def api_token_user(token: str) -> User | None:
    """The active user a token belongs to, or None; notes when the token was last used."""
    found = (
        ApiToken.objects.select_related("user__company__group")
        .filter(digest=token_digest(token), user__is_active=True)
        .first()
    )
    if found is None:
        return None
    now = timezone.now()
    if found.last_used_at is None or now - found.last_used_at > LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
    return found.user
