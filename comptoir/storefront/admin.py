from django.contrib import admin

from comptoir.core.admin_filters import ValidityListFilter
from comptoir.storefront.models import Banner


@admin.register(Banner)
class BannerAdmin(admin.ModelAdmin):
    list_display = ("title", "code", "kind", "language", "valid_from", "valid_until", "active")
    list_filter = ("kind", "active", ValidityListFilter, "customer_groups", "language")
    list_editable = ("active",)
    search_fields = ("code", "title", "body")
    autocomplete_fields = ("customer_groups",)
    ordering = ("position", "code")
    fields = (
        ("code", "kind"),
        "title",
        "body",
        "link_url",
        "customer_groups",
        "language",
        ("valid_from", "valid_until"),
        ("position", "active"),
    )
