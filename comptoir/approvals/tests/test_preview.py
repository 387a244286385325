"""What the buyer is told before checkout: what each budget leaves and who will approve
(API `GET /cart`, the cart and checkout pages), and the 202 of an API checkout."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comptoir.accounts.permissions import APPROVER
from comptoir.approvals.models import ApprovalCondition, ApprovalRequest, ApprovalRule, Budget
from comptoir.catalog.models import Product
from comptoir.customers.models import Location
from comptoir.pricing.models import PriceEntry
from tests.factories import UserFactory


@pytest.fixture
def api(client, shop):
    client.force_login(shop.buyer)
    return client


def put(api, sku, qty):
    return api.put(f"/api/v1/cart/lines/{sku}", {"qty": qty}, content_type="application/json")


def above(company, amount, name="Above 500", roles=(APPROVER,)):
    rule = ApprovalRule.objects.create(company=company, name=name, approver_roles=list(roles))
    ApprovalCondition.objects.create(rule=rule, kind="total_above", amount=Decimal(amount))
    return rule


def test_the_cart_says_what_each_budget_leaves_and_who_will_approve(api, shop, approver):
    lyon = Location.objects.get(company=shop.company)
    Budget.objects.create(company=shop.company, amount=Decimal("5000.00"))
    Budget.objects.create(
        company=shop.company, location=lyon, period="quarter", amount=Decimal("500.00")
    )
    above(shop.company, "500")
    put(api, "SCR-100", 120)
    put(api, "MNL-1", 2)  # 547.32 in all

    cart = api.get("/api/v1/cart").json()

    assert [
        (b["scope"], b["period"], b["amount"], b["spent"], b["left"], b["exceeded"])
        for b in cart["budgets"]
    ] == [
        ("location", "quarter", "500.00", "0.00", "500.00", True),
        ("company", "month", "5000.00", "0.00", "5000.00", False),
    ]
    assert cart["budgets"][1]["message"] == (
        "5000.00 EUR left of 5000.00 EUR this month (your company)"
    )
    assert cart["budgets"][0]["message"] == (
        "500.00 EUR left of 500.00 EUR this quarter (location Acme Outillage)"
    )
    assert cart["approval"] == {
        "required": True,
        "rules": [
            {
                "name": "Over budget",
                "level": 1,
                "reasons": ["the order goes over a budget"],
                "approvers": ["Claire Martin"],
            },
            {
                "name": "Above 500",
                "level": 1,
                "reasons": ["the total 547.32 EUR is above 500.00 EUR"],
                "approvers": ["Claire Martin"],
            },
        ],
    }


def test_an_empty_cart_or_a_company_without_budgets_shows_nothing(api, shop):
    cart = api.get("/api/v1/cart").json()
    assert cart["budgets"] == []
    assert cart["approval"] == {"required": False, "rules": []}
    put(api, "SCR-100", 120)
    assert api.get("/api/v1/cart").json()["approval"] == {"required": False, "rules": []}


def test_the_cart_page_writes_the_budget_in_the_page_s_money(client, shop, approver):
    Budget.objects.create(company=shop.company, amount=Decimal("5000.00"))
    above(shop.company, "500")
    client.force_login(shop.buyer)
    put(client, "SCR-100", 120)
    put(client, "MNL-1", 2)

    page = client.get("/cart/").content.decode()

    assert "€4,452.68 left of €5,000.00 this month (your company)" not in page
    assert "€5,000.00 left of €5,000.00 this month (your company)" in page
    assert "This order will be sent for approval before it is placed:" in page
    assert "the total 547.32 EUR is above 500.00 EUR" in page
    assert "Approved by: Claire Martin." in page


def test_checkout_over_the_api_answers_202_with_the_request_and_a_retry_the_same(
    api, shop, approver
):
    above(shop.company, "500")
    put(api, "SCR-100", 120)
    put(api, "MNL-1", 2)
    body = {"payment_method": "TRANSFER", "po_number": "PO-77"}

    first = api.post(
        "/api/v1/checkout", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    again = api.post(
        "/api/v1/checkout", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1"
    )

    assert first.status_code == 202, first.content
    data = first.json()
    assert data["code"] == "approval_required"
    assert data["number"].startswith("APR-") and data["status"] == "pending"
    assert data["total"] == "547.32"
    assert data["po_number"] == "PO-77"
    assert data["rules"] == [
        {
            "name": "Above 500",
            "level": 1,
            "reasons": ["the total 547.32 EUR is above 500.00 EUR"],
            "approvers": ["Claire Martin"],
            "approved": False,
        }
    ]
    assert again.status_code == 202
    assert again.json()["number"] == data["number"]
    assert ApprovalRequest.objects.count() == 1


def test_a_refusing_budget_is_a_422_budget_exceeded(api, shop):
    Budget.objects.create(company=shop.company, amount=Decimal("100.00"), over_budget="refuse")
    put(api, "SCR-100", 120)

    answer = api.post(
        "/api/v1/checkout", {"payment_method": "TRANSFER"}, content_type="application/json"
    )

    assert answer.status_code == 422
    assert answer.json()["code"] == "budget_exceeded"
    assert answer.json()["errors"][0]["code"] == "budget_exceeded"


def test_the_cart_reads_as_many_queries_for_1_line_as_for_50(api, shop, approver):
    """Budgets, rules and approvers are read in a fixed number of queries."""
    UserFactory(company=shop.company, email="second.approver@acme.example", role=APPROVER)
    Budget.objects.create(company=shop.company, amount=Decimal("10.00"))
    for n in range(3):
        above(shop.company, "1", name=f"Rule {n}")
    base = shop.store.base_price_list
    counts = []
    for lines in (1, 50):
        for n in range(len(counts), lines):
            product = Product.objects.create(sku=f"BULK-{n:03d}", name=f"Bulk {n}", stock=100)
            PriceEntry.objects.create(price_list=base, product=product, price=Decimal("150.00"))
            put(api, product.sku, 1)
        with CaptureQueriesContext(connection) as queries:
            cart = api.get("/api/v1/cart").json()
        assert len(cart["lines"]) == lines
        assert len(cart["approval"]["rules"]) == 4
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 31, counts


def test_the_french_cart_page_says_it_in_french(client, shop, approver):
    Budget.objects.create(company=shop.company, amount=Decimal("5000.00"))
    above(shop.company, "500")
    client.force_login(shop.buyer)
    put(client, "SCR-100", 120)
    put(client, "MNL-1", 2)

    page = client.get("/fr/cart/").content.decode()

    assert (
        "5\u202f000,00\u00a0€ restants sur 5\u202f000,00\u00a0€ ce mois-ci (votre entreprise)"
        in page
    )
    assert "Cette commande sera soumise à approbation avant d’être passée\u00a0:" in page
    assert "le total de 547.32 EUR dépasse 500.00 EUR" in page
    assert "Approuvée par\u00a0: Claire Martin." in page
