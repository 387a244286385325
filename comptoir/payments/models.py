from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from comptoir.core.fields import AmountField, CodeField, PercentField
from comptoir.core.models import YearCounter
from comptoir.core.translatable import Translatable
from comptoir.payments.invoice_rules import buyer_balance


class MethodConditions(Translatable):
    """Who may use a payment or shipping method; an empty condition means no restriction."""

    TRANSLATED = {"name": 200}

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
    CARD = "card", _("Card (needs a payment provider: never offered until one is set up)")


class TermRule(models.TextChoices):
    NET = "net", _("N days after the invoice date")
    END_OF_MONTH = "end_of_month", _("N days, then the end of that month")


class PaymentMethod(MethodConditions):
    TRANSLATED = {"name": 200, "instructions": 10_000}

    type = models.CharField(_("type"), max_length=20, choices=PaymentType.choices)
    net_days = models.PositiveIntegerField(
        _("payment terms (days)"), null=True, blank=True, help_text=_("Required for invoices.")
    )
    term_rule = models.CharField(
        _("due date rule"), max_length=20, choices=TermRule.choices, default=TermRule.NET
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


class InvoiceStatus(models.TextChoices):
    UNPAID = "unpaid", _("Unpaid")
    PARTLY_PAID = "partly_paid", _("Partly paid")
    PAID = "paid", _("Paid")
    OVERDUE = "overdue", _("Overdue")
    CANCELLED = "cancelled", _("Cancelled")
    CREDITED = "credited", _("Credited")


class Invoice(models.Model):
    """The invoice of an order: a legal document, numbered without gaps, that keeps what it
    said when it was issued (seller, buyer, lines, taxes and totals are copies, not links).

    Only its payments change it: `amount_paid` and `status` (invoicing.py). An invoice is
    never deleted; the invoice of an order cancelled before any payment is kept, cancelled.
    """

    number = models.CharField(_("number"), max_length=32, unique=True)
    order = models.OneToOneField(
        "ordering.Order",
        verbose_name=_("order"),
        on_delete=models.PROTECT,
        related_name="invoice",
    )
    company = models.ForeignKey(
        "customers.Company",
        verbose_name=_("company"),
        on_delete=models.PROTECT,
        related_name="invoices",
    )
    issued_on = models.DateField(_("issued on"))
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=12, choices=InvoiceStatus.choices, default=InvoiceStatus.UNPAID
    )
    amount_paid = AmountField(_("amount paid"), default=0)
    # What its credit notes took back and what was paid back to the buyer (credits app).
    amount_credited = AmountField(_("amount credited"), default=0)
    amount_refunded = AmountField(_("amount refunded"), default=0)
    # Payment terms and method, as they were when the invoice was issued.
    payment_method_code = models.CharField(_("payment method"), max_length=64, blank=True)
    payment_method_name = models.CharField(_("payment method name"), max_length=200, blank=True)
    payment_type = models.CharField(
        _("payment type"), max_length=20, choices=PaymentType.choices, blank=True
    )
    net_days = models.PositiveIntegerField(_("payment terms (days)"), null=True, blank=True)
    term_rule = models.CharField(
        _("due date rule"), max_length=20, choices=TermRule.choices, default=TermRule.NET
    )
    payment_instructions = models.TextField(_("payment instructions"), blank=True)
    # The seller and the buyer.
    seller_name = models.CharField(_("seller"), max_length=200)
    seller_address = models.TextField(_("seller's address"), blank=True)
    seller_vat_number = models.CharField(_("seller's VAT number"), max_length=32, blank=True)
    seller_iban = models.CharField(_("IBAN"), max_length=42, blank=True)
    seller_bic = models.CharField(_("BIC"), max_length=11, blank=True)
    # Late payment (a seller in France: Code de commerce, art. L441-10); no fee: not printed.
    late_payment_penalty_rate = PercentField(
        _("late-payment penalty rate (percent a year)"), null=True, blank=True
    )
    recovery_fee = AmountField(_("fixed recovery fee"), null=True, blank=True)
    buyer_name = models.CharField(_("buyer"), max_length=200)
    buyer_code = models.CharField(_("customer code"), max_length=64)
    buyer_vat_number = models.CharField(_("buyer's VAT number"), max_length=32, blank=True)
    billing_address = models.JSONField(_("billing address"))
    # What is invoiced.
    po_number = models.CharField(_("purchase-order number"), max_length=64, blank=True)
    currency = models.CharField(_("currency"), max_length=3)
    lines = models.JSONField(_("lines"), default=list)
    tax_lines = models.JSONField(_("tax lines"), default=list)
    subtotal = AmountField(_("subtotal"))
    discount_total = AmountField(_("discounts"))
    shipping_total = AmountField(_("shipping"))
    tax_total = AmountField(_("tax"))
    total = AmountField(_("total"))
    tax_mention = models.CharField(_("tax mention"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Integrations fetch what changed (issue 19): every writer sets it, bulk ones explicitly.
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-issued_on", "-number"]
        indexes = [
            models.Index(fields=["company", "status"], name="invoice_company_status_idx"),
            models.Index(fields=["status", "due_on"], name="invoice_status_due_idx"),
            models.Index(fields=["updated_at", "id"], name="invoice_updated_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_paid__gte=0) & models.Q(amount_paid__lte=F("total")),
                name="invoice_amount_paid_range",
                violation_error_message=_("An invoice cannot be paid more than its total."),
            ),
            models.CheckConstraint(
                condition=models.Q(amount_credited__gte=0)
                & models.Q(amount_credited__lte=F("total")),
                name="invoice_amount_credited_range",
                violation_error_message=_("Credit notes cannot take back more than the invoice."),
            ),
            models.CheckConstraint(
                condition=models.Q(amount_refunded__gte=0)
                & models.Q(amount_refunded__lte=F("amount_paid")),
                name="invoice_amount_refunded_range",
                violation_error_message=_("An invoice cannot refund more than was paid on it."),
            ),
            models.CheckConstraint(
                condition=models.Q(due_on__gte=F("issued_on")),
                name="invoice_due_after_issue",
                violation_error_message=_("An invoice cannot be due before it is issued."),
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def amount_due(self):
        """What the buyer still owes; below zero, what the merchant owes the buyer back."""
        return buyer_balance(
            total=self.total,
            credited=self.amount_credited,
            paid=self.amount_paid,
            refunded=self.amount_refunded,
        )

    @property
    def amount_refundable(self):
        return max(-self.amount_due, 0)


class InvoicePayment(models.Model):
    """A payment the merchant received for an invoice; never changed once recorded."""

    invoice = models.ForeignKey(
        Invoice, verbose_name=_("invoice"), on_delete=models.PROTECT, related_name="payments"
    )
    amount = AmountField(_("amount"))
    paid_on = models.DateField(_("paid on"))
    method = models.CharField(
        _("paid by"), max_length=20, choices=PaymentType.choices, default=PaymentType.BANK_TRANSFER
    )
    reference = models.CharField(
        _("reference"),
        max_length=100,
        blank=True,
        help_text=_("E.g. the bank statement line or the cheque number."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("invoice payment")
        verbose_name_plural = _("invoice payments")
        ordering = ["invoice", "paid_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0),
                name="invoice_payment_amount_gt_0",
                violation_error_message=_("A payment is more than 0.00."),
            ),
        ]

    def __str__(self):
        return f"{self.invoice.number}: {self.amount} ({self.paid_on.isoformat()})"


class InvoiceCounter(YearCounter):
    """The last invoice number of a year: FAC-2026-000123 is the 123rd invoice of 2026.

    Its row is updated in the transaction that creates the invoice and stays locked until
    that transaction ends: a rolled-back invoice gives its number back, so there is no gap.
    """

    class Meta:
        verbose_name = _("invoice counter")
        verbose_name_plural = _("invoice counters")
