"""The back office's picture and document forms: uploads are checked by their content
(catalog/images.py)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from comptoir.catalog.images import (
    DOCUMENT_TOO_LARGE,
    MAX_DOCUMENT_BYTES,
    MAX_IMAGE_BYTES,
    TOO_LARGE,
    document_problem,
    image_problem,
)
from comptoir.catalog.models import ProductDocument, ProductImage
from comptoir.catalog.services import document_file_set, image_files_set

IMAGE_TYPES = "image/jpeg,image/png,image/webp,image/gif"


class ProductImageForm(forms.ModelForm):
    picture = forms.FileField(
        label=_("Picture (JPEG, PNG, WebP or GIF, 10 MB at most)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": IMAGE_TYPES}),
    )

    class Meta:
        model = ProductImage
        fields = ("picture", "alt", "position")

    def clean_picture(self):
        upload = self.cleaned_data.get("picture")
        if not upload:
            if self.instance.pk is None:
                raise forms.ValidationError(_("Choose a picture to upload."), code="required")
            return None
        self.picture_data = checked_image(upload)
        return upload

    def save(self, commit=True):
        if data := getattr(self, "picture_data", None):
            image_files_set(self.instance, data)
        return super().save(commit)


def checked_image(upload) -> bytes:
    """The bytes of an uploaded picture (a product's, the store's logo), or the form error
    saying why it is refused: too large, not a picture, truncated, too many pixels."""
    return _checked(upload, MAX_IMAGE_BYTES, TOO_LARGE, image_problem)


def _checked(upload, max_bytes, too_large, problem_of) -> bytes:
    """The size is checked before reading, so an oversized upload is never held in memory."""
    if upload.size > max_bytes:
        raise forms.ValidationError(too_large, code="too_large")
    data = upload.read()
    if problem := problem_of(data):
        raise forms.ValidationError(problem.message, code=problem.code)
    return data


class ProductDocumentForm(forms.ModelForm):
    upload = forms.FileField(
        label=_("File (PDF, 20 MB at most)"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "application/pdf"}),
    )

    class Meta:
        model = ProductDocument
        fields = ("upload", "title", "kind", "position")

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if not upload:
            if self.instance.pk is None:
                raise forms.ValidationError(_("Choose a PDF to upload."), code="required")
            return None
        self.upload_data = _checked(
            upload, MAX_DOCUMENT_BYTES, DOCUMENT_TOO_LARGE, document_problem
        )
        return upload

    def save(self, commit=True):
        if data := getattr(self, "upload_data", None):
            document_file_set(self.instance, data)
        return super().save(commit)
