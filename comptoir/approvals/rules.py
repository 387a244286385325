"""Order approvals (issue 16), pure: which rules an order matches, who must approve it at
each level, and whether a given user may decide now.

A company's rules are data: each has conditions, all of which must hold, an approver (roles
or named users) and a level. Every matching rule applies; the rules of level 1 are decided
before those of level 2, and so on. A requester never approves their own request, whatever
their role. Checkout, the approvers' queue, the API and the cart's preview ("this order will
go to ... because ...") all ask these functions.
"""

from dataclasses import dataclass, field
from decimal import Decimal

TOTAL_ABOVE = "total_above"
CONTAINS_CATEGORY = "contains_category"
CONTAINS_PRODUCT = "contains_product"
PAYMENT_METHOD = "payment_method"
SHIPPING_METHOD = "shipping_method"
REQUESTER_ROLE = "requester_role"
REQUESTER = "requester"
LOCATION = "location"
BUDGET_EXCEEDED = "budget_exceeded"

CONDITIONS = (
    TOTAL_ABOVE,
    CONTAINS_CATEGORY,
    CONTAINS_PRODUCT,
    PAYMENT_METHOD,
    SHIPPING_METHOD,
    REQUESTER_ROLE,
    REQUESTER,
    LOCATION,
    BUDGET_EXCEEDED,
)

SELF_APPROVAL = "self_approval"
NOT_AN_APPROVER = "not_an_approver"
NOT_YOUR_LEVEL = "not_your_level"


@dataclass(frozen=True)
class OrderFacts:
    """What the rules look at, taken from the priced cart at checkout.

    `categories` holds the codes of the lines' categories and of their ancestors, so that a
    rule on "fasteners" matches a line in "wood screws"; codes compare without regard to case.
    """

    total: Decimal
    skus: frozenset[str]
    categories: frozenset[str]
    payment_method: str
    shipping_method: str
    requester_id: int
    requester_role: str
    location: str | None
    budget_exceeded: bool = False


@dataclass(frozen=True)
class Condition:
    kind: str
    values: frozenset[str] = frozenset()
    """Codes (categories, SKUs, methods, roles, locations) or user ids as text."""
    amount: Decimal | None = None
    """For `total_above`: the order total must be strictly above it."""

    def __post_init__(self):
        if self.kind not in CONDITIONS:
            raise ValueError(f"unknown condition {self.kind!r}")

    def holds(self, facts: OrderFacts) -> bool:
        if self.kind == TOTAL_ABOVE:
            return self.amount is not None and facts.total > self.amount
        if self.kind == BUDGET_EXCEEDED:
            return facts.budget_exceeded
        wanted = {value.casefold() for value in self.values}
        found = {
            CONTAINS_CATEGORY: facts.categories,
            CONTAINS_PRODUCT: facts.skus,
            PAYMENT_METHOD: {facts.payment_method},
            SHIPPING_METHOD: {facts.shipping_method},
            REQUESTER_ROLE: {facts.requester_role},
            REQUESTER: {str(facts.requester_id)},
            LOCATION: {facts.location} if facts.location else set(),
        }[self.kind]
        return any(value.casefold() in wanted for value in found)


@dataclass(frozen=True)
class Rule:
    id: int
    name: str
    level: int
    conditions: tuple[Condition, ...]
    approver_roles: frozenset[str] = frozenset()
    approver_ids: frozenset[int] = frozenset()

    def matches(self, facts: OrderFacts) -> bool:
        """Every condition holds; a rule without conditions matches every order."""
        return all(condition.holds(facts) for condition in self.conditions)

    def names_approver(self, user_id: int, role: str) -> bool:
        return user_id in self.approver_ids or role in self.approver_roles


@dataclass(frozen=True)
class Level:
    number: int
    rules: tuple[Rule, ...]


def approval_levels(rules: list[Rule], facts: OrderFacts) -> list[Level]:
    """The levels the order must pass, lowest first; empty: no approval is needed."""
    return levels_of([rule for rule in rules if rule.matches(facts)])


def levels_of(rules: list[Rule]) -> list[Level]:
    """Rules grouped by level, lowest first: those of a request, which matched when it was
    submitted and are not asked again."""
    by_level: dict[int, list[Rule]] = {}
    for rule in rules:
        by_level.setdefault(rule.level, []).append(rule)
    return [
        Level(number, tuple(sorted(found, key=lambda r: r.id)))
        for number, found in sorted(by_level.items())
    ]


@dataclass(frozen=True)
class Progress:
    """Where a request stands: the rules approved so far, by id."""

    approved: frozenset[int] = field(default_factory=frozenset)

    def current(self, levels: list[Level]) -> Level | None:
        """The first level with a rule not yet approved; None when all are."""
        for level in levels:
            if any(rule.id not in self.approved for rule in level.rules):
                return level
        return None


def decision_refusal(
    levels: list[Level],
    progress: Progress,
    *,
    user_id: int,
    role: str,
    requester_id: int,
) -> str | None:
    """Why this user may not approve or reject the request now, or None when they may.

    They must be named by a rule of the current level that is still waiting; the requester
    never decides on their own request, even where a rule names them or their role.
    """
    if user_id == requester_id:
        return SELF_APPROVAL
    level = progress.current(levels)
    if level is None:
        return NOT_YOUR_LEVEL
    waiting = [rule for rule in level.rules if rule.id not in progress.approved]
    if any(rule.names_approver(user_id, role) for rule in waiting):
        return None
    named_later = any(
        rule.names_approver(user_id, role) for other in levels for rule in other.rules
    )
    return NOT_YOUR_LEVEL if named_later else NOT_AN_APPROVER


def approve(levels: list[Level], progress: Progress, *, user_id: int, role: str) -> Progress:
    """The progress once this approver has approved: every waiting rule of the current level
    that names them is approved (one person may satisfy several rules of a level)."""
    level = progress.current(levels)
    if level is None:
        return progress
    done = {
        rule.id
        for rule in level.rules
        if rule.id not in progress.approved and rule.names_approver(user_id, role)
    }
    return Progress(progress.approved | done)


def is_complete(levels: list[Level], progress: Progress) -> bool:
    return progress.current(levels) is None
