"""The back office of approvals: rules with their conditions, budgets, approval requests."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from comptoir.approvals.models import ApprovalCondition, ApprovalRequest, ApprovalRule, Budget
from comptoir.approvals.selectors import as_rule
from comptoir.approvals.stored import rule_json
from comptoir.core.models import Store
from comptoir.customers.models import Location
from tests.factories import (
    CompanyFactory,
    ProductFactory,
    UserFactory,
    create_approval,
    create_order,
)
from tests.shops import build_shop
from tests.test_admin import admin_url, form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(store):
    shop = build_shop(store)
    Location.objects.create(company=shop.company, code="NANTES", name="Nantes", position=1)
    return shop


def inline(rows, initial=0):
    data = {
        "conditions-TOTAL_FORMS": str(len(rows)),
        "conditions-INITIAL_FORMS": str(initial),
        "conditions-MIN_NUM_FORMS": "0",
        "conditions-MAX_NUM_FORMS": "1000",
    }
    for n, row in enumerate(rows):
        data.update({f"conditions-{n}-{key}": value for key, value in row.items()})
    return data


def test_a_rule_is_added_with_its_conditions_requesters_typed_as_emails(admin_client, shop):
    requester = UserFactory(company=shop.company, email="lea.martin@acme.example", role="requester")
    chief = UserFactory(company=shop.company, email="chef@acme.example", role="approver")
    response = admin_client.post(
        admin_url(ApprovalRule, "add"),
        {
            "company": shop.company.pk,
            "name": "Léa above 2,000",
            "level": "2",
            "approver_roles": ["approver"],
            "approvers": [chief.pk],
            "active": "on",
            **inline(
                [
                    {"kind": "total_above", "values": "", "amount": "2000.00"},
                    {"kind": "requester", "values": "Lea.Martin@ACME.example"},
                    {"kind": "contains_product", "values": "scr-100; glv-12"},
                ]
            ),
        },
    )

    assert response.status_code == 302, response.context["errors"]
    rule = ApprovalRule.objects.get()
    assert (rule.company, rule.level, rule.approver_roles) == (shop.company, 2, ["approver"])
    assert list(rule.approvers.all()) == [chief]
    assert [(c.kind, c.values, c.amount) for c in rule.conditions.order_by("id")] == [
        ("total_above", [], Decimal("2000.00")),
        ("requester", [str(requester.pk)], None),
        ("contains_product", ["SCR-100", "GLV-12"], None),
    ]
    page = admin_client.get(admin_url(ApprovalRule, "change", rule.pk)).content.decode()
    assert 'value="lea.martin@acme.example"' in page
    listing = admin_client.get(admin_url(ApprovalRule, "changelist")).content.decode()
    assert "order total above 2000.00; requester (1); contains a product: SCR-100, GLV-12" in (
        listing
    )


def test_bad_conditions_and_approvers_are_shown_where_they_are_and_nothing_is_written(
    admin_client, shop
):
    stranger = UserFactory(company=CompanyFactory(code="BETA"), email="x@beta.example")
    response = admin_client.post(
        admin_url(ApprovalRule, "add"),
        {
            "company": shop.company.pk,
            "name": "Odd",
            "level": "1",
            "approvers": [stranger.pk],
            **inline(
                [
                    {"kind": "requester", "values": "x@beta.example"},
                    {"kind": "location", "values": "PARIS"},
                    {"kind": "location", "values": "NANTES"},
                    {"kind": "total_above", "values": "", "amount": ""},
                ]
            ),
        },
    )

    assert response.status_code == 200
    page = response.content.decode()
    for message in (
        f"“{stranger.pk}” is not a user of this company.",
        "“x@beta.example” is not a user of this company.",
        "“PARIS” is not a location of this company.",
        "The rule already has a condition “location”: give all its values in that one.",
        "Give the amount the total must exceed.",
    ):
        assert message.replace("“", "&quot;").replace("”", "&quot;") in page or message in page
    assert not ApprovalRule.objects.exists()
    assert not ApprovalCondition.objects.exists()


def test_a_rule_without_any_approver_is_refused(admin_client, shop):
    response = admin_client.post(
        admin_url(ApprovalRule, "add"),
        {"company": shop.company.pk, "name": "Nobody", "level": "1", **inline([])},
    )
    assert response.status_code == 200
    assert "Name who approves: at least one role or one user." in response.content.decode()
    assert not ApprovalRule.objects.exists()


def test_a_budget_is_added_by_location_code_and_refused_twice(admin_client, shop):
    data = {
        "company": shop.company.pk,
        "location_code": "nantes",
        "user_email": "",
        "period": "month",
        "amount": "3000.00",
        "over_budget": "refuse",
        "active": "on",
    }
    response = admin_client.post(admin_url(Budget, "add"), data)
    assert response.status_code == 302, response.context["errors"]
    budget = Budget.objects.get()
    assert (budget.location.code, budget.user, budget.over_budget) == ("NANTES", None, "refuse")
    page = admin_client.get(admin_url(Budget, "change", budget.pk)).content.decode()
    assert 'value="NANTES"' in page

    response = admin_client.post(admin_url(Budget, "add"), data)
    assert "This location already has a budget for this period." in response.content.decode()
    response = admin_client.post(
        admin_url(Budget, "add"),
        {**data, "location_code": "", "user_email": "x@beta.example", "amount": "-2"},
    )
    page = response.content.decode()
    assert "is not a user of this company." in page
    assert "The amount cannot be negative." in page
    assert Budget.objects.count() == 1


def test_a_budget_of_a_user_is_kept_by_email(admin_client, shop):
    response = admin_client.post(
        admin_url(Budget, "add"),
        {
            "company": shop.company.pk,
            "user_email": "ACHATS@acme.example",
            "period": "year",
            "amount": "12000",
            "over_budget": "approval",
        },
    )
    assert response.status_code == 302, response.context["errors"]
    assert Budget.objects.get().user == shop.buyer


def test_budgets_list_what_is_spent_and_left_this_period(admin_client, shop):
    Budget.objects.create(company=shop.company, period="month", amount=Decimal("5000.00"))
    create_order(
        company=shop.company,
        buyer=shop.buyer,
        items=[(shop.products["SCR-100"], 100, Decimal("3.50"))],
        placed_at=timezone.now(),
    )
    create_approval(
        rules=[],
        company=shop.company,
        requester=shop.buyer,
        items=[(shop.products["SCR-100"], 500, Decimal("3.50"))],
        number="APR-2026-000001",
    )

    page = admin_client.get(admin_url(Budget, "changelist")).content.decode()

    # 438.00 ordered + 2,118.00 waiting for approval.
    assert "2556.00" in page and "2444.00" in page


def _rules(count):
    for n in range(count):
        company = CompanyFactory()
        rule = ApprovalRule.objects.create(
            company=company, name=f"Rule {n}", approver_roles=["approver"]
        )
        rule.approvers.add(UserFactory(company=company))
        ApprovalCondition.objects.create(rule=rule, kind="total_above", amount=Decimal("100"))
        ApprovalCondition.objects.create(rule=rule, kind="location", values=["MAIN"])


def _budgets(count):
    for _n in range(count):
        company = CompanyFactory()
        Budget.objects.create(
            company=company,
            location=company.locations.get(),
            period="quarter",
            amount=Decimal("900"),
        )


def _requests(count):
    shop_product = None
    start = ApprovalRequest.objects.count()
    for n in range(start, start + count):
        company = CompanyFactory()
        buyer = UserFactory(company=company)
        if shop_product is None:
            shop_product = ProductFactory()
        order = create_order(company=company, buyer=buyer, items=[(shop_product, 1, Decimal("9"))])
        create_approval(
            rules=[],
            company=company,
            requester=buyer,
            items=[(shop_product, 2, Decimal("9.00"))],
            number=f"APR-2026-{n + 1:06d}",
            order=order,
            status="ordered",
        )


@pytest.mark.parametrize(
    ("model", "make"),
    [(ApprovalRule, _rules), (Budget, _budgets), (ApprovalRequest, _requests)],
    ids=["rule", "budget", "request"],
)
def test_changelist_queries_do_not_grow_with_rows(
    admin_client, store, django_assert_max_num_queries, model, make
):
    url = admin_url(model, "changelist")
    make(1)
    with django_assert_max_num_queries(14) as one:
        response = admin_client.get(url)
    assert response.context["cl"].result_count == 1
    make(49)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = admin_client.get(url)
    assert response.context["cl"].result_count == 50


def test_an_approval_request_is_a_read_only_snapshot_with_its_trail(admin_client, shop):
    order = create_order(
        company=shop.company, buyer=shop.buyer, items=[(shop.products["GLV-12"], 24, Decimal("3"))]
    )
    rule = ApprovalRule.objects.create(
        company=shop.company, name="Every order", approver_roles=["approver"]
    )
    request = create_approval(
        company=shop.company,
        requester=shop.buyer,
        items=[(shop.products["GLV-12"], 24, Decimal("3.3333"))],
        number="APR-2026-000042",
        rules=[rule_json(as_rule(rule))],
        order=order,
        status="ordered",
        decided_at=timezone.now() + datetime.timedelta(hours=2),
    )
    url = admin_url(ApprovalRequest, "change", request.pk)

    page = admin_client.get(url).content.decode()

    assert "GLV-12" in page and "80.00" in page  # 24 × 3.3333
    assert "Submitted" in page
    assert "1 · Every order: every order needs this approval (waiting)" in page
    assert admin_url(type(order), "change", order.pk) in page
    assert 'name="lines-0-quantity"' not in page
    assert admin_client.get(admin_url(ApprovalRequest, "delete", request.pk)).status_code == 403
    found = admin_client.get(admin_url(ApprovalRequest, "changelist"), {"q": "achats@acme"})
    assert found.context["cl"].result_count == 1
    found = admin_client.get(admin_url(ApprovalRequest, "changelist"), {"status__exact": "pending"})
    assert found.context["cl"].result_count == 0


def test_the_store_page_sets_how_long_requests_stay_valid(admin_client, store):
    url = admin_url(Store, "change", store.pk)
    response = admin_client.get(url)
    assert 'name="approval_valid_days"' in response.content.decode()
    data = form_data(response, Store)
    data["approval_valid_days"] = "30"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    store.refresh_from_db()
    assert store.approval_valid_days == 30
    data["approval_valid_days"] = "0"
    response = admin_client.post(url, data)
    assert response.status_code == 200
