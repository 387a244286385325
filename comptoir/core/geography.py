"""Country, region and currency codes, checked against ISO 3166 and ISO 4217 (pycountry)."""

import gettext
import unicodedata
from functools import cache

import pycountry
from django.utils.translation import gettext as _

EU_MEMBER_STATES = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GR",
        "HR",
        "HU",
        "IE",
        "IT",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
    ]
)


@cache
def country_codes() -> frozenset[str]:
    return frozenset(country.alpha_2 for country in pycountry.countries)


@cache
def currency_codes() -> frozenset[str]:
    return frozenset(currency.alpha_3 for currency in pycountry.currencies)


@cache
def region_codes(country: str) -> frozenset[str]:
    """Subdivision codes of a country without the country prefix ("NY" for "US-NY")."""
    subdivisions = pycountry.subdivisions.get(country_code=country) or []
    return frozenset(sub.code.split("-", 1)[1] for sub in subdivisions)


def is_country(code: str) -> bool:
    return code in country_codes()


def is_currency(code: str) -> bool:
    return code in currency_codes()


def is_region(country: str, region: str) -> bool:
    return region in region_codes(country)


@cache
def country_names(language: str) -> tuple[tuple[str, str], ...]:
    """(code, name) of every country, named and sorted in the language (pycountry's catalogues)."""
    names = gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )
    pairs = [(c.alpha_2, names.gettext(c.name)) for c in pycountry.countries]
    return tuple(sorted(pairs, key=lambda pair: locale_key(pair[1])))


def locale_key(text: str) -> str:
    """Sort key that puts "Émirats" with the E's, not after Z."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def region_problem(country: str, region: str) -> str | None:
    """Why (country, region) is not a valid address jurisdiction, or None."""
    if not is_country(country):
        return _("%(country)s is not a country code.") % {"country": country}
    if region and not is_region(country, region):
        return _("%(region)s is not a region of %(country)s.") % {
            "region": region,
            "country": country,
        }
    return None
