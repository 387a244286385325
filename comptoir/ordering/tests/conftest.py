"""Fixtures of the ordering tests: the shop of `tests.shops` and its buyer's API session."""

import pytest

from tests.shops import build_shop


@pytest.fixture
def shop(store):
    return build_shop(store)


@pytest.fixture
def api(client, shop):
    """The ACME buyer's session, calling the API as the storefront's scripts would."""
    client.force_login(shop.buyer)
    return client
