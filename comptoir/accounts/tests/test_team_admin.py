"""The back office of company teams: store roles, locations, and users limited to them."""

import pytest

from comptoir.accounts.models import Role, User
from comptoir.customers.models import Company, Location
from tests.factories import AddressFactory, CompanyFactory, UserFactory
from tests.test_admin import admin_url, form_data

pytestmark = pytest.mark.django_db


def test_a_company_added_in_the_back_office_gets_its_main_location(admin_client, store):
    response = admin_client.get(admin_url(Company, "add"))
    data = form_data(response, Company)
    data.update(
        {
            "code": "MARTIN",
            "name": "Martin Outillage",
            "country": "FR",
            "group": store.default_group_id,
        }
    )

    response = admin_client.post(admin_url(Company, "add"), data)

    assert response.status_code == 302, response.context["errors"]
    assert list(Location.objects.filter(company__code="MARTIN").values_list("code", "name")) == [
        ("MAIN", "Martin Outillage")
    ]


def test_every_company_created_by_a_factory_or_a_writer_has_a_location(store):
    company = CompanyFactory()
    assert [location.code for location in company.locations.all()] == ["MAIN"]


def test_a_store_role_is_offered_to_users_and_unknown_roles_are_refused(admin_client, store):
    Role.objects.create(code="STOREKEEPER", name="Storekeeper", permissions=["see_prices"])
    buyer = UserFactory()
    url = admin_url(User, "change", buyer.pk)
    response = admin_client.get(url)
    content = response.content.decode()
    assert '<option value="STOREKEEPER">Storekeeper</option>' in content
    assert '<option value="viewer">Viewer</option>' in content

    data = form_data(response, User)
    data["role"] = "boss"
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "role" in response.context["adminform"].form.errors
    data["role"] = "STOREKEEPER"
    response = admin_client.post(url, data)
    assert response.status_code == 302
    buyer.refresh_from_db()
    assert buyer.role == "STOREKEEPER"


def test_a_user_is_limited_to_locations_of_their_own_company_only(admin_client, store):
    buyer = UserFactory()
    lyon = Location.objects.create(company=buyer.company, code="LYON", name="Lyon")
    elsewhere = CompanyFactory().locations.get()
    url = admin_url(User, "change", buyer.pk)
    response = admin_client.get(url)
    offered = response.context["adminform"].form.fields["locations"].queryset
    assert set(offered) == {buyer.company.locations.get(code="MAIN"), lyon}
    assert elsewhere not in offered

    data = form_data(response, User)
    data.pop("all_locations", None)
    data["locations"] = [str(elsewhere.pk)]
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert not buyer.locations.exists()

    data["locations"] = [str(lyon.pk)]
    response = admin_client.post(url, data)
    assert response.status_code == 302
    buyer.refresh_from_db()
    assert (buyer.all_locations, list(buyer.locations.all())) == (False, [lyon])


def test_a_store_role_takes_only_permissions_of_the_fixed_set(admin_client, store):
    url = admin_url(Role, "add")
    data = {"code": "STOREKEEPER", "name": "Storekeeper", "permissions": ["see_prices", "fly"]}
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert not Role.objects.exists()

    data["permissions"] = ["see_prices", "manage_lists"]
    assert admin_client.post(url, data).status_code == 302
    assert Role.objects.get().permissions == ["see_prices", "manage_lists"]


def test_a_store_role_cannot_take_the_code_of_a_built_in_one(admin_client, store):
    data = {"code": "viewer", "name": "Viewer too", "permissions": ["see_prices"]}
    response = admin_client.post(admin_url(Role, "add"), data)
    assert response.status_code == 200
    assert "built-in role" in response.content.decode()


def test_a_role_that_users_hold_cannot_be_deleted(admin_client, store):
    held = Role.objects.create(code="STOREKEEPER", name="Storekeeper", permissions=[])
    free = Role.objects.create(code="AUDITOR", name="Auditor", permissions=[])
    UserFactory(role="STOREKEEPER")
    assert admin_client.get(admin_url(Role, "delete", held.pk)).status_code == 403
    assert admin_client.post(admin_url(Role, "delete", free.pk), {"post": "yes"}).status_code == 302
    assert list(Role.objects.values_list("code", flat=True)) == ["STOREKEEPER"]


def test_a_location_bills_to_an_address_of_its_own_company_only(store):
    from django.core.exceptions import ValidationError

    company, other = CompanyFactory(), CompanyFactory()
    foreign = AddressFactory(company=other)
    location = company.locations.get()
    location.billing_address = foreign
    with pytest.raises(ValidationError, match="billing address"):
        location.full_clean()
