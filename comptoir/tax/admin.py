from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_tasks_db.models import DBTaskResult

from comptoir.core.admin_filters import ValidityListFilter
from comptoir.core.admin_forms import ask_reason
from comptoir.core.admin_widgets import PrivateFileWidget
from comptoir.tax.forms import TOO_LARGE, WRONG_TYPE
from comptoir.tax.models import CertificateStatus, TaxCertificate, TaxRate
from comptoir.tax.rules import MAX_DOCUMENT_BYTES, SNIFF_BYTES, document_type
from comptoir.tax.services import certificates_approve, certificates_reject
from comptoir.tax.views import document_response

# django-tasks-db lists the background-task runs in the admin; the back office is the
# merchant's, and the runs are operations' business (`manage.py db_worker` logs them).
if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)


@admin.register(TaxRate)
class TaxRateAdmin(admin.ModelAdmin):
    list_display = ("country", "region", "tax_class", "rate")
    list_editable = ("rate",)
    list_filter = ("tax_class", "country")
    search_fields = ("=country", "=region")
    ordering = ("country", "region", "tax_class")


class CertificateValidityListFilter(ValidityListFilter):
    from_field = "issued_on"
    until_field = "expires_on"


class TaxCertificateForm(forms.ModelForm):
    """A document uploaded here is checked like the buyers' ones: PDF, PNG or JPEG by its
    first bytes, 10 MB at most, stored under a generated name with the matching extension."""

    class Meta:
        model = TaxCertificate
        fields = ("company", "number", "document", "country", "region", "issued_on", "expires_on")

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if not document or "document" not in self.changed_data:
            return document
        if document.size > MAX_DOCUMENT_BYTES:
            raise forms.ValidationError(TOO_LARGE, code="too_large")
        document.seek(0)
        kind = document_type(document.read(SNIFF_BYTES))
        document.seek(0)
        if kind is None:
            raise forms.ValidationError(WRONG_TYPE, code="wrong_type")
        document.name = f"certificate{kind.extension}"
        return document


@admin.register(TaxCertificate)
class TaxCertificateAdmin(admin.ModelAdmin):
    """Exemption certificates sent by companies, to review (approve or reject) and renew.

    The status changes only through the actions, which e-mail the company's buyers.
    """

    form = TaxCertificateForm
    list_display = (
        "number",
        "company",
        "country",
        "region",
        "issued_on",
        "expires_on",
        "status",
        "created_at",
    )
    list_select_related = ("company",)
    list_filter = ("status", CertificateValidityListFilter, "country")
    search_fields = ("number", "company__code", "company__name")
    ordering = ("expires_on", "number")
    date_hierarchy = "expires_on"
    autocomplete_fields = ("company",)
    readonly_fields = (
        "created_at",
        "status",
        "rejection_reason",
        "reminded_30_days_on",
        "reminded_7_days_on",
    )
    actions = ("approve", "reject")
    fieldsets = (
        (None, {"fields": ("company", "number", "document", "created_at")}),
        (_("Jurisdiction and dates"), {"fields": ("country", "region", "issued_on", "expires_on")}),
        (
            _("Review (through the Approve and Reject actions)"),
            {"fields": ("status", "rejection_reason")},
        ),
        (_("Expiry reminders"), {"fields": ("reminded_30_days_on", "reminded_7_days_on")}),
    )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "document":
            kwargs["widget"] = PrivateFileWidget("admin:tax_taxcertificate_document")
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/document/",
                self.admin_site.admin_view(self.document_view),
                name="tax_taxcertificate_document",
            ),
            *super().get_urls(),
        ]

    def document_view(self, request, object_id):
        """The certificate's document, from the private storage, to staff who may see it."""
        certificate = self.get_object(request, unquote(object_id))
        if certificate is None or not certificate.document:
            raise Http404(_("This certificate has no document."))
        if not self.has_view_or_change_permission(request, certificate):
            raise PermissionDenied
        return document_response(certificate)

    @admin.action(description=_("Approve the selected certificates"), permissions=["change"])
    def approve(self, request, queryset):
        count = certificates_approve(
            certificates=queryset, site_url=request.build_absolute_uri("/")
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d certificate approved; the company's buyers were sent an e-mail.",
                "%(count)d certificates approved; the companies' buyers were sent an e-mail.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
        skipped = queryset.count() - count
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d certificate was left as it was: already approved, or its "
                    "expiry date is past.",
                    "%(count)d certificates were left as they were: already approved, or "
                    "their expiry date is past.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )

    @admin.action(description=_("Reject the selected certificates"), permissions=["change"])
    def reject(self, request, queryset):
        """Asks for the reason first: it goes to the company's buyers."""
        pending = queryset.filter(status=CertificateStatus.PENDING).select_related("company")
        reason = ask_reason(
            self,
            request,
            label=_("Reason, sent to the company's buyers"),
            title=_("Reject tax-exemption certificates"),
            intro=_(
                "These certificates waiting for review will be rejected; the buyers of each "
                "company receive the reason by e-mail:"
            ),
            nothing=_(
                "None of the selected certificates is waiting for review: nothing will change."
            ),
            selected=queryset,
            rejected=[
                f"{c.number} — {c.company} ({c.country}{'-' + c.region if c.region else ''}, "
                f"{c.expires_on:%Y-%m-%d})"
                for c in pending
            ],
        )
        if isinstance(reason, TemplateResponse):
            return reason
        count = certificates_reject(
            certificates=queryset,
            reason=reason,
            site_url=request.build_absolute_uri("/"),
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d certificate rejected; the company's buyers were sent the reason.",
                "%(count)d certificates rejected; the companies' buyers were sent the reason.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
        return None
