"""Company profiles computed by the database, with literal values for every metric."""

import datetime
from decimal import Decimal

import pytest

from comptoir.customers.models import Company
from comptoir.customers.profiles import company_profiles
from tests.factories import CompanyFactory, ProductFactory, create_order

from .conftest import TODAY, days_ago

pytestmark = pytest.mark.django_db


def profiles(companies=None, today=TODAY):
    return {p.code: p for p in company_profiles(companies, today=today, time_zone="Europe/Paris")}


def test_a_regular_buyer(history):
    profile = profiles()["REGULAR"]
    assert profile.company_id == history.regular.pk
    assert profile.group_id == history.regular.group_id
    assert (profile.country, profile.region, profile.pinned) == ("FR", "", False)
    # 187.40 (365 days ago) + 1,260.00 - 63.00 (January, 5 % volume) + 35.00 (today);
    # shipping, tax, the cancelled order, the order of 366 days ago and tomorrow's left out.
    assert profile.order_volume_12m == Decimal("1419.40")
    assert profile.order_count_12m == 3
    assert profile.units_12m == 10 + 2 + 100 + 5 + 4
    # From 2025-06-30 to 2026-06-30: 365 days over 2 intervals.
    assert profile.avg_days_between_orders == Decimal("182.50")
    assert profile.days_since_last_order == 0
    assert str(profile.last_order_on) == "2026-06-30"
    # Line categories and their ancestors; the product without a category adds nothing.
    assert profile.categories_bought == {
        "screws",
        "fasteners",
        "gloves",
        "safety",
        "soap",
        "hygiene",
    }


def test_a_company_with_one_order(history):
    profile = profiles()["SINGLE"]
    assert (profile.country, profile.order_volume_12m) == ("BE", Decimal("299.70"))
    assert profile.order_count_12m == 1
    assert profile.units_12m == 3
    assert profile.avg_days_between_orders is None
    assert profile.days_since_last_order == 30
    assert str(profile.last_order_on) == "2026-05-31"
    assert profile.categories_bought == {"gloves", "safety"}


def test_a_company_with_no_order(history):
    profile = profiles()["NEWCOMER"]
    assert (profile.country, profile.region) == ("US", "NY")
    assert profile.order_volume_12m == Decimal("0.00")
    assert profile.order_count_12m == 0
    assert profile.units_12m == 0
    assert profile.avg_days_between_orders is None
    assert profile.days_since_last_order is None
    assert profile.last_order_on is None
    assert profile.categories_bought == frozenset()


def test_an_old_order_counts_for_the_last_order_only(history):
    profile = profiles()["DORMANT"]
    assert profile.order_volume_12m == Decimal("0.00")
    assert profile.order_count_12m == 0
    assert profile.units_12m == 0
    assert profile.categories_bought == frozenset()
    # The cancelled order of 3 days ago is not an order; the one of 400 days ago is.
    assert profile.days_since_last_order == 400
    assert profile.avg_days_between_orders is None


def test_the_window_moves_with_today(history):
    # A day later, the order of 365 days ago falls out and tomorrow's comes in.
    profile = profiles(today=TODAY + datetime.timedelta(days=1))["REGULAR"]
    assert profile.order_count_12m == 3
    assert profile.order_volume_12m == Decimal("1419.40") - Decimal("187.40") + Decimal("45.00")
    assert profile.categories_bought == {"screws", "fasteners", "soap", "hygiene", "paint"}
    assert profile.days_since_last_order == 0
    # From 2026-01-15 to 2026-07-01: 167 days over 2 intervals.
    assert profile.avg_days_between_orders == Decimal("83.50")


def test_average_days_are_rounded_half_up_to_hundredths(store):
    company = CompanyFactory(code="THRICE")
    product = ProductFactory()
    for days in (10, 9, 5, 0):
        create_order(
            company=company, items=[(product, 1, Decimal("1.00"))], placed_at=days_ago(days)
        )
    # 10 days over 3 intervals: 3.333… → 3.33
    assert profiles()["THRICE"].avg_days_between_orders == Decimal("3.33")


def test_profiles_come_by_company_id_and_can_be_limited(history):
    every = list(company_profiles(today=TODAY, time_zone="Europe/Paris"))
    assert [p.company_id for p in every] == sorted(Company.objects.values_list("pk", flat=True))
    some = profiles(Company.objects.filter(code__in=["SINGLE", "NEWCOMER"]))
    assert set(some) == {"SINGLE", "NEWCOMER"}


def test_a_snapshot_category_that_left_the_tree_still_counts(history):
    history.single.orders.get().lines.update(category_code="OLD-GLOVES")
    assert profiles()["SINGLE"].categories_bought == {"old-gloves"}


def test_queries_do_not_grow_with_companies(history, django_assert_num_queries):
    # The category tree, then one query for every company and metric.
    with django_assert_num_queries(2):
        assert len(profiles()) == 5
    product = ProductFactory()
    for company in CompanyFactory.create_batch(20):
        create_order(company=company, items=[(product, 2, Decimal("5.00"))], placed_at=days_ago(7))
    with django_assert_num_queries(2):
        assert len(profiles()) == 25
    # Without a time zone, the store's is read: one more query.
    with django_assert_num_queries(3):
        assert len(list(company_profiles(today=TODAY))) == 25
