from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from comptoir.core.fields import CodeField, PercentField, PriceField
from comptoir.core.money import format_decimal, format_percent
from comptoir.core.translatable import Translatable
from comptoir.core.trees import has_cycle
from comptoir.core.validators import validate_currency


class PriceList(models.Model):
    """A list of prices with quantity tiers, assigned to the store, to groups or to companies.

    A list with a parent and an adjustment yields, for products it does not price itself,
    the parent's price adjusted by that percentage (-10 = 10 % off).
    """

    code = CodeField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    currency = models.CharField(
        _("currency"), max_length=3, default="EUR", validators=[validate_currency]
    )
    priority = models.IntegerField(
        _("priority"), default=0, help_text=_("Lower numbers win among lists of the same level.")
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent list"),
        on_delete=models.PROTECT,
        related_name="children",
        null=True,
        blank=True,
    )
    adjustment_percent = PercentField(
        _("adjustment (%)"),
        null=True,
        blank=True,
        help_text=_("Applied to the parent's prices: -10 means 10 % off."),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    customer_groups = models.ManyToManyField(
        "customers.CustomerGroup",
        verbose_name=_("customer groups"),
        related_name="price_lists",
        blank=True,
    )
    companies = models.ManyToManyField(
        "customers.Company",
        verbose_name=_("companies (contract prices)"),
        related_name="price_lists",
        blank=True,
    )

    # Integrations fetch what changed (issue 19): every writer sets it, bulk ones explicitly.
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("price list")
        verbose_name_plural = _("price lists")
        ordering = ["priority", "code"]
        indexes = [models.Index(fields=["updated_at", "id"], name="price_list_updated_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_from=None)
                | models.Q(valid_until=None)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="price_list_valid_window",
                violation_error_message=_("The end of validity cannot be before its start."),
            ),
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("id")),
                name="price_list_not_own_parent",
                violation_error_message=_("A price list cannot be its own parent."),
            ),
            models.CheckConstraint(
                condition=models.Q(adjustment_percent=None) | models.Q(parent__isnull=False),
                name="price_list_adjustment_needs_parent",
                violation_error_message=_("An adjustment applies to a parent list: choose one."),
            ),
            models.CheckConstraint(
                condition=models.Q(adjustment_percent=None)
                | models.Q(adjustment_percent__gte=-100),
                name="price_list_adjustment_gte_minus_100",
                violation_error_message=_("An adjustment cannot take more than 100 %% off."),
            ),
        ]

    def __str__(self):
        return self.code

    def clean(self):
        """A list derived from its own descendant would have no price to start from."""
        super().clean()
        if self.pk is None or self.parent_id is None:
            return
        parents = dict(PriceList.objects.values_list("pk", "parent_id"))
        parents[self.pk] = self.parent_id
        if has_cycle(self.pk, parents):
            raise ValidationError(
                {
                    "parent": _(
                        "This parent derives from this list: "
                        "price lists cannot be their own ancestors."
                    )
                }
            )


class PriceEntry(models.Model):
    """The unit price of a product in a list from `min_qty` units on (a quantity tier)."""

    price_list = models.ForeignKey(
        PriceList, verbose_name=_("price list"), on_delete=models.CASCADE, related_name="entries"
    )
    product = models.ForeignKey(
        "catalog.Product",
        verbose_name=_("product"),
        on_delete=models.CASCADE,
        related_name="price_entries",
    )
    min_qty = models.PositiveIntegerField(_("from quantity"), default=1)
    price = PriceField(_("unit price"))

    # Integrations fetch what changed (issue 19): every writer sets it, bulk ones explicitly.
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("price entry")
        verbose_name_plural = _("price entries")
        ordering = ["price_list", "product", "min_qty"]
        constraints = [
            models.UniqueConstraint(
                fields=["price_list", "product", "min_qty"], name="price_entry_unique_tier"
            ),
            models.CheckConstraint(
                condition=models.Q(min_qty__gte=1),
                name="price_entry_min_qty_gte_1",
                violation_error_message=_("A tier starts at a quantity of at least 1."),
            ),
            models.CheckConstraint(
                condition=models.Q(price__gte=0),
                name="price_entry_price_gte_0",
                violation_error_message=_("A price cannot be negative."),
            ),
        ]
        indexes = [
            models.Index(fields=["product", "price_list"], name="price_entry_product_list_idx"),
            models.Index(fields=["updated_at", "id"], name="price_entry_updated_idx"),
        ]

    def __str__(self):
        price = format_decimal(self.price)
        return f"{self.price_list.code} {self.product.sku} ≥{self.min_qty}: {price}"


class PackagingPrice(models.Model):
    """A price list's own price of one packaging (a pallet at 1,250.00), from `min_qty` base
    units on; it wins over the derived price (base price x factor, less the packaging's
    discount) of that list (docs/units-of-measure.md)."""

    price_list = models.ForeignKey(
        PriceList,
        verbose_name=_("price list"),
        on_delete=models.CASCADE,
        related_name="packaging_prices",
    )
    packaging = models.ForeignKey(
        "catalog.Packaging",
        verbose_name=_("packaging"),
        on_delete=models.CASCADE,
        related_name="prices",
    )
    min_qty = models.PositiveIntegerField(_("from quantity (base units)"), default=1)
    price = PriceField(_("price per packaging"))

    class Meta:
        verbose_name = _("packaging price")
        verbose_name_plural = _("packaging prices")
        ordering = ["price_list", "packaging", "min_qty"]
        constraints = [
            models.UniqueConstraint(
                fields=["price_list", "packaging", "min_qty"], name="packaging_price_unique_tier"
            ),
            models.CheckConstraint(
                condition=models.Q(min_qty__gte=1),
                name="packaging_price_min_qty_gte_1",
                violation_error_message=_("A tier starts at a quantity of at least 1."),
            ),
            models.CheckConstraint(
                condition=models.Q(price__gte=0),
                name="packaging_price_price_gte_0",
                violation_error_message=_("A price cannot be negative."),
            ),
        ]

    def __str__(self):
        price = format_decimal(self.price)
        return f"{self.price_list.code} {self.packaging} ≥{self.min_qty}: {price}"


class Promotion(Translatable):
    """A percentage off products or categories for some groups, within dates; never stacked.
    Its name is what the buyers read on the offers page, hence translated (issue 20)."""

    TRANSLATED = {"name": 200}

    code = CodeField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    percent = PercentField(_("discount (%)"))
    customer_groups = models.ManyToManyField(
        "customers.CustomerGroup", verbose_name=_("customer groups"), related_name="promotions"
    )
    products = models.ManyToManyField(
        "catalog.Product", verbose_name=_("products"), related_name="promotions", blank=True
    )
    categories = models.ManyToManyField(
        "catalog.Category",
        verbose_name=_("categories"),
        related_name="promotions",
        blank=True,
        help_text=_("Products of these categories and of their sub-categories."),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("promotion")
        verbose_name_plural = _("promotions")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(percent__gt=0) & models.Q(percent__lte=100),
                name="promotion_percent_range",
                violation_error_message=_(
                    "A promotion takes more than 0 %% and at most 100 %% off."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(valid_from=None)
                | models.Q(valid_until=None)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="promotion_valid_window",
                violation_error_message=_("The end of validity cannot be before its start."),
            ),
        ]

    def __str__(self):
        return self.code


class VolumeDiscountTier(models.Model):
    """A group's percentage off every line once the cart holds `min_total_qty` units in all."""

    customer_group = models.ForeignKey(
        "customers.CustomerGroup",
        verbose_name=_("customer group"),
        on_delete=models.CASCADE,
        related_name="volume_discounts",
    )
    min_total_qty = models.PositiveIntegerField(_("from total units"))
    percent = PercentField(_("discount (%)"))

    class Meta:
        verbose_name = _("volume discount tier")
        verbose_name_plural = _("volume discount tiers")
        ordering = ["customer_group", "min_total_qty"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer_group", "min_total_qty"], name="volume_tier_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(min_total_qty__gte=1),
                name="volume_tier_min_total_qty_gte_1",
                violation_error_message=_("A tier starts at a quantity of at least 1."),
            ),
            models.CheckConstraint(
                condition=models.Q(percent__gt=0) & models.Q(percent__lte=100),
                name="volume_tier_percent_range",
                violation_error_message=_(
                    "A volume discount takes more than 0 %% and at most 100 %% off."
                ),
            ),
        ]

    def __str__(self):
        return f"≥{self.min_total_qty}: {format_percent(self.percent)}"
