"""What a company user may do, read from their role and locations."""

import pytest

from comptoir.accounts.models import Role
from comptoir.accounts.permissions import BUILTIN_ROLES
from comptoir.accounts.selectors import role_choices, user_access
from comptoir.customers.models import Location
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_built_in_role_over_all_locations_costs_no_query(store, django_assert_num_queries):
    viewer = UserFactory(role="viewer")
    with django_assert_num_queries(0):
        access = user_access(viewer)
    assert access.permissions == BUILTIN_ROLES["viewer"]
    assert access.all_locations


def test_a_store_role_limited_to_a_location(store, django_assert_num_queries):
    Role.objects.create(code="STOREKEEPER", name="Storekeeper", permissions=["see_prices"])
    user = UserFactory(role="STOREKEEPER", all_locations=False)
    lyon = Location.objects.create(company=user.company, code="LYON", name="Lyon")
    user.locations.set([lyon])
    with django_assert_num_queries(2):
        access = user_access(user)
        assert user_access(user) is access  # kept for the rest of the request
    assert access.permissions == {"see_prices"}
    assert access.location_ids == {lyon.pk}
    assert access.covers(lyon.pk)
    assert not access.covers(user.company.locations.get(code="MAIN").pk)


def test_a_role_deleted_since_allows_nothing(store):
    user = UserFactory(role="GONE")
    assert user_access(user).permissions == frozenset()


def test_roles_are_offered_built_in_first_then_the_stores(store):
    Role.objects.create(code="AUDITOR", name="Auditor", permissions=[])
    assert [code for code, _ in role_choices()] == [
        "admin",
        "buyer",
        "approver",
        "requester",
        "viewer",
        "AUDITOR",
    ]
