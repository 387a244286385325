"""A listing's or product page's stock read with the cache version, in the request's first
statement (issue 14, bench/README.md "Fifth pass").

A copied page (core/versioned_cache.py, page_copies.py) costs a visitor two statements: the
cache version, then the stock of its products (never copied: orders move it without a
bump). The second waits for the first: the products are those of the copy that the version
validates. But the same address shows the same products until something changes, so each
process remembers which products an address showed last, and the version's statement reads
their stock too (`catalog.selectors.version_and_stock`): one round trip.

The stock so read is live, read in this request like any other: the remembered products are
only a guess of which rows to read. When the page shows others (a new version, another
catalogue, a first visit), the stock the guess did not cover is read apart, as before.
"""

from comptoir.catalog.availability import Availability
from comptoir.catalog.selectors import version_and_stock
from comptoir.core.versioned_cache import cleared_with_copies, read_version_with
from comptoir.pricing.offers import Offer

# Addresses remembered per process: past this many, the oldest half goes.
MAX_ADDRESSES = 2_000

_shown: dict[str, tuple[int, ...]] = cleared_with_copies({})


def prefetch(request) -> None:
    """Before the request's first cached read: its version statement also reads the stock of
    the products this address showed last."""
    if request.method != "GET":
        return
    ids = _shown.get(request.get_full_path())
    if not ids:
        return
    found: dict[int, Availability] = {}
    request.prefetched_stock = (frozenset(ids), found)
    read_version_with(lambda: version_and_stock(list(ids), found))


def stock_for(request, copies: list[Offer]) -> dict[int, Availability] | None:
    """The stock of these offers' products as this request read it with the version, or None
    where that did not cover them all (the caller reads it). Remembers them for next time."""
    ids = tuple(offer.product.pk for offer in copies)
    if request.method == "GET" and _shown.get(request.get_full_path()) != ids:
        if len(_shown) >= MAX_ADDRESSES:
            for old in list(_shown)[: MAX_ADDRESSES // 2]:
                _shown.pop(old, None)
        _shown[request.get_full_path()] = ids
    read = getattr(request, "prefetched_stock", None)
    if read is None or not read[0].issuperset(ids):
        return None
    return read[1]
