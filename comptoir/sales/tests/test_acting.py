"""Acting as a buyer (issue 18, point 6): started by POST from the company page, refused
outside the representative's companies and for staff, recorded, ended from the banner."""

import pytest
from django.urls import reverse

from comptoir.sales.acting import SESSION_KEY
from comptoir.sales.models import ActingAction, ActingEvent
from comptoir.sales.services import acting_start
from tests.factories import StaffUserFactory, UserFactory

pytestmark = pytest.mark.django_db


def start(client, user):
    return client.post(reverse("admin:sales_acting_start", args=[user.pk]))


def session_user_id(client):
    return client.session.get("_auth_user_id")


def test_a_representative_acts_as_a_buyer_of_their_company(rep_client, rep, shop):
    response = start(rep_client, shop.buyer)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert session_user_id(rep_client) == str(shop.buyer.pk)
    assert rep_client.session[SESSION_KEY] == rep.pk
    event = ActingEvent.objects.get()
    assert (event.staff, event.buyer, event.company, event.action) == (
        rep,
        shop.buyer,
        shop.company,
        ActingAction.STARTED,
    )
    page = rep_client.get("/cart/")
    text = page.content.decode()
    assert f"You are acting as {shop.buyer.get_full_name()} (Acme Outillage)." in text
    assert "Back to the back office" in text


def test_the_banner_button_goes_back_to_the_company_page(rep_client, rep, shop):
    start(rep_client, shop.buyer)
    response = rep_client.post(reverse("sales:acting_stop"))
    assert response["Location"] == reverse("admin:customers_company_change", args=[shop.company.pk])
    assert session_user_id(rep_client) == str(rep.pk)
    assert SESSION_KEY not in rep_client.session
    assert list(ActingEvent.objects.order_by("id").values_list("action", flat=True)) == [
        ActingAction.STARTED,
        ActingAction.STOPPED,
    ]
    assert rep_client.get(reverse("admin:index")).status_code == 200


def test_a_buyer_of_another_company_is_not_found(rep_client, globex):
    response = start(rep_client, globex.users.get())
    assert response.status_code == 404
    assert not ActingEvent.objects.exists()


@pytest.mark.parametrize("kind", ["staff", "superuser", "self", "inactive"])
def test_refused_targets(rep_client, rep, shop, kind):
    if kind == "staff":
        target = StaffUserFactory(email="colleague@comptoir.example")
    elif kind == "superuser":
        target = StaffUserFactory(email="boss@comptoir.example", is_superuser=True)
    elif kind == "self":
        target = rep
    else:
        target = UserFactory(company=shop.company, email="gone@acme.example", is_active=False)
    response = start(rep_client, target)
    assert response.status_code in (302, 404)
    assert session_user_id(rep_client) == str(rep.pk)
    assert SESSION_KEY not in rep_client.session
    assert not ActingEvent.objects.exists()


def test_a_get_starts_nothing(rep_client, rep, shop):
    response = rep_client.get(reverse("admin:sales_acting_start", args=[shop.buyer.pk]))
    assert response.status_code == 405
    assert session_user_id(rep_client) == str(rep.pk)


def test_a_post_without_csrf_token_is_refused(rep, shop):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(rep)
    response = start(client, shop.buyer)
    assert response.status_code == 403
    assert session_user_id(client) == str(rep.pk)


def test_a_buyer_cannot_act(client, shop, globex):
    client.force_login(shop.buyer)
    response = start(client, globex.users.get())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert session_user_id(client) == str(shop.buyer.pk)


def test_the_merchant_may_act_for_any_company(admin_client, admin_user, globex):
    hank = globex.users.get()
    start(admin_client, hank)
    assert session_user_id(admin_client) == str(hank.pk)


def test_password_pages_are_refused_while_acting(rep_client, shop):
    start(rep_client, shop.buyer)
    assert rep_client.get(reverse("storefront:password_reset")).status_code == 403
    response = rep_client.get(reverse("admin:index"))
    assert response.status_code == 302 and response["Location"] == "/"


def test_acting_ends_when_the_company_is_no_longer_assigned(rep_client, rep, shop):
    start(rep_client, shop.buyer)
    rep.sales_assignments.all().delete()
    response = rep_client.get("/cart/")
    assert response.status_code == 302
    assert session_user_id(rep_client) is None
    assert ActingEvent.objects.order_by("id").last().action == ActingAction.STOPPED


def test_logging_out_while_acting_is_recorded(rep_client, shop):
    start(rep_client, shop.buyer)
    rep_client.post(reverse("storefront:logout"))
    assert list(ActingEvent.objects.order_by("id").values_list("action", flat=True)) == [
        ActingAction.STARTED,
        ActingAction.STOPPED,
    ]


def test_the_audit_trail_is_in_the_back_office(rep_client, rep, shop, globex, admin_user):
    start(rep_client, shop.buyer)
    rep_client.post(reverse("sales:acting_stop"))
    acting_start(staff=admin_user, buyer=globex.users.get())
    listing = rep_client.get(reverse("admin:sales_actingevent_changelist"))
    rows = [(e.staff, e.buyer, e.action) for e in listing.context["cl"].result_list]
    assert rows == [
        (rep, shop.buyer, ActingAction.STOPPED),
        (rep, shop.buyer, ActingAction.STARTED),
    ]
