"""The segmentation rules over profiles: pure functions, no database."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from comptoir.customers.segmentation import (
    CompanyProfile,
    Condition,
    Rule,
    active_rules,
    decide,
    first_match,
    split_values,
)

DEFAULT = 1
PRO, WHOLESALE, EXPORT = 2, 3, 4

REGULAR = CompanyProfile(
    company_id=10,
    code="DUPONT",
    name="Dupont SAS",
    group_id=DEFAULT,
    pinned=False,
    country="FR",
    region="",
    order_volume_12m=Decimal("12500.00"),
    order_count_12m=6,
    avg_days_between_orders=Decimal("60.00"),
    units_12m=480,
    categories_bought=frozenset({"fasteners", "screws", "hygiene", "soap"}),
    days_since_last_order=12,
    last_order_on=date(2026, 6, 18),
)
NEWCOMER = replace(
    REGULAR,
    company_id=11,
    code="NEW",
    country="US",
    region="NY",
    order_volume_12m=Decimal("0.00"),
    order_count_12m=0,
    avg_days_between_orders=None,
    units_12m=0,
    categories_bought=frozenset(),
    days_since_last_order=None,
    last_order_on=None,
)


def matches(field, op, value, profile=REGULAR):
    return Condition.parse(field, op, value).matches(profile)


def rule(position, group, *conditions, active=True):
    return Rule(
        id=position,
        position=position,
        group_id=group,
        group_code=f"G{group}",
        active=active,
        conditions=tuple(Condition.parse(*condition) for condition in conditions),
    )


@pytest.mark.parametrize(
    ("op", "value", "expected"),
    [
        ("=", "12500", True),
        ("=", "12500.000", True),
        ("=", "12499.99", False),
        ("!=", "12500", False),
        ("!=", "1", True),
        ("<", "12500.01", True),
        ("<", "12500", False),
        ("<=", "12500", True),
        ("<=", "12499.99", False),
        (">", "12499.99", True),
        (">", "12500", False),
        (">=", "12500", True),
        (">=", "12500.01", False),
        ("in", "100, 12500 ,50000", True),
        ("in", "100,50000", False),
    ],
)
def test_numeric_operators_compare_decimals(op, value, expected):
    assert matches("order_volume_12m", op, value) is expected


@pytest.mark.parametrize(
    ("field", "op", "value", "expected"),
    [
        ("order_count_12m", ">=", "6", True),
        ("order_count_12m", ">", "6", False),
        ("units_12m", "<", "500", True),
        ("avg_days_between_orders", "<=", "60", True),
        ("avg_days_between_orders", "<", "59.99", False),
        ("days_since_last_order", "<=", "30", True),
        ("days_since_last_order", "in", "12", True),
    ],
)
def test_each_numeric_field(field, op, value, expected):
    assert matches(field, op, value) is expected


@pytest.mark.parametrize("op", ["=", "!=", "<", "<=", ">", ">=", "in"])
@pytest.mark.parametrize("field", ["avg_days_between_orders", "days_since_last_order"])
def test_a_missing_metric_matches_no_comparison(field, op):
    assert matches(field, op, "0", NEWCOMER) is False
    assert matches(field, op, "90", NEWCOMER) is False


def test_zero_metrics_of_a_company_without_orders_compare_as_numbers():
    assert matches("order_count_12m", "=", "0", NEWCOMER)
    assert matches("order_volume_12m", "<", "1000", NEWCOMER)
    assert matches("units_12m", "<=", "0", NEWCOMER)


@pytest.mark.parametrize("value", ["lots", "", "1,5", "NaN", "Infinity"])
def test_a_value_that_is_not_a_number_matches_nothing(value):
    for op in ("=", "!=", "<", ">="):
        assert matches("order_volume_12m", op, value) is False
    assert matches("order_volume_12m", "in", "12500,x") is False


@pytest.mark.parametrize(
    ("field", "op", "value", "expected"),
    [
        ("country", "=", "FR", True),
        ("country", "=", " fr ", True),
        ("country", "=", "BE", False),
        ("country", "!=", "BE", True),
        ("country", "!=", "FR", False),
        ("country", "in", "BE, FR", True),
        ("country", "in", "BE,DE", False),
        ("region", "=", "NY", False),
        ("region", "!=", "NY", True),
    ],
)
def test_codes_compare_as_strings(field, op, value, expected):
    assert matches(field, op, value) is expected


def test_region_of_an_american_company():
    assert matches("region", "in", "CA,ny", NEWCOMER)
    assert matches("country", "=", "US", NEWCOMER)
    # Codes are strings, never numbers: a bundle's "<" compares alphabetically.
    assert matches("country", "<", "VA", NEWCOMER)
    assert not matches("country", ">", "VA", NEWCOMER)


@pytest.mark.parametrize(
    ("op", "value", "expected"),
    [
        ("=", "hygiene", True),
        ("=", "paint", False),
        ("in", "paint, soap", True),
        ("in", "paint,tools", False),
        ("!=", "paint,tools", True),
        ("!=", "paint,screws", False),
        ("=", "HYGIENE", True),
        (">", "a", False),
        ("<=", "zzz", False),
    ],
)
def test_categories_bought_is_a_set(op, value, expected):
    assert matches("categories_bought", op, value) is expected


def test_a_company_that_bought_nothing_bought_none_of_any_category():
    assert matches("categories_bought", "!=", "hygiene", NEWCOMER)
    assert not matches("categories_bought", "in", "hygiene,soap", NEWCOMER)


def test_unknown_fields_and_operators_match_nothing():
    assert not matches("favourite_colour", "=", "blue")
    assert not matches("order_count_12m", "~", "6")


def test_split_values_trims_and_drops_empty_items():
    assert split_values(" FR, BE ,,DE ") == ("FR", "BE", "DE")
    assert split_values(" , ") == ()


def test_conditions_of_a_rule_are_joined_by_and():
    both = rule(1, WHOLESALE, ("country", "=", "FR"), ("order_count_12m", ">=", "6"))
    one = rule(2, WHOLESALE, ("country", "=", "FR"), ("order_count_12m", ">=", "7"))
    assert both.matches(REGULAR)
    assert not one.matches(REGULAR)


def test_a_rule_without_conditions_matches_every_company():
    assert rule(1, PRO).matches(REGULAR)
    assert rule(1, PRO).matches(NEWCOMER)


def test_the_first_matching_rule_by_position_wins():
    rules = [
        rule(30, EXPORT),
        rule(20, PRO, ("order_count_12m", ">=", "1")),
        rule(10, WHOLESALE, ("order_volume_12m", ">=", "10000")),
    ]
    ordered = active_rules(rules)
    assert [r.position for r in ordered] == [10, 20, 30]
    assert first_match(REGULAR, ordered).position == 10
    assert first_match(NEWCOMER, ordered).position == 30
    decision = decide(REGULAR, ordered, default_group_id=DEFAULT)
    assert (decision.group_id, decision.rule.position, decision.moves) == (WHOLESALE, 10, True)


def test_inactive_rules_are_skipped():
    rules = active_rules(
        [rule(1, EXPORT, active=False), rule(2, PRO, ("order_count_12m", ">=", "1"))]
    )
    assert [r.position for r in rules] == [2]
    assert decide(REGULAR, rules, default_group_id=DEFAULT).group_id == PRO
    # Even in a list built by hand, an inactive rule never matches.
    assert first_match(REGULAR, [rule(1, EXPORT, active=False)]) is None


def test_no_match_gives_the_default_group():
    rules = active_rules([rule(1, WHOLESALE, ("order_volume_12m", ">=", "50000"))])
    member_of_pro = replace(REGULAR, group_id=PRO)
    decision = decide(member_of_pro, rules, default_group_id=DEFAULT)
    assert (decision.group_id, decision.rule, decision.moves) == (DEFAULT, None, True)
    assert decide(REGULAR, rules, default_group_id=DEFAULT).moves is False


def test_a_pinned_company_never_moves():
    pinned = replace(REGULAR, pinned=True, group_id=PRO)
    rules = active_rules([rule(1, WHOLESALE, ("order_volume_12m", ">=", "10000"))])
    decision = decide(pinned, rules, default_group_id=DEFAULT)
    assert decision.group_id == WHOLESALE
    assert decision.moves is False
    assert decide(pinned, (), default_group_id=DEFAULT).moves is False


def test_a_rule_describes_itself_for_the_audit_trail():
    described = rule(10, WHOLESALE, ("order_volume_12m", ">=", "50000"), ("country", "in", "FR,BE"))
    assert described.describe() == "#10 → G3: order_volume_12m >= 50000 AND country in FR,BE"
    assert rule(20, PRO).describe() == "#20 → G2: *"
