"""Approval rules, budgets and approval requests (issue 16; DESIGN.md "Team buying").

Rules and budgets are a company's data, set by its administrators and by the merchant; the
pure modules `rules.py` and `budgets.py` decide with them. An approval request is a snapshot
of a cart at checkout, as an order would have been: its lines, prices, taxes, addresses and
methods, and the rules it matched as they were then, so that a later change of a rule never
changes who must approve a request already waiting.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from comptoir.approvals import budgets, rules, stored
from comptoir.core.fields import AmountField, PercentField, PriceField
from comptoir.core.models import YearCounter
from comptoir.core.units import quantity_label


class ConditionKind(models.TextChoices):
    TOTAL_ABOVE = rules.TOTAL_ABOVE, _("order total above")
    CONTAINS_CATEGORY = rules.CONTAINS_CATEGORY, _("contains a category")
    CONTAINS_PRODUCT = rules.CONTAINS_PRODUCT, _("contains a product")
    PAYMENT_METHOD = rules.PAYMENT_METHOD, _("payment method")
    SHIPPING_METHOD = rules.SHIPPING_METHOD, _("shipping method")
    REQUESTER_ROLE = rules.REQUESTER_ROLE, _("requester's role")
    REQUESTER = rules.REQUESTER, _("requester")
    LOCATION = rules.LOCATION, _("location")
    BUDGET_EXCEEDED = rules.BUDGET_EXCEEDED, _("budget exceeded")


class ApprovalRule(models.Model):
    """Orders matching every condition wait for one of the approvers of the rule.

    Approvers are roles of the company (any user holding one) or named users; a rule of level
    2 is decided once every matching rule of level 1 is approved.
    """

    company = models.ForeignKey(
        "customers.Company",
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="approval_rules",
    )
    name = models.CharField(_("name"), max_length=120)
    level = models.PositiveSmallIntegerField(
        _("level"), default=1, help_text=_("Level 2 rules are decided after level 1, and so on.")
    )
    approver_roles = models.JSONField(
        _("approver roles"),
        default=list,
        blank=True,
        help_text=_("Codes of the roles whose holders may approve (e.g. approver, admin)."),
    )
    approvers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("named approvers"),
        blank=True,
        related_name="approval_rules",
    )
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("approval rule")
        verbose_name_plural = _("approval rules")
        ordering = ["company", "level", "id"]
        constraints = [
            models.UniqueConstraint(fields=["company", "name"], name="approval_rule_unique_name"),
            models.CheckConstraint(
                condition=Q(level__gte=1) & Q(level__lte=9), name="approval_rule_level_1_9"
            ),
        ]

    def __str__(self):
        return self.name


class ApprovalCondition(models.Model):
    """One condition of a rule: `values` are codes (or user ids for `requester`), `amount`
    the threshold of `total_above`, compared with the order total, tax included."""

    rule = models.ForeignKey(
        ApprovalRule,
        verbose_name=_("rule"),
        on_delete=models.CASCADE,
        related_name="conditions",
    )
    kind = models.CharField(_("condition"), max_length=24, choices=ConditionKind.choices)
    values = models.JSONField(_("values"), default=list, blank=True)
    amount = AmountField(_("amount"), null=True, blank=True)

    class Meta:
        verbose_name = _("condition")
        verbose_name_plural = _("conditions")
        ordering = ["rule", "id"]

    def __str__(self):
        return self.get_kind_display()


class BudgetPeriod(models.TextChoices):
    MONTH = budgets.MONTH, _("month")
    QUARTER = budgets.QUARTER, _("quarter")
    YEAR = budgets.YEAR, _("year")


class OverBudget(models.TextChoices):
    REFUSE = budgets.REFUSE, _("refuse the order")
    APPROVAL = budgets.APPROVAL, _("send it for approval")


class Budget(models.Model):
    """What a company, one of its locations or one of its users may spend per period.

    Spent = totals (tax included) of the scope's orders placed in the period and not
    cancelled + totals of its open approval requests.
    """

    company = models.ForeignKey(
        "customers.Company",
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="budgets",
    )
    location = models.ForeignKey(
        "customers.Location",
        verbose_name=_("location"),
        on_delete=models.CASCADE,
        related_name="budgets",
        null=True,
        blank=True,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="budgets",
        null=True,
        blank=True,
    )
    period = models.CharField(
        _("period"), max_length=8, choices=BudgetPeriod.choices, default=BudgetPeriod.MONTH
    )
    amount = AmountField(_("amount"))
    over_budget = models.CharField(
        _("over budget"), max_length=8, choices=OverBudget.choices, default=OverBudget.APPROVAL
    )
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        ordering = ["company", "location", "user", "period"]
        constraints = [
            models.CheckConstraint(
                condition=Q(location__isnull=True) | Q(user__isnull=True),
                name="budget_one_scope",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_amount_gte_0"),
            models.UniqueConstraint(
                fields=["company", "location", "user", "period"],
                name="budget_unique_scope_period",
                nulls_distinct=False,
            ),
        ]

    def __str__(self):
        return f"{self.amount} / {self.get_period_display()}"


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", _("waiting for approval")
    ORDERED = "ordered", _("approved and ordered")
    REJECTED = "rejected", _("rejected")
    EXPIRED = "expired", _("expired")
    CANCELLED = "cancelled", _("withdrawn")


OPEN_STATUSES = (ApprovalStatus.PENDING,)


class ApprovalRequest(models.Model):
    """A cart sent for approval instead of being ordered: a snapshot kept until `valid_until`.

    `rules` holds the rules matched at submission, as they were (`[{id, name, level,
    approver_roles, approver_ids, conditions}]`), `facts` what they were matched on (so that
    each reader is told why in their own language: approvals/stored.py), and
    `approved_rules` the ids approved so far.
    When the last approval cannot be turned into an order (stock, credit, a rule changed),
    the request stays pending with `placement_problem` shown to requester and approvers.
    """

    number = models.CharField(_("number"), max_length=32, unique=True)
    company = models.ForeignKey(
        "customers.Company",
        verbose_name=_("company"),
        on_delete=models.PROTECT,
        related_name="approval_requests",
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requester"),
        on_delete=models.PROTECT,
        related_name="approval_requests",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by (staff)"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("The merchant's staff user who wrote it for the buyer; empty: the buyer."),
    )
    location = models.ForeignKey(
        "customers.Location",
        verbose_name=_("location"),
        on_delete=models.PROTECT,
        related_name="approval_requests",
        null=True,
        blank=True,
    )
    quote = models.ForeignKey(
        "quotes.Quote",
        verbose_name=_("quote"),
        on_delete=models.SET_NULL,
        related_name="approval_requests",
        null=True,
        blank=True,
        help_text=_("The accepted quote the order is placed from, at its prices."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ApprovalStatus.choices, default=ApprovalStatus.PENDING
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    valid_until = models.DateField(_("valid until"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    rules = models.JSONField(_("matched rules"), default=list)
    facts = models.JSONField(
        _("facts the rules were matched on"), default=dict, blank=True, editable=False
    )
    approved_rules = models.JSONField(_("approved rules"), default=list, blank=True)
    budget_exceeded = models.BooleanField(_("over budget"), default=False)
    rejection_reason = models.TextField(_("rejection reason"), blank=True)
    placement_problem = models.TextField(_("why it could not be ordered"), blank=True)
    order = models.OneToOneField(
        "ordering.Order",
        verbose_name=_("order"),
        on_delete=models.SET_NULL,
        related_name="approval_request",
        null=True,
        blank=True,
    )
    currency = models.CharField(_("currency"), max_length=3)
    customer_group_code = models.CharField(_("customer group"), max_length=64, blank=True)
    po_number = models.CharField(_("purchase-order number"), max_length=64, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    payment_method_code = models.CharField(_("payment method"), max_length=64, blank=True)
    payment_method_name = models.CharField(_("payment method name"), max_length=200, blank=True)
    shipping_method_code = models.CharField(_("shipping method"), max_length=64, blank=True)
    shipping_method_name = models.CharField(_("shipping method name"), max_length=200, blank=True)
    shipping_address = models.JSONField(_("shipping address"))
    subtotal = AmountField(_("subtotal"))
    discount_total = AmountField(_("discounts"))
    shipping_total = AmountField(_("shipping"))
    tax_total = AmountField(_("tax"))
    total = AmountField(_("total"))
    tax_lines = models.JSONField(_("tax lines"), default=list, blank=True)

    class Meta:
        verbose_name = _("approval request")
        verbose_name_plural = _("approval requests")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["company", "status"], name="approval_company_status_idx"),
            models.Index(fields=["status", "valid_until"], name="approval_status_valid_idx"),
        ]

    def __str__(self):
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def rule_views(self) -> list[dict]:
        """The rules it waits for, with why, in the active language (templates, e-mails)."""
        return stored.rule_views(self)


class ApprovalLine(models.Model):
    """A line of the snapshot: what the order will carry if approved (prices kept, taxes
    recomputed on the order date)."""

    request = models.ForeignKey(
        ApprovalRequest,
        verbose_name=_("approval request"),
        on_delete=models.CASCADE,
        related_name="lines",
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    product = models.ForeignKey(
        "catalog.Product",
        verbose_name=_("product"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    sku = models.CharField(_("SKU"), max_length=64)
    name = models.CharField(_("name"), max_length=255)
    quantity = models.PositiveIntegerField(_("quantity"))
    packaging = models.ForeignKey(
        "catalog.Packaging",
        verbose_name=_("packaging"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("What the quantity counts; empty: the product's unit."),
    )
    unit_price = PriceField(_("unit price"))
    gross = AmountField(_("gross amount"))
    promotion_percent = PercentField(_("promotion (%)"), null=True, blank=True)
    promotion_amount = AmountField(_("promotion"), default=0)
    volume_percent = PercentField(_("volume discount (%)"), null=True, blank=True)
    volume_amount = AmountField(_("volume discount"), default=0)
    net = AmountField(_("net amount"))
    tax_rate = PercentField(_("tax rate (%)"))
    explanation = models.JSONField(_("price explanation"), default=list, blank=True)

    class Meta:
        verbose_name = _("line")
        verbose_name_plural = _("lines")
        ordering = ["request", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="approval_line_qty_gte_1"),
        ]

    def __str__(self):
        return f"{self.sku} × {self.quantity}"

    @property
    def quantity_label(self) -> str:
        """ "3 cases (432 pieces)" for a line in a packaging (its packaging and product
        prefetched by the reader), else the number."""
        if self.packaging_id is None:
            return self.quantity
        packaging = self.packaging
        return quantity_label(
            self.quantity,
            packaging.unit,
            self.quantity * packaging.factor,
            packaging.product.unit,
        )


class ApprovalAction(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    ORDERED = "ordered", _("ordered")
    NOT_ORDERED = "not_ordered", _("could not be ordered")
    EXPIRED = "expired", _("expired")
    CANCELLED = "cancelled", _("withdrawn")


class ApprovalEvent(models.Model):
    """The audit trail of a request: every step, by whom (a company user or merchant staff)."""

    request = models.ForeignKey(
        ApprovalRequest,
        verbose_name=_("approval request"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("for them, by (staff)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The merchant's staff user who did it in the company user's name."),
    )
    action = models.CharField(_("action"), max_length=12, choices=ApprovalAction.choices)
    level = models.PositiveSmallIntegerField(_("level"), null=True, blank=True)
    message = models.TextField(_("message"), blank=True)

    class Meta:
        verbose_name = _("approval event")
        verbose_name_plural = _("approval events")
        ordering = ["request", "at", "id"]

    def __str__(self):
        return f"{self.request} {self.action}"


class ApprovalCounter(YearCounter):
    """The last approval request number of a year: APR-2026-000123."""

    class Meta:
        verbose_name = _("approval request counter")
        verbose_name_plural = _("approval request counters")
