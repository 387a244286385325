"""Payment and shipping eligibility, pure, with literal figures; every refusal says why."""

import datetime
from decimal import Decimal as D

import pytest
from django.utils import translation

from comptoir.payments.messages import refusal_message
from comptoir.payments.rules import (
    Buyer,
    Credit,
    MethodFacts,
    cheapest,
    due_date,
    refusal,
    shipping_price,
)

GOLD, SILVER = 1, 2
ACME, OTHER = 10, 11


def method(code="M", **conditions):
    base = dict(
        code=code,
        name=code,
        position=0,
        countries=None,
        group_ids=frozenset(),
        company_ids=frozenset(),
        min_total=None,
        max_total=None,
    )
    return MethodFacts(**(base | conditions))


def code_of(found):
    return found.code if found else None


GOLD_FR_1000_50000 = method(
    "GOLDTERMS",
    countries=frozenset({"FR"}),
    group_ids=frozenset({GOLD}),
    min_total=D("1000.00"),
    max_total=D("50000.00"),
)


@pytest.mark.parametrize(
    ("buyer", "total", "expected"),
    [
        (Buyer("FR", GOLD, ACME), D("1000.00"), None),
        (Buyer("FR", GOLD, ACME), D("50000.00"), None),
        (Buyer("FR", GOLD, ACME), D("999.99"), "below_minimum"),
        (Buyer("FR", GOLD, ACME), D("50000.01"), "above_maximum"),
        (Buyer("BE", GOLD, ACME), D("5000.00"), "country"),
        (Buyer("FR", SILVER, ACME), D("5000.00"), "group"),
        (Buyer("BE", SILVER, ACME), D("5000.00"), "country"),
    ],
)
def test_a_method_for_gold_in_france_between_1000_and_50000(buyer, total, expected):
    assert code_of(refusal(GOLD_FR_1000_50000, buyer, total)) == expected


COD = method("COD", type="cash_on_delivery", countries=frozenset({"FR"}), max_total=D("1999.99"))


@pytest.mark.parametrize(
    ("country", "total", "expected"),
    [("FR", D("1999.99"), None), ("FR", D("2000.00"), "above_maximum"), ("DE", D("10"), "country")],
)
def test_cash_on_delivery_only_in_france_below_2000(country, total, expected):
    assert code_of(refusal(COD, Buyer(country, SILVER, ACME), total)) == expected


def test_companies_allowed_and_excluded():
    only_acme = method(company_ids=frozenset({ACME}))
    assert refusal(only_acme, Buyer("FR", GOLD, ACME), D("1")) is None
    assert code_of(refusal(only_acme, Buyer("FR", GOLD, OTHER), D("1"))) == "company"
    assert code_of(refusal(only_acme, Buyer("FR", GOLD, None), D("1"))) == "company"
    not_acme = method(excluded_company_ids=frozenset({ACME}))
    assert code_of(refusal(not_acme, Buyer("FR", GOLD, ACME), D("1"))) == "company_excluded"
    assert refusal(not_acme, Buyer("FR", GOLD, OTHER), D("1")) is None


def test_free_shipping_from_1000_of_merchandise_and_the_cheapest_first():
    standard = method("STD", price=D("15.00"), free_above=D("1000.00"), position=1)
    express = method("EXPRESS", price=D("29.00"), position=2)
    assert shipping_price(standard, D("999.99")) == D("15.00")
    assert shipping_price(standard, D("1000.00")) == D("0")
    assert cheapest([express, standard], D("999.99")) == standard
    pickup = method("PICKUP", price=D("0"), position=3)
    assert cheapest([express, standard, pickup], D("10")) == pickup
    assert cheapest([express, pickup, standard], D("1000.00")) == standard  # tie: position
    assert cheapest([], D("1")) is None


INVOICE30 = method("INVOICE30", type="invoice", net_days=30)


@pytest.mark.parametrize(
    ("credit", "total", "expected"),
    [
        (Credit(D("5000.00"), D("4000.00")), D("1000.00"), None),  # exactly reached
        (Credit(D("5000.00"), D("4000.00")), D("1000.01"), "credit_limit_exceeded"),
        (Credit(None), D("1.00"), "no_credit_limit"),
        (Credit(D("0")), D("1.00"), "no_credit_limit"),
        (
            Credit(D("5000.00"), D("0"), overdue=True, block_when_overdue=True),
            D("1"),
            "overdue_invoices",
        ),
        (Credit(D("5000.00"), D("0"), overdue=True), D("1"), None),
    ],
)
def test_invoice_terms_need_credit(credit, total, expected):
    assert code_of(refusal(INVOICE30, Buyer("FR", GOLD, ACME), total, credit)) == expected


def test_a_method_may_offer_terms_without_a_credit_limit():
    open_terms = method("TERMS", type="invoice", net_days=30, without_credit_limit=True)
    assert refusal(open_terms, Buyer("FR", GOLD, ACME), D("99999"), Credit(None)) is None


def test_the_refusal_sentence_gives_the_figures():
    found = refusal(
        INVOICE30, Buyer("FR", GOLD, ACME), D("2312.40"), Credit(D("5000.00"), D("3500.00"))
    )
    with translation.override("en"):
        assert (
            refusal_message(INVOICE30, found)
            == "INVOICE30: credit limit 5,000.00 exceeded by 812.40."
        )
    below = refusal(GOLD_FR_1000_50000, Buyer("FR", GOLD, ACME), D("999.99"))
    with translation.override("en"):
        assert refusal_message(GOLD_FR_1000_50000, below) == (
            "GOLDTERMS: from 1,000.00 only (this order: 999.99)."
        )


@pytest.mark.parametrize(
    ("rule", "days", "issued", "due"),
    [
        ("net", 30, datetime.date(2026, 1, 15), datetime.date(2026, 2, 14)),
        ("net", 0, datetime.date(2026, 1, 15), datetime.date(2026, 1, 15)),
        ("end_of_month", 30, datetime.date(2026, 1, 15), datetime.date(2026, 2, 28)),
        ("end_of_month", 45, datetime.date(2026, 12, 20), datetime.date(2027, 2, 28)),
        ("end_of_month", 30, datetime.date(2028, 1, 31), datetime.date(2028, 3, 31)),
    ],
)
def test_due_dates(rule, days, issued, due):
    assert due_date(method(type="invoice", net_days=days, term_rule=rule), issued) == due


def test_card_methods_are_never_offered_without_a_provider():
    card = method("CARD", type="card")
    found = refusal(card, Buyer("FR", GOLD, ACME), D("10"))
    assert found.code == "no_card_provider"
    with translation.override("en"):
        assert refusal_message(card, found) == "CARD: no card payment provider is set up yet."
