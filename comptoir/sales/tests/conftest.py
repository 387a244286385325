"""ACME (the ordering shop of `tests.shops`) looked after by Anne Martin, a representative;
Globex, another customer, is not hers."""

from importlib import import_module

import pytest
from django.contrib.auth.models import Group, Permission

from comptoir.sales.models import REPRESENTATIVES_GROUP, Assignment
from tests.factories import AddressFactory, CompanyFactory, StaffUserFactory, UserFactory
from tests.shops import build_shop

PASSWORD = "Comptoir-2026!"


def representatives_group() -> Group:
    """The group of migration sales/0002, made again when a transactional test (which empties
    every table, migration data included) ran before."""
    group, created = Group.objects.get_or_create(name=REPRESENTATIVES_GROUP)
    if created:
        migration = import_module("comptoir.sales.migrations.0002_representatives_group")
        for app_label, codename in migration.PERMISSIONS:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
    return group


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
