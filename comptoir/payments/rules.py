"""Which payment and shipping methods a buyer may use (DESIGN.md "Payment and shipping"), pure.

Conditions are data set by the merchant: shipping countries, customer groups, companies
allowed and excluded, and a range of the amount the method is judged on (merchandise for
shipping, the total for payment), bounds inclusive; an empty condition does not restrict.
Invoice terms also need credit: open balance + total within the company's credit limit.
Every refusal says why, so the merchant can answer "why can't ACME pay on invoice?".
"""

import calendar
import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from comptoir.core.money import ZERO

INVOICE = "invoice"
# Card payments need a payment provider; none is integrated yet, so a card method is never
# offered rather than taking orders it cannot charge.
CARD = "card"


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
    excluded_company_ids: frozenset[int] = frozenset()
    price: Decimal = ZERO
    free_above: Decimal | None = None
    type: str = ""
    instructions: str = ""
    net_days: int | None = None
    term_rule: str = "net"
    without_credit_limit: bool = False
    # The method's name (and instructions) in other languages (core/content_languages.py).
    translations: dict = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Buyer:
    country: str
    group_id: int
    company_id: int | None


@dataclass(frozen=True)
class Credit:
    """A company's credit position: `limit` None or 0 means no credit granted."""

    limit: Decimal | None
    open_balance: Decimal = ZERO
    overdue: bool = False
    block_when_overdue: bool = False


@dataclass(frozen=True)
class Refusal:
    """Why a method is not offered: a stable code and the figures the sentence shows."""

    code: str
    params: dict = field(default_factory=dict)


def buyer_refusal(method: MethodFacts, buyer: Buyer) -> Refusal | None:
    """The conditions on who buys and where it ships, whatever the amount."""
    if buyer.company_id is not None and buyer.company_id in method.excluded_company_ids:
        return Refusal("company_excluded")
    if method.countries is not None and buyer.country not in method.countries:
        return Refusal("country", {"country": buyer.country})
    if method.group_ids and buyer.group_id not in method.group_ids:
        return Refusal("group")
    if method.company_ids and buyer.company_id not in method.company_ids:
        return Refusal("company")
    return None


def refusal(
    method: MethodFacts, buyer: Buyer, amount: Decimal, credit: Credit | None = None
) -> Refusal | None:
    """The first condition the buyer fails, or None when the method is offered."""
    if method.type == CARD:
        return Refusal("no_card_provider")
    found = buyer_refusal(method, buyer)
    if found is not None:
        return found
    if method.min_total is not None and amount < method.min_total:
        return Refusal("below_minimum", {"minimum": method.min_total, "amount": amount})
    if method.max_total is not None and amount > method.max_total:
        return Refusal("above_maximum", {"maximum": method.max_total, "amount": amount})
    if method.type == INVOICE:
        return credit_refusal(method, amount, credit or Credit(limit=None))
    return None


def credit_refusal(method: MethodFacts, amount: Decimal, credit: Credit) -> Refusal | None:
    if credit.overdue and credit.block_when_overdue:
        return Refusal("overdue_invoices")
    if not credit.limit:
        return None if method.without_credit_limit else Refusal("no_credit_limit")
    excess = credit.open_balance + amount - credit.limit
    if excess > 0:
        return Refusal(
            "credit_limit_exceeded",
            {"limit": credit.limit, "excess": excess, "open_balance": credit.open_balance},
        )
    return None


def is_eligible(method: MethodFacts, buyer: Buyer, amount: Decimal) -> bool:
    return refusal(method, buyer, amount) is None


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


def due_date(method: MethodFacts, issued_on: datetime.date) -> datetime.date:
    """When an invoice under these terms is due: N days net, or N days then end of month."""
    due = issued_on + datetime.timedelta(days=method.net_days or 0)
    if method.term_rule == "end_of_month":
        due = due.replace(day=calendar.monthrange(due.year, due.month)[1])
    return due
