from django.db import models
from django.utils.translation import gettext_lazy as _

from comptoir.core.fields import AmountField, CodeField


class MethodConditions(models.Model):
    """Who may use a payment or shipping method; an empty condition means no restriction."""

    code = CodeField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    active = models.BooleanField(_("active"), default=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    countries = models.JSONField(
        _("countries"),
        null=True,
        blank=True,
        help_text=_('Shipping countries allowed, e.g. ["FR", "BE"]; empty: all.'),
    )
    customer_groups = models.ManyToManyField(
        "customers.CustomerGroup",
        verbose_name=_("customer groups"),
        related_name="%(class)ss",
        blank=True,
        help_text=_("Empty: every group."),
    )
    companies = models.ManyToManyField(
        "customers.Company",
        verbose_name=_("companies"),
        related_name="%(class)ss",
        blank=True,
        help_text=_("Empty: every company."),
    )
    excluded_companies = models.ManyToManyField(
        "customers.Company",
        verbose_name=_("excluded companies"),
        related_name="excluded_%(class)ss",
        blank=True,
        help_text=_("Companies that never get this method, whatever the other conditions."),
    )
    min_total = AmountField(_("minimum total"), null=True, blank=True)
    max_total = AmountField(_("maximum total"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["position", "code"]

    def __str__(self):
        return f"{self.code} — {self.name}"


class PaymentType(models.TextChoices):
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    CHEQUE = "cheque", _("Cheque")
    INVOICE = "invoice", _("Invoice with payment terms")
    PURCHASE_ORDER = "purchase_order", _("Purchase order")
    CASH_ON_DELIVERY = "cash_on_delivery", _("Cash on delivery")
    CARD = "card", _("Card")


class TermRule(models.TextChoices):
    NET = "net", _("N days after the invoice date")
    END_OF_MONTH = "end_of_month", _("N days, then the end of that month")


class PaymentMethod(MethodConditions):
    type = models.CharField(_("type"), max_length=20, choices=PaymentType.choices)
    net_days = models.PositiveIntegerField(
        _("payment terms (days)"), null=True, blank=True, help_text=_("Required for invoices.")
    )
    term_rule = models.CharField(
        _("due date"), max_length=20, choices=TermRule.choices, default=TermRule.NET
    )
    without_credit_limit = models.BooleanField(
        _("offer to companies without a credit limit"),
        default=False,
        help_text=_(
            "Invoice terms need a credit limit by default: open balance + order total must "
            "stay within it. Tick to offer this method to companies without a limit too."
        ),
    )
    instructions = models.TextField(
        _("instructions for the buyer"),
        blank=True,
        help_text=_("E.g. the IBAN and BIC to pay a bank transfer to."),
    )

    class Meta(MethodConditions.Meta):
        verbose_name = _("payment method")
        verbose_name_plural = _("payment methods")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(type="invoice") | models.Q(net_days__isnull=False),
                name="payment_method_invoice_needs_net_days",
                violation_error_message=_("An invoice method needs its payment terms in days."),
            ),
            models.CheckConstraint(
                condition=models.Q(min_total=None)
                | models.Q(max_total=None)
                | models.Q(max_total__gte=models.F("min_total")),
                name="payment_method_total_range",
                violation_error_message=_("The maximum total cannot be below the minimum total."),
            ),
        ]


class ShippingMethod(MethodConditions):
    price = AmountField(_("price"))
    free_above = AmountField(
        _("free from"),
        null=True,
        blank=True,
        help_text=_("Free when the merchandise reaches this amount."),
    )

    class Meta(MethodConditions.Meta):
        verbose_name = _("shipping method")
        verbose_name_plural = _("shipping methods")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(price__gte=0),
                name="shipping_price_gte_0",
                violation_error_message=_("A shipping price cannot be negative."),
            ),
            models.CheckConstraint(
                condition=models.Q(min_total=None)
                | models.Q(max_total=None)
                | models.Q(max_total__gte=models.F("min_total")),
                name="shipping_method_total_range",
                violation_error_message=_("The maximum total cannot be below the minimum total."),
            ),
        ]
