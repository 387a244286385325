"""A wholesaler's shop to order from, for the ordering and storefront tests.

Store in France, minimum order 150.00 (group PRO: 100.00). Tax FR: standard 20 %,
reduced 5.5 %. Products (BASE list):
- SCR-100 screws, box, 4.20; group PRO list 3.90 (from 1), 3.50 (from 100); stock 500.
- GLV-12 gloves by the case of 12 (min 12, step 12, max 240), 3.3333 per case; stock 1000.
- MNL-1 safety binder, reduced rate, 12.00; stock 5; no backorder.
- DRL-1 drill on backorder, 89.90; stock 0, backorder allowed.
- POR-1 made to order, no price (price on request).
Shipping: STD 15.00, free from 500.00; EXPRESS 29.00. Payment: TRANSFER, PO (purchase order).
Buyer: ACME (group PRO), address HQ in Lyon.
"""

from dataclasses import dataclass
from decimal import Decimal

from comptoir.catalog.models import TaxClass
from comptoir.payments.models import PaymentType
from tests.factories import (
    AddressFactory,
    CategoryFactory,
    CompanyFactory,
    CustomerGroupFactory,
    PaymentMethodFactory,
    PriceEntryFactory,
    PriceListFactory,
    ProductFactory,
    ShippingMethodFactory,
    TaxRateFactory,
    UserFactory,
)


@dataclass
class Shop:
    store: object
    group: object
    company: object
    buyer: object
    products: dict


def build_shop(store) -> "Shop":
    group = CustomerGroupFactory(code="PRO", name="Professionals", min_order_amount=Decimal("100"))
    company = CompanyFactory(code="ACME", name="Acme Outillage", group=group)
    AddressFactory(
        company=company,
        code="HQ",
        position=0,
        line1="3 quai des Usines",
        city="Lyon",
        postal_code="69007",
        country="FR",
    )
    buyer = UserFactory(company=company, email="achats@acme.example")
    TaxRateFactory(country="FR", tax_class=TaxClass.STANDARD, rate=Decimal("20.00"))
    TaxRateFactory(country="FR", tax_class=TaxClass.REDUCED, rate=Decimal("5.50"))
    fasteners = CategoryFactory(code="FASTENERS", name="Fasteners")
    base = store.base_price_list
    products = {
        "SCR-100": ProductFactory(
            sku="SCR-100",
            name="Wood screws 4x40",
            category=fasteners,
            stock=500,
            tax_class=TaxClass.STANDARD,
        ),
        "GLV-12": ProductFactory(
            sku="GLV-12",
            name="Nitrile gloves",
            category=fasteners,
            by_the_case=True,
            max_qty=240,
            stock=1000,
            tax_class=TaxClass.STANDARD,
        ),
        "MNL-1": ProductFactory(
            sku="MNL-1",
            name="Safety binder",
            category=fasteners,
            stock=5,
            tax_class=TaxClass.REDUCED,
        ),
        "DRL-1": ProductFactory(
            sku="DRL-1",
            name="Cordless drill",
            category=fasteners,
            stock=0,
            backorder=True,
            tax_class=TaxClass.STANDARD,
        ),
        "POR-1": ProductFactory(
            sku="POR-1",
            name="Made to order",
            category=fasteners,
            stock=10,
            tax_class=TaxClass.STANDARD,
        ),
    }
    for sku, price in (
        ("SCR-100", "4.20"),
        ("GLV-12", "3.3333"),
        ("MNL-1", "12.00"),
        ("DRL-1", "89.90"),
    ):
        PriceEntryFactory(price_list=base, product=products[sku], price=Decimal(price))
    pro = PriceListFactory(code="PRO", customer_groups=[group])
    PriceEntryFactory(price_list=pro, product=products["SCR-100"], price=Decimal("3.90"))
    PriceEntryFactory(
        price_list=pro, product=products["SCR-100"], min_qty=100, price=Decimal("3.50")
    )
    ShippingMethodFactory(
        code="STD",
        name="Standard",
        price=Decimal("15.00"),
        position=1,
        free_above=Decimal("500.00"),
    )
    ShippingMethodFactory(
        code="EXPRESS", name="Express", price=Decimal("29.00"), position=2, free_above=None
    )
    PaymentMethodFactory(code="TRANSFER", name="Bank transfer", position=1)
    PaymentMethodFactory(
        code="PO", name="Purchase order", type=PaymentType.PURCHASE_ORDER, position=2
    )
    return Shop(store=store, group=group, company=company, buyer=buyer, products=products)
