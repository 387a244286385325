import json

from django.contrib import admin
from django.db.models import Count
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from comptoir.ordering.models import GroupOrderRule, Order, OrderLine, OrderTaxLine

ADDRESS_LINES = (("line1",), ("line2",), ("postal_code", "city"), ("region", "country"))


def format_address(address):
    """A snapshot address (a dict) as lines of text."""
    if not isinstance(address, dict):
        return "-"
    lines = []
    for keys in ADDRESS_LINES:
        line = " ".join(str(address[key]) for key in keys if address.get(key))
        if line:
            lines.append((line,))
    return format_html_join(mark_safe("<br>"), "{}", lines) if lines else "-"


def format_json(value):
    return format_html("<pre>{}</pre>", json.dumps(value, indent=2, ensure_ascii=False))


@admin.register(GroupOrderRule)
class GroupOrderRuleAdmin(admin.ModelAdmin):
    list_display = ("customer_group", "product", "min_qty", "max_qty", "qty_step")
    list_select_related = ("customer_group", "product")
    list_filter = ("customer_group",)
    search_fields = ("product__sku", "product__name", "customer_group__code")
    ordering = ("customer_group__code", "product__sku")
    autocomplete_fields = ("customer_group", "product")


class SnapshotInlineMixin:
    """Rows copied when the order was placed: shown, never added, changed or deleted."""

    extra = 0
    max_num = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class OrderLineInline(SnapshotInlineMixin, admin.TabularInline):
    model = OrderLine
    fields = (
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
        "tax_class",
        "tax_rate",
    )
    show_change_link = True


class OrderTaxLineInline(SnapshotInlineMixin, admin.TabularInline):
    model = OrderTaxLine
    fields = ("rate", "base", "amount", "reason")


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    """Orders are placed by buyers; here their status moves on, the snapshot stays as placed."""

    list_display = (
        "number",
        "placed_at",
        "company",
        "status",
        "payment_status",
        "line_count",
        "total",
        "currency",
    )
    list_select_related = ("company",)
    list_filter = (
        "status",
        "payment_status",
        "placed_at",
        "customer_group_code",
        "payment_method_code",
        "shipping_method_code",
    )
    search_fields = ("number", "company__code", "company__name", "buyer__email", "po_number")
    ordering = ("-placed_at", "-id")
    date_hierarchy = "placed_at"
    editable_fields = ("status", "payment_status")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "number",
                    "placed_at",
                    "company",
                    "buyer",
                    "customer_group_code",
                    "status",
                    "payment_status",
                )
            },
        ),
        (
            _("Payment and shipping"),
            {
                "fields": (
                    "payment_method_code",
                    "payment_method_name",
                    "shipping_method_code",
                    "shipping_method_name",
                    "po_number",
                    "comment",
                )
            },
        ),
        (_("Addresses"), {"fields": ("shipping_address_display", "billing_address_display")}),
        (
            _("Totals"),
            {
                "fields": (
                    "currency",
                    "subtotal",
                    "discount_total",
                    "shipping_total",
                    "tax_total",
                    "total",
                )
            },
        ),
    )
    inlines = (OrderLineInline, OrderTaxLineInline)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_line_count=Count("lines"))

    def get_readonly_fields(self, request, obj=None):
        fields = [name for _title, options in self.fieldsets for name in options["fields"]]
        return [name for name in fields if name not in self.editable_fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("lines"), ordering="_line_count")
    def line_count(self, obj):
        return obj._line_count

    @admin.display(description=_("shipping address"))
    def shipping_address_display(self, obj):
        return format_address(obj.shipping_address)

    @admin.display(description=_("billing address"))
    def billing_address_display(self, obj):
        return format_address(obj.billing_address)


class SnapshotAdmin(admin.ModelAdmin):
    """A view-only list of rows copied when orders were placed."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OrderLine)
class OrderLineAdmin(SnapshotAdmin):
    list_display = ("order", "sku", "name", "quantity", "unit_price", "net", "tax_rate")
    list_select_related = ("order",)
    list_filter = ("order__status", "tax_class", "category_code")
    search_fields = ("=order__number", "sku", "name")
    ordering = ("-order__placed_at", "order_id", "position", "id")
    fields = (
        "order",
        "position",
        "product",
        "sku",
        "name",
        "category_code",
        "quantity",
        "unit_price",
        "gross",
        "promotion_percent",
        "promotion_amount",
        "volume_percent",
        "volume_amount",
        "net",
        "tax_class",
        "tax_rate",
        "explanation_display",
    )
    readonly_fields = ("explanation_display",)

    @admin.display(description=_("price explanation"))
    def explanation_display(self, obj):
        return format_json(obj.explanation)


@admin.register(OrderTaxLine)
class OrderTaxLineAdmin(SnapshotAdmin):
    list_display = ("order", "rate", "base", "amount", "reason")
    list_select_related = ("order",)
    list_filter = ("rate", "reason")
    search_fields = ("=order__number", "reason")
    ordering = ("-order__placed_at", "order_id", "-rate", "reason")
