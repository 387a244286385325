"""A hand-made order history, seen from 2026-06-30 in the store's time zone (Paris)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from comptoir.customers.models import Company
from comptoir.ordering.models import OrderStatus
from tests.factories import (
    CategoryFactory,
    CompanyFactory,
    CustomerGroupFactory,
    ProductFactory,
    create_order,
)

PARIS = ZoneInfo("Europe/Paris")
TODAY = datetime.date(2026, 6, 30)


def at(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=PARIS)


def days_ago(days: int, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return at(TODAY - datetime.timedelta(days=days), hour, minute)


@dataclass
class History:
    pro: object
    wholesale: object
    regular: Company  # three orders in the window, one cancelled, one too old, one future
    single: Company  # one order
    newcomer: Company  # no order
    dormant: Company  # an order 400 days ago, a recent cancelled one
    pinned: Company  # big buyer, pinned in PRO


@pytest.fixture
def history(store):
    pro = CustomerGroupFactory(code="PRO", name="Professionals")
    wholesale = CustomerGroupFactory(code="WHOLESALE", name="Wholesalers")
    fasteners = CategoryFactory(code="FASTENERS", name="Fasteners")
    screws_cat = CategoryFactory(code="SCREWS", name="Screws", parent=fasteners)
    safety = CategoryFactory(code="SAFETY", name="Safety")
    gloves_cat = CategoryFactory(code="GLOVES", name="Gloves", parent=safety)
    hygiene = CategoryFactory(code="HYGIENE", name="Hygiene")
    soap_cat = CategoryFactory(code="SOAP", name="Soap", parent=hygiene)
    tools = CategoryFactory(code="POWER-TOOLS", name="Power tools")
    paint = CategoryFactory(code="PAINT", name="Paint")

    screws = ProductFactory(sku="SCR-4X40", category=screws_cat)
    gloves = ProductFactory(sku="GLV-NIT-9", category=gloves_cat)
    soap = ProductFactory(sku="SOAP-5L", category=soap_cat)
    drill = ProductFactory(sku="DRL-18V", category=tools)
    primer = ProductFactory(sku="PRM-10L", category=paint)
    loose = ProductFactory(sku="MISC-1", category=None)

    default = store.default_group
    regular = CompanyFactory(code="REGULAR", name="Regular SARL", group=default)
    # 365 days before today, the first day of the 12 months: counted.
    create_order(
        company=regular,
        items=[(screws, 10, Decimal("12.50")), (gloves, 2, Decimal("31.20"))],
        placed_at=days_ago(365, hour=0, minute=5),
    )
    # 366 days before: not counted, nor is its category.
    create_order(
        company=regular,
        items=[(drill, 1, Decimal("189.00"))],
        placed_at=days_ago(366, hour=23, minute=55),
    )
    create_order(
        company=regular,
        items=[(screws, 100, Decimal("12.50")), (loose, 5, Decimal("2.00"))],
        volume_percent=Decimal("5"),
        placed_at=at(datetime.date(2026, 1, 15)),
    )
    create_order(
        company=regular,
        items=[(primer, 3, Decimal("45.00"))],
        status=OrderStatus.CANCELLED,
        placed_at=at(datetime.date(2026, 3, 1)),
    )
    # Today, late in the evening in Paris (already tomorrow nowhere, still today here).
    create_order(
        company=regular,
        items=[(soap, 4, Decimal("8.75"))],
        placed_at=at(TODAY, hour=23, minute=30),
    )
    # Tomorrow: after `today`, so not counted.
    create_order(
        company=regular,
        items=[(primer, 1, Decimal("45.00"))],
        placed_at=at(TODAY + datetime.timedelta(days=1), hour=0, minute=10),
    )

    single = CompanyFactory(code="SINGLE", name="Single Order SA", group=pro, belgian=True)
    create_order(
        company=single,
        items=[(gloves, 3, Decimal("99.90"))],
        placed_at=days_ago(30, hour=8),
    )

    newcomer = CompanyFactory(code="NEWCOMER", name="Newcomer Inc.", group=pro, american=True)

    dormant = CompanyFactory(code="DORMANT", name="Dormant GmbH", group=wholesale, german=True)
    create_order(company=dormant, items=[(screws, 50, Decimal("12.50"))], placed_at=days_ago(400))
    create_order(
        company=dormant,
        items=[(screws, 50, Decimal("12.50"))],
        status=OrderStatus.CANCELLED,
        placed_at=days_ago(3),
    )

    pinned = CompanyFactory(code="PINNED", name="Pinned Partner", group=pro, pinned_group=True)
    create_order(
        company=pinned,
        items=[(drill, 40, Decimal("189.00"))],
        placed_at=days_ago(10),
    )
    return History(pro, wholesale, regular, single, newcomer, dormant, pinned)
