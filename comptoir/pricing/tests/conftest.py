from decimal import Decimal

import pytest

from tests.factories import (
    CategoryFactory,
    CompanyFactory,
    CustomerGroupFactory,
    PriceEntryFactory,
    PriceListFactory,
    ProductFactory,
    StoreFactory,
)

D = Decimal


@pytest.fixture
def shop():
    store = StoreFactory()
    base = store.base_price_list
    gold_group = CustomerGroupFactory(code="GOLD", name="Gold")
    gold = PriceListFactory(code="GOLD", customer_groups=[gold_group])
    acme = CompanyFactory(code="ACME", group=gold_group)
    contract = PriceListFactory(code="ACME-CONTRACT", companies=[acme])
    screws = CategoryFactory(code="SCREWS")
    p1, p2, p3, p4 = (ProductFactory(sku=f"P{n}", category=screws) for n in range(1, 5))
    for product, min_qty, price in (
        (p1, 1, "10.00"),
        (p1, 100, "8.00"),
        (p3, 1, "5.00"),
        (p4, 1, "7.99"),
    ):
        PriceEntryFactory(price_list=base, product=product, min_qty=min_qty, price=D(price))
    for product, min_qty, price in ((p1, 1, "9.50"), (p1, 50, "8.50"), (p3, 20, "4.20")):
        PriceEntryFactory(price_list=gold, product=product, min_qty=min_qty, price=D(price))
    PriceEntryFactory(price_list=contract, product=p2, price=D("4.00"))
    return store, acme, (p1, p2, p3, p4)
