"""Reads of the tax area: the rates where an order goes."""

from decimal import Decimal

from comptoir.tax.engine import Jurisdiction
from comptoir.tax.models import TaxRate


def jurisdiction_rates(jurisdiction: Jurisdiction) -> dict[str, Decimal]:
    """Rate per tax class in a country, a region's own rate winning over the country's."""
    rows = TaxRate.objects.filter(
        country=jurisdiction.country, region__in={"", jurisdiction.region}
    ).values_list("tax_class", "region", "rate")
    rates: dict[str, Decimal] = {}
    for tax_class, _region, rate in sorted(rows, key=lambda row: bool(row[1])):
        rates[tax_class] = rate
    return rates
