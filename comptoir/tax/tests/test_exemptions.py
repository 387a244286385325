"""Exemptions, pure, with literal figures: certificates, groups, products, EU reverse charge."""

import datetime
from decimal import Decimal as D

import pytest

from comptoir.tax.engine import (
    Certificate,
    Exemptions,
    Jurisdiction,
    TaxLine,
    certificate_warnings,
    order_exemption,
    tax_lines,
)

DAY = datetime.date(2026, 11, 28)
FR_RATES = {"standard": D("20.00"), "reduced": D("5.50")}
NY = Jurisdiction("US", "NY")
NY_RATES = {"standard": D("8.875")}
NY_CERT = Certificate(
    "ST-120-2026001",
    "US",
    "NY",
    datetime.date(2025, 12, 1),
    datetime.date(2026, 11, 30),
    "approved",
)


def taxes(lines, shipping, rates, exemptions, jurisdiction, day=DAY):
    reason = order_exemption(exemptions, jurisdiction, day)
    return tax_lines(lines, shipping, rates, order_exemption=reason)


def test_fr_standard_and_reduced_in_one_cart_rounded_per_rate():
    lines = [(D("33.33"), "standard"), (D("33.33"), "standard"), (D("17.99"), "reduced")]
    result = taxes(lines, D("12.50"), FR_RATES, Exemptions("FR"), Jurisdiction("FR"))
    # 79.16 × 20 % = 15.832 → 15.83; 17.99 × 5.5 % = 0.98945 → 0.99
    assert result == [
        TaxLine(D("20.00"), D("79.16"), D("15.83"), None),
        TaxLine(D("5.50"), D("17.99"), D("0.99"), None),
    ]


def test_new_york_at_8_875():
    result = taxes([(D("1234.56"), "standard")], D("0"), NY_RATES, Exemptions("FR"), NY)
    # 1234.56 × 8.875 % = 109.5672 → 109.57
    assert result == [TaxLine(D("8.875"), D("1234.56"), D("109.57"), None)]


def test_a_valid_certificate_exempts_the_order_and_names_itself():
    exemptions = Exemptions("FR", certificates=(NY_CERT,))
    result = taxes([(D("1234.56"), "standard")], D("25.00"), NY_RATES, exemptions, NY)
    assert result == [TaxLine(D("0"), D("1259.56"), D("0"), "certificate:ST-120-2026001")]


@pytest.mark.parametrize(
    ("certificate", "day", "jurisdiction"),
    [
        (NY_CERT, datetime.date(2026, 12, 1), NY),  # the day after expiry
        (NY_CERT, datetime.date(2025, 11, 30), NY),  # before issue
        (NY_CERT, DAY, Jurisdiction("US", "NJ")),  # another state
        (Certificate("P-1", "US", "NY", NY_CERT.issued_on, NY_CERT.expires_on, "pending"), DAY, NY),
        (
            Certificate("R-1", "US", "NY", NY_CERT.issued_on, NY_CERT.expires_on, "rejected"),
            DAY,
            NY,
        ),
    ],
)
def test_certificates_that_do_not_apply_leave_the_order_taxed(certificate, day, jurisdiction):
    exemptions = Exemptions("FR", certificates=(certificate,))
    result = taxes([(D("100.00"), "standard")], D("0"), NY_RATES, exemptions, jurisdiction, day)
    assert [line.reason for line in result] == [None]


def test_the_last_day_of_a_certificate_still_exempts():
    exemptions = Exemptions("FR", certificates=(NY_CERT,))
    assert order_exemption(exemptions, NY, NY_CERT.expires_on) == "certificate:ST-120-2026001"


def test_a_country_wide_certificate_covers_every_region():
    us = Certificate("US-ALL", "US", "", NY_CERT.issued_on, NY_CERT.expires_on, "approved")
    assert order_exemption(Exemptions("FR", certificates=(us,)), NY, DAY) == "certificate:US-ALL"


def test_group_exemption_covers_shipping_too():
    result = taxes(
        [(D("100.00"), "standard"), (D("10.00"), "reduced")],
        D("15.00"),
        FR_RATES,
        Exemptions("FR", group_exempt=True),
        Jurisdiction("FR"),
    )
    assert result == [TaxLine(D("0"), D("125.00"), D("0"), "group_exempt")]


def test_exempt_products_alone_keep_shipping_taxed():
    result = taxes(
        [(D("100.00"), "exempt"), (D("50.00"), "standard")],
        D("15.00"),
        FR_RATES,
        Exemptions("FR"),
        Jurisdiction("FR"),
    )
    assert result == [
        TaxLine(D("20.00"), D("65.00"), D("13.00"), None),
        TaxLine(D("0"), D("100.00"), D("0.00"), "product_exempt"),
    ]


@pytest.mark.parametrize(
    ("vat_number", "expected"),
    [
        ("DE136695976", "reverse_charge"),  # valid, check digits included
        ("DE136695977", None),  # wrong check digit
        ("", None),  # no number
        ("FR40303265045", None),  # a number of the seller's own country
    ],
)
def test_reverse_charge_from_france_to_germany(vat_number, expected):
    exemptions = Exemptions("FR", vat_number=vat_number)
    assert order_exemption(exemptions, Jurisdiction("DE"), DAY) == expected
    result = taxes(
        [(D("100.00"), "standard")],
        D("15.00"),
        {"standard": D("19.00")},
        exemptions,
        Jurisdiction("DE"),
    )
    if expected:
        assert result == [TaxLine(D("0"), D("115.00"), D("0"), "reverse_charge")]
    else:
        assert result == [TaxLine(D("19.00"), D("115.00"), D("21.85"), None)]


def test_no_reverse_charge_inside_one_country_or_outside_the_eu():
    german = Exemptions("DE", vat_number="DE136695976")
    assert order_exemption(german, Jurisdiction("DE"), DAY) is None
    assert order_exemption(Exemptions("FR", vat_number="DE136695976"), NY, DAY) is None


def test_vies_saying_invalid_removes_the_reverse_charge_but_silence_does_not():
    invalid = Exemptions("FR", vat_number="DE136695976", vat_confirmed=False)
    silent = Exemptions("FR", vat_number="DE136695976", vat_confirmed=None)
    assert order_exemption(invalid, Jurisdiction("DE"), DAY) is None
    assert order_exemption(silent, Jurisdiction("DE"), DAY) == "reverse_charge"


def test_reverse_charge_comes_before_the_group_and_certificates():
    both = Exemptions("FR", vat_number="DE136695976", group_exempt=True)
    assert order_exemption(both, Jurisdiction("DE"), DAY) == "reverse_charge"
    group_and_certificate = Exemptions("FR", group_exempt=True, certificates=(NY_CERT,))
    assert order_exemption(group_and_certificate, NY, DAY) == "group_exempt"


def test_warnings_for_pending_and_expired_certificates():
    pending = Certificate("P-1", "US", "NY", NY_CERT.issued_on, NY_CERT.expires_on, "pending")
    expired = Certificate(
        "E-1", "US", "NY", datetime.date(2024, 1, 1), datetime.date(2025, 1, 1), "expired"
    )
    exemptions = Exemptions("FR", certificates=(pending, expired))
    assert [code for code, _c in certificate_warnings(exemptions, NY, DAY)] == [
        "certificate_pending",
        "certificate_expired",
    ]
    valid = Exemptions("FR", certificates=(pending, NY_CERT))
    assert certificate_warnings(valid, NY, DAY) == []
