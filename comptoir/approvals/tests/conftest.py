"""The ordering shop of `tests.shops`, with an approver beside its buyer."""

import pytest

from comptoir.accounts.permissions import APPROVER
from tests.factories import UserFactory
from tests.shops import build_shop


@pytest.fixture
def shop(store):
    """MNL-1 restocked (100), so that a test may order the same cart several times."""
    shop = build_shop(store)
    shop.products["MNL-1"].stock = 100
    shop.products["MNL-1"].save()
    return shop


@pytest.fixture
def approver(shop):
    return UserFactory(
        company=shop.company,
        email="claire.martin@acme.example",
        first_name="Claire",
        last_name="Martin",
        role=APPROVER,
    )
