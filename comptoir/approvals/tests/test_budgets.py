"""Budget periods and checks with literal dates and amounts."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from comptoir.approvals.budgets import MONTH, QUARTER, YEAR, BudgetCheck, period_bounds

D = datetime.date


@pytest.mark.parametrize(
    ("period", "day", "bounds"),
    [
        (MONTH, D(2026, 12, 6), (D(2026, 12, 1), D(2026, 12, 31))),
        (MONTH, D(2028, 2, 29), (D(2028, 2, 1), D(2028, 2, 29))),
        (QUARTER, D(2026, 12, 6), (D(2026, 10, 1), D(2026, 12, 31))),
        (QUARTER, D(2026, 4, 1), (D(2026, 4, 1), D(2026, 6, 30))),
        (QUARTER, D(2026, 3, 31), (D(2026, 1, 1), D(2026, 3, 31))),
        (YEAR, D(2026, 7, 14), (D(2026, 1, 1), D(2026, 12, 31))),
    ],
)
def test_periods_include_their_first_and_last_days(period, day, bounds):
    assert period_bounds(period, day) == bounds


def test_an_unknown_period_is_refused():
    with pytest.raises(ValueError, match="week"):
        period_bounds("week", D(2026, 12, 6))


@given(
    st.dates(min_value=D(2000, 1, 1), max_value=D(2100, 12, 31)),
    st.sampled_from([MONTH, QUARTER, YEAR]),
)
def test_every_day_lies_in_its_period(day, period):
    first, last = period_bounds(period, day)
    assert first <= day <= last
    assert first.day == 1
    assert (last + datetime.timedelta(days=1)).day == 1


def test_what_is_left_and_when_an_order_goes_over():
    check = BudgetCheck(
        amount=Decimal("5000.00"), spent=Decimal("3760.00"), total=Decimal("1240.00")
    )
    assert check.left == Decimal("1240.00")
    assert not check.exceeded  # reaching the budget exactly stays within it
    over = BudgetCheck(
        amount=Decimal("5000.00"), spent=Decimal("3760.00"), total=Decimal("1240.01")
    )
    assert over.exceeded
    spent_out = BudgetCheck(amount=Decimal("5000.00"), spent=Decimal("5200.00"), total=Decimal("1"))
    assert spent_out.left == Decimal("0.00")
