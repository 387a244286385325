"""The order rules, pure: each code with literal figures, and the sentence the buyer reads."""

from decimal import Decimal

import pytest

from comptoir.ordering import rules
from comptoir.ordering.messages import violation_message
from comptoir.ordering.rules import LineFacts, cart_violations, line_violations
from comptoir.pricing.engine import QuantityRules

CASE = QuantityRules(min_qty=12, max_qty=240, qty_step=12)


def facts(quantity, rules_=CASE, stock=1000, backorder=False, priced=True, available=True):
    return LineFacts("GLV-12", quantity, rules_, stock, backorder, priced, available)


def codes(found):
    return [violation.code for violation in found]


@pytest.mark.parametrize(
    ("quantity", "expected"),
    [
        (12, []),
        (24, []),
        (240, []),
        (6, ["qty_below_minimum", "qty_not_multiple"]),
        (30, ["qty_not_multiple"]),
        (252, ["qty_above_maximum"]),
        (250, ["qty_above_maximum", "qty_not_multiple"]),
    ],
)
def test_quantity_rules(quantity, expected):
    assert codes(line_violations(facts(quantity))) == expected


def test_the_multiple_message_offers_the_two_nearest_orderable_quantities():
    (violation,) = line_violations(facts(30))
    assert violation.params == {
        "sku": "GLV-12",
        "quantity": 30,
        "step": 12,
        "below": 24,
        "above": 36,
    }
    assert violation_message(violation, "EUR") == (
        "GLV-12 is sold by 12: 30 is not a multiple; 24 or 36?"
    )


def test_no_suggestion_below_the_minimum_or_above_the_maximum():
    _below, multiple = line_violations(facts(6))
    assert multiple.params["below"] is None
    assert violation_message(multiple, "EUR") == ("GLV-12 is sold by 12: 6 is not a multiple; 12?")
    top = line_violations(facts(245, QuantityRules(min_qty=12, max_qty=240, qty_step=12)))
    assert top[-1].params["above"] is None
    assert violation_message(top[-1], "EUR").endswith("245 is not a multiple; 240?")


def test_stock_unless_backorder():
    assert codes(line_violations(facts(24, stock=20))) == ["insufficient_stock"]
    assert violation_message(line_violations(facts(24, stock=20))[0], "EUR") == (
        "Only 20 of GLV-12 in stock: 24 requested."
    )
    assert violation_message(line_violations(facts(24, stock=0))[0], "EUR") == (
        "GLV-12 is out of stock."
    )
    assert line_violations(facts(24, stock=0, backorder=True)) == []
    assert codes(line_violations(facts(24, stock=24))) == []


def test_a_line_without_price_or_withdrawn_is_not_purchasable_and_nothing_else():
    assert codes(line_violations(facts(30, priced=False))) == ["not_purchasable"]
    withdrawn = line_violations(facts(30, available=False))
    assert codes(withdrawn) == ["not_purchasable"]
    assert "no longer available" in violation_message(withdrawn[0], "EUR")


@pytest.mark.parametrize(
    ("group", "store", "expected"),
    [(None, "150.00", "150.00"), ("100.00", "150.00", "100.00"), ("0.00", "150.00", "0.00")],
)
def test_the_minimum_amount_is_the_groups_when_set(group, store, expected):
    minimum = rules.minimum_order_amount(
        Decimal(group) if group is not None else None, Decimal(store)
    )
    assert minimum == Decimal(expected)


def test_the_minimum_compares_with_the_merchandise():
    minimum = Decimal("150.00")
    assert cart_violations(merchandise=Decimal("150.00"), minimum=minimum, has_lines=True) == []
    assert cart_violations(merchandise=Decimal("0"), minimum=minimum, has_lines=False) == []
    (violation,) = cart_violations(merchandise=Decimal("149.99"), minimum=minimum, has_lines=True)
    assert violation.code == "order_below_minimum_amount"
    assert violation_message(violation, "EUR") == (
        "The minimum order is 150.00 EUR of merchandise; the cart holds 149.99 EUR "
        "(0.01 EUR more to go)."
    )
    assert cart_violations(merchandise=Decimal("1"), minimum=Decimal("0"), has_lines=True) == []
