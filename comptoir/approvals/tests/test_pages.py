"""The approvals pages of the storefront: checkout sends the cart for approval, the queue,
a request's page and its forms."""

from decimal import Decimal

import pytest
from django.test import Client

from comptoir.accounts.models import Role
from comptoir.approvals.models import ApprovalRequest
from comptoir.approvals.tests.conftest import submit
from comptoir.ordering.models import Order
from tests.factories import CompanyFactory, UserFactory, approval_rule, create_approval


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_checkout_that_needs_approval_opens_the_request_page(team):
    remi = logged_in(team.requester)
    remi.post("/cart/lines/SCR-100/", {"qty": "120"})
    form = remi.get("/checkout/").context["form"]
    response = remi.post(
        "/checkout/place/",
        {
            "token": form.initial["token"],
            "address": "HQ",
            "shipping_method": "STD",
            "payment_method": "TRANSFER",
        },
        follow=True,
    )
    approval = ApprovalRequest.objects.get()
    assert response.redirect_chain == [(f"/account/approvals/{approval.number}/", 302)]
    page = response.content.decode()
    assert (
        "Order sent for approval to Anne Martin because the total 522.00 EUR is above "
        "300.00 EUR." in page
    )
    assert "Withdraw the request" in page
    assert 'name="note"' not in page, "the requester is offered no decision"
    assert Order.objects.count() == 0


def test_an_approver_approves_from_the_page_and_the_order_is_placed(team):
    approval = submit(team.requester, ("SCR-100", 120))
    anne = logged_in(team.approver)
    page = anne.get(f"/account/approvals/{approval.number}/").content.decode()
    assert "Over 300" in page and "the total 522.00 EUR is above 300.00 EUR" in page
    assert "Reason for rejecting" in page

    response = anne.post(f"/account/approvals/{approval.number}/approve/", {"note": "OK"})
    assert response.status_code == 302
    order = Order.objects.get()
    page = anne.get(response["Location"]).content.decode()
    assert f"is approved and placed as order {order.number}" in page
    assert order.number in anne.get("/orders/").content.decode()


def test_a_rejection_without_a_reason_says_so_and_changes_nothing(team):
    approval = submit(team.requester, ("SCR-100", 120))
    anne = logged_in(team.approver)
    response = anne.post(f"/account/approvals/{approval.number}/reject/", {"reason": "  "})
    assert response.status_code == 422
    assert "Say why you reject the request" in response.content.decode()
    assert ApprovalRequest.objects.get().status == "pending"

    anne.post(f"/account/approvals/{approval.number}/reject/", {"reason": "Too many"})
    response = anne.post(f"/account/approvals/{approval.number}/reject/", {"reason": "Again"})
    assert response.status_code == 409
    assert "is no longer waiting" in response.content.decode()


def test_refusals_on_pages(team):
    approval = submit(team.requester, ("SCR-100", 120))
    remi, anne = logged_in(team.requester), logged_in(team.approver)
    response = remi.post(f"/account/approvals/{approval.number}/approve/")
    assert response.status_code == 403
    assert "your own request" in response.content.decode()
    assert anne.post(f"/account/approvals/{approval.number}/withdraw/").status_code == 403
    assert anne.get("/account/approvals/APR-1999-000001/").status_code == 404
    assert anne.post("/account/approvals/APR-1999-000001/approve/").status_code == 404
    stranger = logged_in(UserFactory(company=CompanyFactory(group=team.shop.group), role="admin"))
    assert stranger.get(f"/account/approvals/{approval.number}/").status_code == 404
    assert stranger.post(f"/account/approvals/{approval.number}/approve/").status_code == 404


def test_bad_input_on_a_request_one_may_not_decide_is_refused_first(team):
    """The reason and the note are read once the request and the right to decide are known:
    they were read first, and the page then failed (a 500) for want of a request."""
    approval = submit(team.requester, ("SCR-100", 120))
    anne = logged_in(team.approver)
    unknown = "/account/approvals/APR-1999-000001"
    assert anne.post(f"{unknown}/reject/", {"reason": ""}).status_code == 404
    assert anne.post(f"{unknown}/approve/", {"note": "x" * 2001}).status_code == 404
    stranger = logged_in(UserFactory(company=CompanyFactory(group=team.shop.group), role="admin"))
    mine = f"/account/approvals/{approval.number}"
    assert stranger.post(f"{mine}/reject/", {"reason": ""}).status_code == 404
    remi = logged_in(team.requester)
    assert remi.post(f"{mine}/reject/", {"reason": ""}).status_code == 403
    response = anne.post(f"{mine}/approve/", {"note": "x" * 2001})
    assert response.status_code == 422
    assert ApprovalRequest.objects.get().status == "pending"


def test_the_queue_has_its_tabs_and_status_filter(team):
    waiting = submit(team.requester, ("SCR-100", 120))
    screws = team.shop.products["SCR-100"]
    rejected = create_approval(
        company=team.shop.company,
        requester=team.requester,
        items=[(screws, 100, Decimal("3.50"))],
        rules=[approval_rule(team.rule.pk, roles=["approver"])],
        status="rejected",
    )
    anne = logged_in(team.approver)
    page = anne.get("/account/approvals/").content.decode()
    assert waiting.number in page and rejected.number not in page
    page = anne.get("/account/approvals/", {"view": "all", "status": "rejected"}).content.decode()
    assert rejected.number in page and waiting.number not in page
    # The requester has no "waiting for me" tab: their own requests first.
    page = logged_in(team.requester).get("/account/approvals/").content.decode()
    assert waiting.number in page and rejected.number in page
    assert "Waiting for me" not in page
    # A bad filter is ignored, not an error.
    assert anne.get("/account/approvals/", {"view": "x", "status": "y"}).status_code == 200


@pytest.mark.parametrize("count", [1, 50])
def test_the_queue_and_a_request_page_cost_the_same_for_1_and_50(
    team, count, django_assert_max_num_queries
):
    screws = team.shop.products["SCR-100"]
    for _ in range(count):
        last = create_approval(
            company=team.shop.company,
            requester=team.requester,
            items=[(screws, 120, Decimal("3.50"))] * 1,
            rules=[approval_rule(team.rule.pk, roles=["approver"])],
        )
    anne = logged_in(team.approver)
    for view in ("waiting", "mine", "all"):
        with django_assert_max_num_queries(16):
            response = anne.get("/account/approvals/", {"view": view})
        assert response.status_code == 200
    with django_assert_max_num_queries(20):
        assert anne.get(f"/account/approvals/{last.number}/").status_code == 200


def test_the_request_page_in_french(team):
    approval = submit(team.requester, ("SCR-100", 120))
    page = logged_in(team.approver).get(f"/fr/account/approvals/{approval.number}/")
    text = page.content.decode()
    assert f"Demande d’approbation {approval.number}" in text
    assert "En attente d’approbation" in text
    assert "Pourquoi elle doit être approuvée" in text
    assert "Motif du refus" in text


def test_the_header_links_to_approvals_for_users_of_an_approved_company(team):
    link = 'href="/account/approvals/"'
    assert link in logged_in(team.requester).get("/").content.decode()
    pending = UserFactory(company=CompanyFactory(group=team.shop.group, status="pending"))
    assert link not in logged_in(pending).get("/").content.decode()


def test_a_role_that_does_not_see_prices_is_not_told_the_total_by_a_reason(team):
    """A store role that approves orders without seeing prices reads no amount anywhere."""
    Role.objects.create(code="signer", name="Signer", permissions=["approve_orders"])
    team.rule.approver_roles = ["signer"]
    team.rule.save()
    signer = UserFactory(company=team.shop.company, email="sign@acme.example", role="signer")
    approval = submit(team.requester, ("SCR-100", 120))
    page = logged_in(signer).get(f"/account/approvals/{approval.number}/").content.decode()
    assert "the total is above the rule&#x27;s limit" in page
    assert "522.00" not in page
