"""Two approvers deciding on one request at the same moment (DESIGN.md "Team buying"): the
request's row lock takes them one after the other, so the second sees the first's approval,
completes the level and places the order, once. Without the lock each would approve from the
same starting point and the second would erase the first.

Threads and databases as in `tests/test_placement_concurrency.py` (its SQLite file copy)."""

from decimal import Decimal

import pytest

from comptoir.accounts.access import viewer_for
from comptoir.accounts.models import User
from comptoir.approvals.models import ApprovalAction, ApprovalEvent, ApprovalRule
from comptoir.approvals.services import approval_approve, approval_reject
from comptoir.core.errors import BusinessRuleError
from comptoir.core.selectors import get_store
from comptoir.ordering.models import Order
from comptoir.ordering.placement import CheckoutRequest, order_place
from comptoir.ordering.services import cart_set_line
from tests.factories import UserFactory
from tests.shops import build_shop
from tests.test_placement_concurrency import _threads_share_a_file, in_threads  # noqa: F401

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def request_for_two(store):
    """Rémi's order of 120 screws waits for two rules of level 1, one for Anne, one for Luc."""
    shop = build_shop(store)
    requester, anne, luc = (
        UserFactory(company=shop.company, email=f"{name}@acme.example", role=role)
        for name, role in (("remi", "buyer"), ("anne", "approver"), ("luc", "approver"))
    )
    for name, approver in (("Anne's", anne), ("Luc's", luc)):
        rule = ApprovalRule.objects.create(company=shop.company, name=f"{name} rule", level=1)
        rule.approvers.add(approver)
    viewer = viewer_for(store, User.objects.select_related("company__group").get(pk=requester.pk))
    cart_set_line(viewer=viewer, sku="SCR-100", quantity=120)
    placement = order_place(viewer=viewer, request=CheckoutRequest(payment_method="TRANSFER"))
    return placement.approval, [anne.pk, luc.pk]


def decider(user_id, decide):
    viewer = viewer_for(get_store(), User.objects.select_related("company__group").get(pk=user_id))
    return lambda: decide(viewer)


def test_two_approvals_at_once_both_count_and_place_one_order(request_for_two):
    approval, approvers = request_for_two

    outcomes = in_threads(
        2,
        lambda index: decider(
            approvers[index], lambda viewer: approval_approve(viewer=viewer, number=approval.number)
        ),
    )

    assert not [outcome for outcome in outcomes if isinstance(outcome, Exception)], outcomes
    approval.refresh_from_db()
    assert approval.status == "ordered"
    assert len(approval.approved_rules) == 2
    order = Order.objects.get()
    assert approval.order == order
    assert order.total == Decimal("522.00")
    actions = list(ApprovalEvent.objects.filter(request=approval).values_list("action", flat=True))
    assert sorted(actions) == sorted(
        [ApprovalAction.SUBMITTED, ApprovalAction.APPROVED, ApprovalAction.APPROVED, "ordered"]
    )


def test_an_approval_and_a_rejection_at_once_one_wins_whole(request_for_two):
    approval, approvers = request_for_two
    decisions = [
        lambda viewer: approval_approve(viewer=viewer, number=approval.number),
        lambda viewer: approval_reject(viewer=viewer, number=approval.number, reason="Too much"),
    ]

    outcomes = in_threads(2, lambda index: decider(approvers[index], decisions[index]))

    approval.refresh_from_db()
    errors = [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    if approval.approved_rules:  # the approval went first; the rejection then ended it
        assert errors == []
        assert approval.status == "rejected"
    else:  # the rejection went first; the approval found it closed
        assert [error.code for error in errors if isinstance(error, BusinessRuleError)] == [
            "approval_not_open"
        ]
        assert approval.status == "rejected"
    assert Order.objects.count() == 0
