"""Buying under approval in a real browser: Rémi's order above 300.00 goes to Anne, who
approves it and finds the order placed; his next one she rejects, and the e-mail he gets
says why."""

import pytest
from django.core import mail

from comptoir.approvals.models import ApprovalCondition, ApprovalRequest, ApprovalRule
from comptoir.ordering.models import Order
from tests.factories import StoreFactory, UserFactory
from tests.shops import build_shop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Comptoir-2026!"


@pytest.fixture
def team(transactional_db, settings):
    # The e-mails of each step leave as their task is enqueued, once the step commits.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    shop = build_shop(StoreFactory())
    requester = UserFactory(
        company=shop.company,
        email="remi@acme.example",
        first_name="Rémi",
        last_name="Roux",
        role="buyer",
    )
    approver = UserFactory(
        company=shop.company,
        email="anne@acme.example",
        first_name="Anne",
        last_name="Martin",
        role="approver",
    )
    rule = ApprovalRule.objects.create(
        company=shop.company, name="Over 300", level=1, approver_roles=["approver"]
    )
    ApprovalCondition.objects.create(rule=rule, kind="total_above", amount="300.00")
    return requester, approver


def log_in(page, url, email):
    page.goto(url + "/account/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Approvals").wait_for()


def send_for_approval(page, url):
    page.goto(url + "/p/SCR-100/")
    page.get_by_label("Quantity", exact=True).fill("120")
    page.get_by_role("button", name="Add to cart").click()
    page.goto(url + "/checkout/")
    page.get_by_label("Bank transfer").check()
    page.get_by_role("button", name="Place the order").click()
    page.get_by_text(
        "Order sent for approval to Anne Martin because the total 522.00 EUR"
    ).wait_for()


def test_a_request_is_approved_and_ordered_another_rejected_with_its_reason(
    team, live_server, new_page, screenshot
):
    url = live_server.url
    remi, anne = new_page(), new_page()
    log_in(remi, url, "remi@acme.example")
    send_for_approval(remi, url)
    screenshot(remi, "approval-sent")
    first = ApprovalRequest.objects.get()
    assert Order.objects.count() == 0

    log_in(anne, url, "anne@acme.example")
    anne.get_by_role("link", name="Approvals").click()
    anne.get_by_role("link", name=first.number).click()
    anne.get_by_role("cell", name="the total 522.00 EUR is above 300.00 EUR").wait_for()
    anne.get_by_label("Note (optional)").fill("OK for Lyon")
    anne.get_by_role("button", name="Approve", exact=True).click()
    anne.get_by_text("is approved and placed as order").wait_for()
    screenshot(anne, "approval-approved")
    order = Order.objects.get()
    assert order.buyer.email == "remi@acme.example"
    anne.get_by_role("link", name="Orders").first.click()
    assert order.number in anne.get_by_role("table").inner_text()

    send_for_approval(remi, url)
    second = ApprovalRequest.objects.exclude(pk=first.pk).get()
    mail.outbox.clear()
    anne.goto(url + "/account/approvals/")
    anne.get_by_role("link", name=second.number).click()
    anne.get_by_role("button", name="Reject").click()
    # The browser asks for the reason before anything is sent.
    assert ApprovalRequest.objects.get(pk=second.pk).status == "pending"
    anne.get_by_label("Reason for rejecting").fill("Order the 100-box instead.")
    anne.get_by_role("button", name="Reject").click()
    anne.get_by_text("the requester is told why").wait_for()

    rejection = next(m for m in mail.outbox if m.to == ["remi@acme.example"])
    assert rejection.subject == f"Your request {second.number} was rejected"
    assert "Reason: Order the 100-box instead." in rejection.body
    remi.goto(url + f"/account/approvals/{second.number}/")
    remi.get_by_text("Order the 100-box instead.").first.wait_for()
    screenshot(remi, "approval-rejected")
    assert Order.objects.count() == 1
