"""Checkout with budgets and approval rules (DESIGN.md "Team buying"): the order rules first,
then a refusing budget, then the approval rules; a matching cart becomes an approval request,
a snapshot that takes no stock."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import translation

from comptoir.accounts.access import viewer_for
from comptoir.accounts.permissions import APPROVER, REQUESTER
from comptoir.approvals.json_views import approval_json, company_members
from comptoir.approvals.models import (
    ApprovalAction,
    ApprovalCondition,
    ApprovalRequest,
    ApprovalRule,
    ApprovalStatus,
    Budget,
)
from comptoir.core.errors import BusinessRuleError
from comptoir.core.selectors import get_store, store_today
from comptoir.customers.models import Location
from comptoir.ordering.models import CartLine, Order, OrderStatus
from comptoir.ordering.order_status import order_set_status
from comptoir.ordering.placement import CheckoutRequest, order_place
from comptoir.ordering.services import cart_add_lines
from tests.factories import CategoryFactory, CompanyFactory, UserFactory

TRANSFER = CheckoutRequest(payment_method="TRANSFER")


def viewer(user):
    return viewer_for(get_store(), user)


def fill(user, *rows):
    """SCR-100 × 120 (3.50, the PRO tier) and MNL-1 × 2 (12.00): 444.00 of merchandise,
    15.00 of shipping, 88.32 of tax, 547.32 in all."""
    rows = rows or (("SCR-100", 120), ("MNL-1", 2))
    cart_add_lines(viewer=viewer(user), rows=[(n, sku, q) for n, (sku, q) in enumerate(rows, 1)])


def rule(company, name="Above 500", *, level=1, roles=(APPROVER,), users=(), **condition):
    found = ApprovalRule.objects.create(
        company=company, name=name, level=level, approver_roles=list(roles)
    )
    found.approvers.set(users)
    if condition:
        ApprovalCondition.objects.create(rule=found, **condition)
    return found


def place(user, request=TRANSFER, key=None):
    return order_place(viewer=viewer(user), request=request, key=key)


def test_a_matching_rule_sends_the_cart_for_approval_without_taking_stock(
    shop, approver, django_capture_on_commit_callbacks
):
    rule(shop.company, kind="total_above", amount=Decimal("500.00"))
    fill(shop.buyer)

    with django_capture_on_commit_callbacks(execute=True):
        placement = place(shop.buyer)

    assert placement.order is None
    approval = placement.approval
    today = store_today(get_store())
    assert approval.number == f"APR-{today.year}-000001"
    assert approval.status == ApprovalStatus.PENDING
    assert approval.requester == shop.buyer
    assert approval.location.code == "MAIN"
    assert approval.valid_until == today + datetime.timedelta(days=14)
    assert (approval.subtotal, approval.shipping_total, approval.tax_total, approval.total) == (
        Decimal("444.00"),
        Decimal("15.00"),
        Decimal("88.32"),
        Decimal("547.32"),
    )
    assert sorted(approval.tax_lines, key=lambda t: Decimal(t["rate"]), reverse=True) == [
        {"rate": "20.00", "base": "435.00", "amount": "87.00", "reason": ""},
        {"rate": "5.50", "base": "24.00", "amount": "1.32", "reason": ""},
    ]
    screws = approval.lines.get(sku="SCR-100")
    assert (screws.quantity, screws.unit_price, screws.net, screws.tax_rate) == (
        120,
        Decimal("3.5000"),
        Decimal("420.00"),
        Decimal("20.0000"),
    )
    assert screws.explanation[0]["source"] == "PRO"
    assert approval.rules == [
        {
            "id": ApprovalRule.objects.get().pk,
            "built_in": None,
            "name": "Above 500",
            "level": 1,
            "approver_roles": [APPROVER],
            "approver_ids": [],
            "conditions": [{"kind": "total_above", "values": [], "amount": "500.00"}],
        }
    ]
    assert approval.facts == {
        "total": "547.32",
        "skus": ["MNL-1", "SCR-100"],
        "categories": ["FASTENERS"],
        "payment_method": "TRANSFER",
        "shipping_method": "STD",
        "requester_id": shop.buyer.pk,
        "requester_role": "buyer",
        "location": "MAIN",
        "budget_exceeded": False,
    }
    assert [view["reasons"] for view in approval.rule_views()] == [
        ["the total 547.32 EUR is above 500.00 EUR"]
    ]
    with translation.override("fr"):
        assert approval.rule_views()[0]["reasons"] == ["le total de 547.32 EUR dépasse 500.00 EUR"]
    assert approval.events.get().action == ApprovalAction.SUBMITTED
    assert not Order.objects.exists()
    shop.products["SCR-100"].refresh_from_db()
    assert shop.products["SCR-100"].stock == 500
    assert not CartLine.objects.exists()
    (sent,) = mail.outbox
    assert sent.to == ["claire.martin@acme.example"]
    assert approval.number in sent.subject
    assert "Above 500: the total 547.32 EUR is above 500.00 EUR" in sent.body


def test_a_total_equal_to_the_threshold_is_ordered_at_once(shop, approver):
    rule(shop.company, kind="total_above", amount=Decimal("547.32"))
    fill(shop.buyer)

    placement = place(shop.buyer)

    assert placement.approval is None
    assert placement.order.total == Decimal("547.32")
    assert not ApprovalRequest.objects.exists()


def test_a_rule_on_a_category_matches_the_products_of_its_subcategories(shop, approver):
    screws = CategoryFactory(
        code="WOOD-SCREWS", name="Wood screws", parent=shop.products["SCR-100"].category
    )
    shop.products["SCR-100"].category = screws
    shop.products["SCR-100"].save()
    rule(shop.company, "Fasteners", kind="contains_category", values=["fasteners"])
    fill(shop.buyer, ("SCR-100", 120))

    approval = place(shop.buyer).approval

    assert approval.rule_views()[0]["reasons"] == ["it contains products of FASTENERS"]


def test_rules_of_another_company_and_inactive_rules_do_not_apply(shop, approver):
    rule(CompanyFactory(group=shop.group), "Theirs")
    rule(shop.company, "Switched off").__class__.objects.filter(name="Switched off").update(
        active=False
    )
    fill(shop.buyer)

    assert place(shop.buyer).order is not None


def test_a_requester_who_is_also_an_approver_is_never_named_to_approve(shop, approver):
    shop.buyer.role = APPROVER
    shop.buyer.save()
    rule(shop.company, "Everything")
    fill(shop.buyer)

    approval = place(shop.buyer).approval

    data = approval_json(approval, company_members(shop.company))
    assert data["rules"][0]["approvers"] == ["Claire Martin"]


def test_a_refusing_budget_refuses_the_order_and_writes_nothing(shop, approver):
    Budget.objects.create(company=shop.company, amount=Decimal("500.00"), over_budget="refuse")
    rule(shop.company)
    fill(shop.buyer)

    with pytest.raises(BusinessRuleError) as refused:
        place(shop.buyer)

    assert refused.value.code == "budget_exceeded"
    assert refused.value.message == (
        "This order of 547.32 EUR goes over the budget: 500.00 EUR left of 500.00 EUR this "
        "month (your company). Your company does not accept orders over it."
    )
    assert not ApprovalRequest.objects.exists()
    assert not Order.objects.exists()
    assert CartLine.objects.count() == 2


def test_order_rules_are_checked_before_the_budget(shop):
    Budget.objects.create(company=shop.company, amount=Decimal("1.00"), over_budget="refuse")
    fill(shop.buyer, ("MNL-1", 101))  # 100 in stock

    with pytest.raises(BusinessRuleError) as refused:
        place(shop.buyer)

    assert refused.value.code == "insufficient_stock"


def test_spent_counts_orders_not_cancelled_and_open_requests_of_the_period(shop, approver):
    """Budget 1,200.00 a month, sending orders over it to approval; no rule on budgets, so the
    users who may approve orders decide."""
    Budget.objects.create(company=shop.company, amount=Decimal("1200.00"))
    fill(shop.buyer)
    first = place(shop.buyer).order  # 547.32 spent
    last_month = Order.objects.create(
        **{
            f.name: getattr(first, f.name)
            for f in Order._meta.concrete_fields
            if f.name not in ("id", "number", "placed_at")
        },
        number="CMD-2000-000001",
        placed_at=first.placed_at - datetime.timedelta(days=62),
    )
    assert last_month.total == Decimal("547.32")
    fill(shop.buyer)
    second = place(shop.buyer).order  # 1,094.64 spent: still within
    assert second is not None

    fill(shop.buyer)
    waiting = place(shop.buyer).approval  # 1,641.96 > 1,200.00
    assert waiting.budget_exceeded
    (view,) = waiting.rule_views()
    assert (view["id"], view["name"]) == (0, "Over budget")
    assert view["reasons"] == ["the order goes over a budget"]
    with translation.override("fr"):
        assert waiting.rule_views()[0]["name"] == "Hors budget"

    # Spent now 1,641.96 with the open request; cancelling an order frees its 547.32.
    order_set_status(order=second, status=OrderStatus.CANCELLED)
    fill(shop.buyer)  # 547.32 + 547.32 open + 547.32 = 1,641.96: over again
    assert place(shop.buyer).approval is not None
    ApprovalRequest.objects.update(status=ApprovalStatus.REJECTED)
    fill(shop.buyer)  # 547.32 + 547.32 = 1,094.64: within
    assert place(shop.buyer).order is not None


def test_a_company_rule_on_budgets_replaces_the_built_in_one(shop, approver):
    Budget.objects.create(company=shop.company, amount=Decimal("100.00"))
    boss = UserFactory(company=shop.company, email="boss@acme.example", role=REQUESTER)
    rule(shop.company, "Budget overrun", roles=(), users=[approver], kind="budget_exceeded")
    rule(shop.company, "Big orders", level=2, users=[boss], kind="total_above", amount=Decimal(1))
    fill(shop.buyer)

    approval = place(shop.buyer).approval

    assert [(r["name"], r["level"]) for r in approval.rules] == [
        ("Budget overrun", 1),
        ("Big orders", 2),
    ]


def test_budgets_of_a_location_and_of_a_user_count_only_theirs(shop, approver):
    main = Location.objects.get(company=shop.company)
    nantes = Location.objects.create(company=shop.company, code="NANTES", name="Nantes")
    colleague = UserFactory(company=shop.company, email="paul@acme.example")
    Budget.objects.create(
        company=shop.company, location=nantes, amount=Decimal("600.00"), over_budget="refuse"
    )
    Budget.objects.create(
        company=shop.company, user=colleague, amount=Decimal("600.00"), over_budget="refuse"
    )
    fill(shop.buyer)
    place(shop.buyer)  # MAIN, by the buyer: neither budget counts it
    fill(shop.buyer)
    place(shop.buyer, CheckoutRequest(payment_method="TRANSFER", location="NANTES"))
    fill(shop.buyer)
    with pytest.raises(BusinessRuleError, match="location Nantes"):
        place(shop.buyer, CheckoutRequest(payment_method="TRANSFER", location="NANTES"))
    fill(colleague)
    place(colleague)  # MAIN, the colleague's first
    fill(colleague)
    with pytest.raises(BusinessRuleError, match="your own budget"):
        place(colleague)
    assert Order.objects.filter(location=main).count() == 2


def test_a_requester_s_order_waits_for_approval_even_without_company_rules(shop, approver):
    shop.buyer.role = REQUESTER
    shop.buyer.save()
    fill(shop.buyer)

    approval = place(shop.buyer).approval

    assert [
        (r["id"], r["name"], r["approver_roles"], r["reasons"]) for r in approval.rule_views()
    ] == [
        (
            -1,
            "Order of a requester",
            ["admin", "approver"],
            ["it is ordered by a user of role requester"],
        )
    ]


def test_a_company_rule_on_requesters_replaces_the_built_in_one(shop, approver):
    shop.buyer.role = REQUESTER
    shop.buyer.save()
    boss = UserFactory(company=shop.company, email="boss@acme.example", role="admin")
    rule(
        shop.company,
        "Requesters above 1,000",
        roles=(),
        users=[boss],
        kind="requester_role",
        values=["requester"],
    )
    ApprovalCondition.objects.create(
        rule=ApprovalRule.objects.get(), kind="total_above", amount=Decimal("1000.00")
    )
    fill(shop.buyer)  # 547.32: the company's rule does not match, and no built-in one applies

    assert place(shop.buyer).order is not None


def test_each_approver_is_told_why_in_their_own_language(
    shop, approver, django_capture_on_commit_callbacks
):
    approver.language = "fr"
    approver.save()
    rule(shop.company, kind="total_above", amount=Decimal("500.00"))
    fill(shop.buyer)

    with django_capture_on_commit_callbacks(execute=True):
        approval = place(shop.buyer).approval

    (sent,) = mail.outbox
    assert sent.subject.startswith(f"La commande {approval.number} de ")
    assert "Above 500\u00a0: le total de 547.32 EUR dépasse 500.00 EUR" in sent.body


def test_a_request_still_waiting_from_last_month_counts_in_this_month_s_budget(shop, approver):
    """Approved later, it becomes an order of this month: it is spent here until then."""
    Budget.objects.create(company=shop.company, amount=Decimal("1000.00"), over_budget="refuse")
    rule(shop.company, kind="total_above", amount=Decimal("500.00"))
    fill(shop.buyer)
    waiting = place(shop.buyer).approval
    ApprovalRequest.objects.filter(pk=waiting.pk).update(
        submitted_at=waiting.submitted_at - datetime.timedelta(days=40)
    )
    fill(shop.buyer)  # 547.32 waiting + 547.32 = 1,094.64 > 1,000.00

    with pytest.raises(BusinessRuleError) as refused:
        place(shop.buyer)

    assert refused.value.code == "budget_exceeded"
    assert "452.68 EUR left of 1000.00 EUR" in refused.value.message
