"""Reads of the tax area: the rates where an order goes, and what may exempt a company."""

from decimal import Decimal

from comptoir.tax import vies
from comptoir.tax.engine import Certificate, Exemptions, Jurisdiction
from comptoir.tax.models import TaxCertificate, TaxRate


def jurisdiction_rates(jurisdiction: Jurisdiction) -> dict[str, Decimal]:
    """Rate per tax class in a country, a region's own rate winning over the country's."""
    rows = TaxRate.objects.filter(
        country=jurisdiction.country, region__in={"", jurisdiction.region}
    ).values_list("tax_class", "region", "rate")
    rates: dict[str, Decimal] = {}
    for tax_class, _region, rate in sorted(rows, key=lambda row: bool(row[1])):
        rates[tax_class] = rate
    return rates


def exemptions_of(*, store, company, group) -> Exemptions:
    """What may exempt the company's orders: its VAT number, its group, its certificates."""
    if company is None:
        return Exemptions(seller_country=store.country, group_exempt=group.tax_exempt)
    certificates = tuple(
        Certificate(c.number, c.country, c.region, c.issued_on, c.expires_on, c.status)
        for c in TaxCertificate.objects.filter(company=company).order_by("number")
    )
    return Exemptions(
        seller_country=store.country,
        vat_number=company.vat_number,
        group_exempt=group.tax_exempt,
        certificates=certificates,
        vat_confirmed=vies.vat_confirmed(company.vat_number),
    )
