from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from comptoir.core.admin_forms import CountryListField
from comptoir.payments.models import PaymentMethod, ShippingMethod


class MethodConditionsForm(forms.ModelForm):
    """The model form of a method, `countries` typed as "FR, BE, DE"."""

    countries = CountryListField(label=_("Countries"))


class MethodConditionsAdmin(admin.ModelAdmin):
    """Shared by payment and shipping methods: who may use them, and for which totals."""

    form = MethodConditionsForm
    list_editable = ("active", "position")
    list_filter = ("active", "customer_groups")
    search_fields = ("code", "name")
    ordering = ("position", "code")
    autocomplete_fields = ("customer_groups", "companies")
    conditions_fieldset = (
        _("Conditions"),
        {
            "description": _(
                "An empty condition means no restriction. Totals are inclusive bounds."
            ),
            "fields": ("countries", "customer_groups", "companies", "min_total", "max_total"),
        },
    )

    @admin.display(description=_("countries"))
    def country_list(self, obj):
        return ", ".join(obj.countries) if obj.countries else _("all")


@admin.register(PaymentMethod)
class PaymentMethodAdmin(MethodConditionsAdmin):
    list_display = (
        "code",
        "name",
        "type",
        "net_days",
        "country_list",
        "min_total",
        "max_total",
        "active",
        "position",
    )
    list_filter = ("active", "type", "customer_groups")
    fieldsets = (
        (None, {"fields": ("code", "name", "type", "active", "position")}),
        (_("Terms and instructions"), {"fields": ("net_days", "instructions")}),
        MethodConditionsAdmin.conditions_fieldset,
    )


@admin.register(ShippingMethod)
class ShippingMethodAdmin(MethodConditionsAdmin):
    list_display = (
        "code",
        "name",
        "price",
        "free_above",
        "country_list",
        "min_total",
        "max_total",
        "active",
        "position",
    )
    fieldsets = (
        (None, {"fields": ("code", "name", "active", "position")}),
        (_("Price"), {"fields": ("price", "free_above")}),
        MethodConditionsAdmin.conditions_fieldset,
    )
