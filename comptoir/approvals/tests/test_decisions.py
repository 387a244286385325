"""Deciding on approval requests: who may, what each decision writes, and the order the last
approval places at the request's prices (taxes of the order date).

Figures: 120 SCR-100 at the PRO price 3.50 (tier from 100) = 420.00, standard shipping 15.00,
tax 20 % of 435.00 = 87.00, total 522.00: above the rule's 300.00.
"""

import datetime
from decimal import Decimal

import pytest
from django.core import mail

from comptoir.approvals.models import (
    ApprovalCondition,
    ApprovalEvent,
    ApprovalRequest,
    ApprovalRule,
)
from comptoir.approvals.services import (
    approval_approve,
    approval_reject,
    approval_retry,
    approval_withdraw,
)
from comptoir.approvals.tests.conftest import submit, viewer
from comptoir.catalog.models import Product, TaxClass
from comptoir.core.errors import BusinessRuleError
from comptoir.customers.models import Location
from comptoir.ordering.models import Order
from comptoir.pricing.models import PriceEntry
from comptoir.tax.models import TaxRate
from tests.factories import UserFactory


def trail(approval):
    return [
        (event.action, event.level, event.actor.email if event.actor else None, event.message)
        for event in ApprovalEvent.objects.filter(request=approval).order_by("at", "id")
    ]


def refused(code, call, **kwargs):
    with pytest.raises(BusinessRuleError) as caught:
        call(**kwargs)
    assert caught.value.code == code, caught.value.message
    return caught.value


def test_the_last_approval_places_the_order_for_the_requester(
    team, immediate_tasks, django_capture_on_commit_callbacks
):
    approval = submit(team.requester, ("SCR-100", 120))
    assert (approval.subtotal, approval.tax_total, approval.total) == (
        Decimal("420.00"),
        Decimal("87.00"),
        Decimal("522.00"),
    )
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        decided = approval_approve(
            viewer=viewer(team.approver), number=approval.number, note="OK for the Lyon site"
        )

    order = decided.order
    assert decided.status == "ordered"
    assert order.buyer == team.requester
    assert order.total == Decimal("522.00")
    assert Product.objects.get(sku="SCR-100").stock == 500 - 120
    assert trail(decided) == [
        ("submitted", 1, "remi@acme.example", ""),
        ("approved", 1, "anne@acme.example", "OK for the Lyon site"),
        ("ordered", 1, "anne@acme.example", order.number),
    ]
    subjects = sorted(message.subject for message in mail.outbox)
    assert subjects == [
        f"Order {order.number} received",
        f"Your request {approval.number} is approved: order {order.number}",
    ]
    assert all(message.to == ["remi@acme.example"] for message in mail.outbox)


def test_the_order_keeps_the_request_prices_and_takes_the_taxes_of_its_day(team):
    approval = submit(team.requester, ("SCR-100", 120))
    entry = PriceEntry.objects.get(price_list__code="PRO", product__sku="SCR-100", min_qty=100)
    entry.price = Decimal("3.80")
    entry.save()
    rate = TaxRate.objects.get(country="FR", tax_class=TaxClass.STANDARD)
    rate.rate = Decimal("21.00")
    rate.save()

    order = approval_approve(viewer=viewer(team.approver), number=approval.number).order

    line = order.lines.get()
    assert (line.unit_price, line.gross, line.net, line.tax_rate) == (
        Decimal("3.5000"),
        Decimal("420.00"),
        Decimal("420.00"),
        Decimal("21.0000"),
    )
    assert (order.subtotal, order.shipping_total, order.tax_total, order.total) == (
        Decimal("420.00"),
        Decimal("15.00"),
        Decimal("91.35"),
        Decimal("526.35"),
    )
    assert [step["step"] for step in line.explanation] == ["list_price", "approval"]
    assert line.explanation[-1]["source"] == approval.number
    assert line.explanation[-1]["unit_price"] == "3.5000"
    approval.refresh_from_db()
    assert approval.total == Decimal("522.00")


def test_two_levels_are_decided_in_turn_and_the_next_level_is_told(
    team, immediate_tasks, django_capture_on_commit_callbacks
):
    second = ApprovalRule.objects.create(company=team.shop.company, name="Director", level=2)
    second.approvers.add(team.admin)
    approval = submit(team.requester, ("SCR-100", 120))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        approval_approve(viewer=viewer(team.approver), number=approval.number)
    approval.refresh_from_db()
    assert (approval.status, approval.approved_rules) == ("pending", [team.rule.pk])
    (told,) = mail.outbox
    assert told.to == ["paul@acme.example"]
    # Paul reads French: "La commande APR-… de Rémi Roux attend votre approbation".
    assert told.subject == f"La commande {approval.number} de Rémi Roux attend votre approbation"
    assert "Rémi Roux vous demande d’approuver la commande" in told.body
    assert f"http://127.0.0.1:8000/account/approvals/{approval.number}/" in told.body

    error = refused(
        "permission_denied", approval_approve, viewer=viewer(team.approver), number=approval.number
    )
    assert error.errors[0]["code"] == "not_your_level"
    approval_approve(viewer=viewer(team.admin), number=approval.number)
    approval.refresh_from_db()
    assert approval.status == "ordered"
    assert approval.approved_rules == sorted([team.rule.pk, second.pk])


def test_the_requester_never_decides_even_as_an_approver(team):
    team.requester.role = "approver"
    team.requester.save()
    approval = submit(team.requester, ("SCR-100", 120))
    refused(
        "self_approval", approval_approve, viewer=viewer(team.requester), number=approval.number
    )
    refused(
        "self_approval",
        approval_reject,
        viewer=viewer(team.requester),
        number=approval.number,
        reason="no",
    )
    assert trail(approval)[-1][0] == "submitted"


def test_who_may_not_decide_is_told_why(team, shop):
    approval = submit(team.requester, ("SCR-100", 120))
    # Named by no rule (an administrator may approve orders, but "Over 300" names approvers).
    error = refused(
        "permission_denied", approval_approve, viewer=viewer(team.admin), number=approval.number
    )
    assert error.errors[0]["code"] == "not_an_approver"
    # Named by the rule, but a buyer's role does not approve orders.
    team.rule.approvers.add(shop.buyer)
    refused(
        "permission_denied", approval_approve, viewer=viewer(shop.buyer), number=approval.number
    )
    # An approver for another location only.
    lyon = shop.company.locations.get()
    approval.location = lyon
    approval.save()
    other = Location.objects.create(company=shop.company, code="NANTES", name="Nantes", position=1)
    team.approver.all_locations = False
    team.approver.save()
    team.approver.locations.set([other])
    error = refused(
        "permission_denied", approval_approve, viewer=viewer(team.approver), number=approval.number
    )
    assert ApprovalRequest.objects.get(pk=approval.pk).approved_rules == []


def test_a_rejection_needs_a_reason_and_ends_the_request(
    team, immediate_tasks, django_capture_on_commit_callbacks
):
    approval = submit(team.requester, ("SCR-100", 120))
    mail.outbox.clear()
    for blank in ("", "   \n"):
        refused(
            "reason_required",
            approval_reject,
            viewer=viewer(team.approver),
            number=approval.number,
            reason=blank,
        )
    assert ApprovalRequest.objects.get(pk=approval.pk).status == "pending"
    assert len(trail(approval)) == 1

    with django_capture_on_commit_callbacks(execute=True):
        approval_reject(
            viewer=viewer(team.approver),
            number=approval.number,
            reason="  Order the 100-box instead.  ",
        )

    approval.refresh_from_db()
    assert (approval.status, approval.rejection_reason) == (
        "rejected",
        "Order the 100-box instead.",
    )
    assert trail(approval)[-1] == ("rejected", 1, "anne@acme.example", "Order the 100-box instead.")
    (message,) = mail.outbox
    assert message.to == ["remi@acme.example"]
    assert message.subject == f"Your request {approval.number} was rejected"
    assert "Reason: Order the 100-box instead." in message.body
    assert "Anne Martin rejected your request" in message.body
    # A repeated or later decision finds it closed.
    refused(
        "approval_not_open", approval_approve, viewer=viewer(team.approver), number=approval.number
    )
    refused(
        "approval_not_open",
        approval_reject,
        viewer=viewer(team.approver),
        number=approval.number,
        reason="again",
    )
    assert Order.objects.count() == 0


def test_a_repeated_approval_finds_the_request_ordered(team):
    approval = submit(team.requester, ("SCR-100", 120))
    approval_approve(viewer=viewer(team.approver), number=approval.number)
    refused(
        "approval_not_open", approval_approve, viewer=viewer(team.approver), number=approval.number
    )
    assert Order.objects.count() == 1


def test_an_expired_request_cannot_be_decided(team):
    approval = submit(team.requester, ("SCR-100", 120))
    ApprovalRequest.objects.filter(pk=approval.pk).update(
        valid_until=approval.valid_until - datetime.timedelta(days=15)
    )
    refused(
        "approval_expired", approval_approve, viewer=viewer(team.approver), number=approval.number
    )


def test_unknown_and_other_company_numbers_are_not_found(team):
    approval = submit(team.requester, ("SCR-100", 120))
    stranger = UserFactory(role="approver")
    refused("not_found", approval_approve, viewer=viewer(stranger), number=approval.number)
    refused("not_found", approval_approve, viewer=viewer(team.approver), number="APR-1999-000001")
    refused("not_found", approval_withdraw, viewer=viewer(stranger), number=approval.number)


def test_only_the_requester_withdraws_and_only_while_it_waits(team):
    approval = submit(team.requester, ("SCR-100", 120))
    refused(
        "permission_denied", approval_withdraw, viewer=viewer(team.approver), number=approval.number
    )
    approval_withdraw(viewer=viewer(team.requester), number=approval.number)
    approval.refresh_from_db()
    assert approval.status == "cancelled"
    assert trail(approval)[-1] == ("cancelled", None, "remi@acme.example", "")
    refused(
        "approval_not_open",
        approval_withdraw,
        viewer=viewer(team.requester),
        number=approval.number,
    )
    refused(
        "approval_not_open", approval_approve, viewer=viewer(team.approver), number=approval.number
    )


def test_an_approved_request_that_cannot_be_placed_stays_open_and_can_be_tried_again(
    team, immediate_tasks, django_capture_on_commit_callbacks
):
    approval = submit(team.requester, ("SCR-100", 120), ("MNL-1", 5))
    # Someone else bought the binders meanwhile: 2 left, no backorder.
    Product.objects.filter(sku="MNL-1").update(stock=2)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        decided = approval_approve(viewer=viewer(team.approver), number=approval.number)

    assert decided.status == "pending"
    assert decided.order is None
    assert decided.placement_problem == "Only 2 of MNL-1 in stock: 5 requested."
    assert Product.objects.get(sku="SCR-100").stock == 500
    assert Order.objects.count() == 0
    action, level, actor, message = trail(decided)[-1]
    assert (action, level, actor, message) == (
        "not_ordered",
        1,
        "anne@acme.example",
        decided.placement_problem,
    )
    assert sorted(m.to[0] for m in mail.outbox) == ["anne@acme.example", "remi@acme.example"]
    assert all(decided.placement_problem in m.body for m in mail.outbox)
    # Approving again is not the way: every approval is given.
    refused(
        "approval_not_open", approval_approve, viewer=viewer(team.approver), number=approval.number
    )
    # A colleague without the right cannot retry; the requester can, once stock is back.
    refused(
        "permission_denied", approval_retry, viewer=viewer(team.shop.buyer), number=approval.number
    )
    Product.objects.filter(sku="MNL-1").update(stock=5)
    retried = approval_retry(viewer=viewer(team.requester), number=approval.number)
    assert retried.status == "ordered"
    assert retried.placement_problem == ""
    assert trail(retried)[-1][:3] == ("ordered", None, "remi@acme.example")
    assert retried.order.lines.get(sku="MNL-1").quantity == 5


def test_retry_is_for_approved_requests_only(team):
    approval = submit(team.requester, ("SCR-100", 120))
    refused(
        "approval_not_open", approval_retry, viewer=viewer(team.requester), number=approval.number
    )


def test_a_note_or_reason_too_long_is_refused(team):
    approval = submit(team.requester, ("SCR-100", 120))
    refused(
        "text_too_long",
        approval_reject,
        viewer=viewer(team.approver),
        number=approval.number,
        reason="x" * 2001,
    )
    assert ApprovalRequest.objects.get(pk=approval.pk).status == "pending"


def test_one_approver_may_satisfy_two_rules_of_a_level(team):
    other = ApprovalRule.objects.create(
        company=team.shop.company, name="Fasteners", level=1, approver_roles=["approver"]
    )
    ApprovalCondition.objects.create(rule=other, kind="contains_category", values=["FASTENERS"])
    approval = submit(team.requester, ("SCR-100", 120))
    assert len(approval.rules) == 2
    assert (
        approval_approve(viewer=viewer(team.approver), number=approval.number).status == "ordered"
    )
