"""Reads for approvals and budgets: a company's rules as the pure module takes them, the
budgets that bind an order, what each has spent, and who may approve."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db.models import Q, Sum

from comptoir.accounts.permissions import APPROVE_ORDERS
from comptoir.accounts.selectors import roles_with
from comptoir.approvals import budgets, rules
from comptoir.approvals.models import ApprovalRequest, ApprovalRule, ApprovalStatus, Budget
from comptoir.core.money import ZERO
from comptoir.ordering.models import Order, OrderStatus


def active_rules(company) -> list[rules.Rule]:
    """The company's active rules, in three queries whatever their number."""
    found = ApprovalRule.objects.filter(company=company, active=True).prefetch_related(
        "conditions", "approvers"
    )
    return [as_rule(rule) for rule in found]


def as_rule(rule: ApprovalRule) -> rules.Rule:
    return rules.Rule(
        id=rule.pk,
        name=rule.name,
        level=rule.level,
        conditions=tuple(
            rules.Condition(
                kind=condition.kind,
                values=frozenset(str(value) for value in condition.values),
                amount=condition.amount,
            )
            for condition in rule.conditions.all()
        ),
        approver_roles=frozenset(rule.approver_roles),
        approver_ids=frozenset(user.pk for user in rule.approvers.all()),
    )


@dataclass(frozen=True)
class BudgetStanding:
    """A budget that binds the order, its period and what it leaves."""

    budget: Budget
    first: datetime.date
    last: datetime.date
    check: budgets.BudgetCheck

    @property
    def refuses(self) -> bool:
        return self.check.exceeded and self.budget.over_budget == budgets.REFUSE

    @property
    def sends_to_approval(self) -> bool:
        return self.check.exceeded and self.budget.over_budget == budgets.APPROVAL


def budget_standings(
    *, company, location, user, total: Decimal, today: datetime.date, time_zone: str
) -> list[BudgetStanding]:
    """The active budgets of the company, of the order's location and of its buyer, each with
    its spending in the current period; three queries whatever their number."""
    if company is None:
        return []
    scope = Q(location__isnull=True, user__isnull=True)
    if location is not None:
        scope |= Q(location=location)
    if user is not None:
        scope |= Q(user=user)
    found = list(
        Budget.objects.filter(scope, company=company, active=True).select_related(
            "location", "user"
        )
    )
    if not found:
        return []
    spent = budget_spending(found, today=today, time_zone=time_zone)
    return [
        BudgetStanding(
            budget=b,
            first=first,
            last=last,
            check=budgets.BudgetCheck(amount=b.amount, spent=spent[b.pk], total=total),
        )
        for b in sorted(found, key=_scope_order)
        for first, last in [budgets.period_bounds(b.period, today)]
    ]


def budget_spending(
    found: list[Budget], *, today: datetime.date, time_zone: str
) -> dict[int, Decimal]:
    """What each budget has spent in its period of `today`: the period's orders not cancelled
    and every request still waiting, whenever it was sent (it becomes an order of the period
    it is approved in); two queries whatever their number and their companies (the back
    office lists budgets of many)."""
    if not found:
        return {}
    zone = ZoneInfo(time_zone)
    periods = {b.pk: budgets.period_bounds(b.period, today) for b in found}

    def window(budget, field):
        first, last = periods[budget.pk]
        start = datetime.datetime.combine(first, datetime.time.min, zone)
        end = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min, zone)
        return Q(**{f"{field}__gte": start, f"{field}__lt": end})

    def in_scope(budget, buyer_field):
        scope = Q(company_id=budget.company_id)
        if budget.location_id is not None:
            return scope & Q(location_id=budget.location_id)
        if budget.user_id is not None:
            return scope & Q(**{f"{buyer_field}_id": budget.user_id})
        return scope

    companies = {b.company_id for b in found}
    ordered = Order.objects.filter(company_id__in=companies).exclude(status=OrderStatus.CANCELLED)
    ordered = ordered.aggregate(
        **{
            f"b{b.pk}": Sum("total", filter=window(b, "placed_at") & in_scope(b, "buyer"))
            for b in found
        }
    )
    waiting = ApprovalRequest.objects.filter(
        company_id__in=companies, status=ApprovalStatus.PENDING
    )
    waiting = waiting.aggregate(
        **{f"b{b.pk}": Sum("total", filter=in_scope(b, "requester")) for b in found}
    )
    return {b.pk: (ordered[f"b{b.pk}"] or ZERO) + (waiting[f"b{b.pk}"] or ZERO) for b in found}


def _scope_order(budget: Budget) -> tuple:
    """The narrowest first: the buyer's own budget, the location's, the company's."""
    return (budget.user_id is None, budget.location_id is None, budget.pk)


def company_deciders(company, location, approving_roles=None) -> list:
    """The company's active users whose role may approve orders (`approving_roles`, read when
    not given) and who act for `location` (None: any), in two queries: the people among whom
    each rule's approvers are found."""
    if approving_roles is None:
        approving_roles = roles_with(APPROVE_ORDERS)
    users = (
        get_user_model()
        .objects.filter(company=company, is_active=True, role__in=approving_roles)
        .prefetch_related("locations")
        .order_by("last_name", "first_name", "email")
    )
    return [
        user
        for user in users
        if location is None
        or user.all_locations
        or any(loc.pk == location.pk for loc in user.locations.all())
    ]


def rule_approvers(rule: rules.Rule, deciders: list, *, excluding: int | None = None) -> list:
    """Who may decide on the rule among `deciders`, the requester excluded."""
    return [
        user
        for user in deciders
        if user.pk != excluding and rule.names_approver(user.pk, user.role)
    ]


def company_budgets(company, *, today: datetime.date, time_zone: str) -> list[BudgetStanding]:
    """Every budget of the company (inactive ones too) with what it has spent this period,
    the company's first, then its locations', then its users'; four queries."""
    found = list(
        Budget.objects.filter(company=company)
        .select_related("location", "user")
        .order_by("location__position", "location__code", "user__email", "period", "id")
    )
    spent = budget_spending(found, today=today, time_zone=time_zone)
    found.sort(key=lambda b: (b.location_id is not None, b.user_id is not None))
    return [
        BudgetStanding(
            budget=b,
            first=first,
            last=last,
            check=budgets.BudgetCheck(amount=b.amount, spent=spent[b.pk], total=ZERO),
        )
        for b in found
        for first, last in [budgets.period_bounds(b.period, today)]
    ]


def company_rules(company) -> list[ApprovalRule]:
    """The company's rules with their conditions and named approvers; three queries."""
    return list(
        ApprovalRule.objects.filter(company=company)
        .prefetch_related("conditions", "approvers")
        .order_by("level", "name", "id")
    )
