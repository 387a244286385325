"""Forms of the back office that the model fields cannot express by themselves."""

import re

from django import forms
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.urls import reverse
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


class ReasonForm(forms.Form):
    """The reason of a refusal made from the back office, sent to the customer."""

    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=2000)

    def __init__(self, *args, label, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label


def ask_reason(model_admin, request, *, label, title, intro, nothing, selected, rejected):
    """A "reject" admin action's first step: the reason, with what it will reject.

    Returns the cleaned reason once it was posted, or the page that asks for it.
    """
    form = ReasonForm(request.POST if "reason" in request.POST else None, label=label)
    if form.is_valid():
        return form.cleaned_data["reason"]
    opts = model_admin.model._meta
    return TemplateResponse(
        request,
        "admin/reject_with_reason.html",
        {
            **model_admin.admin_site.each_context(request),
            "title": title,
            "opts": opts,
            "form": form,
            "intro": intro,
            "nothing_to_reject": nothing,
            "selected": selected,
            "rejected": rejected,
            "changelist_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        },
    )
