"""An integration's key for the ERP routes, and the shop of `tests.shops`."""

import pytest

from comptoir.integrations.keys import api_key_create
from comptoir.integrations.scopes import SCOPES
from tests.shops import build_shop


@pytest.fixture
def shop(store):
    return build_shop(store)


def key_headers(*scopes: str) -> dict:
    _key, plain = api_key_create(name="ERP", scopes=list(scopes or SCOPES))
    return {"HTTP_AUTHORIZATION": f"Bearer {plain}"}


@pytest.fixture
def erp():
    """Headers of a key with every scope."""
    return key_headers()
