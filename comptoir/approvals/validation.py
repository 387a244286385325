"""Whether an approval rule or a budget may be saved for a company (issue 16).

One check for every channel that writes them: the back office, the company administrators'
own pages and the store bundle, so that what one refuses no other accepts. Each channel
gathers what the company may name in `References` (from the database, plus the bundle's own
items for a bundle) and turns its input into `RuleInput` / `BudgetInput`; the checks answer
the same values cleaned (codes as the store spells them, users as the channel keys them) and
the problems found, each naming the bad value. Nothing here writes.

A rule has at most one condition of each kind: every condition must hold, so two of one kind
would be read as "both", while a buyer means "any of these values", which one condition with
several values says.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from comptoir.accounts.models import BUILTIN_ROLE_NAMES, Role, User
from comptoir.approvals import budgets, rules
from comptoir.catalog.models import Category, Product
from comptoir.catalog.selectors import sku_key, with_skus
from comptoir.payments.models import PaymentMethod, ShippingMethod

MAX_LEVEL = 9
MAX_NAME = 120
MAX_AMOUNT = Decimal("999999999999.99")
"""The largest amount a 14-digit, 2-place column holds."""

CODE_KINDS = (
    rules.CONTAINS_CATEGORY,
    rules.CONTAINS_PRODUCT,
    rules.PAYMENT_METHOD,
    rules.SHIPPING_METHOD,
    rules.REQUESTER_ROLE,
    rules.REQUESTER,
    rules.LOCATION,
)
"""The conditions that name things: they need at least one value."""


@dataclass(frozen=True)
class ConditionInput:
    kind: str
    values: tuple[str, ...] = ()
    amount: Decimal | None = None


@dataclass(frozen=True)
class RuleInput:
    """`approvers` are user references: e-mails, or ids as text where the channel has them."""

    name: str
    level: int
    approver_roles: tuple[str, ...] = ()
    approvers: tuple[str, ...] = ()
    active: bool = True
    conditions: tuple[ConditionInput, ...] = ()


@dataclass(frozen=True)
class BudgetInput:
    """`location` is a location code, `user` a user reference; neither: the whole company."""

    period: str
    amount: Decimal
    over_budget: str = budgets.APPROVAL
    location: str | None = None
    user: str | None = None
    active: bool = True


@dataclass(frozen=True)
class Problem:
    """`field` names what is wrong: `name`, `level`, `approvers`, `approver_roles`,
    `conditions`, `conditions[2].values`, `conditions[2].amount`, `location`, `user`, ..."""

    field: str
    message: str


def _folded(codes: Iterable[str]) -> dict[str, str]:
    """Code by its case-folded self; where two differ only by case, the first is kept."""
    found: dict[str, str] = {}
    for code in codes:
        found.setdefault(code.casefold(), code)
    return found


@dataclass
class References:
    """What a company's rules and budgets may name, each matched without regard to case.

    `users` maps every way a channel names a colleague (id as text, e-mail in lower case) to
    the value kept: the id as text in the database, the e-mail in a bundle.
    """

    categories: dict[str, str] = field(default_factory=dict)
    skus: dict[str, str] = field(default_factory=dict)
    payment_methods: dict[str, str] = field(default_factory=dict)
    shipping_methods: dict[str, str] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)
    locations: dict[str, str] = field(default_factory=dict)
    users: dict[str, str] = field(default_factory=dict)

    def add_categories(self, codes: Iterable[str]) -> None:
        self.categories.update(
            {k: v for k, v in _folded(codes).items() if k not in self.categories}
        )

    def add_skus(self, skus: Iterable[str]) -> None:
        for sku in skus:
            self.skus.setdefault(sku_key(sku), sku)

    def add_methods(self, payment: Iterable[str], shipping: Iterable[str]) -> None:
        for target, codes in ((self.payment_methods, payment), (self.shipping_methods, shipping)):
            target.update({k: v for k, v in _folded(codes).items() if k not in target})

    def add_roles(self, codes: Iterable[str]) -> None:
        self.roles.update({k: v for k, v in _folded(codes).items() if k not in self.roles})


def store_references(*, skus: Iterable[str] = ()) -> References:
    """The store's categories, methods and roles, and those of `skus` that exist (the
    catalogue can be large: only the SKUs asked about are looked up); five queries."""
    refs = References()
    refs.add_categories(Category.objects.order_by("id").values_list("code", flat=True))
    refs.add_methods(
        PaymentMethod.objects.order_by("id").values_list("code", flat=True),
        ShippingMethod.objects.order_by("id").values_list("code", flat=True),
    )
    refs.add_roles(
        [*BUILTIN_ROLE_NAMES, *Role.objects.order_by("code").values_list("code", flat=True)]
    )
    skus = [sku for sku in skus if sku]
    if skus:
        refs.add_skus(with_skus(Product.objects.all(), skus).values_list("sku", flat=True))
    return refs


def company_references(company, *, skus: Iterable[str] = ()) -> References:
    """`store_references` with the company's locations and users (kept as ids as text)."""
    refs = store_references(skus=skus)
    refs.locations = _folded(
        company.locations.order_by("position", "id").values_list("code", flat=True)
    )
    for pk, email in User.objects.filter(company=company).values_list("pk", "email"):
        refs.users[str(pk)] = str(pk)
        refs.users[email.lower()] = str(pk)
    return refs


def skus_named(conditions: Iterable[ConditionInput]) -> set[str]:
    """The SKUs that `contains_product` conditions name, to look them up at once."""
    return {
        value
        for condition in conditions
        if condition.kind == rules.CONTAINS_PRODUCT
        for value in condition.values
    }


def _resolve(kind: str, value: str, refs: References) -> str | None:
    text = value.strip()
    if kind == rules.CONTAINS_PRODUCT:
        return refs.skus.get(sku_key(text))
    if kind == rules.REQUESTER:
        return refs.users.get(text.lower())
    table = {
        rules.CONTAINS_CATEGORY: refs.categories,
        rules.PAYMENT_METHOD: refs.payment_methods,
        rules.SHIPPING_METHOD: refs.shipping_methods,
        rules.REQUESTER_ROLE: refs.roles,
        rules.LOCATION: refs.locations,
    }[kind]
    return table.get(text.casefold())


def _unknown_message(kind: str, value: str) -> str:
    messages = {
        rules.CONTAINS_CATEGORY: _("There is no category with the code “%(value)s”."),
        rules.CONTAINS_PRODUCT: _("There is no product with the SKU “%(value)s”."),
        rules.PAYMENT_METHOD: _("There is no payment method with the code “%(value)s”."),
        rules.SHIPPING_METHOD: _("There is no shipping method with the code “%(value)s”."),
        rules.REQUESTER_ROLE: _("There is no role with the code “%(value)s”."),
        rules.REQUESTER: _("“%(value)s” is not a user of this company."),
        rules.LOCATION: _("“%(value)s” is not a location of this company."),
    }
    return messages[kind] % {"value": value}


def amount_problem(amount) -> str | None:
    """An amount of money in cents, from 0.00 up to what the column holds."""
    try:
        number = Decimal(amount)
    except (InvalidOperation, TypeError, ValueError):
        return _("Give an amount such as 2000.00.")
    if not number.is_finite():
        return _("Give an amount such as 2000.00.")
    if number < 0:
        return _("The amount cannot be negative.")
    if number > MAX_AMOUNT:
        return _("The amount is too large.")
    if -number.as_tuple().exponent > 2:
        return _("Give the amount in cents at most (2 decimal places).")
    return None


def _clean_condition(position: int, condition: ConditionInput, refs: References):
    """The condition with its values as the store spells them, and its problems."""
    path = f"conditions[{position}]"
    kind = condition.kind
    if kind not in rules.CONDITIONS:
        return condition, [
            Problem(f"{path}.kind", _("“%(kind)s” is not a kind of condition.") % {"kind": kind})
        ]
    problems = []
    values = tuple(value for value in condition.values if value.strip())
    if kind == rules.TOTAL_ABOVE:
        if values:
            problems.append(Problem(f"{path}.values", _("An order total takes no values.")))
        if condition.amount is None:
            problems.append(Problem(f"{path}.amount", _("Give the amount the total must exceed.")))
        else:
            problem = amount_problem(condition.amount)
            if problem:
                problems.append(Problem(f"{path}.amount", problem))
        return condition, problems
    if condition.amount is not None:
        problems.append(Problem(f"{path}.amount", _("Only an order total takes an amount.")))
    if kind == rules.BUDGET_EXCEEDED:
        if values:
            problems.append(Problem(f"{path}.values", _("“Budget exceeded” takes no values.")))
        return condition, problems
    if not values:
        problems.append(Problem(f"{path}.values", _("Give at least one value.")))
    cleaned = []
    for value in values:
        found = _resolve(kind, value, refs)
        if found is None:
            problems.append(Problem(f"{path}.values", _unknown_message(kind, value.strip())))
        elif found not in cleaned:
            cleaned.append(found)
    return replace(condition, values=tuple(cleaned)), problems


def clean_rule(
    rule: RuleInput, refs: References, *, other_names: Iterable[str] = ()
) -> tuple[RuleInput, list[Problem]]:
    """The rule with its references resolved, and everything wrong with it.

    `other_names` are the names of the company's other rules: a name is unique per company,
    without regard to case.
    """
    problems = []
    name = rule.name.strip()
    if not name:
        problems.append(Problem("name", _("Give the rule a name.")))
    elif len(name) > MAX_NAME:
        problems.append(
            Problem("name", _("A name has at most %(count)d characters.") % {"count": MAX_NAME})
        )
    elif name.casefold() in {other.casefold() for other in other_names}:
        problems.append(
            Problem("name", _("The company already has a rule named “%(name)s”.") % {"name": name})
        )
    if (
        isinstance(rule.level, bool)
        or not isinstance(rule.level, int)
        or not 1 <= rule.level <= MAX_LEVEL
    ):
        problems.append(
            Problem(
                "level", _("The level is a whole number from 1 to %(max)d.") % {"max": MAX_LEVEL}
            )
        )
    roles = []
    for code in rule.approver_roles:
        found = refs.roles.get(code.strip().casefold())
        if found is None:
            problems.append(
                Problem(
                    "approver_roles",
                    _("There is no role with the code “%(value)s”.") % {"value": code.strip()},
                )
            )
        elif found not in roles:
            roles.append(found)
    approvers = []
    for reference in rule.approvers:
        found = refs.users.get(reference.strip().lower())
        if found is None:
            problems.append(
                Problem(
                    "approvers",
                    _("“%(value)s” is not a user of this company.") % {"value": reference.strip()},
                )
            )
        elif found not in approvers:
            approvers.append(found)
    if not rule.approver_roles and not rule.approvers:
        problems.append(
            Problem("approvers", _("Name who approves: at least one role or one user."))
        )
    conditions, found = clean_conditions(rule.conditions, refs)
    problems += found
    cleaned_rule = replace(
        rule,
        name=name,
        approver_roles=tuple(roles),
        approvers=tuple(approvers),
        conditions=conditions,
    )
    return cleaned_rule, problems


def clean_conditions(
    conditions: Iterable[ConditionInput], refs: References
) -> tuple[tuple[ConditionInput, ...], list[Problem]]:
    """A rule's conditions with their values resolved, and their problems (`conditions[i]`)."""
    problems = []
    cleaned = []
    kinds = set()
    for position, condition in enumerate(conditions):
        if condition.kind in kinds:
            problems.append(
                Problem(
                    f"conditions[{position}].kind",
                    _(
                        "The rule already has a condition “%(kind)s”: give all its values "
                        "in that one."
                    )
                    % {"kind": condition_label(condition.kind)},
                )
            )
        kinds.add(condition.kind)
        condition, found = _clean_condition(position, condition, refs)
        cleaned.append(condition)
        problems += found
    return tuple(cleaned), problems


def condition_label(kind: str) -> str:
    from comptoir.approvals.models import ConditionKind

    return str(ConditionKind(kind).label) if kind in rules.CONDITIONS else kind


def budget_scope_key(budget: BudgetInput) -> tuple:
    """What makes two budgets the same: location, user and period (case ignored)."""
    return (
        budget.location.casefold() if budget.location else None,
        budget.user.lower() if budget.user else None,
        budget.period,
    )


def clean_budget(
    budget: BudgetInput, refs: References, *, other_scopes: Iterable[tuple] = ()
) -> tuple[BudgetInput, list[Problem]]:
    """The budget with its location and user resolved, and everything wrong with it.

    `other_scopes` are `budget_scope_key` of the company's other budgets, resolved: one
    budget per scope and period.
    """
    problems = []
    location = user = None
    if budget.location and budget.user:
        problems.append(
            Problem(
                "user",
                _("A budget is for the whole company, one location or one user: not both."),
            )
        )
    if budget.location:
        location = refs.locations.get(budget.location.strip().casefold())
        if location is None:
            problems.append(
                Problem(
                    "location",
                    _("“%(value)s” is not a location of this company.")
                    % {"value": budget.location.strip()},
                )
            )
    if budget.user:
        user = refs.users.get(budget.user.strip().lower())
        if user is None:
            problems.append(
                Problem(
                    "user",
                    _("“%(value)s” is not a user of this company.")
                    % {"value": budget.user.strip()},
                )
            )
    if budget.period not in budgets.PERIODS:
        problems.append(
            Problem("period", _("“%(value)s” is not a period.") % {"value": budget.period})
        )
    if budget.over_budget not in (budgets.REFUSE, budgets.APPROVAL):
        problems.append(
            Problem(
                "over_budget",
                _("“%(value)s” is not something a budget can do.") % {"value": budget.over_budget},
            )
        )
    problem = amount_problem(budget.amount)
    if problem:
        problems.append(Problem("amount", problem))
    cleaned = replace(budget, location=location, user=user)
    if not problems and budget_scope_key(cleaned) in set(other_scopes):
        if location:
            message = _("This location already has a budget for this period.")
        elif user:
            message = _("This user already has a budget for this period.")
        else:
            message = _("The company already has a budget for this period.")
        problems.append(Problem("period", message))
    return cleaned, problems
