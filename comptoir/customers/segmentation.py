"""Segmentation rules, evaluated over company profiles (DESIGN.md "Segmentation").

Pure: no ORM, no request. `profiles.py` computes the profiles with SQL aggregates and
`segmentation_services.py` previews and applies what `decide` answers.

How a condition reads a profile:

- Numeric fields (`order_volume_12m`, `order_count_12m`, `avg_days_between_orders`,
  `units_12m`, `days_since_last_order`) compare as `Decimal`s; `in` takes a comma-separated
  list of numbers. A metric that has no value (`avg_days_between_orders` with fewer than two
  orders over 12 months, `days_since_last_order` with no order at all) matches no
  comparison, `!=` included, as NULL does in SQL. A value that is not a number matches
  nothing (the back office and the bundle checks refuse it).
- `country` and `region` compare as strings, trimmed and case-insensitively; `in` takes a
  comma-separated list. The back office offers only `=`, `!=` and `in` for them; the other
  operators, if a bundle brings them, compare strings alphabetically.
- `categories_bought` is a set: `=` and `in` mean "bought at least one of" the listed
  categories, `!=` "bought none of them"; the ordering operators match nothing. A category
  counts as bought when a line of it, or of one of its subcategories, was bought.

Rules are tried by position; an inactive rule is skipped; a rule without conditions matches
every company; the first rule whose conditions all match gives the group. No match gives the
store's default group. A pinned company never moves.
"""

import operator
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

NUMERIC_FIELDS = frozenset(
    {
        "order_volume_12m",
        "order_count_12m",
        "avg_days_between_orders",
        "units_12m",
        "days_since_last_order",
    }
)
TEXT_FIELDS = frozenset({"country", "region"})
SET_FIELDS = frozenset({"categories_bought"})
FIELDS = NUMERIC_FIELDS | TEXT_FIELDS | SET_FIELDS
OPERATORS = ("=", "!=", "<", "<=", ">", ">=", "in")
ORDERING_OPERATORS = frozenset({"<", "<=", ">", ">="})

_COMPARE = {
    "=": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


@dataclass(frozen=True, slots=True, kw_only=True)
class CompanyProfile:
    """What segmentation knows of a company; metrics cover the 12 months up to `today`."""

    company_id: int
    code: str
    name: str
    group_id: int
    pinned: bool
    country: str
    region: str
    order_volume_12m: Decimal
    order_count_12m: int
    avg_days_between_orders: Decimal | None
    units_12m: int
    categories_bought: frozenset[str]
    days_since_last_order: int | None
    last_order_on: date | None

    def metric(self, field: str):
        return getattr(self, field)


def split_values(text: str) -> tuple[str, ...]:
    """The items of a comma-separated value, trimmed, empty ones dropped."""
    return tuple(item.strip() for item in text.split(",") if item.strip())


def parse_number(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


@dataclass(frozen=True, slots=True)
class Condition:
    field: str
    op: str
    value: str
    # The value parsed once for the field: Decimals, casefolded strings (None: unusable).
    operands: tuple | None

    @classmethod
    def parse(cls, field: str, op: str, value: str) -> "Condition":
        return cls(field, op, value, _operands(field, op, value))

    def matches(self, profile: CompanyProfile) -> bool:
        if self.operands is None or self.field not in FIELDS or self.op not in OPERATORS:
            return False
        metric = profile.metric(self.field)
        if self.field in SET_FIELDS:
            return _set_matches(self.op, self.operands, metric)
        if metric is None:
            return False
        metric = metric.strip().casefold() if self.field in TEXT_FIELDS else Decimal(metric)
        if self.op == "in":
            return metric in self.operands
        return _COMPARE[self.op](metric, self.operands[0])

    def describe(self) -> str:
        return f"{self.field} {self.op} {self.value}"


def _operands(field: str, op: str, value: str) -> tuple | None:
    many = op == "in" or field in SET_FIELDS
    items = split_values(value) if many else (value.strip(),)
    if field in NUMERIC_FIELDS:
        numbers = tuple(parse_number(item) for item in items)
        return None if not numbers or None in numbers else numbers
    return tuple(item.casefold() for item in items)


def _set_matches(op: str, operands: tuple, bought: frozenset[str]) -> bool:
    if op in ("=", "in"):
        return any(code in bought for code in operands)
    if op == "!=":
        return not any(code in bought for code in operands)
    return False


@dataclass(frozen=True, slots=True)
class Rule:
    id: int
    position: int
    group_id: int
    group_code: str
    active: bool
    conditions: tuple[Condition, ...]

    def matches(self, profile: CompanyProfile) -> bool:
        return all(condition.matches(profile) for condition in self.conditions)

    def describe(self) -> str:
        """A language-neutral text of the rule, kept with each move it makes."""
        conditions = " AND ".join(condition.describe() for condition in self.conditions)
        return f"#{self.position} → {self.group_code}: {conditions or '*'}"


def active_rules(rules: Iterable[Rule]) -> tuple[Rule, ...]:
    """The rules that take part, in the order they are tried."""
    return tuple(sorted((rule for rule in rules if rule.active), key=lambda rule: rule.position))


def first_match(profile: CompanyProfile, rules: Sequence[Rule]) -> Rule | None:
    """The first rule of `rules` (already ordered, see `active_rules`) that the profile meets."""
    for rule in rules:
        if rule.active and rule.matches(profile):
            return rule
    return None


@dataclass(frozen=True, slots=True)
class Decision:
    """Where the rules put a company: `rule` None means the store's default group."""

    profile: CompanyProfile
    group_id: int
    rule: Rule | None

    @property
    def moves(self) -> bool:
        return not self.profile.pinned and self.group_id != self.profile.group_id


def decide(profile: CompanyProfile, rules: Sequence[Rule], *, default_group_id: int) -> Decision:
    """The group the rules give the company (whether or not it is pinned: see `moves`)."""
    rule = first_match(profile, rules)
    return Decision(profile, rule.group_id if rule else default_group_id, rule)
