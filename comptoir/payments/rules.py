"""Which payment and shipping methods a buyer may use (DESIGN.md "Payment and shipping"), pure.

Conditions: shipping countries, customer groups, companies, and a range of the amount the
method is judged on (merchandise for shipping, the total for payment), bounds inclusive.
An empty condition does not restrict.
"""

from dataclasses import dataclass
from decimal import Decimal

from comptoir.core.money import ZERO


@dataclass(frozen=True)
class MethodFacts:
    code: str
    name: str
    position: int
    countries: frozenset[str] | None
    group_ids: frozenset[int]
    company_ids: frozenset[int]
    min_total: Decimal | None
    max_total: Decimal | None
    price: Decimal = ZERO
    free_above: Decimal | None = None
    type: str = ""
    instructions: str = ""


@dataclass(frozen=True)
class Buyer:
    country: str
    group_id: int
    company_id: int | None


def is_eligible(method: MethodFacts, buyer: Buyer, amount: Decimal) -> bool:
    if method.countries is not None and buyer.country not in method.countries:
        return False
    if method.group_ids and buyer.group_id not in method.group_ids:
        return False
    if method.company_ids and buyer.company_id not in method.company_ids:
        return False
    if method.min_total is not None and amount < method.min_total:
        return False
    return method.max_total is None or amount <= method.max_total


def shipping_price(method: MethodFacts, merchandise: Decimal) -> Decimal:
    """The method's price, free once the merchandise reaches its `free_above`."""
    if method.free_above is not None and merchandise >= method.free_above:
        return ZERO
    return method.price


def cheapest(methods: list[MethodFacts], merchandise: Decimal) -> MethodFacts | None:
    """The cheapest eligible shipping method; the first by position among equals."""
    if not methods:
        return None
    return min(methods, key=lambda m: (shipping_price(m, merchandise), m.position, m.code))
