"""ACME (the ordering shop of `tests.shops`) looked after by Anne Martin, a representative;
Globex, another customer, is not hers."""

import pytest

from comptoir.sales.models import Assignment
from comptoir.sales.services import representatives_group
from tests.factories import AddressFactory, CompanyFactory, StaffUserFactory, UserFactory
from tests.shops import build_shop

PASSWORD = "Comptoir-2026!"


@pytest.fixture
def shop(store):
    return build_shop(store)


@pytest.fixture
def globex(shop):
    company = CompanyFactory(code="GLOBEX", name="Globex", group=shop.group)
    AddressFactory(company=company, code="PLANT", position=0, city="Lille", country="FR")
    UserFactory(company=company, email="buyer@globex.example", first_name="Hank")
    return company


@pytest.fixture
def rep(shop):
    user = StaffUserFactory(
        email="anne.martin@comptoir.example", first_name="Anne", last_name="Martin"
    )
    user.groups.add(representatives_group())
    Assignment.objects.create(representative=user, company=shop.company)
    return user


@pytest.fixture
def rep_client(client, rep):
    client.force_login(rep)
    return client
