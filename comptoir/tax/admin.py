import mimetypes
from pathlib import PurePosixPath

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from comptoir.core.admin_filters import ValidityListFilter
from comptoir.core.admin_widgets import PrivateFileWidget
from comptoir.tax.models import CertificateStatus, TaxCertificate, TaxRate

# Documents of these types are shown in the browser; anything else is downloaded, so that
# an uploaded HTML or SVG file never runs in the back office's origin.
INLINE_DOCUMENT_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg"})


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


@admin.register(TaxCertificate)
class TaxCertificateAdmin(admin.ModelAdmin):
    """Exemption certificates sent by companies, to review (approve or reject) and renew."""

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
    readonly_fields = ("created_at",)
    actions = ("approve",)
    fieldsets = (
        (None, {"fields": ("company", "number", "document", "created_at")}),
        (_("Jurisdiction and dates"), {"fields": ("country", "region", "issued_on", "expires_on")}),
        (_("Review"), {"fields": ("status", "rejection_reason")}),
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
        filename = PurePosixPath(certificate.document.name).name
        content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
        try:
            document = certificate.document.open("rb")
        except FileNotFoundError as exc:
            raise Http404(_("The document file is missing from the storage.")) from exc
        return FileResponse(
            document,
            as_attachment=content_type not in INLINE_DOCUMENT_TYPES,
            filename=filename,
            content_type=content_type,
        )

    @admin.action(description=_("Approve the selected certificates"), permissions=["change"])
    def approve(self, request, queryset):
        count = queryset.exclude(status=CertificateStatus.APPROVED).update(
            status=CertificateStatus.APPROVED, rejection_reason=""
        )
        self.message_user(
            request,
            ngettext("%(count)d certificate approved.", "%(count)d certificates approved.", count)
            % {"count": count},
            messages.SUCCESS,
        )
