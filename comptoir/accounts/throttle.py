"""A fixed-window limit on token requests per client address, kept in the cache.

django-axes locks a login after repeated failures; this limit also slows a client that
spreads its guesses over many e-mail addresses. With no shared cache (local memory) the
limit is per process, which still bounds each process.
"""

from django.conf import settings
from django.core.cache import cache

WINDOW_SECONDS = 60


def _client_address(request) -> str:
    if settings.BEHIND_PROXY:
        forwarded = request.headers.get("X-Forwarded-For", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def token_attempt_allowed(request) -> bool:
    key = f"token-attempts:{_client_address(request)}"
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        attempts = cache.incr(key)
    except ValueError:  # expired between add and incr, or the cache is unreachable
        attempts = 1
    if attempts is None:  # Redis down: django-redis ignores the error and answers None
        attempts = 1  # not counted then; the login lockout (database) still applies
    return attempts <= settings.TOKEN_REQUESTS_PER_MINUTE
