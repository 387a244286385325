"""A company administrator's own approval rules and budgets (account pages)."""

import datetime
from decimal import Decimal
from html import unescape

import pytest
from django.utils import timezone

from comptoir.approvals.models import ApprovalCondition, ApprovalRule, Budget
from comptoir.customers.models import Location
from tests.factories import CompanyFactory, UserFactory, create_order
from tests.shops import build_shop

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(store):
    shop = build_shop(store)
    Location.objects.create(company=shop.company, code="NANTES", name="Nantes", position=1)
    return shop


@pytest.fixture
def admin_client(client, shop):
    admin = UserFactory(
        company=shop.company, email="anne@acme.example", role="admin", first_name="Anne"
    )
    client.force_login(admin)
    client.user = admin
    return client


def page(response) -> str:
    return unescape(response.content.decode())


def test_an_administrator_adds_a_rule_from_the_form(admin_client, shop):
    chief = UserFactory(company=shop.company, email="chef@acme.example", role="approver")
    form = admin_client.get("/account/approval-rules/new/")
    assert form.status_code == 200
    assert "When the order total (tax included) is above" in page(form)

    response = admin_client.post(
        "/account/approval-rules/new/",
        {
            "name": "Requesters above 2,000",
            "level": "1",
            "approver_roles": ["approver"],
            "approvers": [str(chief.pk)],
            "active": "on",
            "total_above": "2000.00",
            "categories": "fasteners",
            "skus": "scr-100, GLV-12",
            "requester_roles": ["requester"],
            "locations": ["NANTES"],
            "budget_exceeded": "on",
        },
    )

    assert response.status_code == 302
    rule = ApprovalRule.objects.get(company=shop.company)
    assert (rule.name, rule.level, rule.approver_roles) == (
        "Requesters above 2,000",
        1,
        ["approver"],
    )
    assert list(rule.approvers.all()) == [chief]
    assert sorted((c.kind, c.values, c.amount) for c in rule.conditions.all()) == [
        ("budget_exceeded", [], None),
        ("contains_category", ["FASTENERS"], None),
        ("contains_product", ["SCR-100", "GLV-12"], None),
        ("location", ["NANTES"], None),
        ("requester_role", ["requester"], None),
        ("total_above", [], Decimal("2000.00")),
    ]
    listing = page(admin_client.get("/account/approval-rules/"))
    assert "Requesters above 2,000" in listing
    assert "order total above €2,000.00" in listing
    assert "contains a product: SCR-100, GLV-12" in listing


def test_bad_rules_are_explained_on_their_fields_and_write_nothing(admin_client, shop):
    stranger = UserFactory(company=CompanyFactory(code="BETA"), email="x@beta.example")
    response = admin_client.post(
        "/account/approval-rules/new/",
        {
            "name": "Odd",
            "level": "12",
            "requesters": [str(stranger.pk)],
            "skus": "NOPE-9",
            "payment_methods": ["CARD"],
            "locations": ["LYON-9"],
        },
    )

    assert response.status_code == 422
    text = page(response)
    for message in (
        "The level is a whole number from 1 to 9.",
        "Name who approves: at least one role or one user.",
        f"“{stranger.pk}” is not a user of this company.",
        "There is no product with the SKU “NOPE-9”.",
        "There is no payment method with the code “CARD”.",
        "“LYON-9” is not a location of this company.",
    ):
        assert message in text
    assert not ApprovalRule.objects.exists()


def test_an_administrator_changes_and_deletes_a_rule(admin_client, shop):
    rule = ApprovalRule.objects.create(
        company=shop.company, name="Express", approver_roles=["admin"]
    )
    ApprovalCondition.objects.create(rule=rule, kind="shipping_method", values=["EXPRESS"])
    ApprovalCondition.objects.create(rule=rule, kind="requester", values=[str(shop.buyer.pk)])

    form = page(admin_client.get(f"/account/approval-rules/{rule.pk}/"))
    assert 'value="EXPRESS" checked' in form.replace('id="id_shipping_methods_1" ', "")
    response = admin_client.post(
        f"/account/approval-rules/{rule.pk}/",
        {
            "name": "Express orders",
            "level": "2",
            "approver_roles": ["admin"],
            "shipping_methods": ["EXPRESS", "STD"],
        },
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.name, rule.level, rule.active) == ("Express orders", 2, False)
    assert [(c.kind, c.values) for c in rule.conditions.all()] == [
        ("shipping_method", ["EXPRESS", "STD"])
    ]

    assert admin_client.post(f"/account/approval-rules/{rule.pk}/delete/").status_code == 302
    assert not ApprovalRule.objects.exists()


def test_budgets_show_what_is_spent_and_left_this_period(admin_client, shop, store):
    nantes = Location.objects.get(code="NANTES")
    Budget.objects.create(company=shop.company, period="month", amount=Decimal("5000.00"))
    Budget.objects.create(
        company=shop.company,
        location=nantes,
        period="quarter",
        amount=Decimal("1000.00"),
        over_budget="refuse",
    )
    create_order(
        company=shop.company,
        buyer=shop.buyer,
        items=[(shop.products["SCR-100"], 100, Decimal("3.50"))],
        location=nantes,
        placed_at=timezone.now(),
    )
    create_order(
        company=shop.company,
        buyer=shop.buyer,
        items=[(shop.products["SCR-100"], 100, Decimal("3.50"))],
        placed_at=timezone.now() - datetime.timedelta(days=400),
    )

    text = page(admin_client.get("/account/budgets/"))

    assert "The whole company" in text and "Location Nantes" in text
    # One order this period: 350.00 + 15.00 shipping + 20 % tax; the other is a year old.
    assert text.count("€438.00") == 2
    assert "€4,562.00" in text and "€562.00" in text
    assert "Refuse the order" in text


def test_an_administrator_adds_changes_and_deletes_a_budget(admin_client, shop):
    response = admin_client.post(
        "/account/budgets/new/",
        {
            "location": "NANTES",
            "period": "month",
            "amount": "3000",
            "over_budget": "approval",
            "active": "on",
        },
    )
    assert response.status_code == 302
    budget = Budget.objects.get()
    assert (budget.location.code, budget.amount, budget.active) == ("NANTES", Decimal("3000"), True)

    response = admin_client.post(
        f"/account/budgets/{budget.pk}/",
        {
            "user": str(shop.buyer.pk),
            "period": "year",
            "amount": "12000.00",
            "over_budget": "refuse",
        },
    )
    assert response.status_code == 302
    budget.refresh_from_db()
    assert (budget.location, budget.user, budget.period, budget.over_budget, budget.active) == (
        None,
        shop.buyer,
        "year",
        "refuse",
        False,
    )
    assert admin_client.post(f"/account/budgets/{budget.pk}/delete/").status_code == 302
    assert not Budget.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"location": "PARIS"}, "“PARIS” is not a location of this company."),
        ({"location": "NANTES", "user": "ANNE"}, "not both"),
        ({"amount": "-10"}, "The amount cannot be negative."),
        ({"amount": "10.001"}, "Give the amount in cents at most (2 decimal places)."),
        ({"amount": "lots"}, "Enter a number."),
        ({"period": "week"}, "Select a valid choice."),
        ({"period": "year"}, "The company already has a budget for this period."),
    ],
)
def test_bad_budgets_are_explained_and_write_nothing(admin_client, shop, data, message):
    Budget.objects.create(company=shop.company, period="year", amount=Decimal("100.00"))
    body = {"period": "month", "amount": "3000", "over_budget": "approval"} | data
    if body.get("user") == "ANNE":
        body["user"] = str(admin_client.user.pk)

    response = admin_client.post("/account/budgets/new/", body)

    assert response.status_code == 422
    assert message in page(response)
    assert Budget.objects.count() == 1


def test_a_budget_of_another_companys_user_is_refused(admin_client, shop):
    stranger = UserFactory(company=CompanyFactory(code="BETA"))

    response = admin_client.post(
        "/account/budgets/new/",
        {"user": str(stranger.pk), "period": "month", "amount": "10", "over_budget": "refuse"},
    )

    assert response.status_code == 422
    assert f"“{stranger.pk}” is not a user of this company." in page(response)
    assert not Budget.objects.exists()


def test_users_who_do_not_manage_users_are_refused(client, shop):
    client.force_login(shop.buyer)  # a buyer
    for url in ("/account/approval-rules/", "/account/budgets/new/"):
        response = client.get(url)
        assert response.status_code == 403
        assert "approval rules and budgets" in page(response)


def test_the_account_page_links_to_rules_and_budgets(admin_client):
    text = page(admin_client.get("/account/"))
    assert 'href="/account/approval-rules/"' in text
    assert 'href="/account/budgets/"' in text


@pytest.mark.parametrize("count", [1, 50])
def test_list_pages_do_not_grow_with_rows(admin_client, shop, django_assert_max_num_queries, count):
    locations = Location.objects.bulk_create(
        Location(company=shop.company, code=f"SITE-{n}", name=f"Site {n}", position=10 + n)
        for n in range(count)
    )
    for n, location in enumerate(locations):
        rule = ApprovalRule.objects.create(
            company=shop.company, name=f"Site {n}", approver_roles=["admin"]
        )
        rule.approvers.add(shop.buyer)
        ApprovalCondition.objects.create(rule=rule, kind="location", values=[location.code])
        ApprovalCondition.objects.create(rule=rule, kind="requester", values=[str(shop.buyer.pk)])
        Budget.objects.create(
            company=shop.company, location=location, period="month", amount=Decimal("100")
        )

    with django_assert_max_num_queries(14):
        rules_page = admin_client.get("/account/approval-rules/")
    with django_assert_max_num_queries(14):
        budgets_page = admin_client.get("/account/budgets/")

    assert page(rules_page).count("location: SITE-") == count
    assert page(budgets_page).count("Location Site") == count


def test_the_pages_and_their_messages_are_in_french(admin_client, shop):
    response = admin_client.post(
        "/fr/account/approval-rules/new/",
        {"name": "Gros montants", "level": "1", "locations": ["LYON-9"]},
    )

    text = page(response)
    assert "Quand le total de la commande (TTC) dépasse" in text
    assert "Indiquez qui approuve\u00a0: au moins un rôle ou un utilisateur." in text
    assert "«\u00a0LYON-9\u00a0» n’est pas un site de cette entreprise." in text
    budgets = page(admin_client.get("/fr/account/budgets/"))
    assert "Aucun budget\u00a0: les commandes ne sont pas limitées en montant." in budgets
