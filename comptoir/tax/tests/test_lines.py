"""Tax lines, pure: per rate on the sum of nets, shipping at the standard rate, exemptions."""

from decimal import Decimal as D

from comptoir.tax.engine import TaxLine, tax_lines

FR = {"standard": D("20.00"), "reduced": D("5.50"), "zero": D("0.00")}


def test_tax_is_rounded_once_per_rate_on_the_sum_of_nets():
    lines = [(D("0.05"), "standard")] * 3  # 3 × 0.01 rounded would give 0.03; once: 0.03
    assert tax_lines(lines, D("0"), FR) == [TaxLine(D("20.00"), D("0.15"), D("0.03"), None)]
    lines = [(D("10.03"), "standard"), (D("10.03"), "standard")]
    # 20.06 × 20 % = 4.012 → 4.01 (two rounded 2.006 would give 4.02)
    assert tax_lines(lines, D("0"), FR)[0].amount == D("4.01")


def test_shipping_is_taxed_with_the_standard_lines_and_rates_sorted_high_first():
    lines = [(D("24.00"), "reduced"), (D("420.00"), "standard"), (D("5.00"), "zero")]
    assert tax_lines(lines, D("15.00"), FR) == [
        TaxLine(D("20.00"), D("435.00"), D("87.00"), None),
        TaxLine(D("5.50"), D("24.00"), D("1.32"), None),
        TaxLine(D("0.00"), D("5.00"), D("0.00"), None),
    ]


def test_exempt_products_and_missing_rates_are_zero_lines_with_their_reason():
    lines = [(D("100.00"), "exempt"), (D("50.00"), "reduced"), (D("10.00"), "standard")]
    assert tax_lines(lines, D("0"), {"standard": D("19.00")}) == [
        TaxLine(D("19.00"), D("10.00"), D("1.90"), None),
        TaxLine(D("0"), D("50.00"), D("0.00"), "no_rate"),
        TaxLine(D("0"), D("100.00"), D("0.00"), "product_exempt"),
    ]


def test_an_exempt_order_puts_everything_shipping_included_in_one_line():
    lines = [(D("100.00"), "standard"), (D("24.00"), "reduced")]
    assert tax_lines(lines, D("15.00"), FR, order_exemption="reverse_charge") == [
        TaxLine(D("0"), D("139.00"), D("0"), "reverse_charge")
    ]
    assert tax_lines([], D("0"), FR) == []
