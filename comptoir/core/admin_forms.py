"""Form fields of the back office that the model fields cannot express by themselves."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from comptoir.core.geography import is_country

_SEPARATORS = re.compile(r"[\s,;]+")


class CountryListField(forms.CharField):
    """A list of ISO 3166 country codes typed as text: "FR, BE, DE".

    Cleans to a sorted list without duplicates, or to None when left blank (no restriction),
    which is what a `countries` JSON condition stores. An empty list is never produced: it
    would mean "nowhere", which is never what a merchant means.
    """

    default_error_messages = {
        "invalid_codes": ngettext_lazy(
            "%(codes)s is not an ISO 3166 country code.",
            "%(codes)s are not ISO 3166 country codes.",
            "count",
        ),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text",
            _("Two-letter country codes separated by commas, e.g. FR, BE, DE. Blank: all."),
        )
        kwargs.setdefault("widget", forms.TextInput(attrs={"size": 60}))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(str(code) for code in value)
        return value

    def to_python(self, value):
        if isinstance(value, list | tuple):
            value = ", ".join(str(code) for code in value)
        text = super().to_python(value)
        if not text:
            return None
        return sorted({code.upper() for code in _SEPARATORS.split(text) if code})

    def validate(self, value):
        super().validate(value)
        if not value:
            return
        unknown = [code for code in value if not is_country(code)]
        if unknown:
            raise ValidationError(
                self.error_messages["invalid_codes"],
                code="invalid_codes",
                params={"codes": ", ".join(unknown), "count": len(unknown)},
            )
