from django import forms
from django.contrib import admin, messages
from django.db.models import Count
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from comptoir.accounts.models import User
from comptoir.core.admin_widgets import LongInlineMixin, PrivateFileWidget
from comptoir.customers.models import (
    Address,
    Company,
    CompanyStatus,
    CustomerGroup,
    SegmentationCondition,
    SegmentationRule,
)
from comptoir.customers.services import companies_approve, companies_reject, companies_suspend
from comptoir.ordering.models import GroupOrderRule
from comptoir.pricing.models import VolumeDiscountTier
from comptoir.tax.models import TaxCertificate


def changelist_link(model, text, **filters):
    """A link to a model's back-office list, filtered (`field__id__exact=...`)."""
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    query = "&".join(f"{key}={value}" for key, value in filters.items())
    return format_html('<a href="{}?{}">{}</a>', url, query, text)


# Customer groups


class VolumeDiscountTierInline(admin.TabularInline):
    model = VolumeDiscountTier
    fields = ("min_total_qty", "percent")
    extra = 0


class GroupOrderRuleInline(LongInlineMixin, admin.TabularInline):
    model = GroupOrderRule
    fields = ("product", "min_qty", "max_qty", "qty_step")
    autocomplete_fields = ("product",)
    extra = 0


@admin.register(CustomerGroup)
class CustomerGroupAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name",
        "company_count",
        "min_order_amount",
        "tax_exempt",
        "limit_catalog",
    )
    list_filter = ("tax_exempt", "limit_catalog")
    search_fields = ("code", "name")
    ordering = ("code",)
    autocomplete_fields = ("catalog_categories",)
    readonly_fields = ("related_lists",)
    fieldsets = (
        (None, {"fields": ("code", "name", "related_lists")}),
        (_("Order rules and tax"), {"fields": ("min_order_amount", "tax_exempt")}),
        (_("Catalog"), {"fields": ("limit_catalog", "catalog_categories")}),
    )
    inlines = (VolumeDiscountTierInline, GroupOrderRuleInline)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_company_count=Count("companies"))

    @admin.display(description=_("companies"), ordering="_company_count")
    def company_count(self, obj):
        return changelist_link(Company, obj._company_count, group__id__exact=obj.pk)

    @admin.display(description=_("see also"))
    def related_lists(self, obj):
        if obj.pk is None:
            return "-"
        return format_html(
            "{} · {}",
            changelist_link(
                Company,
                ngettext("%(count)d company", "%(count)d companies", obj._company_count)
                % {"count": obj._company_count},
                group__id__exact=obj.pk,
            ),
            changelist_link(GroupOrderRule, _("order rules"), customer_group__id__exact=obj.pk),
        )


# Companies


class AddressInline(admin.TabularInline):
    model = Address
    fields = ("position", "code", "line1", "line2", "postal_code", "city", "region", "country")
    extra = 0


class BuyerInline(admin.TabularInline):
    """The company's buyers; a new one logs in once it has a password (reset or set it)."""

    model = User
    fk_name = "company"
    fields = ("email", "first_name", "last_name", "role", "is_active")
    extra = 0
    show_change_link = True
    verbose_name = _("buyer")
    verbose_name_plural = _("buyers (open a buyer to set a password)")


class TaxCertificateInline(admin.TabularInline):
    model = TaxCertificate
    fields = ("number", "country", "region", "issued_on", "expires_on", "status", "document")
    extra = 0
    show_change_link = True

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "document":
            kwargs["widget"] = PrivateFileWidget("admin:tax_taxcertificate_document")
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name",
        "group",
        "status",
        "country",
        "credit_limit",
        "buyer_count",
        "created_at",
    )
    list_select_related = ("group",)
    list_filter = ("status", "group", "country", "pinned_group")
    search_fields = ("code", "name", "vat_number", "users__email")
    ordering = ("name",)
    readonly_fields = ("created_at",)
    actions = ("approve", "reject", "suspend")
    fieldsets = (
        (None, {"fields": ("code", "name", "status", "rejection_reason", "created_at")}),
        (_("Customer group"), {"fields": ("group", "pinned_group")}),
        (_("Tax and location"), {"fields": ("country", "region", "vat_number")}),
        (_("Payment"), {"fields": ("credit_limit",)}),
    )
    inlines = (AddressInline, BuyerInline, TaxCertificateInline)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_buyer_count=Count("users"))

    @admin.display(description=_("buyers"), ordering="_buyer_count")
    def buyer_count(self, obj):
        return obj._buyer_count

    def get_readonly_fields(self, request, obj=None):
        """Status changes go through the actions, which tell the buyers (e-mails, links)."""
        fields = super().get_readonly_fields(request, obj)
        return (*fields, "status", "rejection_reason") if obj else fields

    @admin.action(description=_("Approve the selected companies"), permissions=["change"])
    def approve(self, request, queryset):
        count = companies_approve(companies=queryset, site_url=request.build_absolute_uri("/"))
        self.message_user(
            request,
            ngettext(
                "%(count)d company approved; its buyers were sent an e-mail.",
                "%(count)d companies approved; their buyers were sent an e-mail.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Reject the selected account requests"), permissions=["change"])
    def reject(self, request, queryset):
        """Asks for the reason first: it goes to the applicants."""
        form = RejectionForm(request.POST if "reason" in request.POST else None)
        if not form.is_valid():
            return TemplateResponse(
                request,
                "admin/customers/company/reject.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Reject account requests"),
                    "opts": self.model._meta,
                    "form": form,
                    "companies": queryset,
                    "pending": queryset.filter(status=CompanyStatus.PENDING),
                    "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                },
            )
        count = companies_reject(
            companies=queryset,
            reason=form.cleaned_data["reason"],
            site_url=request.build_absolute_uri("/"),
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d account request rejected.", "%(count)d account requests rejected.", count
            )
            % {"count": count},
            messages.SUCCESS,
        )
        return None

    @admin.action(description=_("Suspend the selected companies"), permissions=["change"])
    def suspend(self, request, queryset):
        count = companies_suspend(companies=queryset)
        self.message_user(
            request,
            ngettext("%(count)d company suspended.", "%(count)d companies suspended.", count)
            % {"count": count},
            messages.SUCCESS,
        )


class RejectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason, sent to the applicants"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )


@admin.register(Address)
class AddressAdmin(admin.ModelAdmin):
    list_display = ("company", "code", "line1", "postal_code", "city", "region", "country")
    list_select_related = ("company",)
    list_filter = ("country",)
    search_fields = ("company__code", "company__name", "code", "line1", "postal_code", "city")
    ordering = ("company__name", "position", "id")
    autocomplete_fields = ("company",)


# Segmentation


class SegmentationConditionInline(admin.TabularInline):
    model = SegmentationCondition
    fields = ("field", "op", "value")
    extra = 1


@admin.register(SegmentationRule)
class SegmentationRuleAdmin(admin.ModelAdmin):
    list_display = ("position", "group", "conditions_summary", "active")
    list_display_links = ("position", "group")
    list_select_related = ("group",)
    list_filter = ("active", "group")
    list_editable = ("active",)
    search_fields = ("group__code", "group__name", "conditions__value")
    ordering = ("position",)
    fields = ("position", "group", "active")
    inlines = (SegmentationConditionInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("conditions")

    @admin.display(description=_("conditions"))
    def conditions_summary(self, obj):
        conditions = obj.conditions.all()
        if not conditions:
            return _("every company")
        return format_html_join(
            mark_safe("<br>"),
            "{} {} {}",
            ((c.get_field_display(), c.get_op_display(), c.value) for c in conditions),
        )


@admin.register(SegmentationCondition)
class SegmentationConditionAdmin(admin.ModelAdmin):
    list_display = ("rule", "field", "op", "value")
    list_select_related = ("rule__group",)
    list_filter = ("field", "rule__group")
    search_fields = ("value", "rule__group__code")
    ordering = ("rule__position", "id")
