from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from comptoir.core.admin_forms import CountryListField
from comptoir.core.admin_money import localized_percent, money_column
from comptoir.core.admin_translations import TranslationsAdminMixin, with_translations
from comptoir.core.errors import BusinessRuleError
from comptoir.core.selectors import get_store, store_today
from comptoir.payments import invoice_rules
from comptoir.payments.documents import address_lines, amount, invoice_document
from comptoir.payments.invoicing import invoice_record_payment
from comptoir.payments.models import (
    Invoice,
    InvoicePayment,
    InvoiceStatus,
    PaymentMethod,
    PaymentType,
    ShippingMethod,
)
from comptoir.payments.views import pdf_response
from comptoir.tax.templatetags.tax import tax_reason


class MethodConditionsForm(forms.ModelForm):
    """The model form of a method, `countries` typed as "FR, BE, DE"."""

    countries = CountryListField(label=_("Countries"))


class MethodConditionsAdmin(TranslationsAdminMixin, admin.ModelAdmin):
    """Shared by payment and shipping methods: who may use them, and for which totals."""

    list_editable = ("active", "position")
    list_filter = ("active", "customer_groups")
    search_fields = ("code", "name")
    ordering = ("position", "code")
    autocomplete_fields = ("customer_groups", "companies", "excluded_companies")
    conditions_fieldset = (
        _("Conditions"),
        {
            "description": _(
                "An empty condition means no restriction. Totals are inclusive bounds."
            ),
            "fields": (
                "countries",
                "customer_groups",
                "companies",
                "excluded_companies",
                "min_total",
                "max_total",
            ),
        },
    )

    @admin.display(description=_("countries"))
    def country_list(self, obj):
        return ", ".join(obj.countries) if obj.countries else _("all")


@admin.register(PaymentMethod)
class PaymentMethodAdmin(MethodConditionsAdmin):
    form = with_translations(MethodConditionsForm, PaymentMethod)
    list_display = (
        "code",
        "name",
        "type",
        "net_days",
        "country_list",
        money_column(PaymentMethod, "min_total"),
        money_column(PaymentMethod, "max_total"),
        "active",
        "position",
    )
    list_filter = ("active", "type", "customer_groups")
    fieldsets = (
        (None, {"fields": ("code", "name", "type", "active", "position")}),
        (
            _("Terms and instructions"),
            {"fields": ("net_days", "term_rule", "without_credit_limit", "instructions")},
        ),
        MethodConditionsAdmin.conditions_fieldset,
    )


@admin.register(ShippingMethod)
class ShippingMethodAdmin(MethodConditionsAdmin):
    form = with_translations(MethodConditionsForm, ShippingMethod)
    list_display = (
        "code",
        "name",
        money_column(ShippingMethod, "price"),
        money_column(ShippingMethod, "free_above"),
        "country_list",
        money_column(ShippingMethod, "min_total"),
        money_column(ShippingMethod, "max_total"),
        "active",
        "position",
    )
    fieldsets = (
        (None, {"fields": ("code", "name", "active", "position")}),
        (_("Price"), {"fields": ("price", "free_above")}),
        MethodConditionsAdmin.conditions_fieldset,
    )


class OverdueListFilter(admin.SimpleListFilter):
    """Invoices past their due date and not paid, whether the daily task marked them yet."""

    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return (("yes", _("Past due, not paid")), ("no", _("Not past due, or paid")))

    def queryset(self, request, queryset):
        if self.value() not in ("yes", "no"):
            return queryset
        late = Q(status__in=invoice_rules.OPEN_STATUSES, due_on__lt=store_today(get_store()))
        return queryset.filter(late) if self.value() == "yes" else queryset.exclude(late)


class InvoicePaymentInline(admin.TabularInline):
    """Payments are recorded with the form of the invoice's page; never changed after."""

    model = InvoicePayment
    fields = ("paid_on", "amount", "method", "reference", "recorded_by", "created_at")
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PaymentForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount"), max_digits=14, decimal_places=2, min_value=0)
    paid_on = forms.DateField(label=_("Paid on"), widget=forms.DateInput(attrs={"type": "date"}))
    method = forms.ChoiceField(label=_("Paid by"), choices=PaymentType.choices)
    reference = forms.CharField(
        label=_("Reference"),
        max_length=100,
        required=False,
        help_text=_("E.g. the bank statement line or the cheque number."),
    )


INVOICE_SNAPSHOT_FIELDSETS = (
    (
        None,
        {
            "fields": (
                "number",
                "order",
                "company",
                "status",
                "issued_on",
                "due_on",
                "total",
                "amount_credited",
                "amount_paid",
                "amount_refunded",
                "amount_due_display",
                "documents",
            )
        },
    ),
    (
        _("Payment terms"),
        {
            "fields": (
                "payment_method_code",
                "payment_method_name",
                "payment_type",
                "net_days",
                "term_rule",
                "payment_instructions",
            )
        },
    ),
    (
        _("Seller"),
        {
            "fields": (
                "seller_name",
                "seller_address",
                "seller_vat_number",
                "seller_iban",
                "seller_bic",
            )
        },
    ),
    (
        _("Buyer"),
        {"fields": ("buyer_name", "buyer_code", "buyer_vat_number", "billing_address_display")},
    ),
    (
        _("Amounts"),
        {
            "fields": (
                "currency",
                "po_number",
                "subtotal",
                "discount_total",
                "shipping_total",
                "tax_lines_display",
                "tax_total",
                "tax_mention",
                "created_at",
            )
        },
    ),
)


@admin.register(Invoice)
class InvoiceAdmin(admin.ModelAdmin):
    """Invoices are issued with their orders and never edited: only payments are recorded,
    with the form reached from an invoice's page (`invoice_record_payment`)."""

    list_display = (
        "number",
        "issued_on",
        "due_on",
        "company",
        "order",
        money_column(Invoice, "total"),
        money_column(Invoice, "amount_paid"),
        "amount_due_display",
        "status",
    )
    list_select_related = ("company", "order")
    list_filter = ("status", OverdueListFilter, "payment_type", "issued_on")
    search_fields = ("number", "company__code", "company__name", "order__number", "po_number")
    ordering = ("-issued_on", "-number")
    date_hierarchy = "issued_on"
    fieldsets = INVOICE_SNAPSHOT_FIELDSETS
    inlines = (InvoicePaymentInline,)
    change_form_template = "admin/payments/invoice/change_form.html"

    def get_readonly_fields(self, request, obj=None):
        return [name for _title, options in self.fieldsets for name in options["fields"]]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """Nothing to save on the page: the payment form is the one way to change it."""
        extra_context = {
            **(extra_context or {}),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
            "show_delete": False,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description=_("amount due"))
    def amount_due_display(self, obj):
        return obj.amount_due if obj.status != InvoiceStatus.CANCELLED else "—"

    @admin.display(description=_("billing address"))
    def billing_address_display(self, obj):
        return format_html_join(
            mark_safe("<br>"), "{}", ((line,) for line in address_lines(obj.billing_address))
        )

    @admin.display(description=_("tax lines"))
    def tax_lines_display(self, obj):
        return format_html_join(
            mark_safe("<br>"),
            "{} — {} / {}",
            (
                (
                    localized_percent(Decimal(str(tax["rate"])))
                    + (f" ({tax_reason(tax['reason'])})" if tax["reason"] else ""),
                    tax["base"],
                    tax["amount"],
                )
                for tax in obj.tax_lines
            ),
        )

    @admin.display(description=_("documents"))
    def documents(self, obj):
        if obj.pk is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("admin:payments_invoice_document", args=[obj.pk]),
            _("Invoice (HTML)"),
            reverse("admin:payments_invoice_pdf", args=[obj.pk]),
            _("PDF"),
        )

    def get_urls(self):
        return [
            path(
                "<path:object_id>/document/",
                self.admin_site.admin_view(self.document_view),
                name="payments_invoice_document",
            ),
            path(
                "<path:object_id>/pdf/",
                self.admin_site.admin_view(self.pdf_view),
                name="payments_invoice_pdf",
            ),
            path(
                "<path:object_id>/payment/",
                self.admin_site.admin_view(self.payment_view),
                name="payments_invoice_payment",
            ),
            *super().get_urls(),
        ]

    def _invoice(self, request, object_id, *, change=False):
        invoice = self.get_object(request, unquote(object_id))
        if invoice is None:
            raise Http404(_("No such invoice."))
        allowed = (
            self.has_change_permission(request, invoice)
            if change
            else self.has_view_or_change_permission(request, invoice)
        )
        if not allowed:
            raise PermissionDenied
        return invoice

    def document_view(self, request, object_id):
        invoice = self._invoice(request, object_id)
        return TemplateResponse(
            request,
            "admin/payments/invoice/document.html",
            {
                **self.admin_site.each_context(request),
                "title": invoice.number,
                "opts": self.opts,
                "original": invoice,
                "document": invoice_document(invoice),
            },
        )

    def pdf_view(self, request, object_id):
        return pdf_response(self._invoice(request, object_id), as_attachment=False)

    def payment_view(self, request, object_id):
        """Records a payment received (full or partial) through the service."""
        invoice = self._invoice(request, object_id, change=True)
        change_url = reverse("admin:payments_invoice_change", args=[invoice.pk])
        initial = {
            "amount": invoice.amount_due,
            "paid_on": store_today(get_store()),
            "method": invoice.payment_type
            if invoice.payment_type in (PaymentType.BANK_TRANSFER, PaymentType.CHEQUE)
            else PaymentType.BANK_TRANSFER,
        }
        form = PaymentForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                invoice_record_payment(
                    invoice=invoice,
                    amount=form.cleaned_data["amount"],
                    paid_on=form.cleaned_data["paid_on"],
                    method=form.cleaned_data["method"],
                    reference=form.cleaned_data["reference"],
                    user=request.user,
                )
            except BusinessRuleError as error:
                form.add_error(None, error.message)
            else:
                self.message_user(
                    request,
                    _("Payment of %(amount)s recorded on invoice %(number)s: %(status)s.")
                    % {
                        "amount": amount(form.cleaned_data["amount"]),
                        "number": invoice.number,
                        "status": InvoiceStatus(invoice.status).label,
                    },
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(change_url)
        return TemplateResponse(
            request,
            "admin/payments/invoice/payment.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Record a payment: %(number)s") % {"number": invoice.number},
                "opts": self.opts,
                "original": invoice,
                "form": form,
                "change_url": change_url,
            },
        )


@admin.register(InvoicePayment)
class InvoicePaymentAdmin(admin.ModelAdmin):
    """Every payment received, for reconciling with the bank; recorded from an invoice's
    page, never added, changed or deleted here."""

    list_display = (
        "invoice",
        "paid_on",
        money_column(InvoicePayment, "amount"),
        "method",
        "reference",
        "recorded_by",
    )
    list_select_related = ("invoice", "recorded_by")
    list_filter = ("method", "paid_on")
    search_fields = ("=invoice__number", "reference", "invoice__company__code")
    ordering = ("-paid_on", "-id")
    date_hierarchy = "paid_on"
    fields = ("invoice", "paid_on", "amount", "method", "reference", "recorded_by", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
