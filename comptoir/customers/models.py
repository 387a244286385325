from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from comptoir.core.fields import AmountField, CodeField, CountryField, RegionField
from comptoir.customers import segmentation


class CustomerGroup(models.Model):
    """Companies that share prices, rules, catalog and options (RETAIL, PRO, WHOLESALE...)."""

    code = CodeField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    min_order_amount = AmountField(
        _("minimum order amount"),
        null=True,
        blank=True,
        help_text=_("Empty: the store's minimum applies. 0.00: no minimum."),
    )
    tax_exempt = models.BooleanField(_("tax exempt"), default=False)
    limit_catalog = models.BooleanField(
        _("limit the catalog to chosen categories"),
        default=False,
        help_text=_("When set, the group sees only products of its catalog categories."),
    )
    catalog_categories = models.ManyToManyField(
        "catalog.Category",
        verbose_name=_("catalog categories"),
        related_name="limited_groups",
        blank=True,
    )

    class Meta:
        verbose_name = _("customer group")
        verbose_name_plural = _("customer groups")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_order_amount__gte=0) | models.Q(min_order_amount=None),
                name="group_min_order_amount_gte_0",
                violation_error_message=_("The minimum order amount cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.code} — {self.name}"


class CompanyStatus(models.TextChoices):
    PENDING = "pending", _("Pending approval")
    APPROVED = "approved", _("Approved")
    SUSPENDED = "suspended", _("Suspended")
    REJECTED = "rejected", _("Request rejected")


class Company(models.Model):
    """A business customer; its users are its buyers."""

    code = CodeField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    group = models.ForeignKey(
        CustomerGroup,
        verbose_name=_("customer group"),
        on_delete=models.PROTECT,
        related_name="companies",
    )
    pinned_group = models.BooleanField(
        _("group pinned by hand"),
        default=False,
        help_text=_("Segmentation rules never move a company whose group is pinned."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=CompanyStatus.choices, default=CompanyStatus.PENDING
    )
    country = CountryField(_("country"))
    region = RegionField(_("region"))
    vat_number = models.CharField(_("VAT number"), max_length=32, blank=True)
    credit_limit = AmountField(
        _("credit limit"),
        null=True,
        blank=True,
        help_text=_("Empty: no payment on invoice terms."),
    )
    rejection_reason = models.TextField(
        _("reason for rejection"),
        blank=True,
        help_text=_("Sent to the applicant when the account request is rejected."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    # Integrations fetch what changed (issue 19): every writer sets it, bulk ones explicitly.
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["status"], name="company_status_idx"),
            models.Index(fields=["country", "region"], name="company_country_region_idx"),
            models.Index(fields=["updated_at", "id"], name="company_updated_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(credit_limit__gte=0) | models.Q(credit_limit=None),
                name="company_credit_limit_gte_0",
                violation_error_message=_("The credit limit cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.code} — {self.name}"


class Location(models.Model):
    """A site of a company (a shop, a plant, a depot): one level under it.

    Orders, carts and budgets belong to a location, and a user may be limited to some. Every
    company has at least one; a company with one location works as if locations did not exist.
    """

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE, related_name="locations"
    )
    code = CodeField(_("code"))
    name = models.CharField(_("name"), max_length=200)
    position = models.PositiveIntegerField(_("position"), default=0)
    billing_address = models.ForeignKey(
        "Address",
        verbose_name=_("billing address"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="billed_locations",
        help_text=_("Empty: the company's default address."),
    )

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["company", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["company", "code"], name="location_code_unique"),
        ]

    def __str__(self):
        return f"{self.code} — {self.name}"

    def clean(self):
        super().clean()
        if self.billing_address_id and self.billing_address.company_id != self.company_id:
            raise ValidationError(
                {"billing_address": _("The billing address must be one of the company's.")}
            )


class Address(models.Model):
    """A company address; the first one (lowest position) is the default billing and shipping.

    An address of a location is where that location's orders ship; one without a location
    belongs to the whole company (its head office).
    """

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE, related_name="addresses"
    )
    location = models.ForeignKey(
        Location,
        verbose_name=_("location"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="addresses",
    )
    code = CodeField(_("code"))
    position = models.PositiveIntegerField(_("position"), default=0)
    line1 = models.CharField(_("address line 1"), max_length=200)
    line2 = models.CharField(_("address line 2"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100)
    postal_code = models.CharField(_("postal code"), max_length=20)
    country = CountryField(_("country"))
    region = RegionField(_("region"))

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        ordering = ["company", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["company", "code"], name="address_code_unique"),
        ]

    def __str__(self):
        return f"{self.line1}, {self.postal_code} {self.city}, {self.country}"

    def clean(self):
        super().clean()
        if self.location_id and self.location.company_id != self.company_id:
            raise ValidationError({"location": _("The location must be one of the company's.")})


class ProfileField(models.TextChoices):
    """Company profile metrics that segmentation conditions can test (DESIGN.md "Segmentation")."""

    COUNTRY = "country", _("country")
    REGION = "region", _("region")
    ORDER_VOLUME_12M = "order_volume_12m", _("order volume over 12 months (net)")
    ORDER_COUNT_12M = "order_count_12m", _("number of orders over 12 months")
    AVG_DAYS_BETWEEN_ORDERS = "avg_days_between_orders", _("average days between orders")
    UNITS_12M = "units_12m", _("units ordered over 12 months")
    CATEGORIES_BOUGHT = "categories_bought", _("categories bought")
    DAYS_SINCE_LAST_ORDER = "days_since_last_order", _("days since the last order")


class Operator(models.TextChoices):
    EQ = "=", "="
    NE = "!=", "≠"
    LT = "<", "<"
    LE = "<=", "≤"
    GT = ">", ">"
    GE = ">=", "≥"
    IN = "in", _("in")


class SegmentationRule(models.Model):
    """Companies whose profile meets every condition move to `group`; the first match wins."""

    position = models.PositiveIntegerField(_("position"), unique=True)
    group = models.ForeignKey(
        CustomerGroup,
        verbose_name=_("target group"),
        on_delete=models.PROTECT,
        related_name="segmentation_rules",
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("segmentation rule")
        verbose_name_plural = _("segmentation rules")
        ordering = ["position"]

    def __str__(self):
        return _("Rule %(position)s → %(group)s") % {
            "position": self.position,
            "group": self.group.code,
        }


class SegmentationCondition(models.Model):
    rule = models.ForeignKey(
        SegmentationRule,
        verbose_name=_("rule"),
        on_delete=models.CASCADE,
        related_name="conditions",
    )
    field = models.CharField(_("profile field"), max_length=40, choices=ProfileField.choices)
    op = models.CharField(_("operator"), max_length=2, choices=Operator.choices)
    value = models.CharField(
        _("value"),
        max_length=500,
        help_text=_("A number, a code, or for 'in' a comma-separated list."),
    )

    class Meta:
        verbose_name = _("condition")
        verbose_name_plural = _("conditions")
        ordering = ["rule", "id"]

    def __str__(self):
        return f"{self.field} {self.op} {self.value}"

    def clean(self):
        """Numbers for the numeric fields; no ordering operator on codes and categories."""
        if self.field not in segmentation.FIELDS or self.op not in segmentation.OPERATORS:
            return
        if self.field in segmentation.NUMERIC_FIELDS:
            items = (
                segmentation.split_values(self.value) if self.op == Operator.IN else [self.value]
            )
            if not items or any(segmentation.parse_number(item) is None for item in items):
                raise ValidationError(
                    {
                        "value": _(
                            "Enter a number (a comma-separated list of numbers for 'in'), "
                            "such as 50000 or 12.5."
                        )
                    }
                )
        elif self.op in segmentation.ORDERING_OPERATORS:
            raise ValidationError({"op": _("Codes and categories compare with =, ≠ or 'in' only.")})
        elif (
            self.op == Operator.IN or self.field == ProfileField.CATEGORIES_BOUGHT
        ) and not segmentation.split_values(self.value):
            raise ValidationError({"value": _("Enter at least one code.")})


class GroupMoveSource(models.TextChoices):
    RULE = "rule", _("Segmentation rules")
    MANUAL = "manual", _("Changed by hand")
    BUNDLE = "bundle", _("Store bundle")


class GroupMove(models.Model):
    """One change of a company's customer group, as the audit trail keeps it.

    The group codes and the rule's text are copied, so the trail still reads right after a
    rule is edited or deleted or a group renamed.
    """

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE, related_name="group_moves"
    )
    from_group = models.ForeignKey(
        CustomerGroup,
        verbose_name=_("from group"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    from_group_code = models.CharField(_("from group"), max_length=64)
    to_group = models.ForeignKey(
        CustomerGroup,
        verbose_name=_("to group"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    to_group_code = models.CharField(_("to group"), max_length=64)
    source = models.CharField(_("source"), max_length=10, choices=GroupMoveSource.choices)
    rule = models.ForeignKey(
        SegmentationRule,
        verbose_name=_("rule"),
        on_delete=models.SET_NULL,
        related_name="moves",
        null=True,
        blank=True,
    )
    rule_description = models.CharField(
        _("rule as applied"),
        max_length=1000,
        blank=True,
        help_text=_("Empty for a rules run: no rule matched, the store's default group."),
    )
    moved_at = models.DateTimeField(_("moved at"), default=timezone.now)
    moved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moved by"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("group move")
        verbose_name_plural = _("group moves")
        ordering = ["-moved_at", "-id"]
        indexes = [
            models.Index(fields=["company", "-moved_at"], name="group_move_company_idx"),
        ]

    def __str__(self):
        return f"{self.from_group_code} → {self.to_group_code}"
