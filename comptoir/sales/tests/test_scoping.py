"""A representative's back office shows their companies only (issue 18, point 5): lists,
object pages by URL, autocomplete and filters, per admin."""

from decimal import Decimal

import pytest
from django.urls import reverse

from comptoir.quotes.models import Quote
from comptoir.sales.models import Assignment
from tests.factories import (
    CompanyFactory,
    InvoiceFactory,
    StaffUserFactory,
    UserFactory,
    approval_rule,
    create_approval,
    create_order,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def documents(shop, globex):
    """An order, invoice, approval request and quote of ACME, and the same of Globex."""
    made = {}
    for company in (shop.company, globex):
        buyer = company.users.order_by("id").first()
        product = shop.products["SCR-100"]
        order = create_order(company=company, buyer=buyer, items=[(product, 10, Decimal("4.20"))])
        made[company.code] = {
            "user": buyer,
            "order": order,
            "invoice": InvoiceFactory(order=order),
            "approval": create_approval(
                company=company,
                requester=buyer,
                items=[(product, 10, Decimal("4.20"))],
                rules=[approval_rule(1)],
            ),
            "quote": Quote.objects.create(
                number=f"DEV-2026-{company.pk:06d}",
                company=company,
                requester=buyer,
                requested_at=order.placed_at,
                currency="EUR",
            ),
        }
    return made


ADMINS = {
    "company": ("customers_company", lambda company, docs: company),
    "user": ("accounts_user", lambda company, docs: docs["user"]),
    "order": ("ordering_order", lambda company, docs: docs["order"]),
    "invoice": ("payments_invoice", lambda company, docs: docs["invoice"]),
    "approval": ("approvals_approvalrequest", lambda company, docs: docs["approval"]),
    "quote": ("quotes_quote", lambda company, docs: docs["quote"]),
}


@pytest.mark.parametrize("name", ADMINS)
def test_lists_and_pages_show_only_the_representative_s_companies(
    rep_client, shop, globex, documents, name
):
    route, pick = ADMINS[name]
    mine = pick(shop.company, documents["ACME"])
    theirs = pick(globex, documents["GLOBEX"])
    listing = rep_client.get(reverse(f"admin:{route}_changelist"))
    assert listing.status_code == 200
    assert [obj.pk for obj in listing.context["cl"].result_list] == [mine.pk]
    assert rep_client.get(reverse(f"admin:{route}_change", args=[mine.pk])).status_code == 200
    other = rep_client.get(reverse(f"admin:{route}_change", args=[theirs.pk]))
    assert other.status_code == 302
    assert other["Location"] == reverse("admin:index")


@pytest.mark.parametrize("name", ADMINS)
def test_the_merchant_sees_every_company(admin_client, shop, globex, documents, name):
    route, pick = ADMINS[name]
    listing = admin_client.get(reverse(f"admin:{route}_changelist"))
    pks = {obj.pk for obj in listing.context["cl"].result_list}
    assert {pick(shop.company, documents["ACME"]).pk, pick(globex, documents["GLOBEX"]).pk} <= pks


def test_company_autocomplete_offers_only_their_companies(rep_client, shop, globex):
    response = rep_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "accounts", "model_name": "user", "field_name": "company", "term": ""},
    )
    assert [item["text"] for item in response.json()["results"]] == ["ACME — Acme Outillage"]


def test_the_company_filter_names_only_their_companies(rep_client, rep, shop, globex, documents):
    initech = CompanyFactory(code="INITECH", name="Initech", group=shop.group)
    Assignment.objects.create(representative=rep, company=initech)
    create_approval(
        company=initech,
        requester=UserFactory(company=initech),
        items=[(shop.products["SCR-100"], 10, Decimal("4.20"))],
        rules=[approval_rule(1)],
    )
    response = rep_client.get(reverse("admin:approvals_approvalrequest_changelist"))
    company_filter = next(
        spec for spec in response.context["cl"].filter_specs if spec.title == "company"
    )
    assert sorted(label for _pk, label in company_filter.lookup_choices) == [
        "ACME — Acme Outillage",
        "INITECH — Initech",
    ]
    assert "Globex" not in response.content.decode()


def test_staff_users_are_not_in_a_representative_s_user_list(rep_client, rep, shop):
    StaffUserFactory(email="boss@comptoir.example", is_superuser=True)
    listing = rep_client.get(reverse("admin:accounts_user_changelist"))
    emails = {user.email for user in listing.context["cl"].result_list}
    assert emails == {"achats@acme.example"}


def test_the_company_page_offers_acting_and_order_entry(rep_client, shop):
    colleague = UserFactory(company=shop.company, email="paul@acme.example", first_name="Paul")
    page = rep_client.get(reverse("admin:customers_company_change", args=[shop.company.pk]))
    text = page.content.decode()
    assert reverse("admin:sales_order_entry", args=[shop.company.pk]) in text
    assert reverse("admin:sales_acting_start", args=[colleague.pk]) in text
    assert reverse("admin:sales_acting_start", args=[shop.buyer.pk]) in text


@pytest.mark.parametrize("count", [1, 50])
def test_the_company_list_costs_the_same_for_1_and_50_companies(
    rep_client, rep, shop, count, django_assert_max_num_queries
):
    for n in range(count - 1):
        company = CompanyFactory(code=f"C{n:03d}", group=shop.group)
        Assignment.objects.create(representative=rep, company=company)
    with django_assert_max_num_queries(12):
        response = rep_client.get(reverse("admin:customers_company_changelist"))
    assert response.context["cl"].result_count == count
