"""Writes of the accounts area: API tokens."""

import datetime
import hashlib
import secrets
from collections.abc import Callable

from django.contrib.auth import authenticate
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Expression, Subquery
from django.utils import timezone

from comptoir.accounts.models import ApiToken, User
from comptoir.core.compiled_sql import compiled_rows
from comptoir.core.errors import BusinessRuleError
from comptoir.core.models import CacheVersion
from comptoir.core.versioned_cache import note_version
from comptoir.customers.models import Company, CustomerGroup

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
    """The active user a token belongs to (with its company and group), or None; notes when
    the token was last used.

    Read live on every API call (a revoked token fails at once), in one statement that the
    ORM compiles once per process (core/compiled_sql.py): the user, company and group rows
    come back as `select_related` would build them. The statement also reads the cache
    version (core/versioned_cache.py), which the call needs next: one round trip less.
    """
    return api_token_user_with(token)[0]


def api_token_user_with(
    token: str, rider: Callable[[str], Expression] | None = None, value=None
) -> tuple[User | None, object]:
    """`api_token_user`, and the value of `rider(mark)`, a column that rides on the token's
    statement with `value` in place of `mark`: what the call reads next (the stock of the
    page it answers, catalog/stock_prefetch.py) costs no round trip of its own."""
    digest = token_digest(token)
    if rider is None:
        rows = compiled_rows("api_token_user", ApiToken, _token_rows, digest=digest)
        extra = None
    else:
        rows = compiled_rows(
            f"api_token_user+{rider.__qualname__}",
            ApiToken,
            lambda digest, rode: _token_rows(digest, rider(rode)),
            digest=digest,
            rode=value,
        )
        extra = rows[0][-1] if rows else None
        rows = [row[:-1] for row in rows]
    if not rows:
        return None, None
    token_id, last_used_at, version, *values = rows[0]
    note_version(version)
    instances = []
    for model, fields in _TOKEN_MODELS:
        instances.append(model.from_db(DEFAULT_DB_ALIAS, fields, values[: len(fields)]))
        values = values[len(fields) :]
    user, company, group = instances
    if user.company_id is not None:
        company.group = group
        user.company = company
    now = timezone.now()
    if last_used_at is None or now - last_used_at > LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token_id).update(last_used_at=now)
    return user, extra


def _attnames(model) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


_TOKEN_MODELS = [(User, _attnames(User)), (Company, _attnames(Company))]
_TOKEN_MODELS.append((CustomerGroup, _attnames(CustomerGroup)))


def _token_rows(digest, rider: Expression | None = None):
    paths = ("user__", "user__company__", "user__company__group__")
    columns = [
        path + name
        for path, (_model, names) in zip(paths, _TOKEN_MODELS, strict=True)
        for name in names
    ]
    version = CacheVersion.objects.filter(pk=1).values("version")
    queryset = ApiToken.objects.filter(digest=digest, user__is_active=True).annotate(
        cache_version=Subquery(version)
    )
    if rider is not None:
        queryset = queryset.annotate(rider=rider)
        columns.append("rider")
    return queryset.values_list("pk", "last_used_at", "cache_version", *columns)
