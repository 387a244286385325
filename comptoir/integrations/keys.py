"""Integration API keys (issue 19): made, found and revoked. The plain key is returned once,
when it is made; the database keeps its digest, as buyers' tokens (accounts/services.py)."""

import datetime
import secrets
from dataclasses import dataclass

from django.utils import timezone

from comptoir.accounts.services import token_digest
from comptoir.core.errors import BusinessRuleError
from comptoir.integrations.models import ApiKey
from comptoir.integrations.scopes import KEY_PREFIX, looks_like_key, unknown_scopes

# As for buyers' tokens: noting every use would cost a write per request.
LAST_USED_PRECISION = datetime.timedelta(minutes=1)
HINT_LENGTH = 10


@dataclass(frozen=True)
class Integration:
    """Who calls the ERP routes: `request.auth` there."""

    key_id: int
    name: str
    scopes: frozenset[str]


def api_key_create(*, name: str, scopes: list[str], created_by=None) -> tuple[ApiKey, str]:
    """A new key with these scopes, and its plain text, which is never stored."""
    unknown = unknown_scopes(scopes)
    if unknown or not scopes:
        raise BusinessRuleError("invalid_scopes", f"Unknown or no scopes: {unknown}")
    plain = KEY_PREFIX + secrets.token_urlsafe(32)
    key = ApiKey.objects.create(
        name=name,
        scopes=sorted(set(scopes)),
        digest=token_digest(plain),
        hint=plain[:HINT_LENGTH],
        created_by=created_by,
    )
    return key, plain


def api_keys_revoke(*, key_ids: list[int]) -> int:
    """Revoked keys fail at once, on their next call; they stay listed with the date."""
    return ApiKey.objects.filter(pk__in=key_ids, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def integration_for(token: str) -> Integration | None:
    """The integration a key belongs to, or None for an unknown or revoked key; notes the use."""
    if not looks_like_key(token):
        return None
    row = (
        ApiKey.objects.filter(digest=token_digest(token), revoked_at__isnull=True)
        .values("pk", "name", "scopes", "last_used_at")
        .first()
    )
    if row is None:
        return None
    now = timezone.now()
    if row["last_used_at"] is None or now - row["last_used_at"] > LAST_USED_PRECISION:
        ApiKey.objects.filter(pk=row["pk"]).update(last_used_at=now)
    return Integration(key_id=row["pk"], name=row["name"], scopes=frozenset(row["scopes"]))
