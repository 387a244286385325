"""The ordering shop of `tests.shops` (ACME, group PRO, France) and a clerk of the store."""

import datetime

import pytest

from comptoir.accounts.access import viewer_for
from comptoir.core.selectors import get_store, store_today
from comptoir.quotes.services import QuoteRequest, quote_request
from tests.factories import StaffUserFactory
from tests.shops import build_shop


@pytest.fixture
def shop(store):
    return build_shop(store)


@pytest.fixture
def clerk(db):
    return StaffUserFactory(email="ventes@comptoir.example")


@pytest.fixture
def today(store):
    return store_today(store)


@pytest.fixture
def viewer(shop):
    return viewer_for(get_store(), shop.buyer)


@pytest.fixture
def requested(viewer, today):
    """ACME asks for 37 boxes of screws and 24 gloves, delivered in two weeks."""
    return quote_request(
        viewer=viewer,
        request=QuoteRequest(
            rows=[("SCR-100", 37), ("GLV-12", "24")],
            message="Best price for a yearly contract?",
            wished_delivery_date=today + datetime.timedelta(days=14),
        ),
    )
