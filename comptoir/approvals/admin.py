"""The back office of approvals: companies' rules and budgets, set by the merchant as by the
companies' own administrators (both checked by `validation.py`), and the approval requests,
read-only snapshots with their trail."""

from django import forms
from django.contrib import admin
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from comptoir.accounts.models import User
from comptoir.accounts.selectors import role_choices
from comptoir.approvals import rules, validation
from comptoir.approvals.configuration import budget_scopes
from comptoir.approvals.forms import split_codes
from comptoir.approvals.models import (
    ApprovalCondition,
    ApprovalEvent,
    ApprovalLine,
    ApprovalRequest,
    ApprovalRule,
    Budget,
)
from comptoir.approvals.selectors import budget_spending
from comptoir.core.admin_filters import store_today
from comptoir.core.admin_money import localized_decimal, money_column, percent_column
from comptoir.core.models import Store
from comptoir.ordering.admin import SnapshotInlineMixin, as_money, format_address, format_json


def _rule_problems_on(form, problems, fields: dict[str, str]) -> None:
    """Each problem on the form field that shows the value it names."""
    for problem in problems:
        form.add_error(fields.get(problem.field), problem.message)


class ApprovalRuleForm(forms.ModelForm):
    approver_roles = forms.MultipleChoiceField(
        label=_("approver roles"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Users holding one of these roles may approve."),
    )

    class Meta:
        model = ApprovalRule
        fields = ("company", "name", "level", "approver_roles", "approvers", "active")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["approver_roles"].choices = role_choices()

    def clean(self):
        """The rule without its conditions, which its inline checks with the same function."""
        cleaned = super().clean()
        company = cleaned.get("company")
        if company is None or "name" not in cleaned or "level" not in cleaned:
            return cleaned
        others = ApprovalRule.objects.filter(company=company).exclude(pk=self.instance.pk)
        rule, problems = validation.clean_rule(
            validation.RuleInput(
                name=cleaned["name"],
                level=cleaned["level"],
                approver_roles=tuple(cleaned.get("approver_roles") or ()),
                approvers=tuple(str(user.pk) for user in cleaned.get("approvers") or ()),
                active=cleaned.get("active", False),
            ),
            validation.company_references(company),
            other_names=others.values_list("name", flat=True),
        )
        _rule_problems_on(
            self,
            problems,
            {
                "name": "name",
                "level": "level",
                "approver_roles": "approver_roles",
                "approvers": "approvers",
            },
        )
        cleaned["approver_roles"] = list(rule.approver_roles)
        return cleaned


class ConditionForm(forms.ModelForm):
    values = forms.CharField(
        label=_("values"),
        required=False,
        widget=forms.TextInput(attrs={"size": 50}),
        help_text=_(
            "Separated by commas: category codes, SKUs, method codes, role codes, "
            "location codes, or the e-mails of the requesters."
        ),
    )

    class Meta:
        model = ApprovalCondition
        fields = ("kind", "values", "amount")

    def clean_values(self):
        return list(split_codes(self.cleaned_data["values"]))


class ConditionFormSet(BaseInlineFormSet):
    """Requesters are typed and shown as e-mails, kept as ids; the conditions are checked
    with the rule, by the shared function."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        requesters = {
            value
            for form in self.forms
            if form.instance.pk and form.instance.kind == rules.REQUESTER
            for value in form.instance.values
        }
        emails = dict(
            User.objects.filter(pk__in=[int(v) for v in requesters if v.isdigit()]).values_list(
                "pk", "email"
            )
        )
        for form in self.forms:
            if form.instance.pk is None:
                continue
            values = form.instance.values
            if form.instance.kind == rules.REQUESTER:
                values = [emails.get(int(v), v) if v.isdigit() else v for v in values]
            form.initial["values"] = ", ".join(values)

    def clean(self):
        super().clean()
        rule = self.instance
        if rule.company_id is None:
            return
        kept = [
            form
            for form in self.forms
            if form.cleaned_data.get("kind") and not form.cleaned_data.get("DELETE")
        ]
        conditions = tuple(
            validation.ConditionInput(
                kind=form.cleaned_data["kind"],
                values=tuple(form.cleaned_data.get("values") or ()),
                amount=form.cleaned_data.get("amount"),
            )
            for form in kept
        )
        refs = validation.company_references(rule.company, skus=validation.skus_named(conditions))
        cleaned, problems = validation.clean_conditions(conditions, refs)
        for problem in problems:
            position, _dot, name = problem.field.removeprefix("conditions[").partition("].")
            kept[int(position)].add_error(name, problem.message)
        if not problems:
            for form, condition in zip(kept, cleaned, strict=True):
                form.instance.values = list(condition.values)


class ApprovalConditionInline(admin.TabularInline):
    model = ApprovalCondition
    form = ConditionForm
    formset = ConditionFormSet
    extra = 1
    fields = ("kind", "values", "amount")


@admin.register(ApprovalRule)
class ApprovalRuleAdmin(admin.ModelAdmin):
    form = ApprovalRuleForm
    list_display = ("name", "company", "level", "conditions_display", "approvers_display", "active")
    list_select_related = ("company",)
    list_filter = ("company", "level", "active")
    search_fields = ("name", "company__code", "company__name")
    ordering = ("company__code", "level", "name")
    autocomplete_fields = ("company", "approvers")
    inlines = (ApprovalConditionInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("conditions", "approvers")

    @admin.display(description=_("conditions"))
    def conditions_display(self, obj):
        parts = []
        for condition in obj.conditions.all():
            label = condition.get_kind_display()
            if condition.kind == rules.TOTAL_ABOVE:
                parts.append(f"{label} {localized_decimal(condition.amount)}")
            elif condition.kind == rules.BUDGET_EXCEEDED:
                parts.append(str(label))
            elif condition.kind == rules.REQUESTER:
                parts.append(f"{label} ({len(condition.values)})")
            else:
                parts.append(f"{label}: {', '.join(condition.values)}")
        return "; ".join(parts) or _("every order")

    @admin.display(description=_("approvers"))
    def approvers_display(self, obj):
        return ", ".join([*obj.approver_roles, *(user.email for user in obj.approvers.all())])


class BudgetForm(forms.ModelForm):
    """The location by its code and the user by their e-mail, both of the company."""

    location_code = forms.CharField(
        label=_("location"),
        required=False,
        max_length=64,
        help_text=_("The code of one of the company's locations; empty: not a location's."),
    )
    user_email = forms.CharField(
        label=_("user"),
        required=False,
        max_length=254,
        help_text=_("The e-mail of one of the company's users; empty: not a user's."),
    )

    class Meta:
        model = Budget
        fields = ("company", "period", "amount", "over_budget", "active")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        budget = self.instance
        if budget.pk:
            self.initial["location_code"] = budget.location.code if budget.location else ""
            self.initial["user_email"] = budget.user.email if budget.user else ""

    def clean(self):
        cleaned = super().clean()
        company = cleaned.get("company")
        if company is None or cleaned.get("amount") is None or not cleaned.get("period"):
            return cleaned
        budget, problems = validation.clean_budget(
            validation.BudgetInput(
                location=cleaned.get("location_code") or None,
                user=cleaned.get("user_email") or None,
                period=cleaned["period"],
                amount=cleaned["amount"],
                over_budget=cleaned.get("over_budget") or "",
                active=cleaned.get("active", False),
            ),
            validation.company_references(company),
            other_scopes=budget_scopes(company, excluding=self.instance.pk),
        )
        _rule_problems_on(
            self,
            problems,
            {
                "location": "location_code",
                "user": "user_email",
                "period": "period",
                "amount": "amount",
                "over_budget": "over_budget",
            },
        )
        if not problems:
            self.instance.location = (
                company.locations.get(code=budget.location) if budget.location else None
            )
            self.instance.user_id = int(budget.user) if budget.user else None
        return cleaned


@admin.register(Budget)
class BudgetAdmin(admin.ModelAdmin):
    """What is spent is counted for the page's budgets at once (two queries)."""

    form = BudgetForm
    list_display = (
        "company",
        "scope_display",
        "period",
        money_column(Budget, "amount"),
        "spent_display",
        "left_display",
        "over_budget",
        "active",
    )
    list_select_related = ("company", "location", "user")
    list_filter = ("company", "period", "over_budget", "active")
    search_fields = ("company__code", "company__name", "location__code", "user__email")
    ordering = ("company__code", "location__code", "user__email", "period")
    autocomplete_fields = ("company",)
    fields = (
        "company",
        "location_code",
        "user_email",
        "period",
        "amount",
        "over_budget",
        "active",
    )

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            shown = list(changelist.result_list)
            time_zone = Store.objects.values_list("time_zone", flat=True).first() or "UTC"
            spent = budget_spending(shown, today=store_today(), time_zone=time_zone)
            for budget in shown:
                budget.spent_this_period = spent[budget.pk]
        return response

    @admin.display(description=_("for"))
    def scope_display(self, obj):
        if obj.location_id:
            return _("location %(code)s") % {"code": obj.location.code}
        if obj.user_id:
            return obj.user.email
        return _("the whole company")

    @admin.display(description=_("spent this period"))
    def spent_display(self, obj):
        spent = getattr(obj, "spent_this_period", None)
        return "-" if spent is None else localized_decimal(spent)

    @admin.display(description=_("left"))
    def left_display(self, obj):
        spent = getattr(obj, "spent_this_period", None)
        return "-" if spent is None else localized_decimal(max(obj.amount - spent, 0))


# The snapshot's decimals, shown as money (core/admin_money.py).
LINE_MONEY = {
    name: money_column(ApprovalLine, name)
    for name in ("unit_price", "gross", "promotion_amount", "volume_amount", "net")
} | {
    name: percent_column(ApprovalLine, name)
    for name in ("promotion_percent", "volume_percent", "tax_rate")
}
REQUEST_MONEY = {
    name: money_column(ApprovalRequest, name)
    for name in ("subtotal", "discount_total", "shipping_total", "tax_total", "total")
}


class ApprovalLineInline(SnapshotInlineMixin, admin.TabularInline):
    model = ApprovalLine
    fields = as_money(
        (
            "position",
            "sku",
            "name",
            "quantity",
            "unit_price",
            "gross",
            "promotion_percent",
            "promotion_amount",
            "volume_percent",
            "volume_amount",
            "net",
            "tax_rate",
        ),
        LINE_MONEY,
    )


class ApprovalEventInline(SnapshotInlineMixin, admin.TabularInline):
    model = ApprovalEvent
    fields = ("at", "actor", "staff", "action", "level", "message")


@admin.register(ApprovalRequest)
class ApprovalRequestAdmin(admin.ModelAdmin):
    """Requests are submitted at checkout and decided by the company's approvers: the back
    office shows them as they are, with every step of their trail."""

    list_display = (
        "number",
        "submitted_at",
        "company",
        "requester",
        "status",
        REQUEST_MONEY["total"],
        "currency",
        "valid_until",
        "order_link",
    )
    list_select_related = ("company", "requester", "order")
    list_filter = ("status", "company", "submitted_at", "budget_exceeded")
    search_fields = ("number", "company__code", "company__name", "requester__email", "po_number")
    ordering = ("-submitted_at", "-id")
    date_hierarchy = "submitted_at"
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "number",
                    "company",
                    "requester",
                    "location",
                    "status",
                    "submitted_at",
                    "valid_until",
                    "decided_at",
                    "order_link",
                )
            },
        ),
        (
            _("Approval"),
            {
                "fields": (
                    "rules_display",
                    "budget_exceeded",
                    "rejection_reason",
                    "placement_problem",
                )
            },
        ),
        (
            _("Payment and shipping"),
            {
                "fields": (
                    "customer_group_code",
                    "payment_method_code",
                    "payment_method_name",
                    "shipping_method_code",
                    "shipping_method_name",
                    "po_number",
                    "comment",
                    "shipping_address_display",
                )
            },
        ),
        (
            _("Totals"),
            {
                "fields": as_money(
                    (
                        "currency",
                        "subtotal",
                        "discount_total",
                        "shipping_total",
                        "tax_total",
                        "total",
                        "tax_lines_display",
                    ),
                    REQUEST_MONEY,
                )
            },
        ),
    )
    inlines = (ApprovalLineInline, ApprovalEventInline)

    def get_readonly_fields(self, request, obj=None):
        return [name for _title, options in self.fieldsets for name in options["fields"]]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("order"))
    def order_link(self, obj):
        if obj.order_id is None:
            return "-"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:ordering_order_change", args=[obj.order_id]),
            obj.order.number,
        )

    @admin.display(description=_("matched rules"))
    def rules_display(self, obj):
        rows = [
            (
                view["level"],
                view["name"],
                ", ".join(view["reasons"]),
                _("approved") if view["approved"] else _("waiting"),
            )
            for view in obj.rule_views()
        ]
        if not rows:
            return "-"
        return format_html_join(mark_safe("<br>"), "{} · {}: {} ({})", rows)

    @admin.display(description=_("shipping address"))
    def shipping_address_display(self, obj):
        return format_address(obj.shipping_address)

    @admin.display(description=_("tax lines"))
    def tax_lines_display(self, obj):
        return format_json(obj.tax_lines)
