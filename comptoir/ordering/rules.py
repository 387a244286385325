"""Order rules (DESIGN.md "Order rules"): one function per line and one per cart, pure.

The cart page, the API, quick order, reorder and checkout all call these, so a quantity is
judged the same way wherever it is typed. They never refuse an edit: they report what would
block the checkout, each problem with a stable code and what the buyer needs to fix it.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from comptoir.pricing.engine import QuantityRules

QTY_BELOW_MINIMUM = "qty_below_minimum"
QTY_ABOVE_MAXIMUM = "qty_above_maximum"
QTY_NOT_MULTIPLE = "qty_not_multiple"
NOT_PURCHASABLE = "not_purchasable"
INSUFFICIENT_STOCK = "insufficient_stock"
ORDER_BELOW_MINIMUM_AMOUNT = "order_below_minimum_amount"


@dataclass(frozen=True)
class Violation:
    """A broken rule; `params` hold the figures the message shows (sku, quantity, limits)."""

    code: str
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class LineFacts:
    sku: str
    quantity: int
    rules: QuantityRules
    stock: int
    backorder: bool
    priced: bool
    available: bool = True
    """False when the product was withdrawn or hidden from the buyer after it was added."""
    factor: int = 1
    """Base units per packaging when the line is bought in one (`quantity` counts those)."""
    packaging_rules: QuantityRules | None = None
    """The packaging's own rules, in packagings; the product's `rules` count base units."""


def line_violations(line: LineFacts) -> list[Violation]:
    """Every rule the line breaks, in the order a buyer would fix them.

    A line in a packaging is judged in base units against the product's rules and stock,
    and in packagings against the packaging's own rules (a code is reported once, the
    packaging's first: docs/units-of-measure.md).
    """
    if not line.available or not line.priced:
        return [Violation(NOT_PURCHASABLE, {"sku": line.sku, "withdrawn": not line.available})]
    if line.packaging_rules is None and line.factor == 1:
        return _quantity_violations(line.sku, line.quantity, line.rules, line.stock, line.backorder)
    found = (
        _quantity_violations(line.sku, line.quantity, line.packaging_rules, None, True)
        if line.packaging_rules is not None
        else []
    )
    codes = {violation.code for violation in found}
    found += [
        violation
        for violation in _quantity_violations(
            line.sku, line.quantity * line.factor, line.rules, line.stock, line.backorder
        )
        if violation.code not in codes
    ]
    return found


def _quantity_violations(
    sku: str, quantity: int, rules: QuantityRules, stock: int | None, backorder: bool
) -> list[Violation]:
    found = []
    base = {"sku": sku, "quantity": quantity}
    if quantity < rules.min_qty:
        found.append(Violation(QTY_BELOW_MINIMUM, base | {"minimum": rules.min_qty}))
    if rules.max_qty is not None and quantity > rules.max_qty:
        found.append(Violation(QTY_ABOVE_MAXIMUM, base | {"maximum": rules.max_qty}))
    if quantity % rules.qty_step:
        below = quantity - quantity % rules.qty_step
        above = below + rules.qty_step
        found.append(
            Violation(
                QTY_NOT_MULTIPLE,
                base
                | {
                    "step": rules.qty_step,
                    "below": below if below >= max(rules.min_qty, 1) else None,
                    "above": above if rules.max_qty is None or above <= rules.max_qty else None,
                },
            )
        )
    if not backorder and quantity > stock:
        found.append(Violation(INSUFFICIENT_STOCK, base | {"stock": max(stock, 0)}))
    return found


def minimum_order_amount(group_minimum: Decimal | None, store_minimum: Decimal) -> Decimal:
    """The group's minimum when it has one (0.00 meaning none), else the store's."""
    return store_minimum if group_minimum is None else group_minimum


def cart_violations(*, merchandise: Decimal, minimum: Decimal, has_lines: bool) -> list[Violation]:
    """Cart-level problems: the minimum order amount, compared with the merchandise."""
    if has_lines and minimum > 0 and merchandise < minimum:
        return [
            Violation(
                ORDER_BELOW_MINIMUM_AMOUNT,
                {"minimum": minimum, "merchandise": merchandise, "missing": minimum - merchandise},
            )
        ]
    return []


# The consistency of quantity rules: a product's own, or a group's override over them.
MIN_NOT_MULTIPLE = "min_not_multiple"
MAX_BELOW_MIN = "max_below_min"
MAX_NOT_MULTIPLE = "max_not_multiple"


@dataclass(frozen=True)
class RuleProblem:
    """An inconsistency of quantity rules, on `field` ("min_qty" or "max_qty")."""

    field: str
    code: str
    params: dict


def overridden_rules(
    product: QuantityRules,
    *,
    min_qty: int | None,
    max_qty: int | None,
    qty_step: int | None,
) -> QuantityRules:
    """A group's override over the product's rules: each empty value keeps the product's."""
    return QuantityRules(
        min_qty=min_qty or product.min_qty,
        max_qty=max_qty if max_qty is not None else product.max_qty,
        qty_step=qty_step or product.qty_step,
    )


def rule_problems(rules: QuantityRules) -> list[RuleProblem]:
    """Limits a buyer could never order exactly: not multiples of the step, or max below min.

    The admin (`GroupOrderRule.clean()`) and the bundle loader both ask this of the rules
    in effect, so an override is judged with the product's values it leaves in place.
    """
    step, minimum, maximum = rules.qty_step, rules.min_qty, rules.max_qty
    found = []
    if minimum % step:
        found.append(RuleProblem("min_qty", MIN_NOT_MULTIPLE, {"min": minimum, "step": step}))
    if maximum is not None:
        if maximum < minimum:
            found.append(RuleProblem("max_qty", MAX_BELOW_MIN, {"max": maximum, "min": minimum}))
        elif maximum % step:
            found.append(RuleProblem("max_qty", MAX_NOT_MULTIPLE, {"max": maximum, "step": step}))
    return found
