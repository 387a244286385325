from django import forms
from django.conf import settings
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from comptoir.core.models import Store
from comptoir.core.store_forms import StoreForm

admin.site.site_header = _("Comptoir back office")
admin.site.site_title = _("Comptoir back office")
admin.site.index_title = _("Store administration")


@admin.register(Store)
class StoreAdmin(admin.ModelAdmin):
    """The store is one row: it can be added while there is none, and never deleted."""

    form = StoreForm
    list_display = (
        "name",
        "country",
        "currency",
        "access_mode",
        "default_group",
        "base_price_list",
        "min_order_amount",
        "time_zone",
    )
    list_select_related = ("default_group", "base_price_list")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        """The content language among the storefront's (settings, not the model's choices:
        COMPTOIR_LANGUAGES may add some)."""
        if db_field.name == "language":
            return forms.ChoiceField(
                label=db_field.verbose_name.capitalize(),
                choices=settings.LANGUAGES,
                help_text=db_field.help_text,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    autocomplete_fields = ("default_group", "base_price_list")
    fieldsets = (
        (None, {"fields": ("name", "language", "country", "region", "currency", "time_zone")}),
        (_("Logo"), {"fields": ("logo_upload", "logo_remove")}),
        (
            _("Customers and prices"),
            {"fields": ("access_mode", "default_group", "base_price_list")},
        ),
        (_("Order rules"), {"fields": ("min_order_amount",)}),
        (_("Stock"), {"fields": ("low_stock_threshold",)}),
        (_("Approvals"), {"fields": ("approval_valid_days",)}),
        (
            _("Invoices"),
            {
                "fields": (
                    "invoice_on",
                    "block_overdue_invoice_terms",
                    "legal_address",
                    "vat_number",
                    "iban",
                    "bic",
                    "late_payment_penalty_rate",
                )
            },
        ),
        (_("Returns"), {"fields": ("return_window_days",)}),
        (_("Legal page"), {"fields": ("legal_notice",)}),
    )

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not Store.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
