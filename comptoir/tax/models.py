import uuid
from pathlib import PurePosixPath

from django.db import models
from django.utils.translation import gettext_lazy as _

from comptoir.catalog.models import TaxClass
from comptoir.core.fields import CountryField, PercentField, RegionField
from comptoir.core.money import format_percent


class TaxRate(models.Model):
    """The rate of a tax class in a country, or in one of its regions (which then wins)."""

    country = CountryField(_("country"))
    region = RegionField(_("region"))
    tax_class = models.CharField(_("tax class"), max_length=10, choices=TaxClass.choices)
    rate = PercentField(_("rate (%)"))

    class Meta:
        verbose_name = _("tax rate")
        verbose_name_plural = _("tax rates")
        ordering = ["country", "region", "tax_class"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "region", "tax_class"], name="tax_rate_unique_jurisdiction"
            ),
            models.CheckConstraint(
                condition=models.Q(rate__gte=0) & models.Q(rate__lte=100),
                name="tax_rate_range",
                violation_error_message=_("A tax rate lies between 0 and 100 %%."),
            ),
        ]

    def __str__(self):
        where = f"{self.country}-{self.region}" if self.region else self.country
        return f"{where} {self.tax_class} {format_percent(self.rate)}"


class CertificateStatus(models.TextChoices):
    PENDING = "pending", _("Pending review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    EXPIRED = "expired", _("Expired")


def certificate_upload_path(instance, filename):
    """A generated name in the company's folder: the uploader's file name is never used,
    only its extension (which the storefront sets from the file's first bytes)."""
    suffix = PurePosixPath(filename).suffix.lower()
    if not (suffix[1:].isalnum() and len(suffix) <= 6):
        suffix = ""
    return f"tax-certificates/{instance.company_id}/{uuid.uuid4().hex}{suffix}"


class TaxCertificate(models.Model):
    """A company's tax-exemption certificate for a jurisdiction; exempt while approved and in date.

    Documents are stored in the private storage (outside the web root).
    """

    company = models.ForeignKey(
        "customers.Company",
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="tax_certificates",
    )
    number = models.CharField(_("certificate number"), max_length=64)
    country = CountryField(_("country"))
    region = RegionField(_("region"))
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("expires on"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CertificateStatus.choices,
        default=CertificateStatus.PENDING,
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    document = models.FileField(
        _("document"), upload_to=certificate_upload_path, blank=True, max_length=255
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    # The store's dates on which the expiry reminders went out. One counts for the current
    # `expires_on` only if sent within its window (30 or 7 days before), so a renewed or
    # corrected expiry date gets its own reminders and a second run on a day sends nothing.
    reminded_30_days_on = models.DateField(
        _("30-day expiry reminder sent on"), null=True, blank=True
    )
    reminded_7_days_on = models.DateField(_("7-day expiry reminder sent on"), null=True, blank=True)

    class Meta:
        verbose_name = _("tax-exemption certificate")
        verbose_name_plural = _("tax-exemption certificates")
        ordering = ["company", "-expires_on"]
        constraints = [
            models.UniqueConstraint(fields=["company", "number"], name="tax_certificate_unique"),
            models.CheckConstraint(
                condition=models.Q(expires_on__gt=models.F("issued_on")),
                name="tax_certificate_expires_after_issue",
                violation_error_message=_("A certificate expires after its issue date."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "expires_on"], name="tax_cert_status_expiry_idx"),
        ]

    def __str__(self):
        return self.number
