"""The pricing engine against DESIGN.md's rules, with the literal examples of the issue."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from comptoir.pricing.engine import (
    Level,
    PriceListData,
    PricingContext,
    ProductData,
    PromotionData,
    QuantityRules,
    price_breaks,
    price_cart,
    quote_line,
)

TODAY = datetime.date(2026, 6, 15)
D = Decimal
P1, P2, P3, P4, P5, P6 = (
    ProductData(1, "P1", ("fixations",)),
    ProductData(2, "P2"),
    ProductData(3, "P3"),
    ProductData(4, "P4"),
    ProductData(5, "P5", ("vis", "fixations")),
    ProductData(6, "P6", ("outillage",)),
)
BASE = PriceListData(
    "BASE",
    "EUR",
    tiers={
        1: ((1, D("10.00")), (100, D("8.00"))),
        3: ((1, D("5.00")),),
        4: ((1, D("7.99")),),
        5: ((1, D("3.3333")),),
        6: ((1, D("12.00")),),
    },
)
GOLD = PriceListData(
    "GOLD", "EUR", tiers={1: ((1, D("9.50")), (50, D("8.50"))), 3: ((20, D("4.20")),)}
)
ACME = PriceListData("ACME-CONTRACT", "EUR", tiers={2: ((1, D("4.00")),)})
DERIVED = PriceListData("GOLD-DERIVED", "EUR", parent="BASE", adjustment_percent=D("-12.5"))


def context(company=(ACME,), group=(GOLD,), base=BASE, **kwargs):
    lists = {pl.code: pl for pl in (*company, *group, base, BASE)}
    return PricingContext(
        currency=kwargs.pop("currency", "EUR"),
        today=kwargs.pop("today", TODAY),
        levels=(
            Level("company", tuple(company)),
            Level("group", tuple(group)),
            Level("base", (base,)),
        ),
        all_lists=lists,
        **kwargs,
    )


@pytest.mark.parametrize(("quantity", "expected"), [(10, "9.50"), (60, "8.50"), (200, "8.50")])
def test_most_specific_list_wins_even_when_a_less_specific_tier_is_cheaper(quantity, expected):
    quote = quote_line(context(), P1, quantity)

    assert quote.unit_price == D(expected)
    assert quote.steps[0].source == "GOLD"


def test_company_contract_price_comes_first():
    quote = quote_line(context(), P2, 3)

    assert (quote.unit_price, quote.gross) == (D("4.00"), D("12.00"))
    assert quote.steps[0].source == "ACME-CONTRACT"
    assert quote.steps[0].detail == "company list, tier from 1"


@pytest.mark.parametrize(
    ("quantity", "expected", "source"), [(5, "5.00", "BASE"), (20, "4.20", "GOLD")]
)
def test_a_list_without_a_tier_for_the_quantity_falls_through(quantity, expected, source):
    quote = quote_line(context(), P3, quantity)

    assert (quote.unit_price, quote.steps[0].source) == (D(expected), source)


def test_parent_adjustment_is_rounded_to_four_decimals_then_the_line_to_cents():
    quote = quote_line(context(group=(DERIVED,)), P4, 3)

    assert quote.unit_price == D("6.9913")
    assert quote.gross == D("20.97")
    assert [step.step for step in quote.steps] == ["list_price", "parent_adjustment"]
    assert quote.steps[1].detail == "-12.5 % on BASE"


def test_parent_that_is_itself_expired_yields_nothing():
    expired_base = PriceListData(
        "OLD", "EUR", valid_until=TODAY - datetime.timedelta(days=1), tiers={4: ((1, D("7.99")),)}
    )
    derived = PriceListData("D2", "EUR", parent="OLD", adjustment_percent=D("-10"))
    ctx = PricingContext(
        "EUR", TODAY, (Level("group", (derived,)),), {"OLD": expired_base, "D2": derived}
    )

    assert quote_line(ctx, P4, 1) is None


def test_an_expired_list_is_skipped_and_a_list_valid_until_today_is_used():
    yesterday = PriceListData(
        "GOLD", "EUR", valid_until=TODAY - datetime.timedelta(days=1), tiers=GOLD.tiers
    )
    today = PriceListData("GOLD", "EUR", valid_from=TODAY, valid_until=TODAY, tiers=GOLD.tiers)

    assert quote_line(context(group=(yesterday,)), P1, 10).unit_price == D("10.00")
    assert quote_line(context(group=(today,)), P1, 10).unit_price == D("9.50")


def test_a_list_in_another_currency_is_skipped():
    dollars = PriceListData("GOLD-USD", "USD", tiers={1: ((1, D("1.00")),)})

    assert quote_line(context(group=(dollars,)), P1, 10).unit_price == D("10.00")


def test_lower_priority_number_wins_inside_a_level():
    first = PriceListData("B-LIST", "EUR", priority=1, tiers={1: ((1, D("7.00")),)})
    second = PriceListData("A-LIST", "EUR", priority=2, tiers={1: ((1, D("6.00")),)})

    assert quote_line(context(group=(second, first)), P1, 1).unit_price == D("7.00")


def test_no_price_anywhere_is_price_on_request():
    assert quote_line(context(), ProductData(99, "P99"), 1) is None


def test_promotion_and_volume_discount_over_the_whole_cart():
    promotions = (
        PromotionData("SPRING", D("5"), category_codes=frozenset({"vis"})),
        PromotionData("SMALLER", D("3"), category_codes=frozenset({"fixations"})),
    )
    ctx = context(promotions=promotions, volume_tiers=((100, D("2")), (500, D("5"))))

    cart = price_cart(ctx, [(P5, 150), (P6, 150)])

    p5, p6 = cart.lines
    assert (p5.quote.gross, p5.quote.promotion, p5.volume, p5.net) == (
        D("500.00"),
        D("25.00"),
        D("9.50"),
        D("465.50"),
    )
    assert p5.quote.promotion_percent == D("5")
    assert (p6.quote.gross, p6.quote.promotion, p6.volume, p6.net) == (
        D("1800.00"),
        D("0.00"),
        D("36.00"),
        D("1764.00"),
    )
    assert (cart.total_quantity, cart.volume_percent) == (300, D("2"))
    assert (cart.subtotal, cart.discount_total, cart.merchandise) == (
        D("2300.00"),
        D("70.50"),
        D("2229.50"),
    )
    assert [step.step for step in p5.steps] == ["list_price", "promotion", "volume_discount"]


def test_promotions_outside_their_dates_do_not_apply():
    promotions = (
        PromotionData(
            "OLD",
            D("50"),
            product_ids=frozenset({6}),
            valid_until=TODAY - datetime.timedelta(days=1),
        ),
        PromotionData(
            "SOON",
            D("40"),
            product_ids=frozenset({6}),
            valid_from=TODAY + datetime.timedelta(days=1),
        ),
        PromotionData(
            "NOW", D("10"), product_ids=frozenset({6}), valid_from=TODAY, valid_until=TODAY
        ),
    )

    quote = quote_line(context(promotions=promotions), P6, 1)

    assert (quote.promotion_percent, quote.promotion, quote.line_total) == (
        D("10"),
        D("1.20"),
        D("10.80"),
    )


def test_promotion_applies_to_contract_prices_too():
    promotions = (PromotionData("ALL", D("10"), product_ids=frozenset({2})),)

    quote = quote_line(context(promotions=promotions), P2, 1)

    assert (quote.unit_price, quote.line_total) == (D("4.00"), D("3.60"))


def test_price_breaks_start_at_the_minimum_orderable_quantity():
    rules = QuantityRules(min_qty=12, qty_step=12)

    breaks = price_breaks(context(), P1, rules)

    assert breaks == ((12, D("9.50")), (60, D("8.50")))


def test_price_breaks_skip_quantities_above_the_maximum():
    breaks = price_breaks(context(), P1, QuantityRules(min_qty=1, max_qty=40))

    assert breaks == ((1, D("9.50")),)


def test_price_breaks_show_each_change_of_the_resolved_price():
    assert price_breaks(context(company=(), group=()), P1, QuantityRules()) == (
        (1, D("10.00")),
        (100, D("8.00")),
    )
    assert price_breaks(context(), P3, QuantityRules()) == ((1, D("5.00")), (20, D("4.20")))


prices = st.decimals(min_value=0, max_value=10_000, places=4)
quantities = st.integers(min_value=1, max_value=10_000)


@st.composite
def price_lists(draw):
    count = draw(st.integers(min_value=1, max_value=5))
    lists = []
    for number in range(count):
        tiers = sorted(draw(st.dictionaries(quantities, prices, min_size=1, max_size=4)).items())
        lists.append(
            PriceListData(
                f"L{number}", "EUR", priority=draw(st.integers(0, 3)), tiers={1: tuple(tiers)}
            )
        )
    return lists


@given(price_lists(), st.randoms(), quantities)
def test_a_quote_does_not_depend_on_the_order_lists_were_loaded(lists, random, quantity):
    shuffled = list(lists)
    random.shuffle(shuffled)
    first = PricingContext(
        "EUR", TODAY, (Level("group", tuple(lists)),), {pl.code: pl for pl in lists}
    )
    second = PricingContext(
        "EUR", TODAY, (Level("group", tuple(shuffled)),), {pl.code: pl for pl in shuffled}
    )

    assert quote_line(first, P1, quantity) == quote_line(second, P1, quantity)


@given(
    st.lists(st.tuples(prices, quantities), min_size=1, max_size=8),
    st.decimals(min_value=0, max_value=100, places=2),
    st.decimals(min_value=0, max_value=100, places=2),
)
def test_totals_are_the_sums_of_their_rounded_parts_and_never_negative(lines, promo, volume):
    products = [ProductData(n, f"S{n}") for n in range(len(lines))]
    base = PriceListData(
        "BASE", "EUR", tiers={n: ((1, price),) for n, (price, _) in enumerate(lines)}
    )
    promotions = (
        (PromotionData("P", promo, product_ids=frozenset(range(len(lines)))),) if promo else ()
    )
    ctx = PricingContext(
        "EUR",
        TODAY,
        (Level("base", (base,)),),
        {"BASE": base},
        promotions=promotions,
        volume_tiers=((1, volume),) if volume else (),
    )

    cart = price_cart(ctx, [(products[n], quantity) for n, (_, quantity) in enumerate(lines)])

    assert cart.subtotal == sum(line.quote.gross for line in cart.lines)
    assert cart.discount_total == sum(line.quote.promotion + line.volume for line in cart.lines)
    assert cart.merchandise == cart.subtotal - cart.discount_total
    for line in cart.lines:
        assert line.net == line.quote.gross - line.quote.promotion - line.volume
        assert line.net >= 0 and line.quote.unit_price >= 0
        assert line.quote.gross.as_tuple().exponent == -2


def test_a_list_derived_from_a_derived_list_is_explained_from_the_tier_outwards():
    middle = PriceListData("MIDDLE", "EUR", parent="BASE", adjustment_percent=D("-10"))
    outer = PriceListData("OUTER", "EUR", parent="MIDDLE", adjustment_percent=D("-12.5"))
    ctx = PricingContext(
        "EUR",
        TODAY,
        (Level("group", (outer,)),),
        {"BASE": BASE, "MIDDLE": middle, "OUTER": outer},
    )

    quote = quote_line(ctx, P4, 3)

    # 7.99 × 0.9 = 7.191, then × 0.875 = 6.292125 → 6.2921; 3 × 6.2921 = 18.8763 → 18.88
    assert (quote.unit_price, quote.gross) == (D("6.2921"), D("18.88"))
    assert [(step.step, step.source, step.unit_price) for step in quote.steps] == [
        ("list_price", "BASE", D("7.99")),
        ("parent_adjustment", "MIDDLE", D("7.1910")),
        ("parent_adjustment", "OUTER", D("6.2921")),
    ]
    assert quote.steps[0].detail == "group list, tier from 1"
    assert quote_line(ctx, P2, 3) is None


def test_best_promotion_is_found_per_product_among_products_sharing_categories():
    """Category promotions are looked up once per category path; a product's own promotion
    still counts for that product only."""
    twin = ProductData(7, "P7", ("vis", "fixations"))
    ctx = context(
        base=PriceListData("BASE", "EUR", tiers={5: ((1, D("10.00")),), 7: ((1, D("10.00")),)}),
        promotions=(
            PromotionData("CATEGORY", D("5"), category_codes=frozenset({"fixations"})),
            PromotionData("TWIN-ONLY", D("8"), product_ids=frozenset({7})),
            PromotionData("TOOLS", D("20"), category_codes=frozenset({"outillage"})),
        ),
    )

    quotes = [quote_line(ctx, product, 1) for product in (P5, twin, P5, twin)]

    assert [(q.promotion_code, q.promotion) for q in quotes] == [
        ("CATEGORY", D("0.50")),
        ("TWIN-ONLY", D("0.80")),
        ("CATEGORY", D("0.50")),
        ("TWIN-ONLY", D("0.80")),
    ]
