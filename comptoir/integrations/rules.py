"""What an ERP may write (issue 19), pure: the checks of a bulk stock update and of price
entries, item by item, so that a call with one bad item is refused whole with every reason.

Each check returns (sku, code) pairs, an empty list when all is well; the services word them
(`{sku, code, message}` of API.md), look SKUs up and write only then.
"""

from dataclasses import dataclass
from decimal import Decimal

from comptoir.core.money import parse_decimal

MAX_ITEMS = 10_000
MAX_STOCK = 2_147_483_647
"""The largest stock a product row holds."""
MAX_MIN_QTY = 1_000_000
PRICE_PLACES = 4
MAX_PRICE = Decimal("9999999999.9999")


@dataclass(frozen=True)
class EntryIn:
    sku: str
    min_qty: int
    price: Decimal


def _error(sku, code: str) -> tuple[str | None, str]:
    return (sku if isinstance(sku, str) else None, code)


def _whole(value, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _sku_error(sku, seen: set[str]) -> tuple[str | None, str] | None:
    if not isinstance(sku, str) or not sku.strip():
        return _error(sku, "invalid_sku")
    key = sku.strip().upper()
    if key in seen:
        return _error(sku, "duplicate_sku")
    seen.add(key)
    return None


def stock_errors(items: list[tuple[object, object]]) -> list[tuple[str | None, str]]:
    """(sku, stock) pairs: each SKU once, each stock a whole number from 0."""
    if len(items) > MAX_ITEMS:
        return [_error(None, "too_many_items")]
    errors, seen = [], set()
    for sku, stock in items:
        problem = _sku_error(sku, seen)
        if problem is None and not _whole(stock, 0, MAX_STOCK):
            problem = _error(sku, "invalid_stock")
        if problem is not None:
            errors.append(problem)
    return errors


def parse_entries(
    rows: list[tuple[object, object, object]],
) -> tuple[list[EntryIn], list[tuple[str | None, str]]]:
    """(sku, min_qty, price) rows as entries, or the errors: a tier once per SKU and quantity,
    a price a decimal string of at most 4 places, as the store bundle reads it."""
    if len(rows) > MAX_ITEMS:
        return [], [_error(None, "too_many_items")]
    entries, errors, seen = [], [], set()
    for sku, min_qty, price in rows:
        if not isinstance(sku, str) or not sku.strip():
            errors.append(_error(sku, "invalid_sku"))
            continue
        if not _whole(min_qty, 1, MAX_MIN_QTY):
            errors.append(_error(sku, "invalid_quantity"))
            continue
        try:
            number = parse_decimal(price)
        except ValueError:
            number = None
        if number is None or -number.as_tuple().exponent > PRICE_PLACES:
            errors.append(_error(sku, "invalid_price"))
            continue
        if number < 0 or number > MAX_PRICE:
            errors.append(_error(sku, "invalid_price"))
            continue
        key = (sku.strip().upper(), min_qty)
        if key in seen:
            errors.append(_error(sku, "duplicate_tier"))
            continue
        seen.add(key)
        entries.append(EntryIn(sku=sku.strip(), min_qty=min_qty, price=number))
    return entries, errors


def parse_credit_limit(value) -> Decimal | None:
    """A credit limit: null (no invoice terms) or a decimal string from 0, 2 places at most;
    ValueError for anything else."""
    if value is None:
        return None
    number = parse_decimal(value)
    if -number.as_tuple().exponent > 2 or number < 0 or number >= Decimal("1e12"):
        raise ValueError("not a credit limit")
    return number
