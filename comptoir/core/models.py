from zoneinfo import available_timezones

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from comptoir.core.fields import AmountField, CountryField, PercentField, RegionField
from comptoir.core.storage import public_media
from comptoir.core.validators import validate_bic, validate_currency, validate_iban


def validate_content_language(value: str) -> None:
    from comptoir.core.content_languages import content_languages

    if value not in content_languages():
        raise ValidationError(
            _("%(value)s is not one of the store's languages (%(languages)s)."),
            params={"value": value, "languages": ", ".join(content_languages())},
        )


def default_language() -> str:
    from django.conf import settings

    return settings.LANGUAGE_CODE


def validate_time_zone(value: str) -> None:
    if value not in available_timezones():
        raise ValidationError(_("%(value)s is not a time zone."), params={"value": value})


class AccessMode(models.TextChoices):
    PUBLIC = "public", _("Public: everyone browses and sees prices")
    PRICES_HIDDEN = "prices_hidden", _("Prices hidden from visitors")
    LOGIN_REQUIRED = "login_required", _("Login required for everything")


class InvoiceOn(models.TextChoices):
    PLACED = "placed", _("When the order is placed")
    SHIPPED = "shipped", _("When the order is shipped")


class Store(models.Model):
    """The merchant's store: one row (id 1), edited in the back office or loaded from a bundle."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    name = models.CharField(_("name"), max_length=200)
    currency = models.CharField(
        _("currency"), max_length=3, default="EUR", validators=[validate_currency]
    )
    country = CountryField(_("country"))
    region = RegionField(_("region"))
    access_mode = models.CharField(
        _("access mode"), max_length=20, choices=AccessMode.choices, default=AccessMode.PUBLIC
    )
    min_order_amount = AmountField(
        _("minimum order amount"),
        default=0,
        help_text=_("Applies to groups without a minimum of their own; 0.00 means none."),
    )
    default_group = models.ForeignKey(
        "customers.CustomerGroup",
        verbose_name=_("default customer group"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    base_price_list = models.ForeignKey(
        "pricing.PriceList",
        verbose_name=_("base price list"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Paris", validators=[validate_time_zone]
    )
    # Not `choices`: the content languages come from the environment (COMPTOIR_LANGUAGES).
    language = models.CharField(
        _("content language"),
        max_length=10,
        default=default_language,
        validators=[validate_content_language],
        help_text=_(
            "The language products, categories, attributes and methods are written in; "
            "their translations give the other languages."
        ),
    )
    legal_notice = models.TextField(
        _("legal notice"),
        blank=True,
        help_text=_(
            "Publisher, registered office, registration and VAT numbers, terms of sale: "
            "shown on the legal page, which visitors can read without logging in."
        ),
    )

    return_window_days = models.PositiveSmallIntegerField(
        _("return window (days)"),
        default=30,
        help_text=_("How many days after delivery a buyer may ask to return goods; 0: never."),
    )
    invoice_on = models.CharField(
        _("invoice orders"),
        max_length=10,
        choices=InvoiceOn.choices,
        default=InvoiceOn.PLACED,
        help_text=_("When an order gets its invoice, numbered FAC-<year>-<000001>."),
    )
    block_overdue_invoice_terms = models.BooleanField(
        _("close invoice terms to companies with overdue invoices"),
        default=False,
        help_text=_(
            "Tick to stop offering invoice payment terms to a company while one of its "
            "invoices is overdue (checked at checkout and when the order is placed)."
        ),
    )
    approval_valid_days = models.PositiveSmallIntegerField(
        _("approval requests valid for (days)"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("An order waiting for approval keeps its prices this many days, then expires."),
    )
    low_stock_threshold = models.PositiveIntegerField(
        _("low stock threshold"),
        null=True,
        blank=True,
        default=10,
        help_text=_(
            "An order that takes a product's stock from above this number to it or below "
            "records a “stock low” webhook event. Empty: no such events."
        ),
    )
    legal_address = models.TextField(
        _("legal address"),
        blank=True,
        help_text=_("The seller's registered name and address, as printed on invoices."),
    )
    vat_number = models.CharField(_("VAT number"), max_length=32, blank=True)
    iban = models.CharField(
        _("IBAN"),
        max_length=42,
        blank=True,
        validators=[validate_iban],
        help_text=_("Printed on invoices to pay by bank transfer."),
    )
    bic = models.CharField(_("BIC"), max_length=11, blank=True, validators=[validate_bic])
    # The logo in the storefront's header (core/logo.py): a WebP rendition made by Pillow,
    # public like product pictures, under a generated name; empty shows the store's name.
    logo = models.FileField(
        _("logo"), storage=public_media, max_length=255, blank=True, editable=False
    )
    logo_width = models.PositiveIntegerField(default=0, editable=False)
    logo_height = models.PositiveIntegerField(default=0, editable=False)
    # The uploaded file's SHA-256: a bundle loaded again keeps the rendition it already made.
    logo_sha256 = models.CharField(max_length=64, editable=False, default="")
    late_payment_penalty_rate = PercentField(
        _("late-payment penalty rate (percent a year)"),
        null=True,
        blank=True,
        help_text=_(
            "Printed on the invoices of a seller in France, with the fixed recovery fee of "
            "40 € (Code de commerce, art. L441-10). Empty: the legal rate, the ECB refinancing "
            "rate plus 10 points."
        ),
    )

    class Meta:
        verbose_name = _("store")
        verbose_name_plural = _("store")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="store_single_row"),
            models.CheckConstraint(
                condition=models.Q(min_order_amount__gte=0),
                name="store_min_order_amount_gte_0",
                violation_error_message=_("The minimum order amount cannot be negative."),
            ),
            models.CheckConstraint(
                condition=models.Q(late_payment_penalty_rate__isnull=True)
                | models.Q(late_payment_penalty_rate__gte=0, late_payment_penalty_rate__lte=100),
                name="store_late_payment_penalty_rate_0_100",
                violation_error_message=_("A late-payment penalty rate lies between 0 and 100 %%."),
            ),
        ]

    def __str__(self):
        return self.name


class CacheVersion(models.Model):
    """One row: the number that every write to cached data raises (core/versioned_cache.py)."""

    version = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("cache version")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="cache_version_single_row")
        ]

    def __str__(self):
        return str(self.version)


class YearCounter(models.Model):
    """The last number of a kind of document in a year (core/numbering.py): 123 for
    CMD-2026-000123. Its row is updated in the transaction that numbers the document and stays
    locked until it ends, so a rolled-back document gives its number back."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    last = models.PositiveIntegerField(_("last number"))

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.year}: {self.last}"
