"""The back office's picture form: the upload is checked by its content (catalog/images.py)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from comptoir.catalog.images import MAX_IMAGE_BYTES, TOO_LARGE, image_problem
from comptoir.catalog.models import ProductImage
from comptoir.catalog.services import image_files_set

ACCEPT = "image/jpeg,image/png,image/webp,image/gif"


class ProductImageForm(forms.ModelForm):
    picture = forms.FileField(
        label=_("Picture (JPEG, PNG, WebP or GIF, 10 MB at most)"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}
        ),
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
        if upload.size > MAX_IMAGE_BYTES:
            raise forms.ValidationError(TOO_LARGE, code="too_large")
        data = upload.read()
        if problem := image_problem(data):
            raise forms.ValidationError(problem.message, code=problem.code)
        self.picture_data = data
        return upload

    def save(self, commit=True):
        if data := getattr(self, "picture_data", None):
            image_files_set(self.instance, data)
        return super().save(commit)
