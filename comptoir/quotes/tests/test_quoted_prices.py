"""The prices an accepted quote fixes, with literal figures (DESIGN.md "Rounding")."""

from decimal import Decimal

import pytest

from comptoir.pricing.engine import Step
from comptoir.quotes.quoted_prices import LineTerms, OnTop, fixed_prices, quoted_unit_price

NUMBER = "DEV-2026-000001"


def test_a_quoted_unit_price_times_37_is_263_57():
    terms = LineTerms(1, "SCR-100", 37, Decimal("3.9000"), quoted_unit_price=Decimal("7.1234"))

    (line,) = fixed_prices(NUMBER, [terms])

    # 7.1234 × 37 = 263.5658 -> 263.57
    assert (line.unit_price, line.gross, line.net) == (
        Decimal("7.1234"),
        Decimal("263.57"),
        Decimal("263.57"),
    )
    assert (line.promotion, line.volume, line.promotion_percent, line.volume_percent) == (
        Decimal("0.00"),
        Decimal("0.00"),
        None,
        None,
    )
    assert line.steps == (Step("quote", NUMBER, "quoted price", Decimal("7.1234")),)
    assert line.fixed_price_fields() == {
        "unit_price": Decimal("7.1234"),
        "gross": Decimal("263.57"),
        "promotion_percent": None,
        "promotion": Decimal("0.00"),
        "volume_percent": None,
        "volume": Decimal("0.00"),
        "net": Decimal("263.57"),
        "steps": line.steps,
    }


def test_a_discount_on_todays_price_is_rounded_to_four_decimals_then_to_the_cent():
    # 8.1410 × (100 − 12.5) % = 7.123375 -> 7.1234; × 37 = 263.57
    terms = LineTerms(1, "SCR-100", 37, Decimal("8.1410"), discount_percent=Decimal("12.5"))

    assert quoted_unit_price(terms) == Decimal("7.1234")
    (line,) = fixed_prices(NUMBER, [terms])
    assert line.gross == Decimal("263.57")
    assert line.steps[0].detail == "12.5 % off 8.1410"


def test_neither_price_nor_discount_keeps_todays_price():
    terms = LineTerms(1, "GLV-12", 24, Decimal("3.3333"))
    (line,) = fixed_prices(NUMBER, [terms])
    # 3.3333 × 24 = 79.9992 -> 80.00
    assert (line.unit_price, line.gross) == (Decimal("3.3333"), Decimal("80.00"))


def test_a_line_without_any_price_is_refused():
    assert quoted_unit_price(LineTerms(5, "POR-1", 2, None)) is None
    with pytest.raises(ValueError, match="POR-1"):
        fixed_prices(NUMBER, [LineTerms(5, "POR-1", 2, None)])


def test_promotions_and_volume_apply_on_top_only_when_asked():
    terms = [
        LineTerms(1, "SCR-100", 37, None, quoted_unit_price=Decimal("7.1234")),
        LineTerms(2, "GLV-12", 120, Decimal("3.3333"), quoted_unit_price=Decimal("3.10")),
    ]
    on_top = OnTop({1: ("SPRING", Decimal("5"))}, volume_percent=Decimal("3"), units=157)

    screws, gloves = fixed_prices(NUMBER, terms, on_top)

    # 263.57 − 5 % (13.18) = 250.39; − 3 % (7.51) = 242.88
    assert (screws.gross, screws.promotion, screws.volume, screws.net) == (
        Decimal("263.57"),
        Decimal("13.18"),
        Decimal("7.51"),
        Decimal("242.88"),
    )
    assert [s.step for s in screws.steps] == ["quote", "promotion", "volume_discount"]
    # 3.10 × 120 = 372.00; no promotion; 3 % = 11.16 -> 360.84
    assert (gloves.gross, gloves.promotion, gloves.volume, gloves.net) == (
        Decimal("372.00"),
        Decimal("0.00"),
        Decimal("11.16"),
        Decimal("360.84"),
    )
    plain = fixed_prices(NUMBER, terms)
    assert [p.net for p in plain] == [Decimal("263.57"), Decimal("372.00")]


def test_waived_rules_travel_with_the_price():
    terms = LineTerms(
        2,
        "GLV-12",
        7,
        None,
        quoted_unit_price=Decimal("3.50"),
        waive_min_qty=True,
        waive_qty_step=True,
    )
    (line,) = fixed_prices(NUMBER, [terms])
    assert (line.waive_min_qty, line.waive_qty_step, line.gross) == (True, True, Decimal("24.50"))
