from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Abs
from django.db.models.lookups import LessThan
from django.utils.translation import gettext_lazy as _

from comptoir.core.fields import AmountField, PercentField, PriceField
from comptoir.core.models import YearCounter
from comptoir.core.money import format_decimal, format_percent
from comptoir.core.units import quantity_label
from comptoir.ordering.rules import (
    MAX_BELOW_MIN,
    MAX_NOT_MULTIPLE,
    MIN_NOT_MULTIPLE,
    overridden_rules,
    rule_problems,
)
from comptoir.pricing.engine import QuantityRules

# SQLite keeps decimals as binary floats, so sums are compared to within half a cent
# (exact on PostgreSQL, where half a cent can never be the difference of two amounts).
HALF_CENT = models.Value(Decimal("0.005"))

# The words of ordering/rules.py's quantity-rule problems, with the values in effect.
RULE_MESSAGES = {
    MIN_NOT_MULTIPLE: _("The minimum quantity %(min)s is not a multiple of the step %(step)s."),
    MAX_BELOW_MIN: _("The maximum quantity %(max)s is below the minimum quantity %(min)s."),
    MAX_NOT_MULTIPLE: _("The maximum quantity %(max)s is not a multiple of the step %(step)s."),
}


class GroupOrderRule(models.Model):
    """A group's override of a product's quantity rules; an empty value keeps the product's."""

    customer_group = models.ForeignKey(
        "customers.CustomerGroup",
        verbose_name=_("customer group"),
        on_delete=models.CASCADE,
        related_name="order_rules",
    )
    product = models.ForeignKey(
        "catalog.Product",
        verbose_name=_("product"),
        on_delete=models.CASCADE,
        related_name="group_order_rules",
    )
    min_qty = models.PositiveIntegerField(_("minimum quantity"), null=True, blank=True)
    max_qty = models.PositiveIntegerField(_("maximum quantity"), null=True, blank=True)
    qty_step = models.PositiveIntegerField(_("quantity step"), null=True, blank=True)

    class Meta:
        verbose_name = _("group order rule")
        verbose_name_plural = _("group order rules")
        ordering = ["customer_group", "product"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer_group", "product"], name="group_order_rule_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(qty_step=None) | models.Q(qty_step__gte=1),
                name="group_order_rule_step_gte_1",
                violation_error_message=_("The quantity step is at least 1."),
            ),
            models.CheckConstraint(
                condition=models.Q(min_qty=None) | models.Q(min_qty__gte=1),
                name="group_order_rule_min_gte_1",
                violation_error_message=_("The minimum quantity is at least 1."),
            ),
        ]

    def __str__(self):
        return f"{self.customer_group.code} / {self.product.sku}"

    def clean(self):
        """The rules in effect (the product's where a value is empty) must be orderable."""
        super().clean()
        if self.product_id is None:
            return
        product = self.product
        errors = {}
        for problem in self.problems_over(
            QuantityRules(
                min_qty=product.min_qty, max_qty=product.max_qty, qty_step=product.qty_step
            )
        ):
            errors.setdefault(problem.field, []).append(
                RULE_MESSAGES[problem.code] % problem.params
            )
        if errors:
            raise ValidationError(errors)

    def problems_over(self, product_rules: QuantityRules):
        """What this override would make unorderable over these product rules: asked when the
        override is saved, and when the product's own rules change under it."""
        return rule_problems(
            overridden_rules(
                product_rules,
                min_qty=self.min_qty,
                max_qty=self.max_qty,
                qty_step=self.qty_step,
            )
        )


class OrderStatus(models.TextChoices):
    PLACED = "placed", _("Placed")
    CONFIRMED = "confirmed", _("Confirmed")
    SHIPPED = "shipped", _("Shipped")
    DELIVERED = "delivered", _("Delivered")
    CANCELLED = "cancelled", _("Cancelled")


class PaymentStatus(models.TextChoices):
    UNPAID = "unpaid", _("Unpaid")
    PARTLY_PAID = "partly_paid", _("Partly paid")
    PAID = "paid", _("Paid")


class Order(models.Model):
    """A placed order: a snapshot that later changes of prices, rules or taxes never touch."""

    number = models.CharField(_("number"), max_length=32, unique=True)
    company = models.ForeignKey(
        "customers.Company",
        verbose_name=_("company"),
        on_delete=models.PROTECT,
        related_name="orders",
    )
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("buyer"),
        on_delete=models.SET_NULL,
        related_name="orders",
        null=True,
        blank=True,
    )
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("placed by (staff)"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        help_text=_(
            "The merchant's staff user who placed it for the buyer (a representative acting "
            "as the buyer, or an order entered in the back office); empty: the buyer alone."
        ),
    )
    location = models.ForeignKey(
        "customers.Location",
        verbose_name=_("location"),
        on_delete=models.PROTECT,
        related_name="orders",
        null=True,
        blank=True,
        help_text=_("The site of the company the order was placed for."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=OrderStatus.choices, default=OrderStatus.PLACED
    )
    payment_status = models.CharField(
        _("payment status"),
        max_length=12,
        choices=PaymentStatus.choices,
        default=PaymentStatus.UNPAID,
    )
    placed_at = models.DateTimeField(_("placed at"))
    delivered_on = models.DateField(
        _("delivered on"),
        null=True,
        blank=True,
        help_text=_("The store's day it was marked delivered: the return window counts from it."),
    )
    currency = models.CharField(_("currency"), max_length=3)
    customer_group_code = models.CharField(_("customer group"), max_length=64, blank=True)
    po_number = models.CharField(_("purchase-order number"), max_length=64, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    payment_method_code = models.CharField(_("payment method"), max_length=64, blank=True)
    payment_method_name = models.CharField(_("payment method name"), max_length=200, blank=True)
    payment_instructions = models.TextField(
        _("payment instructions"),
        blank=True,
        help_text=_("As the buyer was given them: e.g. the IBAN and BIC to pay a transfer to."),
    )
    shipping_method_code = models.CharField(_("shipping method"), max_length=64, blank=True)
    shipping_method_name = models.CharField(_("shipping method name"), max_length=200, blank=True)
    shipping_address = models.JSONField(_("shipping address"))
    billing_address = models.JSONField(_("billing address"))
    subtotal = AmountField(_("subtotal"))
    discount_total = AmountField(_("discounts"))
    shipping_total = AmountField(_("shipping"))
    tax_total = AmountField(_("tax"))
    total = AmountField(_("total"))
    confirmation_sent_at = models.DateTimeField(
        _("confirmation e-mail sent"), null=True, blank=True, editable=False
    )
    tax_mention = models.CharField(
        _("tax mention"),
        max_length=200,
        blank=True,
        help_text=_("The legal mention the invoice carries, e.g. for an EU reverse charge."),
    )

    # Integrations fetch what changed (issue 19): every writer sets it, bulk ones explicitly.
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-placed_at", "-id"]
        indexes = [
            models.Index(fields=["company", "-placed_at"], name="order_company_placed_idx"),
            models.Index(fields=["status"], name="order_status_idx"),
            models.Index(fields=["placed_at"], name="order_placed_at_idx"),
            models.Index(fields=["updated_at", "id"], name="order_updated_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=LessThan(
                    Abs(
                        models.F("total")
                        - models.F("subtotal")
                        + models.F("discount_total")
                        - models.F("shipping_total")
                        - models.F("tax_total")
                    ),
                    HALF_CENT,
                ),
                name="order_total_adds_up",
            ),
            models.CheckConstraint(
                condition=models.Q(subtotal__gte=0)
                & models.Q(discount_total__gte=0)
                & models.Q(shipping_total__gte=0)
                & models.Q(tax_total__gte=0),
                name="order_amounts_gte_0",
            ),
        ]

    def __str__(self):
        return self.number


class OrderLine(models.Model):
    """One line of an order, copied from the cart when placed (sku and name included)."""

    order = models.ForeignKey(
        Order, verbose_name=_("order"), on_delete=models.CASCADE, related_name="lines"
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    product = models.ForeignKey(
        "catalog.Product",
        verbose_name=_("product"),
        on_delete=models.SET_NULL,
        related_name="order_lines",
        null=True,
        blank=True,
    )
    sku = models.CharField(_("SKU"), max_length=64)
    name = models.CharField(_("name"), max_length=255)
    category_code = models.CharField(_("category"), max_length=64, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"))
    unit = models.CharField(_("selling unit"), max_length=20, blank=True)
    base_quantity = models.PositiveIntegerField(
        _("quantity in base units"),
        null=True,
        blank=True,
        help_text=_("For a line bought in a packaging: how many of the product's units."),
    )
    base_unit = models.CharField(_("base unit"), max_length=20, blank=True)
    stock_taken = models.PositiveIntegerField(
        _("taken from stock"),
        null=True,
        blank=True,
        help_text=_(
            "What placing the order took from stock (less than the quantity for a product "
            "on backorder); cancelling puts back this. Empty: not recorded, the quantity."
        ),
    )
    unit_price = PriceField(_("unit price"))
    gross = AmountField(_("gross amount"))
    promotion_percent = PercentField(_("promotion (%)"), null=True, blank=True)
    promotion_amount = AmountField(_("promotion"), default=0)
    volume_percent = PercentField(_("volume discount (%)"), null=True, blank=True)
    volume_amount = AmountField(_("volume discount"), default=0)
    net = AmountField(_("net amount"))
    tax_class = models.CharField(_("tax class"), max_length=10)
    tax_rate = PercentField(_("tax rate (%)"))
    explanation = models.JSONField(_("price explanation"), default=list, blank=True)

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["order", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1), name="order_line_qty_gte_1"
            ),
            models.CheckConstraint(
                condition=LessThan(
                    Abs(
                        models.F("net")
                        - models.F("gross")
                        + models.F("promotion_amount")
                        + models.F("volume_amount")
                    ),
                    HALF_CENT,
                ),
                name="order_line_net_adds_up",
            ),
        ]

    def __str__(self):
        return f"{self.sku} × {self.quantity}"

    @property
    def quantity_label(self) -> str:
        """ "3 cases (432 pieces)" for a line in a packaging, "3 boxes" otherwise."""
        return quantity_label(self.quantity, self.unit, self.base_quantity, self.base_unit)

    @property
    def discount(self):
        return self.promotion_amount + self.volume_amount


class OrderTaxLine(models.Model):
    """A tax line as placed, grouped by (rate, reason); an exempt part has rate 0 and a reason."""

    order = models.ForeignKey(
        Order, verbose_name=_("order"), on_delete=models.CASCADE, related_name="tax_lines"
    )
    rate = PercentField(_("rate (%)"))
    base = AmountField(_("base"))
    amount = AmountField(_("amount"))
    reason = models.CharField(_("exemption reason"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("order tax line")
        verbose_name_plural = _("order tax lines")
        ordering = ["order", "-rate", "reason"]

    def __str__(self):
        return f"{format_percent(self.rate)} on {format_decimal(self.base)}"


class Cart(models.Model):
    """A buyer's cart, kept between visits and shared by the storefront and the API.

    It holds quantities only: prices, rules and taxes are computed again on every read.
    """

    buyer = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("buyer"),
        on_delete=models.CASCADE,
        related_name="cart",
    )
    location = models.ForeignKey(
        "customers.Location",
        verbose_name=_("location"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The site the buyer is ordering for; empty: decided at checkout."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("cart")
        verbose_name_plural = _("carts")

    def __str__(self):
        return str(self.buyer)


class CartLine(models.Model):
    cart = models.ForeignKey(
        Cart, verbose_name=_("cart"), on_delete=models.CASCADE, related_name="lines"
    )
    product = models.ForeignKey(
        "catalog.Product",
        verbose_name=_("product"),
        on_delete=models.CASCADE,
        related_name="cart_lines",
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    packaging = models.ForeignKey(
        "catalog.Packaging",
        verbose_name=_("packaging"),
        on_delete=models.CASCADE,
        related_name="cart_lines",
        null=True,
        blank=True,
        help_text=_("What the quantity counts; empty: the product's unit."),
    )

    class Meta:
        verbose_name = _("cart line")
        verbose_name_plural = _("cart lines")
        ordering = ["cart", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cart", "product"], name="cart_line_unique_product"),
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1) & models.Q(quantity__lte=1_000_000),
                name="cart_line_qty_range",
            ),
        ]

    def __str__(self):
        return f"{self.product_id} × {self.quantity}"


class PlacementKey(models.Model):
    """An idempotency key of an order placement (API header or checkout form token).

    The row is written in the placement's own transaction, so a retry sent while the first
    attempt runs waits for it and then finds its order; a failed attempt leaves no key.
    """

    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("buyer"),
        on_delete=models.CASCADE,
        related_name="placement_keys",
    )
    key = models.CharField(_("key"), max_length=255)
    fingerprint = models.CharField(_("request fingerprint"), max_length=64)
    order = models.ForeignKey(
        Order,
        verbose_name=_("order"),
        on_delete=models.CASCADE,
        related_name="placement_keys",
        null=True,
    )
    approval_number = models.CharField(
        _("approval request"),
        max_length=32,
        blank=True,
        help_text=_("When the checkout sent the cart for approval instead of ordering it."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("placement key")
        verbose_name_plural = _("placement keys")
        constraints = [
            models.UniqueConstraint(fields=["buyer", "key"], name="placement_key_unique"),
        ]
        indexes = [models.Index(fields=["created_at"], name="placement_key_created_idx")]

    def __str__(self):
        return self.key


class OrderCounter(YearCounter):
    """The last order number of a year: CMD-2026-000123 is the 123rd order of 2026."""

    class Meta:
        verbose_name = _("order counter")
        verbose_name_plural = _("order counters")
