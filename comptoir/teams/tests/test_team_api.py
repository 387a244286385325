"""Company teams over the REST API: /company/users, /company/locations, /company/roles."""

import pytest
from django.test import Client

from comptoir.accounts.models import Role, User
from comptoir.customers.models import Location
from comptoir.teams.models import Invitation, TeamEvent
from tests.factories import AddressFactory, CompanyFactory, UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "Comptoir-2026!"


@pytest.fixture
def acme(store):
    company = CompanyFactory(code="ACME", name="Acme Outillage")
    nantes = Location.objects.create(company=company, code="NANTES", name="Nantes", position=1)
    AddressFactory(company=company, code="DEPOT", location=nantes)
    return company


def api_client(user) -> Client:
    client = Client()
    response = client.post(
        "/api/v1/auth/token", {"email": user.email, "password": PASSWORD}, "application/json"
    )
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {response.json()['token']}"
    return client


@pytest.fixture
def admin(acme):
    return UserFactory(company=acme, email="anne@acme.example", role="admin")


def test_users_and_invitations_are_listed(acme, admin):
    UserFactory(company=acme, email="bruno@acme.example", role="viewer", is_active=False)
    client = api_client(admin)
    client.post(
        "/api/v1/company/users",
        {"email": "clara@acme.example", "role": "requester", "locations": ["NANTES"]},
        "application/json",
    )

    body = client.get("/api/v1/company/users").json()

    assert [(u["email"], u["role"], u["locations"], u["active"]) for u in body["items"]] == [
        ("anne@acme.example", "admin", None, True),
        ("bruno@acme.example", "viewer", None, False),
    ]
    [invitation] = body["invitations"]
    assert (invitation["email"], invitation["role"], invitation["locations"]) == (
        "clara@acme.example",
        "requester",
        ["NANTES"],
    )


def test_inviting_answers_201_and_null_means_every_location(admin):
    response = api_client(admin).post(
        "/api/v1/company/users",
        {"email": "clara@acme.example", "role": None, "locations": None, "language": None},
        "application/json",
    )
    assert response.status_code == 201, response.content
    invitation = Invitation.objects.get()
    assert (invitation.role, invitation.all_locations) == ("buyer", True)


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"email": "clara@acme.example", "role": "boss"}, 422, "unknown_role"),
        ({"email": "clara@acme.example", "locations": ["PARIS"]}, 422, "unknown_location"),
        ({"email": "anne@acme.example"}, 422, "email_taken"),
        ({"email": "nope"}, 422, "invalid_email"),
        ({"email": 12}, 400, "invalid_request"),
        ({"role": "buyer"}, 400, "invalid_request"),
    ],
)
def test_bad_invitations_are_refused_with_a_code(admin, body, status, code):
    response = api_client(admin).post("/api/v1/company/users", body, "application/json")
    assert (response.status_code, response.json()["code"]) == (status, code)
    assert response["Content-Type"] == "application/problem+json"
    assert not Invitation.objects.exists()


def test_a_colleague_without_manage_users_is_refused_with_permission_denied(acme):
    viewer = api_client(UserFactory(company=acme, role="viewer"))
    for method, url in [
        ("get", "/api/v1/company/users"),
        ("post", "/api/v1/company/users"),
        ("patch", "/api/v1/company/users/1"),
        ("delete", "/api/v1/company/users/1"),
    ]:
        response = getattr(viewer, method)(url, {"email": "x@acme.example"}, "application/json")
        assert (response.status_code, response.json()["code"]) == (403, "permission_denied"), url
    assert viewer.get("/api/v1/company/locations").status_code == 200
    assert viewer.get("/api/v1/company/roles").status_code == 200


def test_a_guest_gets_401_whatever_the_body(store):
    response = Client().post("/api/v1/company/users", "not json", "application/json")
    assert response.status_code == 401


def test_patch_changes_role_and_locations_and_delete_deactivates(acme, admin):
    bruno = UserFactory(company=acme, email="bruno@acme.example", role="buyer")
    client = api_client(admin)

    response = client.patch(
        f"/api/v1/company/users/{bruno.pk}",
        {"role": "approver", "locations": ["nantes"]},
        "application/json",
    )
    assert response.json()["role"] == "approver"
    assert response.json()["locations"] == ["NANTES"]
    response = client.patch(
        f"/api/v1/company/users/{bruno.pk}", {"all_locations": True}, "application/json"
    )
    assert response.json()["locations"] is None

    response = client.delete(f"/api/v1/company/users/{bruno.pk}")
    assert (response.status_code, response.json()["active"]) == (200, False)
    bruno.refresh_from_db()
    assert bruno.is_active is False
    assert TeamEvent.objects.filter(subject=bruno.email).count() == 4


def test_the_last_administrator_stays(admin):
    client = api_client(admin)
    response = client.delete(f"/api/v1/company/users/{admin.pk}")
    assert (response.status_code, response.json()["code"]) == (422, "last_administrator")
    response = client.patch(
        f"/api/v1/company/users/{admin.pk}", {"role": "viewer"}, "application/json"
    )
    assert (response.status_code, response.json()["code"]) == (422, "last_administrator")


def test_another_companys_user_is_not_found(admin):
    stranger = UserFactory(company=CompanyFactory())
    client = api_client(admin)
    assert client.delete(f"/api/v1/company/users/{stranger.pk}").status_code == 404
    response = client.patch(
        f"/api/v1/company/users/{stranger.pk}", {"role": "viewer"}, "application/json"
    )
    assert response.status_code == 404
    stranger.refresh_from_db()
    assert (stranger.role, stranger.is_active) == ("buyer", True)


def test_locations_and_roles(acme, admin):
    Role.objects.create(code="HR", name="Human resources", permissions=["manage_users"])
    client = api_client(admin)
    assert client.get("/api/v1/company/locations").json()["items"] == [
        {"code": "MAIN", "name": "Acme Outillage", "addresses": [], "billing_address": None},
        {"code": "NANTES", "name": "Nantes", "addresses": ["DEPOT"], "billing_address": None},
    ]
    roles = client.get("/api/v1/company/roles").json()
    assert [role["code"] for role in roles["items"]] == [
        "admin",
        "buyer",
        "approver",
        "requester",
        "viewer",
        "HR",
    ]
    assert roles["items"][-1] == {
        "code": "HR",
        "name": "Human resources",
        "builtin": False,
        "permissions": ["manage_users"],
    }
    assert "place_orders" not in roles["items"][4]["permissions"]


@pytest.mark.parametrize("count", [1, 50])
def test_listing_costs_a_fixed_number_of_queries(acme, admin, count, django_assert_max_num_queries):
    nantes = Location.objects.get(code="NANTES")
    for _n in range(count):
        user = UserFactory(company=acme, all_locations=False)
        user.locations.set([nantes])
        Location.objects.create(company=acme, code=f"L{_n}", name=f"Site {_n}")
    client = api_client(admin)
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/company/users").status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get("/api/v1/company/locations").status_code == 200
    assert User.objects.filter(company=acme).count() == count + 1
