"""The ordering shop of `tests.shops`: ACME and its buyer, with a colleague."""

import pytest

from tests.factories import UserFactory
from tests.shops import build_shop


@pytest.fixture
def shop(store):
    return build_shop(store)


@pytest.fixture
def colleague(shop):
    return UserFactory(
        company=shop.company,
        email="paul.durand@acme.example",
        first_name="Paul",
        last_name="Durand",
    )
