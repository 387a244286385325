"""The ordering shop of `tests.shops` (ACME, group PRO, France), a clerk of the store, and
an endpoint of the merchant's ERP subscribed to every event type."""

import datetime

import pytest
from django.utils import timezone

from comptoir.accounts.access import viewer_for
from comptoir.core.selectors import get_store
from comptoir.webhooks import services
from comptoir.webhooks.models import SUBSCRIBABLE, Endpoint, Event
from tests.factories import StaffUserFactory
from tests.shops import build_shop


@pytest.fixture
def shop(store):
    return build_shop(store)


@pytest.fixture
def clerk(db):
    return StaffUserFactory(email="ventes@comptoir.example")


@pytest.fixture
def buyer(shop):
    return viewer_for(get_store(), shop.buyer)


@pytest.fixture
def endpoint(db) -> Endpoint:
    return services.endpoint_save(
        endpoint=Endpoint(
            url="https://erp.example.com/comptoir",
            event_types=[value for value, _label in SUBSCRIBABLE],
        )
    )


def recorded() -> list[tuple[str, str, str, int]]:
    """(type, resource type, resource, sequence) of every event, oldest first."""
    return list(
        Event.objects.order_by("pk").values_list(
            "type", "resource_type", "resource_key", "sequence"
        )
    )


@pytest.fixture
def receiver():
    """A live receiver; `receiver.url` is where it listens."""
    from comptoir.webhooks.tests.receiver import Receiver, serve

    live = Receiver()
    server, live.url = serve(live)
    yield live
    server.shutdown()
    server.server_close()


@pytest.fixture
def erp(receiver, db) -> Endpoint:
    """The endpoint of the live receiver, subscribed to every event type."""
    return services.endpoint_save(
        endpoint=Endpoint(url=receiver.url, event_types=[value for value, _label in SUBSCRIBABLE])
    )


class Clock:
    """`timezone.now()` as the test sets it."""

    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now

    def advance(self, **delta):
        self.now += datetime.timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    clock = Clock(timezone.now().replace(microsecond=0))
    monkeypatch.setattr(timezone, "now", clock)
    return clock
