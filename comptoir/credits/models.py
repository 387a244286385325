from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from comptoir.core.fields import AmountField
from comptoir.core.models import YearCounter
from comptoir.payments.models import PaymentType


class CreditKind(models.TextChoices):
    WHOLE = "whole", _("Whole invoice")
    LINES = "lines", _("Lines and quantities")
    AMOUNT = "amount", _("Amount")


class CreditNote(models.Model):
    """A credit note: the legal document that corrects an issued invoice, which is never
    changed itself. Numbered without gaps (AV-2026-000001), it keeps what it said when it
    was issued: the seller and the buyer as the invoice names them, the lines and tax lines
    it takes back (rules.py) and the invoice's tax mention (reverse charge kept)."""

    number = models.CharField(_("number"), max_length=32, unique=True)
    invoice = models.ForeignKey(
        "payments.Invoice",
        verbose_name=_("invoice"),
        on_delete=models.PROTECT,
        related_name="credit_notes",
    )
    company = models.ForeignKey(
        "customers.Company",
        verbose_name=_("company"),
        on_delete=models.PROTECT,
        related_name="credit_notes",
    )
    issued_on = models.DateField(_("issued on"))
    kind = models.CharField(_("kind"), max_length=8, choices=CreditKind.choices)
    reason = models.CharField(_("reason"), max_length=200)
    # The seller and the buyer, as the invoice names them.
    seller_name = models.CharField(_("seller"), max_length=200)
    seller_address = models.TextField(_("seller's address"), blank=True)
    seller_vat_number = models.CharField(_("seller's VAT number"), max_length=32, blank=True)
    buyer_name = models.CharField(_("buyer"), max_length=200)
    buyer_code = models.CharField(_("customer code"), max_length=64)
    buyer_vat_number = models.CharField(_("buyer's VAT number"), max_length=32, blank=True)
    billing_address = models.JSONField(_("billing address"))
    # What is taken back.
    currency = models.CharField(_("currency"), max_length=3)
    lines = models.JSONField(_("lines"), default=list)
    tax_lines = models.JSONField(_("tax lines"), default=list)
    shipping = AmountField(_("shipping"), default=0)
    net_total = AmountField(_("total before tax"))
    tax_total = AmountField(_("tax"))
    total = AmountField(_("total"))
    tax_mention = models.CharField(_("tax mention"), max_length=200, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("credit note")
        verbose_name_plural = _("credit notes")
        ordering = ["-issued_on", "-number"]
        indexes = [models.Index(fields=["company", "issued_on"], name="credit_company_issued_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(total__gt=0),
                name="credit_note_total",
                violation_error_message=_("A credit note takes back more than 0.00."),
            ),
        ]

    def __str__(self):
        return self.number


class InvoiceRefund(models.Model):
    """Money paid back to the buyer on an invoice that credit notes left overpaid; recorded
    like a payment and never changed once recorded."""

    invoice = models.ForeignKey(
        "payments.Invoice",
        verbose_name=_("invoice"),
        on_delete=models.PROTECT,
        related_name="refunds",
    )
    amount = AmountField(_("amount"))
    refunded_on = models.DateField(_("refunded on"))
    method = models.CharField(
        _("refunded by"),
        max_length=20,
        choices=PaymentType.choices,
        default=PaymentType.BANK_TRANSFER,
    )
    reference = models.CharField(_("reference"), max_length=100, blank=True)
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
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        ordering = ["invoice", "refunded_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0),
                name="invoice_refund_amount_gt_0",
                violation_error_message=_("A refund is more than 0.00."),
            ),
        ]

    def __str__(self):
        return f"{self.invoice.number}: −{self.amount} ({self.refunded_on.isoformat()})"


class CreditNoteCounter(YearCounter):
    """The last credit note number of a year, locked until the credit note commits."""

    class Meta:
        verbose_name = _("credit note counter")
        verbose_name_plural = _("credit note counters")
