"""Every write made while acting carries both users (issue 18, point 6): orders, quotes,
approval requests, lists; the buyer's company sees who placed an order for it."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from comptoir.accounts.access import viewer_for
from comptoir.accounts.models import User
from comptoir.accounts.permissions import ADMINISTRATOR, APPROVER, REQUESTER, VIEWER
from comptoir.approvals.services import approval_approve
from comptoir.core.selectors import get_store
from comptoir.lists.services import list_create
from comptoir.ordering.models import Order
from comptoir.ordering.placement import CheckoutRequest, order_place
from comptoir.ordering.services import cart_add_lines
from comptoir.quotes.services import quote_request_from_text
from comptoir.teams.models import TeamEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def act(client, buyer):
    client.post(reverse("admin:sales_acting_start", args=[buyer.pk]))


def viewer(user, staff=None):
    user = User.objects.select_related("company__group").get(pk=user.pk)
    return viewer_for(get_store(), user, staff=staff)


def test_an_order_placed_while_acting_names_both(rep_client, rep, shop, client):
    act(rep_client, shop.buyer)
    rep_client.post("/quick-order/", {"lines": "SCR-100 120\nMNL-1 2"})
    form = rep_client.get("/checkout/").context["form"]
    response = rep_client.post(
        "/checkout/place/",
        {
            "token": form.initial["token"],
            "address": "HQ",
            "shipping_method": "STD",
            "payment_method": "PO",
            "po_number": "PHONE-1",
            "comment": "",
        },
    )
    order = Order.objects.get()
    assert response["Location"] == f"/orders/{order.number}/"
    assert (order.buyer, order.placed_by, order.total) == (shop.buyer, rep, Decimal("547.32"))
    assert (
        "placed by Anne Martin for Acme Outillage"
        in rep_client.get(f"/orders/{order.number}/").content.decode()
    )
    rep_client.post(reverse("sales:acting_stop"))

    client.force_login(shop.buyer)
    listing = client.get("/orders/").content.decode()
    assert "placed by Anne Martin for Acme Outillage" in listing
    api = client.get(f"/api/v1/orders/{order.number}").json()
    assert api["placed_by"] == "Anne Martin"


def test_the_api_under_the_acting_session_records_the_representative(rep_client, rep, shop):
    act(rep_client, shop.buyer)
    rep_client.put(
        "/api/v1/cart/lines/SCR-100", json.dumps({"qty": 120}), content_type="application/json"
    )
    response = rep_client.post(
        "/api/v1/checkout",
        json.dumps({"payment_method": "TRANSFER", "shipping_method": "STD"}),
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["placed_by"] == "Anne Martin"
    assert Order.objects.get().placed_by == rep


def test_an_order_placed_by_the_buyer_alone_names_nobody_else(client, shop):
    client.force_login(shop.buyer)
    client.put(
        "/api/v1/cart/lines/SCR-100", json.dumps({"qty": 120}), content_type="application/json"
    )
    response = client.post(
        "/api/v1/checkout",
        json.dumps({"payment_method": "TRANSFER"}),
        content_type="application/json",
    )
    assert response.json()["placed_by"] is None


def test_the_buyer_s_role_still_applies(rep_client, shop):
    shop.buyer.role = VIEWER
    shop.buyer.save()
    act(rep_client, shop.buyer)
    rep_client.put(
        "/api/v1/cart/lines/SCR-100", json.dumps({"qty": 120}), content_type="application/json"
    )
    response = rep_client.post(
        "/api/v1/checkout",
        json.dumps({"payment_method": "TRANSFER"}),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert not Order.objects.exists()


def test_a_quote_requested_for_the_buyer_names_the_representative(rep, shop):
    quote = quote_request_from_text(viewer=viewer(shop.buyer, rep), text="SCR-100 500")
    assert (quote.requester, quote.entered_by) == (shop.buyer, rep)


def test_a_list_made_for_the_buyer_names_the_representative(rep, shop):
    made = list_create(viewer=viewer(shop.buyer, rep), name="Weekly restock")
    assert (made.owner, made.entered_by) == (shop.buyer, rep)


def test_an_approval_request_and_its_order_name_the_representative(rep_client, rep, shop):
    shop.buyer.role = REQUESTER
    shop.buyer.save()
    approver = UserFactory(company=shop.company, email="claire@acme.example", role=APPROVER)
    act(rep_client, shop.buyer)
    rep_client.put(
        "/api/v1/cart/lines/SCR-100", json.dumps({"qty": 120}), content_type="application/json"
    )
    response = rep_client.post(
        "/api/v1/checkout",
        json.dumps({"payment_method": "TRANSFER"}),
        content_type="application/json",
    )
    assert response.status_code == 202
    approval = shop.company.approval_requests.get()
    assert (approval.requester, approval.entered_by) == (shop.buyer, rep)

    approval_approve(viewer=viewer(approver), number=approval.number)
    order = Order.objects.get()
    assert (order.buyer, order.placed_by) == (shop.buyer, rep)


def test_team_changes_made_while_acting_name_the_representative(rep_client, rep, shop):
    shop.buyer.role = ADMINISTRATOR
    shop.buyer.save()
    act(rep_client, shop.buyer)
    response = rep_client.post(
        "/api/v1/company/users",
        json.dumps({"email": "new.colleague@acme.example", "role": "buyer"}),
        content_type="application/json",
    )
    assert response.status_code == 201
    event = TeamEvent.objects.get()
    assert (event.actor, event.staff, event.subject) == (
        shop.buyer,
        rep,
        "new.colleague@acme.example",
    )
    assert "(entered by Anne Martin)" in rep_client.get("/account/team/").content.decode()


def test_decisions_and_answers_made_while_acting_name_the_representative(rep, shop):
    shop.buyer.role = REQUESTER
    shop.buyer.save()
    approver = UserFactory(company=shop.company, email="claire@acme.example", role=APPROVER)
    cart_add_lines(viewer=viewer(shop.buyer, rep), rows=[(1, "SCR-100", 120)])
    approval = order_place(
        viewer=viewer(shop.buyer, rep), request=CheckoutRequest(payment_method="TRANSFER")
    ).approval
    approval_approve(viewer=viewer(approver, rep), number=approval.number)
    assert [(e.action, e.actor, e.staff) for e in approval.events.order_by("id")] == [
        ("submitted", shop.buyer, rep),
        ("approved", approver, rep),
        ("ordered", approver, rep),
    ]

    quote = quote_request_from_text(viewer=viewer(shop.buyer, rep), text="SCR-100 500")
    assert [(e.actor, e.staff) for e in quote.events.all()] == [(shop.buyer, rep)]
