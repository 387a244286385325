from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from comptoir.core.money import format_decimal, format_percent, parse_decimal, round2, round4


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0.005", "0.01"),
        ("0.015", "0.02"),
        ("2.675", "2.68"),
        ("-0.005", "-0.01"),
        ("1.004", "1.00"),
    ],
)
def test_round2_is_half_up(value, expected):
    assert round2(Decimal(value)) == Decimal(expected)


def test_round4_is_half_up():
    assert round4(Decimal("8.55005")) == Decimal("8.5501")
    assert round4(Decimal("9.5") * Decimal("0.9")) == Decimal("8.5500")


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=6))
def test_round2_moves_by_at_most_half_a_cent(value):
    assert abs(round2(value) - value) <= Decimal("0.005")
    assert round2(round2(value)) == round2(value)


@pytest.mark.parametrize("text", ["ten", "", "NaN", "Infinity", "1,5"])
def test_parse_decimal_refuses_what_is_not_a_decimal(text):
    with pytest.raises(ValueError):
        parse_decimal(text)


@pytest.mark.parametrize("value", [10.5, 10, None, True])
def test_parse_decimal_refuses_non_strings_because_floats_are_inexact(value):
    with pytest.raises(ValueError):
        parse_decimal(value)


def test_parse_decimal_keeps_every_digit():
    assert parse_decimal(" 8.4250 ") == Decimal("8.4250")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("10.0000", "10.00"),
        ("8.4250", "8.425"),
        ("-10", "-10.00"),
        ("8.875", "8.875"),
        ("0", "0.00"),
    ],
)
def test_format_decimal_keeps_two_places_and_no_trailing_zeros_beyond(value, expected):
    assert format_decimal(Decimal(value)) == expected


def test_format_decimal_of_none_is_none():
    assert format_decimal(None) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("20.0000", "20\u00a0%"),
        ("5.5000", "5.5\u00a0%"),
        ("8.875", "8.875\u00a0%"),
        ("0", "0\u00a0%"),
    ],
)
def test_format_percent_trims_the_stored_places(value, expected):
    assert format_percent(Decimal(value)) == expected
