"""A page's stock read in the request's first statement (issue 14, bench/README.md "Fifth
pass" and "Sixth pass").

A copied page (core/versioned_cache.py) still reads its products' stock on every request
(never copied: orders move it without a bump), and that read waits for the first statement:
the products are those of the copy that the version validates. But the same address shows
the same products until something changes, so each process remembers which products an
address showed last, and the request's first statement reads their stock too: a storefront
page's version statement (`prefetch_with_version`, `catalog.selectors.version_and_stock`),
an API call's token statement (`api_rider`, `catalog.selectors.stock_column`). One round
trip instead of two.

The stock so read is live, read in this request like any other: the remembered products are
only a guess of which rows to read. When the page shows others (a new version, another
catalogue, a first visit), the stock the guess did not cover is read apart, as before.
"""

from comptoir.catalog.availability import Availability
from comptoir.catalog.selectors import (
    stock_column,
    stock_column_ids,
    stock_from_column,
    version_and_stock,
)
from comptoir.core.versioned_cache import cleared_with_copies, read_version_with

# Addresses remembered per process: past this many, the oldest half goes.
MAX_ADDRESSES = 2_000

_shown: dict[str, tuple[int, ...]] = cleared_with_copies({})


def _guess(request) -> tuple[int, ...]:
    return _shown.get(request.get_full_path(), ()) if request.method == "GET" else ()


def prefetch_with_version(request) -> None:
    """Before the request's first cached read: its version statement also reads the stock of
    the products this address showed last."""
    ids = _guess(request)
    if not ids:
        return
    found: dict[int, Availability] = {}
    request.prefetched_stock = (frozenset(ids), found)
    read_version_with(lambda: version_and_stock(list(ids), found))


def api_rider(request):
    """What the API token's statement should also read for this call: `(rider, value)` for
    `accounts.services.api_token_user_with`, or None when the address is new."""
    ids = _guess(request)
    if not ids:
        return None
    request.prefetched_stock = (frozenset(ids), {})
    return stock_column, stock_column_ids(ids)


def rode(request, text: str | None) -> None:
    """The stock column the token's statement read (`api_rider`)."""
    request.prefetched_stock[1].update(stock_from_column(text))


def stock_for(request, ids: list[int]) -> dict[int, Availability] | None:
    """The stock of these products as this request read it with its first statement, or None
    where that did not cover them all (the caller reads it). Remembers them for next time."""
    ids = tuple(ids)
    if request.method == "GET" and _shown.get(request.get_full_path()) != ids:
        if len(_shown) >= MAX_ADDRESSES:
            for old in list(_shown)[: MAX_ADDRESSES // 2]:
                _shown.pop(old, None)
        _shown[request.get_full_path()] = ids
    read = getattr(request, "prefetched_stock", None)
    if read is None or not read[0].issuperset(ids):
        return None
    return read[1]
