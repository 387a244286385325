"""Checks of companies' VAT and tax numbers, shared by the account request form and the bundle.

python-stdnum does the maths (check digits included); this module only picks the scheme:
the EU VAT number for a company in an EU member state (it must carry that state's prefix,
since reverse charge relies on it), else the country's VAT scheme, else its tax id scheme.
"""

from stdnum.eu import vat as eu_vat
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.util import get_cc_module

from comptoir.core.geography import EU_MEMBER_STATES


def vat_prefix(country: str) -> str:
    return "EL" if country == "GR" else country


def tax_number_compact(country: str, number: str) -> str:
    """The number as it is stored: spaces, dots and dashes removed, upper case."""
    compact = "".join(ch for ch in number if ch.isalnum()).upper()
    if country in EU_MEMBER_STATES and compact[:2].isdigit():
        return vat_prefix(country) + compact
    return compact


def tax_number_problem(country: str, number: str) -> str | None:
    """Why a VAT or tax number is not valid for its country, or None when it is (or unchecked)."""
    if not number:
        return None
    if country in EU_MEMBER_STATES:
        prefix = vat_prefix(country)
        if not number.upper().startswith(prefix):
            return f"{number!r} must start with {prefix} for a company in {country}"
        try:
            eu_vat.validate(number)
        except StdnumError as exc:
            return f"{number!r} is not a valid VAT number: {exc.message}"
        return None
    module = get_cc_module(country.lower(), "vat") or get_cc_module(country.lower(), "tin")
    if module is None:
        return None
    try:
        module.validate(number)
    except StdnumError as exc:
        return f"{number!r} is not a valid VAT or tax number for {country}: {exc.message}"
    return None
