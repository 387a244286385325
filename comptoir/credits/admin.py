"""The back office of credit notes and refunds: issued from an invoice's page (whole, lines
and quantities, or an amount, with a reason) through `credit_note_issue`, listed, read as a
PDF; refunds recorded like payments. Nothing here is ever changed or deleted."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from comptoir.core.admin_money import money_column
from comptoir.core.errors import BusinessRuleError
from comptoir.core.selectors import get_store, store_today
from comptoir.credits import rules
from comptoir.credits.models import CreditKind, CreditNote, InvoiceRefund
from comptoir.credits.services import credit_note_issue, invoice_record_refund, remaining_of
from comptoir.credits.views import pdf_response
from comptoir.payments.documents import amount
from comptoir.payments.models import Invoice, PaymentType


class CreditNoteForm(forms.Form):
    """What to take back; one quantity field per invoice line that has some left."""

    kind = forms.ChoiceField(
        label=_("Take back"), choices=CreditKind.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(label=_("Reason"), max_length=rules.REASON_MAX_LENGTH)
    amount = forms.DecimalField(
        label=_("Amount, tax included"),
        max_digits=14,
        decimal_places=2,
        required=False,
        help_text=_("For a credit by amount: split across the invoice's VAT rates."),
    )

    def __init__(self, *args, left: rules.Remaining, **kwargs):
        super().__init__(*args, **kwargs)
        self.line_fields = []
        for item in left.lines:
            if item.quantity <= 0:
                continue
            name = f"line_{item.index}"
            self.fields[name] = forms.IntegerField(
                label=f"{item.line['sku']} — {item.line['name']}",
                min_value=0,
                max_value=item.quantity,
                required=False,
                help_text=_("Up to %(quantity)s.") % {"quantity": item.quantity},
            )
            self.line_fields.append((item.index, name))

    def quantities(self) -> dict[int, int]:
        return {
            index: self.cleaned_data[name]
            for index, name in self.line_fields
            if self.cleaned_data.get(name)
        }


class RefundForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount"), max_digits=14, decimal_places=2)
    refunded_on = forms.DateField(
        label=_("Refunded on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    method = forms.ChoiceField(label=_("Refunded by"), choices=PaymentType.choices)
    reference = forms.CharField(label=_("Reference"), max_length=100, required=False)


@admin.register(CreditNote)
class CreditNoteAdmin(admin.ModelAdmin):
    list_display = (
        "number",
        "issued_on",
        "company",
        "invoice",
        "kind",
        "reason",
        money_column(CreditNote, "total"),
        "pdf_link",
    )
    list_select_related = ("company", "invoice")
    list_filter = ("kind", "issued_on")
    search_fields = ("number", "invoice__number", "company__code", "company__name")
    ordering = ("-issued_on", "-number")
    date_hierarchy = "issued_on"
    fields = (
        "number",
        "invoice",
        "company",
        "issued_on",
        "kind",
        "reason",
        "lines",
        "tax_lines",
        "shipping",
        "net_total",
        "tax_total",
        "total",
        "tax_mention",
        "issued_by",
        "created_at",
    )
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("PDF"))
    def pdf_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:credits_creditnote_pdf", args=[obj.pk]), "PDF"
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/pdf/",
                self.admin_site.admin_view(self.pdf_view),
                name="credits_creditnote_pdf",
            ),
            path(
                "issue/<int:invoice_id>/",
                self.admin_site.admin_view(self.issue_view),
                name="credits_creditnote_issue",
            ),
            path(
                "refund/<int:invoice_id>/",
                self.admin_site.admin_view(self.refund_view),
                name="credits_invoice_refund",
            ),
            *super().get_urls(),
        ]

    def pdf_view(self, request, pk):
        if not self.has_view_permission(request):
            raise PermissionDenied
        note = CreditNote.objects.select_related("invoice__order").filter(pk=pk).first()
        if note is None:
            raise Http404(_("No such credit note."))
        return pdf_response(note, as_attachment=False)

    def _invoice(self, request, invoice_id) -> Invoice:
        if not request.user.has_perm("credits.add_creditnote"):
            raise PermissionDenied
        invoice = Invoice.objects.select_related("order").filter(pk=invoice_id).first()
        if invoice is None:
            raise Http404(_("No such invoice."))
        return invoice

    def _page(self, request, template, title, invoice, form, **extra):
        return TemplateResponse(
            request,
            template,
            {
                **self.admin_site.each_context(request),
                "title": title,
                "opts": self.opts,
                "invoice": invoice,
                "form": form,
                "change_url": reverse("admin:payments_invoice_change", args=[invoice.pk]),
                **extra,
            },
        )

    def issue_view(self, request, invoice_id):
        """Issues a credit note against the invoice through the one service."""
        invoice = self._invoice(request, invoice_id)
        left = remaining_of(invoice)
        form = CreditNoteForm(request.POST or None, left=left)
        if request.method == "POST" and form.is_valid():
            try:
                note = credit_note_issue(
                    invoice=invoice,
                    kind=form.cleaned_data["kind"],
                    reason=form.cleaned_data["reason"],
                    quantities=form.quantities(),
                    amount=form.cleaned_data["amount"],
                    user=request.user,
                    tell_buyer=True,
                )
            except BusinessRuleError as error:
                form.add_error(None, error.message)
            else:
                self.message_user(
                    request,
                    _("Credit note %(number)s issued: %(total)s taken back on %(invoice)s.")
                    % {
                        "number": note.number,
                        "total": amount(note.total),
                        "invoice": invoice.number,
                    },
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(
                    reverse("admin:payments_invoice_change", args=[invoice.pk])
                )
        return self._page(
            request,
            "admin/credits/issue.html",
            _("Issue a credit note: %(number)s") % {"number": invoice.number},
            invoice,
            form,
            remaining=amount(left.total),
        )

    def refund_view(self, request, invoice_id):
        """Records money paid back to the buyer through the one service."""
        invoice = self._invoice(request, invoice_id)
        initial = {
            "amount": invoice.amount_refundable,
            "refunded_on": store_today(get_store()),
            "method": PaymentType.BANK_TRANSFER,
        }
        form = RefundForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                invoice_record_refund(
                    invoice=invoice,
                    amount=form.cleaned_data["amount"],
                    refunded_on=form.cleaned_data["refunded_on"],
                    method=form.cleaned_data["method"],
                    reference=form.cleaned_data["reference"],
                    user=request.user,
                )
            except BusinessRuleError as error:
                form.add_error(None, error.message)
            else:
                self.message_user(
                    request,
                    _("Refund of %(amount)s recorded on invoice %(number)s.")
                    % {"amount": amount(form.cleaned_data["amount"]), "number": invoice.number},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(
                    reverse("admin:payments_invoice_change", args=[invoice.pk])
                )
        return self._page(
            request,
            "admin/credits/refund.html",
            _("Record a refund: %(number)s") % {"number": invoice.number},
            invoice,
            form,
        )


@admin.register(InvoiceRefund)
class InvoiceRefundAdmin(admin.ModelAdmin):
    """Every refund paid, for reconciling with the bank; recorded from an invoice's page."""

    list_display = (
        "invoice",
        "refunded_on",
        money_column(InvoiceRefund, "amount"),
        "method",
        "reference",
        "recorded_by",
    )
    list_select_related = ("invoice", "recorded_by")
    list_filter = ("method", "refunded_on")
    search_fields = ("=invoice__number", "reference", "invoice__company__code")
    ordering = ("-refunded_on", "-id")
    fields = ("invoice", "refunded_on", "amount", "method", "reference", "recorded_by")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
