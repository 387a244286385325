"""The buyer's return form: a quantity per delivered line, a reason, a comment, a photo."""

from django import forms
from django.utils.translation import gettext_lazy as _

from comptoir.returns.models import ReturnReason
from comptoir.tax.forms import TOO_LARGE
from comptoir.tax.rules import MAX_DOCUMENT_BYTES, SNIFF_BYTES, document_type

WRONG_TYPE = _("Send a PNG or JPEG photo, or a PDF; this file is none of them.")


class ReturnForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=ReturnReason.choices)
    comment = forms.CharField(
        label=_("Comment"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    photo = forms.FileField(label=_("Photo (optional)"), required=False)

    def __init__(self, *args, lines, held, too_large=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.too_large = too_large
        self.photo_type = ""
        self.line_fields = []
        for line in lines:
            left = line.quantity - held.get(line.pk, 0)
            if left <= 0:
                continue
            name = f"line_{line.pk}"
            self.fields[name] = forms.IntegerField(
                label=f"{line.sku} — {line.name}",
                min_value=0,
                max_value=left,
                required=False,
                help_text=_("Up to %(quantity)s.") % {"quantity": left},
            )
            self.line_fields.append((line.pk, name))

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if not photo:
            return None
        if photo.size > MAX_DOCUMENT_BYTES:
            raise forms.ValidationError(TOO_LARGE, code="too_large")
        photo.seek(0)
        kind = document_type(photo.read(SNIFF_BYTES))
        photo.seek(0)
        if kind is None:
            raise forms.ValidationError(WRONG_TYPE, code="wrong_type")
        self.photo_type = kind.content_type
        return photo

    def full_clean(self):
        super().full_clean()
        if self.too_large and self.is_bound:
            self.add_error("photo", forms.ValidationError(TOO_LARGE, code="too_large"))

    def quantities(self) -> dict[int, int]:
        return {
            pk: self.cleaned_data[name]
            for pk, name in self.line_fields
            if self.cleaned_data.get(name)
        }
