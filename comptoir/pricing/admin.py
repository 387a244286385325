from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from comptoir.core.admin_filters import ValidityListFilter
from comptoir.core.admin_widgets import LongInlineMixin
from comptoir.pricing.models import PriceEntry, PriceList, Promotion, VolumeDiscountTier


def _entries_link(price_list, count):
    url = reverse("admin:pricing_priceentry_changelist")
    text = ngettext("%(count)d entry", "%(count)d entries", count) % {"count": count}
    return format_html('<a href="{}?price_list__id__exact={}">{}</a>', url, price_list.pk, text)


class PriceEntryInline(LongInlineMixin, admin.TabularInline):
    """The list's tiers; a long list is edited in the price entries list (paginated)."""

    model = PriceEntry
    fields = ("product", "min_qty", "price")
    autocomplete_fields = ("product",)
    ordering = ("product__sku", "min_qty")
    max_shown = 100


@admin.register(PriceList)
class PriceListAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name",
        "currency",
        "priority",
        "parent",
        "adjustment_percent",
        "valid_from",
        "valid_until",
        "entry_count",
    )
    list_select_related = ("parent",)
    list_filter = (ValidityListFilter, "currency", "customer_groups")
    search_fields = ("code", "name")
    ordering = ("priority", "code")
    autocomplete_fields = ("parent", "customer_groups", "companies")
    readonly_fields = ("entries_link",)
    fieldsets = (
        (None, {"fields": ("code", "name", "currency", "priority", "entries_link")}),
        (
            _("Derived prices"),
            {
                "description": _(
                    "For products without an entry of its own, the list can give the parent "
                    "list's price adjusted by a percentage (-10 means 10 % off)."
                ),
                "fields": ("parent", "adjustment_percent"),
            },
        ),
        (_("Validity"), {"fields": ("valid_from", "valid_until")}),
        (
            _("Assignment"),
            {
                "description": _(
                    "Contract prices for companies, or prices of customer groups. The "
                    "store's base list is chosen on the store."
                ),
                "fields": ("customer_groups", "companies"),
            },
        ),
    )
    inlines = (PriceEntryInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_entry_count=Count("entries"))

    @admin.display(description=_("entries"), ordering="_entry_count")
    def entry_count(self, obj):
        return _entries_link(obj, obj._entry_count)

    @admin.display(description=_("entries"))
    def entries_link(self, obj):
        if obj.pk is None:
            return "-"
        return _entries_link(obj, obj._entry_count)


@admin.register(PriceEntry)
class PriceEntryAdmin(admin.ModelAdmin):
    """Every tier of every list, paginated: the place to work on long price lists."""

    list_display = ("price_list", "product_sku", "product_name", "min_qty", "price")
    list_display_links = ("product_sku",)
    list_editable = ("price",)
    list_select_related = ("price_list", "product")
    list_filter = ("price_list", "price_list__currency")
    search_fields = ("product__sku", "product__name", "price_list__code")
    ordering = ("price_list__priority", "price_list__code", "product__sku", "min_qty")
    autocomplete_fields = ("price_list", "product")
    list_per_page = 100

    @admin.display(description=_("SKU"), ordering="product__sku")
    def product_sku(self, obj):
        return obj.product.sku

    @admin.display(description=_("product"), ordering="product__name")
    def product_name(self, obj):
        return obj.product.name


@admin.register(Promotion)
class PromotionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "percent", "valid_from", "valid_until", "group_codes")
    list_filter = (ValidityListFilter, "customer_groups")
    search_fields = ("code", "name", "products__sku", "categories__code")
    ordering = ("code",)
    autocomplete_fields = ("customer_groups", "products", "categories")
    fieldsets = (
        (None, {"fields": ("code", "name", "percent")}),
        (_("Validity"), {"fields": ("valid_from", "valid_until")}),
        (_("Who and what"), {"fields": ("customer_groups", "products", "categories")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("customer_groups")

    @admin.display(description=_("customer groups"))
    def group_codes(self, obj):
        return ", ".join(group.code for group in obj.customer_groups.all())


@admin.register(VolumeDiscountTier)
class VolumeDiscountTierAdmin(admin.ModelAdmin):
    list_display = ("customer_group", "min_total_qty", "percent")
    list_select_related = ("customer_group",)
    list_filter = ("customer_group",)
    search_fields = ("customer_group__code", "customer_group__name")
    ordering = ("customer_group__code", "min_total_qty")
    autocomplete_fields = ("customer_group",)
