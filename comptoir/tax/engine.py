"""Tax of a cart or an order (DESIGN.md "Tax" and "Rounding"), pure.

Tax is computed per rate on the sum of the net amounts at that rate, rounded once, so the
tax lines always add up. Shipping is taxed as a line of the standard class unless the whole
order is exempt. An order is exempt, first reason first, by the EU reverse charge, by its
group, or by an approved certificate valid for the jurisdiction on the order date.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from comptoir.core.geography import EU_MEMBER_STATES
from comptoir.core.money import ZERO, round2
from comptoir.core.tax_ids import tax_number_problem, vat_prefix

HUNDRED = Decimal(100)
STANDARD = "standard"
EXEMPT_CLASS = "exempt"
PRODUCT_EXEMPT = "product_exempt"
NO_RATE = "no_rate"
REVERSE_CHARGE = "reverse_charge"
GROUP_EXEMPT = "group_exempt"
CERTIFICATE = "certificate"
APPROVED = "approved"
REVERSE_CHARGE_MENTION = "Autoliquidation — article 196 de la directive 2006/112/CE"


@dataclass(frozen=True)
class Jurisdiction:
    country: str
    region: str = ""


@dataclass(frozen=True)
class TaxLine:
    rate: Decimal
    base: Decimal
    amount: Decimal
    reason: str | None


def line_rate(tax_class: str, rates: dict[str, Decimal]) -> tuple[Decimal, str | None]:
    """The rate of a tax class where the order goes, and why it is 0 when it is untaxed."""
    if tax_class == EXEMPT_CLASS:
        return ZERO, PRODUCT_EXEMPT
    if tax_class not in rates:
        return ZERO, NO_RATE
    return rates[tax_class], None


def tax_lines(
    lines: list[tuple[Decimal, str]],
    shipping: Decimal,
    rates: dict[str, Decimal],
    order_exemption: str | None = None,
) -> list[TaxLine]:
    """Tax lines grouped by (rate, reason) from (net, tax class) pairs and the shipping net.

    `order_exemption` (reverse charge, group or certificate) exempts everything, shipping
    included, in one line with that reason.
    """
    if order_exemption is not None:
        base = sum((net for net, _class in lines), ZERO) + shipping
        return [TaxLine(ZERO, base, ZERO, order_exemption)] if lines or shipping else []
    bases: dict[tuple[Decimal, str | None], Decimal] = {}
    for net, tax_class in lines:
        key = line_rate(tax_class, rates)
        bases[key] = bases.get(key, ZERO) + net
    if shipping:
        key = line_rate(STANDARD, rates)
        bases[key] = bases.get(key, ZERO) + shipping
    result = [
        TaxLine(rate, base, round2(base * rate / HUNDRED), reason)
        for (rate, reason), base in bases.items()
    ]
    return sorted(result, key=lambda line: (-line.rate, line.reason or ""))


@dataclass(frozen=True)
class Certificate:
    number: str
    country: str
    region: str
    issued_on: datetime.date
    expires_on: datetime.date
    status: str

    def covers(self, jurisdiction: Jurisdiction) -> bool:
        """A certificate for a whole country covers its regions; one for a region, only it."""
        return self.country == jurisdiction.country and self.region in ("", jurisdiction.region)

    def valid_on(self, day: datetime.date) -> bool:
        return self.status == APPROVED and self.issued_on <= day <= self.expires_on


@dataclass(frozen=True)
class Exemptions:
    """What may exempt a company's order, loaded once per cart."""

    seller_country: str
    vat_number: str = ""
    group_exempt: bool = False
    certificates: tuple[Certificate, ...] = ()
    vat_confirmed: bool | None = None
    """The online VIES answer when it is asked and answers; None otherwise."""


def reverse_charge_applies(exemptions: Exemptions, jurisdiction: Jurisdiction) -> bool:
    """Seller and delivery in different EU states, and the buyer's EU VAT number is valid."""
    seller, buyer = exemptions.seller_country, jurisdiction.country
    if seller not in EU_MEMBER_STATES or buyer not in EU_MEMBER_STATES or seller == buyer:
        return False
    number = exemptions.vat_number
    if not number or number[:2].upper() == vat_prefix(seller):
        return False
    prefix_country = "GR" if number[:2].upper() == "EL" else number[:2].upper()
    if prefix_country not in EU_MEMBER_STATES or tax_number_problem(prefix_country, number):
        return False
    return exemptions.vat_confirmed is not False


def exempting_certificate(
    exemptions: Exemptions, jurisdiction: Jurisdiction, day: datetime.date
) -> Certificate | None:
    valid = [c for c in exemptions.certificates if c.covers(jurisdiction) and c.valid_on(day)]
    return min(valid, key=lambda c: c.number) if valid else None


def order_exemption(
    exemptions: Exemptions, jurisdiction: Jurisdiction, day: datetime.date
) -> str | None:
    """Why the whole order is exempt, the first reason of DESIGN.md's order; None if taxed."""
    if reverse_charge_applies(exemptions, jurisdiction):
        return REVERSE_CHARGE
    if exemptions.group_exempt:
        return GROUP_EXEMPT
    certificate = exempting_certificate(exemptions, jurisdiction, day)
    if certificate is not None:
        return f"{CERTIFICATE}:{certificate.number}"
    return None


def certificate_warnings(
    exemptions: Exemptions, jurisdiction: Jurisdiction, day: datetime.date
) -> list[tuple[str, Certificate]]:
    """Certificates for this jurisdiction that do not exempt today, and why: the cart says
    so, since tax is charged although the buyer may believe it is exempt."""
    if exempting_certificate(exemptions, jurisdiction, day) is not None:
        return []
    warnings = []
    for certificate in exemptions.certificates:
        if not certificate.covers(jurisdiction):
            continue
        if certificate.status == "pending":
            warnings.append(("certificate_pending", certificate))
        elif certificate.expires_on < day and certificate.status in (APPROVED, "expired"):
            warnings.append(("certificate_expired", certificate))
        elif certificate.status == APPROVED and day < certificate.issued_on:
            warnings.append(("certificate_not_yet_valid", certificate))
    return warnings
