"""The back office's store form: the logo is uploaded beside the settings and checked by its
content (core/logo.py)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from comptoir.catalog.forms import IMAGE_TYPES, checked_image
from comptoir.core.logo import store_logo_clear, store_logo_set
from comptoir.core.models import Store


class StoreForm(forms.ModelForm):
    logo_upload = forms.FileField(
        label=_("Logo (JPEG, PNG, WebP or GIF, 10 MB at most)"),
        required=False,
        help_text=_("Shown in the storefront's header; without one, the store's name is."),
        widget=forms.FileInput(attrs={"accept": IMAGE_TYPES}),
    )
    logo_remove = forms.BooleanField(label=_("Remove the logo"), required=False)

    class Meta:
        model = Store
        # The admin names the fields (StoreAdmin.fieldsets); the logo is set by the upload.
        fields = ("name",)

    def clean_logo_upload(self):
        upload = self.cleaned_data.get("logo_upload")
        if not upload:
            return None
        self.logo_data = checked_image(upload)
        return upload

    def save(self, commit=True):
        if data := getattr(self, "logo_data", None):
            store_logo_set(self.instance, data)
        elif self.cleaned_data.get("logo_remove"):
            store_logo_clear(self.instance)
        return super().save(commit)
