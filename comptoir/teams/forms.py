"""The forms of the team page: invite a colleague, change a colleague's role and locations."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from comptoir.accounts.forms import RoleChoiceField
from comptoir.teams.services import Placement


class PlacementForm(forms.Form):
    role = RoleChoiceField(label=_("Role"))
    all_locations = forms.BooleanField(label=_("All locations"), required=False, initial=True)
    locations = forms.MultipleChoiceField(
        label=_("Or only these locations"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, locations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["locations"].choices = [(loc.code, loc.name) for loc in locations]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("all_locations") and not cleaned.get("locations"):
            self.add_error("locations", _("Choose at least one location, or all locations."))
        return cleaned

    def placement(self) -> Placement:
        data = self.cleaned_data
        locations = None if data["all_locations"] else list(data["locations"])
        return Placement(role=data["role"], locations=locations)


class InvitationForm(PlacementForm):
    email = forms.EmailField(label=_("E-mail address"))
    language = forms.ChoiceField(label=_("Language of the invitation"), choices=settings.LANGUAGES)

    field_order = ["email", "language", "role", "all_locations", "locations"]


class JoinForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("Password again"), widget=forms.PasswordInput, strip=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return cleaned
