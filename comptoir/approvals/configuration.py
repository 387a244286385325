"""Writes of a company's approval rules and budgets, by its administrators or the merchant.

Every write is checked by `validation.py` first and refused whole (BusinessRuleError with one
error per problem, each naming its field) when anything is wrong; a rule's conditions are
written with it, in one transaction.
"""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from comptoir.approvals import validation
from comptoir.approvals.models import ApprovalCondition, ApprovalRule, Budget
from comptoir.core.errors import BusinessRuleError

INVALID_RULE = "invalid_approval_rule"
INVALID_BUDGET = "invalid_budget"


def refusal(code: str, problems: list[validation.Problem]) -> BusinessRuleError:
    return BusinessRuleError(
        code,
        " ".join(problem.message for problem in problems),
        [{"field": p.field, "code": code, "message": p.message} for p in problems],
    )


def _rule_of(company, rule_id: int | None) -> ApprovalRule:
    if rule_id is None:
        return ApprovalRule(company=company)
    rule = ApprovalRule.objects.filter(company=company, pk=rule_id).first()
    if rule is None:
        raise BusinessRuleError("not_found", _("There is no such approval rule."))
    return rule


def rule_save(*, company, rule_id: int | None, data: validation.RuleInput) -> ApprovalRule:
    """Creates the rule (`rule_id` None) or replaces an existing one of the company."""
    with transaction.atomic():
        rule = _rule_of(company, rule_id)
        refs = validation.company_references(company, skus=validation.skus_named(data.conditions))
        others = ApprovalRule.objects.filter(company=company).exclude(pk=rule.pk)
        cleaned, problems = validation.clean_rule(
            data, refs, other_names=others.values_list("name", flat=True)
        )
        if problems:
            raise refusal(INVALID_RULE, problems)
        rule.name = cleaned.name
        rule.level = cleaned.level
        rule.approver_roles = list(cleaned.approver_roles)
        rule.active = cleaned.active
        try:
            with transaction.atomic():
                rule.save()
        except IntegrityError:
            # Another administrator saved a rule of that name meanwhile.
            raise refusal(
                INVALID_RULE,
                [
                    validation.Problem(
                        "name",
                        _("The company already has a rule named “%(name)s”.")
                        % {"name": cleaned.name},
                    )
                ],
            ) from None
        rule.approvers.set([int(pk) for pk in cleaned.approvers])
        write_conditions(rule, cleaned.conditions)
    return rule


def write_conditions(rule: ApprovalRule, conditions) -> None:
    """The rule's conditions become exactly these (checked already)."""
    rule.conditions.all().delete()
    ApprovalCondition.objects.bulk_create(
        ApprovalCondition(
            rule=rule, kind=condition.kind, values=list(condition.values), amount=condition.amount
        )
        for condition in conditions
    )


def rule_delete(*, company, rule_id: int) -> ApprovalRule:
    """Requests already waiting keep the rule as it was when they were submitted."""
    rule = _rule_of(company, rule_id)
    rule.delete()
    return rule


def _budget_of(company, budget_id: int | None) -> Budget:
    if budget_id is None:
        return Budget(company=company)
    budget = Budget.objects.filter(company=company, pk=budget_id).first()
    if budget is None:
        raise BusinessRuleError("not_found", _("There is no such budget."))
    return budget


def budget_scopes(company, *, excluding: int | None = None) -> set[tuple]:
    """`validation.budget_scope_key` of the company's budgets, users keyed by id as text."""
    rows = Budget.objects.filter(company=company).exclude(pk=excluding)
    return {
        (location.casefold() if location else None, str(user) if user else None, period)
        for location, user, period in rows.values_list("location__code", "user_id", "period")
    }


def budget_save(*, company, budget_id: int | None, data: validation.BudgetInput) -> Budget:
    """Creates the budget (`budget_id` None) or replaces an existing one of the company."""
    with transaction.atomic():
        budget = _budget_of(company, budget_id)
        refs = validation.company_references(company)
        cleaned, problems = validation.clean_budget(
            data, refs, other_scopes=budget_scopes(company, excluding=budget.pk)
        )
        if problems:
            raise refusal(INVALID_BUDGET, problems)
        budget.location = company.locations.get(code=cleaned.location) if cleaned.location else None
        budget.user_id = int(cleaned.user) if cleaned.user else None
        budget.period = cleaned.period
        budget.amount = cleaned.amount
        budget.over_budget = cleaned.over_budget
        budget.active = cleaned.active
        try:
            with transaction.atomic():
                budget.save()
        except IntegrityError:
            raise refusal(
                INVALID_BUDGET,
                [validation.Problem("period", _("There is already a budget for this period."))],
            ) from None
    return budget


def budget_delete(*, company, budget_id: int) -> Budget:
    budget = _budget_of(company, budget_id)
    budget.delete()
    return budget
