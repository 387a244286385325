"""Forms of the storefront: what visitors type is checked here before any service runs."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from comptoir.accounts.models import User
from comptoir.core.geography import (
    country_names,
    is_country,
    is_region,
    region_codes,
    region_problem,
)
from comptoir.core.tax_ids import tax_number_compact, tax_number_problem
from comptoir.core.translatable import translation_of
from comptoir.customers.services import AccountRequest
from comptoir.ordering.placement import CheckoutRequest
from comptoir.ordering.quotes import Destination, address_destination
from comptoir.payments.models import PaymentType
from comptoir.payments.rules import due_date


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


def _terms(method, today) -> str:
    """A payment method as the buyer chooses it, with its due date for invoice terms."""
    if method.type != PaymentType.INVOICE:
        return translation_of(method, "name")
    return _("%(name)s — due on %(date)s") % {
        "name": translation_of(method, "name"),
        "date": date_format(due_date(method, today), "SHORT_DATE_FORMAT"),
    }


class CheckoutForm(forms.Form):
    """Address, shipping, payment and references; the choices are those the quote offers."""

    NEW = "__new__"
    REFRESHED = ("address", "line1", "line2", "postal_code", "city", "country", "region")
    """What a live refresh keeps as typed (the token, PO number and comment are not redrawn)."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    quote = forms.CharField(widget=forms.HiddenInput, max_length=32, required=False)
    address = forms.ChoiceField(label=_("Ship to"), widget=forms.RadioSelect)
    line1 = forms.CharField(label=_("Address"), max_length=200, required=False)
    line2 = forms.CharField(label=_("Address (continued)"), max_length=200, required=False)
    postal_code = forms.CharField(label=_("Postal code"), max_length=20, required=False)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    country = forms.ChoiceField(label=_("Country"), choices=_country_choices, required=False)
    region = forms.CharField(label=_("State, province or region"), max_length=3, required=False)
    shipping_method = forms.ChoiceField(label=_("Delivery"), widget=forms.RadioSelect)
    payment_method = forms.ChoiceField(label=_("Payment"), widget=forms.RadioSelect)
    po_number = forms.CharField(
        label=_("Your purchase-order number"),
        max_length=64,
        required=False,
        help_text=_("Printed on the invoice; required to pay by purchase order."),
    )
    comment = forms.CharField(
        label=_("Comment for the store"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, addresses, shipping, payment, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.addresses = {address.code: address for address in addresses}
        self.fields["address"].choices = [(address.code, str(address)) for address in addresses] + [
            (self.NEW, _("Another address"))
        ]
        self.fields["shipping_method"].choices = [
            (method.code, translation_of(method, "name")) for method, _price in shipping
        ]
        self.shipping_prices = {method.code: price for method, price in shipping}
        self.fields["payment_method"].choices = [(m.code, _terms(m, today)) for m in payment]
        self.payment_instructions = {m.code: translation_of(m, "instructions") for m in payment}

    def clean_region(self):
        return self.cleaned_data["region"].strip().upper()

    def clean(self):
        data = super().clean()
        if data.get("address") == self.NEW:
            for name in ("line1", "postal_code", "city", "country"):
                if not data.get(name):
                    self.add_error(name, _("Required for a new address."))
            country, region = data.get("country"), data.get("region", "")
            if country and (problem := region_problem(country, region)):
                self.add_error("region", problem)
        return data

    def destination(self):
        data = self.cleaned_data
        if data["address"] != self.NEW:
            return address_destination(self.addresses[data["address"]])
        return Destination(
            line1=data["line1"].strip(),
            line2=data["line2"].strip(),
            city=data["city"].strip(),
            postal_code=data["postal_code"].strip(),
            country=data["country"],
            region=data["region"],
        )

    def checkout_request(self):
        data = self.cleaned_data
        return CheckoutRequest(
            shipping_address=data["address"] if data["address"] != self.NEW else self.destination(),
            shipping_method=data["shipping_method"],
            payment_method=data["payment_method"],
            po_number=data["po_number"],
            comment=data["comment"],
            quote=data["quote"] or None,
        )


def chosen_destination(addresses, chosen: str, data) -> Destination | None:
    """Where the buyer means to ship while the form is being filled in: one of the company's
    addresses, or a new one as soon as its country is known; None leaves the quote on the
    company's default address."""
    if chosen != CheckoutForm.NEW:
        address = next((a for a in addresses if a.code == chosen), None)
        return address_destination(address) if address else None
    country = data.get("country", "")
    if not is_country(country):
        return None
    region = data.get("region", "").strip().upper()
    return Destination(
        line1=data.get("line1", "").strip(),
        line2=data.get("line2", "").strip(),
        city=data.get("city", "").strip(),
        postal_code=data.get("postal_code", "").strip(),
        country=country,
        region=region if is_region(country, region) else "",
    )
