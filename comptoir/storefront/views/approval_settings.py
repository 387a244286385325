"""A company's approval rules and budgets, set by its own administrators (issue 16).

Open to users who may manage users, as the team page is; every rule and budget is looked up
within the caller's company, so another company's is a 404. What may be saved is decided by
`approvals.validation`, as in the back office and the store bundle.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from comptoir.accounts.models import User
from comptoir.accounts.permissions import MANAGE_USERS
from comptoir.accounts.selectors import role_choices, user_access
from comptoir.approvals import configuration, rules
from comptoir.approvals.forms import BudgetForm, RuleForm
from comptoir.approvals.models import ApprovalRule, Budget
from comptoir.approvals.selectors import company_budgets, company_rules
from comptoir.approvals.validation import Problem
from comptoir.core.errors import BusinessRuleError
from comptoir.core.selectors import store_today
from comptoir.storefront.money_display import money


def _refusal(request):
    viewer = request.viewer
    if viewer.company is not None and user_access(viewer.user).allows(MANAGE_USERS):
        return None
    return TemplateResponse(
        request,
        "storefront/permission_denied.html",
        {
            "reason": _(
                "Your role does not allow you to manage your company's approval rules and budgets."
            )
        },
        status=403,
    )


def _colleagues(company):
    return list(User.objects.filter(company=company).order_by("last_name", "first_name", "email"))


@require_GET
@login_required
def approval_rules(request):
    refused = _refusal(request)
    if refused:
        return refused
    company = request.viewer.company
    people = {str(user.pk): user.get_full_name() for user in _colleagues(company)}
    roles = dict(role_choices())
    rows = [
        {
            "rule": rule,
            "conditions": [_condition_text(c, people, request) for c in rule.conditions.all()],
            "approvers": [roles.get(code, code) for code in rule.approver_roles]
            + [user.get_full_name() for user in rule.approvers.all()],
        }
        for rule in company_rules(company)
    ]
    return render(request, "storefront/approval_rules.html", {"company": company, "rows": rows})


def _condition_text(condition, people: dict[str, str], request) -> str:
    """“Order total above: 2,000.00 EUR”, “Requester: Marie Dupont, Paul Martin”."""
    label = condition.get_kind_display()
    if condition.kind == rules.TOTAL_ABOVE:
        return f"{label} {money(condition.amount, request.viewer.store.currency)}"
    if condition.kind == rules.BUDGET_EXCEEDED:
        return str(label)
    values = condition.values
    if condition.kind == rules.REQUESTER:
        values = [people.get(str(value), str(value)) for value in values]
    return f"{label}: {', '.join(values)}"


@require_http_methods(["GET", "POST"])
@login_required
def approval_rule(request, rule_id: int | None = None):
    """GET: the rule's form (empty for a new one); POST: save it, or show what is wrong."""
    refused = _refusal(request)
    if refused:
        return refused
    company = request.viewer.company
    rule = None
    if rule_id is not None:
        rule = (
            ApprovalRule.objects.filter(company=company, pk=rule_id)
            .prefetch_related("conditions", "approvers")
            .first()
        )
        if rule is None:
            raise Http404
    form = RuleForm(
        request.POST or None,
        users=_colleagues(company),
        locations=list(company.locations.order_by("position", "id")),
        rule=rule,
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = configuration.rule_save(
                company=company, rule_id=rule_id, data=form.rule_input()
            )
        except BusinessRuleError as error:
            form.add_problems(_problems(error))
        else:
            messages.success(request, _("Approval rule “%(name)s” saved.") % {"name": saved.name})
            return redirect("storefront:approval_rules")
    return render(
        request,
        "storefront/approval_rule.html",
        {"rule": rule, "form": form},
        status=422 if request.method == "POST" else 200,
    )


@require_POST
@login_required
def approval_rule_delete(request, rule_id: int):
    refused = _refusal(request)
    if refused:
        return refused
    try:
        rule = configuration.rule_delete(company=request.viewer.company, rule_id=rule_id)
    except BusinessRuleError:
        raise Http404 from None
    messages.success(request, _("Approval rule “%(name)s” deleted.") % {"name": rule.name})
    return redirect("storefront:approval_rules")


@require_GET
@login_required
def company_budget_list(request):
    refused = _refusal(request)
    if refused:
        return refused
    viewer = request.viewer
    standings = company_budgets(
        viewer.company, today=store_today(viewer.store), time_zone=viewer.store.time_zone
    )
    return render(
        request,
        "storefront/budgets.html",
        {
            "company": viewer.company,
            "standings": standings,
            "currency": viewer.store.currency,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def company_budget(request, budget_id: int | None = None):
    refused = _refusal(request)
    if refused:
        return refused
    company = request.viewer.company
    budget = None
    if budget_id is not None:
        budget = Budget.objects.filter(company=company, pk=budget_id).select_related("location")
        budget = budget.first()
        if budget is None:
            raise Http404
    form = BudgetForm(
        request.POST or None,
        users=_colleagues(company),
        locations=list(company.locations.order_by("position", "id")),
        budget=budget,
    )
    if request.method == "POST" and form.is_valid():
        try:
            configuration.budget_save(
                company=company, budget_id=budget_id, data=form.budget_input()
            )
        except BusinessRuleError as error:
            form.add_problems(_problems(error))
        else:
            messages.success(request, _("Budget saved."))
            return redirect("storefront:budgets")
    return render(
        request,
        "storefront/budget.html",
        {"budget": budget, "form": form, "currency": request.viewer.store.currency},
        status=422 if request.method == "POST" else 200,
    )


@require_POST
@login_required
def company_budget_delete(request, budget_id: int):
    refused = _refusal(request)
    if refused:
        return refused
    try:
        configuration.budget_delete(company=request.viewer.company, budget_id=budget_id)
    except BusinessRuleError:
        raise Http404 from None
    messages.success(request, _("Budget deleted."))
    return redirect("storefront:budgets")


def _problems(error: BusinessRuleError) -> list[Problem]:
    return [Problem(item["field"], item["message"]) for item in error.errors] or [
        Problem("", error.message)
    ]
