"""Forms of the storefront: what visitors type is checked here before any service runs."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from comptoir.accounts.models import User
from comptoir.core.geography import country_names, is_country, is_region, region_codes
from comptoir.core.tax_ids import tax_number_compact, tax_number_problem
from comptoir.customers.services import AccountRequest


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )


def _country_choices():
    return [("", "—"), *country_names((get_language() or "en")[:2])]


class AccountRequestForm(forms.Form):
    company_name = forms.CharField(label=_("Company name"), max_length=200)
    vat_number = forms.CharField(
        label=_("VAT or tax number"),
        max_length=32,
        help_text=_("EU companies: the intra-community VAT number, e.g. FR40303265045."),
    )
    line1 = forms.CharField(label=_("Address"), max_length=200)
    line2 = forms.CharField(label=_("Address (continued)"), max_length=200, required=False)
    postal_code = forms.CharField(label=_("Postal code"), max_length=20)
    city = forms.CharField(label=_("City"), max_length=100)
    country = forms.ChoiceField(label=_("Country"), choices=_country_choices)
    region = forms.CharField(
        label=_("State, province or region"),
        max_length=3,
        required=False,
        help_text=_("Its ISO code where taxes depend on it, e.g. NY for New York."),
    )
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(
        label=_("Contact e-mail"),
        help_text=_("Your login once the account is approved."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email=email).exists():
            raise forms.ValidationError(
                _("An account already uses this e-mail address: log in or reset the password.")
            )
        return email

    def clean_region(self):
        return self.cleaned_data["region"].strip().upper()

    def clean(self):
        data = super().clean()
        country = data.get("country", "")
        if not is_country(country):
            return data
        region = data.get("region", "")
        if region and not is_region(country, region):
            self.add_error("region", _("This is not a region code of the chosen country."))
        elif not region and country in {"US", "CA"}:
            self.add_error("region", _("Taxes in this country depend on the state or province."))
        number = data.get("vat_number")
        if number:
            number = tax_number_compact(country, number)
            if tax_number_problem(country, number):
                self.add_error(
                    "vat_number",
                    _("%(number)s is not a valid VAT or tax number for this country.")
                    % {"number": number},
                )
            data["vat_number"] = number
        return data

    def account_request(self, language: str) -> AccountRequest:
        data = self.cleaned_data
        return AccountRequest(
            company_name=data["company_name"].strip(),
            country=data["country"],
            region=data["region"] if region_codes(data["country"]) else "",
            vat_number=data["vat_number"],
            line1=data["line1"].strip(),
            line2=data["line2"].strip(),
            postal_code=data["postal_code"].strip(),
            city=data["city"].strip(),
            email=data["email"],
            first_name=data["first_name"].strip(),
            last_name=data["last_name"].strip(),
            language=language,
        )
