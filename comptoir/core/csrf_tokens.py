"""`django.middleware.csrf.get_token`, with its random strings drawn in one call.

Django draws each of a token's 32 mask characters (and, for a visitor without the cookie,
the secret's 32) with its own `secrets.choice`: 32 to 64 calls to the system's random
source, a tenth of a copied category page's CPU (bench/README.md, "Fifth pass"). Here the
characters come from one `secrets.token_bytes`, each byte kept only below the largest
multiple of the alphabet's size, so every character stays uniform, as `secrets.choice`
makes it. The token, the cookie's secret and the request's markers are those of Django:
the CSRF middleware checks the token as its own.
"""

import secrets

from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH

_SIZE = len(CSRF_ALLOWED_CHARS)
_INDEX = {char: index for index, char in enumerate(CSRF_ALLOWED_CHARS)}
# Bytes at or above this would make the first characters likelier than the others.
_LIMIT = 256 - 256 % _SIZE


def _random_chars(length: int) -> str:
    chars: list[str] = []
    while len(chars) < length:
        chars.extend(
            CSRF_ALLOWED_CHARS[byte % _SIZE]
            for byte in secrets.token_bytes(length + 8)
            if byte < _LIMIT
        )
    return "".join(chars[:length])


def get_token(request) -> str:
    """A masked CSRF token for a form, as Django's `get_token`: the cookie's secret (a new
    one, set on the response, when the request had none) under a new mask."""
    meta = request.META
    secret = meta.get("CSRF_COOKIE")
    if secret is None:
        secret = _random_chars(CSRF_SECRET_LENGTH)
        meta["CSRF_COOKIE"] = secret
    meta["CSRF_COOKIE_NEEDS_UPDATE"] = True
    mask = _random_chars(CSRF_SECRET_LENGTH)
    cipher = "".join(
        CSRF_ALLOWED_CHARS[(_INDEX[char] + _INDEX[key]) % _SIZE]
        for char, key in zip(secret, mask, strict=False)
    )
    return mask + cipher
