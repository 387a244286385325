"""What an integration's API key may do (issue 19), pure: the fixed set of scopes and the
shape of a key. An ERP reads with `read` and writes only what its other scopes name."""

READ = "read"
WRITE_STOCK = "write_stock"
WRITE_PRICES = "write_prices"
WRITE_CREDIT = "write_credit"

SCOPES = (READ, WRITE_STOCK, WRITE_PRICES, WRITE_CREDIT)

KEY_PREFIX = "ck_"
"""Keys start with it, so that a key and a buyer's token are told apart at a glance (and a
leaked key is found by secret scanners); buyer tokens never do."""


def unknown_scopes(scopes) -> list[str]:
    return [scope for scope in scopes if scope not in SCOPES]


def looks_like_key(token: str) -> bool:
    return token.startswith(KEY_PREFIX)
