"""The sentences of budgets and approval rules, in the reader's language (codes stay stable):
why an order waits, and what a budget leaves."""

from django.utils.translation import gettext as _

from comptoir.approvals import rules
from comptoir.core.money import format_decimal


def budget_scope(standing) -> str:
    budget = standing.budget
    if budget.user_id is not None:
        return _("your own budget")
    if budget.location_id is not None:
        return _("location %(location)s") % {"location": budget.location.name}
    return _("your company")


def budget_period(standing) -> str:
    period = standing.budget.period
    if period == "month":
        return _("this month")
    if period == "quarter":
        return _("this quarter")
    return _("this year")


def plain_amount(currency: str):
    """Amounts as the API and e-mails write them: "1240.00 EUR"."""
    return lambda amount: f"{format_decimal(amount)} {currency}"


def budget_left(standing, money) -> str:
    """ "€1,240.00 left of €5,000.00 this month (location Lyon)"; `money` writes an amount."""
    return _("%(left)s left of %(amount)s %(period)s (%(scope)s)") % {
        "left": money(standing.check.left),
        "amount": money(standing.budget.amount),
        "period": budget_period(standing),
        "scope": budget_scope(standing),
    }


def budget_refusal(standing, money) -> str:
    return _(
        "This order of %(total)s goes over the budget: %(left)s. "
        "Your company does not accept orders over it."
    ) % {"total": money(standing.check.total), "left": budget_left(standing, money)}


def budget_approval(standing, money) -> str:
    return _("This order of %(total)s goes over the budget (%(left)s): it will need approval.") % {
        "total": money(standing.check.total),
        "left": budget_left(standing, money),
    }


def over_budget_rule_name() -> str:
    return _("Over budget")


def requester_rule_name() -> str:
    return _("Order of a requester")


def condition_reason(
    condition: rules.Condition, facts: rules.OrderFacts, currency: str, sees_prices: bool = True
) -> str:
    """Why a condition holds for this order, as the buyer and the approver read it; a reader
    whose role hides prices is not told the total."""
    kind = condition.kind
    wanted = {value.casefold() for value in condition.values}
    if kind == rules.TOTAL_ABOVE and not sees_prices:
        return _("the total is above the rule's limit")
    if kind == rules.TOTAL_ABOVE:
        return _("the total %(total)s %(currency)s is above %(amount)s %(currency)s") % {
            "total": format_decimal(facts.total),
            "amount": format_decimal(condition.amount),
            "currency": currency,
        }
    if kind == rules.BUDGET_EXCEEDED:
        return _("the order goes over a budget")
    if kind == rules.CONTAINS_CATEGORY:
        found = sorted(c for c in facts.categories if c.casefold() in wanted)
        return _("it contains products of %(categories)s") % {"categories": ", ".join(found)}
    if kind == rules.CONTAINS_PRODUCT:
        found = sorted(s for s in facts.skus if s.casefold() in wanted)
        return _("it contains %(skus)s") % {"skus": ", ".join(found)}
    if kind == rules.PAYMENT_METHOD:
        return _("it is paid by %(method)s") % {"method": facts.payment_method}
    if kind == rules.SHIPPING_METHOD:
        return _("it ships by %(method)s") % {"method": facts.shipping_method}
    if kind == rules.REQUESTER_ROLE:
        return _("it is ordered by a user of role %(role)s") % {"role": facts.requester_role}
    if kind == rules.REQUESTER:
        return _("it is ordered by one of the users the rule names")
    return _("it is for location %(location)s") % {"location": facts.location}


def rule_reasons(
    rule: rules.Rule, facts: rules.OrderFacts, currency: str, sees_prices: bool = True
) -> list[str]:
    if not rule.conditions:
        return [_("every order needs this approval")]
    return [condition_reason(c, facts, currency, sees_prices) for c in rule.conditions]
