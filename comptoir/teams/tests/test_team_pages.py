"""The team page of a company and the page where an invited colleague joins."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comptoir.accounts.models import User
from comptoir.customers.models import Location
from comptoir.teams.links import invitation_token
from comptoir.teams.models import Invitation, TeamEvent
from comptoir.teams.services import Placement, member_invite
from tests.factories import CompanyFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def acme(store):
    company = CompanyFactory(code="ACME", name="Acme Outillage")
    Location.objects.create(company=company, code="NANTES", name="Nantes", position=1)
    return company


@pytest.fixture
def admin_client(client, acme):
    admin = UserFactory(company=acme, email="anne@acme.example", role="admin")
    client.force_login(admin)
    client.user = admin
    return client


def test_the_team_page_lists_users_invitations_and_changes(admin_client, acme):
    UserFactory(company=acme, email="bruno@acme.example", role="viewer", first_name="Bruno")
    member_invite(
        actor=admin_client.user,
        email="clara@acme.example",
        placement=Placement(role="requester", locations=["NANTES"]),
        language="en",
        site_url="http://testserver/",
    )

    page = admin_client.get("/account/team/").content.decode()

    assert "bruno@acme.example" in page and "Viewer" in page
    assert "clara@acme.example" in page
    assert "invited: — → requester @ NANTES" in page


def test_inviting_from_the_page(admin_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/account/team/",
            {
                "email": "clara@acme.example",
                "language": "en",
                "role": "approver",
                "locations": ["NANTES"],
            },
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.role, invitation.all_locations) == ("approver", False)
    assert mail.outbox[0].to == ["clara@acme.example"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "not-an-address", "role": "buyer", "all_locations": "on"}, "valid email"),
        ({"email": "c@acme.example", "role": "boss", "all_locations": "on"}, "valid choice"),
        ({"email": "c@acme.example", "role": "buyer"}, "Choose at least one location"),
        ({"email": "anne@acme.example", "role": "buyer", "all_locations": "on"}, "already uses"),
    ],
)
def test_bad_invitations_are_explained_and_write_nothing(admin_client, data, message):
    response = admin_client.post("/account/team/", {"language": "en", **data})
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Invitation.objects.exists()


def test_colleagues_who_may_not_manage_users_get_a_clear_refusal(client, acme):
    client.force_login(UserFactory(company=acme, role="buyer"))
    response = client.get("/account/team/")
    assert response.status_code == 403
    assert "does not allow you to manage your company" in response.content.decode()
    assert "/account/team/" not in client.get("/account/").content.decode()


def test_administrators_find_the_team_from_their_account(admin_client):
    assert "/account/team/" in admin_client.get("/account/").content.decode()


def test_the_team_page_costs_the_same_queries_for_1_and_50_users(
    admin_client, acme, django_assert_max_num_queries
):
    lyon = Location.objects.create(company=acme, code="LYON", name="Lyon")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get("/account/team/").status_code == 200
        return len(queries)

    count()  # the store's per-process copies are made by the first request
    one = count()
    for _n in range(49):
        user = UserFactory(company=acme, role="buyer", all_locations=False)
        user.locations.set([lyon])
        TeamEvent.objects.create(company=acme, action="joined", subject=user.email, actor=user)
    assert count() == one
    with django_assert_max_num_queries(one):
        admin_client.get("/account/team/")


def test_changing_a_colleague_from_the_page(admin_client, acme):
    bruno = UserFactory(company=acme, role="buyer")
    response = admin_client.post(
        f"/account/team/users/{bruno.pk}/", {"role": "viewer", "locations": ["NANTES"]}
    )
    assert response.status_code == 302
    bruno.refresh_from_db()
    assert (bruno.role, [loc.code for loc in bruno.locations.all()]) == ("viewer", ["NANTES"])


def test_the_last_administrator_is_told_why_they_cannot_step_down(admin_client):
    me = admin_client.user
    response = admin_client.post(
        f"/account/team/users/{me.pk}/", {"role": "buyer", "all_locations": "on"}
    )
    assert response.status_code == 422
    assert "must keep an active administrator" in response.content.decode()
    response = admin_client.post(
        f"/account/team/users/{me.pk}/active/", {"active": "0"}, follow=True
    )
    assert "must keep an active administrator" in response.content.decode()
    me.refresh_from_db()
    assert (me.role, me.is_active) == ("admin", True)


def test_the_invited_colleague_joins_and_is_logged_in(client, acme, admin_client):
    invitation = member_invite(
        actor=admin_client.user,
        email="clara@acme.example",
        placement=Placement(role="buyer", locations=None),
        language="fr",
        site_url="http://testserver/",
    )
    url = f"/team/join/{invitation_token(invitation)}/"
    visitor = type(client)()
    page = visitor.get(url).content.decode()
    assert "Acme Outillage" in page and "clara@acme.example" in page

    response = visitor.post(
        url,
        {
            "first_name": "Clara",
            "last_name": "Petit",
            "password1": "Quincaillerie-2026",
            "password2": "Quincaillerie-2026",
        },
    )

    assert response.status_code == 302
    clara = User.objects.get(email="clara@acme.example")
    assert visitor.get("/account/").context["user"] == clara
    again = visitor.get(url)
    assert again.status_code == 400
    assert "not valid any more" in again.content.decode()


def test_a_bad_link_answers_a_clear_page(client, store):
    response = client.get("/team/join/12.abc:forged/")
    assert response.status_code == 400
    assert re.search(r"not valid any more", response.content.decode())
