"""Budgets (issue 16), pure: the calendar period a day falls in, and what an order does to a
budget.

Spent in a period = totals (tax included) of the scope's orders placed in it and not
cancelled + totals of its open approval requests (DESIGN.md "Team buying"); the selector adds
those up, these functions decide. Periods are calendar months, quarters or years in the
store's time zone, their first and last days included.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

MONTH = "month"
QUARTER = "quarter"
YEAR = "year"
PERIODS = (MONTH, QUARTER, YEAR)

REFUSE = "refuse"
APPROVAL = "approval"
"""What a budget does with an order that goes over it: refuse it (`budget_exceeded`) or send
it for approval (the approval rules' `budget_exceeded` condition then holds)."""


def period_bounds(period: str, day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and last days of the month, quarter or year that `day` falls in."""
    if period == MONTH:
        first = day.replace(day=1)
    elif period == QUARTER:
        first = datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    elif period == YEAR:
        first = datetime.date(day.year, 1, 1)
    else:
        raise ValueError(f"unknown period {period!r}")
    months = {MONTH: 1, QUARTER: 3, YEAR: 12}[period]
    month = first.month - 1 + months
    after = datetime.date(first.year + month // 12, month % 12 + 1, 1)
    return first, after - datetime.timedelta(days=1)


@dataclass(frozen=True)
class BudgetCheck:
    amount: Decimal
    spent: Decimal
    total: Decimal

    @property
    def left(self) -> Decimal:
        """What is left before this order (never below zero: "€0.00 left")."""
        return max(self.amount - self.spent, Decimal("0.00"))

    @property
    def exceeded(self) -> bool:
        """The order takes the period's spending above the budget (reaching it exactly is
        within budget)."""
        return self.spent + self.total > self.amount
