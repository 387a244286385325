"""Tax of a cart or an order (DESIGN.md "Tax" and "Rounding"), pure.

Tax is computed per rate on the sum of the net amounts at that rate, rounded once, so the
tax lines always add up. Shipping is taxed as a line of the standard class unless the whole
order is exempt.
"""

from dataclasses import dataclass
from decimal import Decimal

from comptoir.core.money import ZERO, round2

HUNDRED = Decimal(100)
STANDARD = "standard"
EXEMPT_CLASS = "exempt"
PRODUCT_EXEMPT = "product_exempt"
NO_RATE = "no_rate"


@dataclass(frozen=True)
class Jurisdiction:
    country: str
    region: str = ""


@dataclass(frozen=True)
class TaxLine:
    rate: Decimal
    base: Decimal
    amount: Decimal
    reason: str | None


def line_rate(tax_class: str, rates: dict[str, Decimal]) -> tuple[Decimal, str | None]:
    """The rate of a tax class where the order goes, and why it is 0 when it is untaxed."""
    if tax_class == EXEMPT_CLASS:
        return ZERO, PRODUCT_EXEMPT
    if tax_class not in rates:
        return ZERO, NO_RATE
    return rates[tax_class], None


def tax_lines(
    lines: list[tuple[Decimal, str]],
    shipping: Decimal,
    rates: dict[str, Decimal],
    order_exemption: str | None = None,
) -> list[TaxLine]:
    """Tax lines grouped by (rate, reason) from (net, tax class) pairs and the shipping net.

    `order_exemption` (reverse charge, group or certificate) exempts everything, shipping
    included, in one line with that reason.
    """
    if order_exemption is not None:
        base = sum((net for net, _class in lines), ZERO) + shipping
        return [TaxLine(ZERO, base, ZERO, order_exemption)] if lines or shipping else []
    bases: dict[tuple[Decimal, str | None], Decimal] = {}
    for net, tax_class in lines:
        key = line_rate(tax_class, rates)
        bases[key] = bases.get(key, ZERO) + net
    if shipping:
        key = line_rate(STANDARD, rates)
        bases[key] = bases.get(key, ZERO) + shipping
    result = [
        TaxLine(rate, base, round2(base * rate / HUNDRED), reason)
        for (rate, reason), base in bases.items()
    ]
    return sorted(result, key=lambda line: (-line.rate, line.reason or ""))
