"""The forms of a company's own approval rules and budgets (account pages).

They only gather input: whether it may be saved is `validation.py`'s answer, given by the
service, whose problems come back here on the fields they name. A rule's form has one field
per kind of condition (left empty: no such condition), as the rule has at most one of each.
"""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from comptoir.accounts.selectors import role_choices
from comptoir.approvals import budgets, rules
from comptoir.approvals.models import BudgetPeriod, OverBudget
from comptoir.approvals.validation import BudgetInput, ConditionInput, Problem, RuleInput
from comptoir.payments.models import PaymentMethod, ShippingMethod

_SEPARATORS = re.compile(r"[\s,;]+")


def split_codes(text: str) -> tuple[str, ...]:
    """ "FASTENERS, screws; SCR-100" as its codes, in the order typed."""
    return tuple(code for code in _SEPARATORS.split(text or "") if code)


class OpenMultipleChoiceField(forms.MultipleChoiceField):
    """Checkboxes whose values the shared check judges (with its message naming the value),
    not the field: a value the form does not offer is refused in the same words as in the
    back office and the bundle."""

    def valid_value(self, value):
        return True


class OpenChoiceField(forms.ChoiceField):
    """A select judged by the shared check, as `OpenMultipleChoiceField`."""

    def valid_value(self, value):
        return True


# The form's field for each kind of condition, in the order the form shows them.
CONDITION_FIELDS = {
    rules.TOTAL_ABOVE: "total_above",
    rules.CONTAINS_CATEGORY: "categories",
    rules.CONTAINS_PRODUCT: "skus",
    rules.PAYMENT_METHOD: "payment_methods",
    rules.SHIPPING_METHOD: "shipping_methods",
    rules.REQUESTER_ROLE: "requester_roles",
    rules.REQUESTER: "requesters",
    rules.LOCATION: "locations",
    rules.BUDGET_EXCEEDED: "budget_exceeded",
}
TEXT_KINDS = {rules.CONTAINS_CATEGORY, rules.CONTAINS_PRODUCT}


class RuleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    level = forms.IntegerField(
        label=_("Level"),
        initial=1,
        help_text=_("Level 2 rules are decided after level 1, and so on (1 to 9)."),
    )
    approver_roles = OpenMultipleChoiceField(
        label=_("Approved by users of these roles"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    approvers = OpenMultipleChoiceField(
        label=_("Or by these users"), required=False, widget=forms.CheckboxSelectMultiple
    )
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    total_above = forms.DecimalField(
        label=_("When the order total (tax included) is above"), required=False
    )
    categories = forms.CharField(
        label=_("When it contains products of these categories"),
        required=False,
        help_text=_("Category codes separated by commas."),
    )
    skus = forms.CharField(
        label=_("When it contains these products"),
        required=False,
        help_text=_("SKUs separated by commas."),
    )
    payment_methods = OpenMultipleChoiceField(
        label=_("When it is paid by"), required=False, widget=forms.CheckboxSelectMultiple
    )
    shipping_methods = OpenMultipleChoiceField(
        label=_("When it ships by"), required=False, widget=forms.CheckboxSelectMultiple
    )
    requester_roles = OpenMultipleChoiceField(
        label=_("When the buyer has one of these roles"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    requesters = OpenMultipleChoiceField(
        label=_("When the buyer is one of these users"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    locations = OpenMultipleChoiceField(
        label=_("When it is for one of these locations"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    budget_exceeded = forms.BooleanField(
        label=_("When it goes over a budget that sends such orders for approval"), required=False
    )

    def __init__(self, *args, users, locations, rule=None, **kwargs):
        if rule is not None:
            kwargs.setdefault("initial", rule_initial(rule))
        super().__init__(*args, **kwargs)
        people = [(str(user.pk), user.get_full_name() or user.email) for user in users]
        roles = role_choices()
        self.fields["approver_roles"].choices = roles
        self.fields["requester_roles"].choices = roles
        self.fields["approvers"].choices = people
        self.fields["requesters"].choices = people
        self.fields["locations"].choices = [(loc.code, loc.name) for loc in locations]
        self.fields["payment_methods"].choices = list(
            PaymentMethod.objects.filter(active=True).values_list("code", "name")
        )
        self.fields["shipping_methods"].choices = list(
            ShippingMethod.objects.filter(active=True).values_list("code", "name")
        )
        self._kinds: list[str] = []

    def rule_input(self) -> RuleInput:
        data = self.cleaned_data
        conditions = []
        self._kinds = []
        for kind, name in CONDITION_FIELDS.items():
            value = data.get(name)
            if kind == rules.TOTAL_ABOVE:
                condition = ConditionInput(kind, amount=value) if value is not None else None
            elif kind == rules.BUDGET_EXCEEDED:
                condition = ConditionInput(kind) if value else None
            else:
                values = split_codes(value) if kind in TEXT_KINDS else tuple(value or ())
                condition = ConditionInput(kind, values=values) if values else None
            if condition is not None:
                conditions.append(condition)
                self._kinds.append(kind)
        return RuleInput(
            name=data["name"],
            level=data["level"],
            approver_roles=tuple(data.get("approver_roles") or ()),
            approvers=tuple(data.get("approvers") or ()),
            active=data.get("active", False),
            conditions=tuple(conditions),
        )

    def add_problems(self, problems: list[Problem]) -> None:
        for problem in problems:
            name = problem.field
            match = re.match(r"conditions\[(\d+)\]", name)
            if match:
                name = CONDITION_FIELDS[self._kinds[int(match.group(1))]]
            self.add_error(name if name in self.fields else None, problem.message)


def rule_initial(rule) -> dict:
    initial = {
        "name": rule.name,
        "level": rule.level,
        "approver_roles": list(rule.approver_roles),
        "approvers": [str(user.pk) for user in rule.approvers.all()],
        "active": rule.active,
    }
    for condition in rule.conditions.all():
        name = CONDITION_FIELDS.get(condition.kind)
        if condition.kind == rules.TOTAL_ABOVE:
            initial[name] = condition.amount
        elif condition.kind == rules.BUDGET_EXCEEDED:
            initial[name] = True
        elif condition.kind in TEXT_KINDS:
            initial[name] = ", ".join(condition.values)
        elif name:
            initial[name] = list(condition.values)
    return initial


class BudgetForm(forms.Form):
    location = OpenChoiceField(
        label=_("Location"),
        required=False,
        help_text=_("Leave location and user empty for a budget of the whole company."),
    )
    user = OpenChoiceField(label=_("User"), required=False)
    period = forms.ChoiceField(label=_("Period"), choices=BudgetPeriod.choices)
    amount = forms.DecimalField(label=_("Amount (tax included)"))
    over_budget = forms.ChoiceField(
        label=_("An order over the budget is"),
        choices=OverBudget.choices,
        initial=budgets.APPROVAL,
        widget=forms.RadioSelect,
    )
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, users, locations, budget=None, **kwargs):
        if budget is not None:
            kwargs.setdefault(
                "initial",
                {
                    "location": budget.location.code if budget.location else "",
                    "user": str(budget.user_id) if budget.user_id else "",
                    "period": budget.period,
                    "amount": budget.amount,
                    "over_budget": budget.over_budget,
                    "active": budget.active,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["location"].choices = [("", "—")] + [(loc.code, loc.name) for loc in locations]
        self.fields["user"].choices = [("", "—")] + [
            (str(user.pk), user.get_full_name() or user.email) for user in users
        ]

    def budget_input(self) -> BudgetInput:
        data = self.cleaned_data
        return BudgetInput(
            location=data.get("location") or None,
            user=data.get("user") or None,
            period=data["period"],
            amount=data["amount"],
            over_budget=data["over_budget"],
            active=data.get("active", False),
        )

    def add_problems(self, problems: list[Problem]) -> None:
        for problem in problems:
            self.add_error(problem.field if problem.field in self.fields else None, problem.message)
