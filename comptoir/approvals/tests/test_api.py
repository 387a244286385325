"""Approval requests over the REST API: the queue, a request, and the decisions."""

from decimal import Decimal

import pytest
from django.test import Client

from comptoir.approvals.models import ApprovalRequest
from comptoir.approvals.tests.conftest import submit
from tests.factories import CompanyFactory, UserFactory, approval_rule, create_approval

PASSWORD = "Comptoir-2026!"


def api(user) -> Client:
    client = Client()
    token = client.post(
        "/api/v1/auth/token", {"email": user.email, "password": PASSWORD}, "application/json"
    ).json()["token"]
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client


def post(client, path, body=None):
    if body is None:  # no body at all, as `curl -X POST` sends
        return client.post(path, "", "application/json")
    return client.post(path, body, "application/json")


def test_an_approver_lists_what_waits_for_them_and_approves_it(team):
    approval = submit(team.requester, ("SCR-100", 120))
    anne = api(team.approver)

    waiting = anne.get("/api/v1/approvals", {"waiting": "true"}).json()
    assert (waiting["count"], waiting["page"], waiting["page_size"]) == (1, 1, 20)
    (item,) = waiting["items"]
    assert item["number"] == approval.number
    assert item["total"] == "522.00"
    assert item["rules"] == [
        {
            "name": "Over 300",
            "level": 1,
            "reasons": ["the total 522.00 EUR is above 300.00 EUR"],
            "approvers": ["Anne Martin"],
            "approved": False,
        }
    ]
    assert api(team.requester).get("/api/v1/approvals", {"waiting": "true"}).json()["count"] == 0
    assert api(team.requester).get("/api/v1/approvals", {"mine": "true"}).json()["count"] == 1

    response = post(anne, f"/api/v1/approvals/{approval.number}/approve", {"note": "fine"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ordered"
    assert body["order"].startswith("CMD-")
    assert body["rules"][0]["approved"] is True

    assert anne.get("/api/v1/approvals", {"status": "ordered"}).json()["count"] == 1
    assert anne.get("/api/v1/approvals", {"status": "pending"}).json()["count"] == 0
    assert anne.get(f"/api/v1/approvals/{approval.number}").json()["status"] == "ordered"


def test_approve_without_a_body(team):
    approval = submit(team.requester, ("SCR-100", 120))
    response = post(api(team.approver), f"/api/v1/approvals/{approval.number}/approve")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "ordered"


def test_refusals_have_their_status_and_code(team):
    approval = submit(team.requester, ("SCR-100", 120))
    number = approval.number
    anne, remi = api(team.approver), api(team.requester)

    def problem(response, status, code):
        assert response.status_code == status, response.content
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["code"] == code

    problem(post(remi, f"/api/v1/approvals/{number}/approve"), 403, "self_approval")
    problem(post(api(team.admin), f"/api/v1/approvals/{number}/approve"), 403, "permission_denied")
    problem(
        post(anne, f"/api/v1/approvals/{number}/reject", {"reason": " "}), 422, "reason_required"
    )
    problem(post(anne, f"/api/v1/approvals/{number}/reject", {}), 422, "reason_required")
    problem(
        post(anne, f"/api/v1/approvals/{number}/reject", {"reason": "x" * 2001}),
        400,
        "invalid_request",
    )
    problem(post(anne, f"/api/v1/approvals/{number}/withdraw"), 403, "permission_denied")
    problem(post(anne, f"/api/v1/approvals/{number}/approve", {"note": 5}), 400, "invalid_request")
    problem(
        post(anne, f"/api/v1/approvals/{number}/approve", {"note": "x" * 2001}),
        400,
        "invalid_request",
    )
    problem(post(anne, "/api/v1/approvals/APR-1999-000001/approve"), 404, "not_found")
    problem(anne.get("/api/v1/approvals/APR-1999-000001"), 404, "not_found")
    problem(anne.get("/api/v1/approvals", {"status": "lost"}), 400, "invalid_request")

    assert (
        post(anne, f"/api/v1/approvals/{number}/reject", {"reason": "Too much"}).json()[
            "rejection_reason"
        ]
        == "Too much"
    )
    problem(
        post(anne, f"/api/v1/approvals/{number}/reject", {"reason": "again"}),
        409,
        "approval_not_open",
    )
    problem(post(remi, f"/api/v1/approvals/{number}/withdraw"), 409, "approval_not_open")
    assert ApprovalRequest.objects.get(number=number).status == "rejected"


def test_the_requester_withdraws(team):
    approval = submit(team.requester, ("SCR-100", 120))
    response = post(api(team.requester), f"/api/v1/approvals/{approval.number}/withdraw")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "cancelled"


def test_another_companys_request_is_not_found(team):
    approval = submit(team.requester, ("SCR-100", 120))
    other = CompanyFactory(code="BETA", group=team.shop.group)
    stranger = api(UserFactory(company=other, email="boss@beta.example", role="admin"))
    for response in (
        stranger.get(f"/api/v1/approvals/{approval.number}"),
        post(stranger, f"/api/v1/approvals/{approval.number}/approve"),
        post(stranger, f"/api/v1/approvals/{approval.number}/reject", {"reason": "no"}),
        post(stranger, f"/api/v1/approvals/{approval.number}/withdraw"),
    ):
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    assert stranger.get("/api/v1/approvals").json()["count"] == 0


def test_a_role_without_prices_sees_no_amounts(team):
    from comptoir.accounts.models import Role

    Role.objects.create(code="clerk", name="Clerk", permissions=["see_company_orders"])
    submit(team.requester, ("SCR-100", 120))
    clerk = UserFactory(company=team.shop.company, email="clerk@acme.example", role="clerk")
    (item,) = api(clerk).get("/api/v1/approvals").json()["items"]
    assert item["total"] is None
    assert item["lines"][0]["unit_price"] is None


@pytest.mark.parametrize("count", [1, 50])
def test_the_list_costs_the_same_queries_for_1_and_50_requests(
    team, count, django_assert_max_num_queries
):
    screws = team.shop.products["SCR-100"]
    for _ in range(count):
        create_approval(
            company=team.shop.company,
            requester=team.requester,
            items=[(screws, 120, Decimal("3.50"))],
            rules=[approval_rule(team.rule.pk, roles=["approver"])],
        )
    anne = api(team.approver)
    with django_assert_max_num_queries(12):
        body = anne.get("/api/v1/approvals", {"page_size": 50}).json()
    assert len(body["items"]) == count
    with django_assert_max_num_queries(12):
        body = anne.get("/api/v1/approvals", {"waiting": "true", "page_size": 50}).json()
    assert body["count"] == count
