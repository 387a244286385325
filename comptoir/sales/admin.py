"""Back office of the sales area (issue 18): assignments, the acting audit trail, and the
company-data admins registered again behind `RepresentativeScope`."""

from django.contrib import admin
from django.urls import path, reverse

from comptoir.accounts import admin as accounts_admin
from comptoir.accounts.models import User
from comptoir.approvals import admin as approvals_admin
from comptoir.approvals.models import ApprovalRequest, ApprovalRule, Budget
from comptoir.customers import admin as customers_admin
from comptoir.customers.models import Address, Company
from comptoir.ordering import admin as ordering_admin
from comptoir.ordering.models import Order
from comptoir.payments import admin as payments_admin
from comptoir.payments.models import Invoice, InvoicePayment
from comptoir.quotes import admin as quotes_admin
from comptoir.quotes.models import Quote
from comptoir.sales import order_entry, views
from comptoir.sales.models import ActingEvent, Assignment
from comptoir.sales.rules import covers_company
from comptoir.sales.scoping import RepresentativeScope
from comptoir.sales.selectors import actor_facts, company_buyers
from comptoir.tax import admin as tax_admin
from comptoir.tax.models import TaxCertificate


@admin.register(Assignment)
class AssignmentAdmin(RepresentativeScope, admin.ModelAdmin):
    list_display = ("representative", "company", "assigned_at")
    list_select_related = ("representative", "company")
    list_filter = (("representative", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("representative__email", "company__code", "company__name")
    autocomplete_fields = ("representative", "company")


@admin.register(ActingEvent)
class ActingEventAdmin(RepresentativeScope, admin.ModelAdmin):
    """Every start and end of acting as a buyer; written by the acting views only."""

    list_display = ("at", "staff", "action", "buyer", "company", "ip_address")
    list_select_related = ("staff", "buyer", "company")
    list_filter = (
        "action",
        ("staff", admin.RelatedOnlyFieldListFilter),
        ("company", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("staff__email", "buyer__email", "company__code", "company__name")
    date_hierarchy = "at"
    readonly_fields = ("at", "staff", "action", "buyer", "company", "ip_address")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _reregister(model, base, **attributes):
    """Register `model` again with `base`'s admin behind the representative scope."""
    admin.site.unregister(model)
    scoped_admin = type(base.__name__, (RepresentativeScope, base), attributes)
    scoped_admin.__module__ = __name__
    admin.site.register(model, scoped_admin)
    return scoped_admin


class CompanyAdmin(RepresentativeScope, customers_admin.CompanyAdmin):
    """The company page gains the way into the storefront as one of its buyers and the
    back-office order entry."""

    company_path = "pk"
    change_form_template = "admin/sales/company_change_form.html"

    def get_urls(self):
        return [
            path(
                "act-as/<int:user_id>/",
                views.start_view,
                name="sales_acting_start",
            ),
            path(
                "<int:company_id>/order-entry/",
                self.admin_site.admin_view(order_entry.order_entry_view),
                name="sales_order_entry",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        if object_id and str(object_id).isdigit():
            facts = actor_facts(request.user)
            company_id = int(object_id)
            if covers_company(facts, company_id):
                extra_context["sales_buyers"] = (
                    company_buyers(company_id).filter(is_active=True)
                    if request.user.has_perm("sales.act_as_buyer")
                    else ()
                )
                extra_context["sales_order_entry"] = (
                    reverse("admin:sales_order_entry", args=[company_id])
                    if request.user.has_perm("sales.enter_orders")
                    else None
                )
        return super().change_view(request, object_id, form_url, extra_context)


admin.site.unregister(Company)
admin.site.register(Company, CompanyAdmin)

_reregister(User, accounts_admin.UserAdmin)
_reregister(Address, customers_admin.AddressAdmin)
_reregister(TaxCertificate, tax_admin.TaxCertificateAdmin)
_reregister(
    Quote,
    quotes_admin.QuoteAdmin,
    readonly_fields=(*quotes_admin.QuoteAdmin.readonly_fields, "entered_by"),
    fieldsets=(
        (
            None,
            {"fields": (*quotes_admin.QuoteAdmin.fieldsets[0][1]["fields"], "entered_by")},
        ),
        *quotes_admin.QuoteAdmin.fieldsets[1:],
    ),
)
_reregister(Invoice, payments_admin.InvoiceAdmin)
_reregister(InvoicePayment, payments_admin.InvoicePaymentAdmin, company_path="invoice__company")
_reregister(ApprovalRule, approvals_admin.ApprovalRuleAdmin)
_reregister(Budget, approvals_admin.BudgetAdmin)


def _placed_by_fieldsets(fieldsets):
    """The order's fieldsets with the staff user who placed it beside the buyer."""
    (title, options), *rest = fieldsets
    fields = list(options["fields"])
    fields.insert(fields.index("buyer") + 1, "placed_by")
    return ((title, {**options, "fields": tuple(fields)}), *rest)


class OrderAdmin(RepresentativeScope, ordering_admin.OrderAdmin):
    list_display = (*ordering_admin.OrderAdmin.list_display, "placed_by")
    list_select_related = ("company", "placed_by")
    fieldsets = _placed_by_fieldsets(ordering_admin.OrderAdmin.fieldsets)


admin.site.unregister(Order)
admin.site.register(Order, OrderAdmin)


class ApprovalRequestAdmin(RepresentativeScope, approvals_admin.ApprovalRequestAdmin):
    list_display = (*approvals_admin.ApprovalRequestAdmin.list_display, "entered_by")
    list_select_related = ("company", "requester", "order", "entered_by")
    fieldsets = (
        (
            approvals_admin.ApprovalRequestAdmin.fieldsets[0][0],
            {
                "fields": (
                    *approvals_admin.ApprovalRequestAdmin.fieldsets[0][1]["fields"],
                    "entered_by",
                )
            },
        ),
        *approvals_admin.ApprovalRequestAdmin.fieldsets[1:],
    )


admin.site.unregister(ApprovalRequest)
admin.site.register(ApprovalRequest, ApprovalRequestAdmin)
