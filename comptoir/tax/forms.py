"""The form a buyer sends an exemption certificate with, and the upload guard behind it."""

import datetime

from django import forms
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from comptoir.core.geography import country_names, region_problem
from comptoir.tax.rules import MAX_DOCUMENT_BYTES, SNIFF_BYTES, default_expiry, document_type
from comptoir.tax.services import CertificateUpload

DOCUMENT_FIELD = "document"
TOO_LARGE = _("The file is larger than 10 MB: send a smaller scan.")
WRONG_TYPE = _("Send a PDF, PNG or JPEG file; this file is none of them.")


class DocumentSizeLimit(FileUploadHandler):
    """Stops reading an upload once it passes the size limit, so an oversize file is never
    written to a temporary file; the form then says it was too large."""

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > MAX_DOCUMENT_BYTES:
            self.request.upload_too_large = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None


def _country_choices():
    return [("", "—"), *country_names((get_language() or "en")[:2])]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


class CertificateForm(forms.Form):
    number = forms.CharField(label=_("Certificate number"), max_length=64)
    country = forms.ChoiceField(label=_("Country"), choices=_country_choices)
    region = forms.CharField(
        label=_("State, province or region"),
        max_length=8,
        required=False,
        help_text=_(
            "Its ISO code, e.g. NY for New York; leave empty if the certificate covers "
            "the whole country."
        ),
    )
    issued_on = forms.DateField(label=_("Issued on"), widget=DateInput())
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty if the certificate names no date: one year after issue."),
    )
    document = forms.FileField(
        label=_("Certificate (PDF, PNG or JPEG, 10 MB at most)"),
        widget=forms.FileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
    )

    def __init__(self, *args, today: datetime.date, too_large: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.too_large = too_large
        self.document_type = None

    def clean_number(self):
        return " ".join(self.cleaned_data["number"].split())

    def clean_region(self):
        return self.cleaned_data["region"].strip().upper()

    def clean_document(self):
        document = self.cleaned_data[DOCUMENT_FIELD]
        if document.size > MAX_DOCUMENT_BYTES:
            raise forms.ValidationError(TOO_LARGE, code="too_large")
        document.seek(0)
        head = document.read(SNIFF_BYTES)
        document.seek(0)
        self.document_type = document_type(head)
        if self.document_type is None:
            raise forms.ValidationError(WRONG_TYPE, code="wrong_type")
        return document

    def full_clean(self):
        super().full_clean()
        if self.too_large and self.is_bound:
            # The upload guard dropped the file: say why rather than "this field is required".
            self.errors.pop(DOCUMENT_FIELD, None)
            self.add_error(DOCUMENT_FIELD, forms.ValidationError(TOO_LARGE, code="too_large"))

    def clean(self):
        data = super().clean()
        country = data.get("country")
        if country and (problem := region_problem(country, data.get("region", ""))):
            self.add_error("region", problem)
        issued_on = data.get("issued_on")
        if issued_on is None:
            return data
        expires_on = data.get("expires_on") or default_expiry(issued_on)
        if expires_on <= issued_on:
            self.add_error("expires_on", _("A certificate expires after its issue date."))
        elif expires_on < self.today:
            field = "expires_on" if data.get("expires_on") else "issued_on"
            self.add_error(
                field,
                _("This certificate expired on %(date)s: send the renewed one.")
                % {"date": expires_on.isoformat()},
            )
        data["expires_on"] = expires_on
        return data

    def upload(self) -> CertificateUpload:
        data = self.cleaned_data
        return CertificateUpload(
            number=data["number"],
            country=data["country"],
            region=data["region"],
            issued_on=data["issued_on"],
            expires_on=data["expires_on"],
            document=data[DOCUMENT_FIELD],
            extension=self.document_type.extension,
        )
