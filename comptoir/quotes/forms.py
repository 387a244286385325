"""The buyer's forms: ask for a quote (from the cart, or lines typed), answer one."""

from django import forms
from django.utils.translation import gettext_lazy as _

from comptoir.quotes.workflow import MAX_MESSAGE

FROM_CART = "cart"
FROM_TEXT = "text"


class QuoteRequestForm(forms.Form):
    source = forms.ChoiceField(
        choices=[(FROM_CART, _("the cart")), (FROM_TEXT, _("the lines typed"))],
        initial=FROM_TEXT,
        widget=forms.HiddenInput,
    )
    lines = forms.CharField(
        label=_("SKU and quantity, one per line"),
        required=False,
        max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 8, "placeholder": "SCR-100 240\nGLV-12 480"}),
    )
    message = forms.CharField(
        label=_("Message to the store"),
        required=False,
        max_length=MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    wished_delivery_date = forms.DateField(
        label=_("Wished delivery date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("source") == FROM_TEXT and not (cleaned.get("lines") or "").strip():
            self.add_error("lines", _("Type at least one line: a SKU and a quantity."))
        return cleaned


ACTIONS = ("accept", "reject", "revise")


class QuoteAnswerForm(forms.Form):
    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS])
    message = forms.CharField(required=False, max_length=MAX_MESSAGE)
