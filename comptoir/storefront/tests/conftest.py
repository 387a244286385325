"""A small store to test who sees what: three products, five kinds of viewer.

- PUB-1 in FASTENERS, visible to all: BASE 10.00, list of group GOLD 9.00 (from 1), 8.00 (from 50).
- GOLD-1 in FASTENERS, visible to group GOLD only: BASE 20.00.
- OWN-1 in LOGO-PRINTS (nothing else there), visible to company OWNER only: BASE 30.00.
Viewers: a visitor (default group RETAIL), a pending buyer of GOLD, an approved buyer of
GOLD, an approved buyer of SILVER, and a buyer of OWNER (SILVER).
"""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from comptoir.catalog.models import Visibility
from tests.factories import (
    CategoryFactory,
    CompanyFactory,
    CustomerGroupFactory,
    PriceEntryFactory,
    PriceListFactory,
    ProductFactory,
    UserFactory,
)

PASSWORD = "Comptoir-2026!"


@dataclass
class World:
    store: object
    products: dict
    buyers: dict


@pytest.fixture
def world(store):
    gold = CustomerGroupFactory(code="GOLD", name="Gold")
    silver = CustomerGroupFactory(code="SILVER", name="Silver")
    fasteners = CategoryFactory(code="FASTENERS", name="Fasteners")
    prints = CategoryFactory(code="LOGO-PRINTS", name="Logo prints")
    owner = CompanyFactory(code="OWNER", name="Owner SARL", group=silver)
    products = {
        "public": ProductFactory(sku="PUB-1", name="Wood screws 4x40", category=fasteners),
        "group": ProductFactory(
            sku="GOLD-1",
            name="Gold-only bolts",
            category=fasteners,
            visibility=Visibility.GROUPS,
            visible_groups=[gold],
        ),
        "exclusive": ProductFactory(
            sku="OWN-1",
            name="Mugs printed with the Owner logo",
            category=prints,
            visibility=Visibility.COMPANIES,
            visible_companies=[owner],
        ),
    }
    base = store.base_price_list
    for product, price in zip(products.values(), ("10.00", "20.00", "30.00"), strict=True):
        PriceEntryFactory(price_list=base, product=product, min_qty=1, price=Decimal(price))
    gold_list = PriceListFactory(code="GOLD", customer_groups=[gold])
    PriceEntryFactory(
        price_list=gold_list, product=products["public"], min_qty=1, price=Decimal("9.00")
    )
    PriceEntryFactory(
        price_list=gold_list, product=products["public"], min_qty=50, price=Decimal("8.00")
    )
    buyers = {
        "pending": UserFactory(company=CompanyFactory(code="NEWCO", group=gold, pending=True)),
        "gold": UserFactory(company=CompanyFactory(code="GOLDCO", group=gold)),
        "silver": UserFactory(company=CompanyFactory(code="SILVERCO", group=silver)),
        "owner": UserFactory(company=owner),
    }
    return World(store=store, products=products, buyers=buyers)


def set_access(store, mode):
    store.access_mode = mode
    store.save(update_fields=["access_mode"])


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Runs the e-mails that services send once their transaction commits."""
    return django_capture_on_commit_callbacks
