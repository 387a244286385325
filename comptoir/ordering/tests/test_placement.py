"""Placing an order: all or nothing, numbered, a snapshot that later changes never touch."""

from decimal import Decimal

import pytest

from comptoir.accounts.access import viewer_for
from comptoir.core.errors import BusinessRuleError
from comptoir.core.selectors import get_store, store_today
from comptoir.ordering.models import (
    CartLine,
    Order,
    OrderCounter,
    OrderLine,
    OrderStatus,
    PlacementKey,
)
from comptoir.ordering.order_status import order_set_status
from comptoir.ordering.placement import CheckoutRequest, order_place
from comptoir.ordering.quotes import Destination
from comptoir.ordering.services import cart_add_lines
from comptoir.pricing.models import PriceEntry
from tests.factories import AddressFactory, CompanyFactory, OrderFactory, UserFactory


def viewer(shop, user=None):
    return viewer_for(get_store(), user or shop.buyer)


def fill(shop, *rows, user=None):
    cart_add_lines(
        viewer=viewer(shop, user), rows=[(n, sku, q) for n, (sku, q) in enumerate(rows, 1)]
    )


TRANSFER = CheckoutRequest(payment_method="TRANSFER")


def test_an_order_snapshots_lines_prices_tax_and_addresses(shop):
    fill(shop, ("SCR-100", 120), ("MNL-1", 2))
    order = order_place(viewer=viewer(shop), request=TRANSFER).order

    year = store_today(get_store()).year
    assert order.number == f"CMD-{year}-000001"
    assert order.customer_group_code == "PRO"
    assert order.shipping_address["city"] == "Lyon"
    assert order.billing_address["code"] == "HQ"
    assert (order.subtotal, order.shipping_total, order.tax_total, order.total) == (
        Decimal("444.00"),
        Decimal("15.00"),
        Decimal("88.32"),
        Decimal("547.32"),
    )
    screws = order.lines.get(sku="SCR-100")
    assert (screws.quantity, screws.unit_price, screws.net, screws.tax_rate) == (
        120,
        Decimal("3.5000"),
        Decimal("420.00"),
        Decimal("20.0000"),
    )
    assert screws.explanation[0]["source"] == "PRO"
    assert [(t.rate, t.base, t.amount) for t in order.tax_lines.order_by("-rate")] == [
        (Decimal("20.0000"), Decimal("435.00"), Decimal("87.00")),
        (Decimal("5.5000"), Decimal("24.00"), Decimal("1.32")),
    ]
    shop.products["SCR-100"].refresh_from_db()
    assert shop.products["SCR-100"].stock == 380
    assert not CartLine.objects.exists()

    PriceEntry.objects.filter(product=shop.products["SCR-100"]).update(price=Decimal("99"))
    screws.refresh_from_db()
    assert screws.unit_price == Decimal("3.5000")


def test_a_rule_broken_at_placement_writes_nothing(shop):
    """The cart was valid; another order took the stock in between."""
    fill(shop, ("SCR-100", 120), ("MNL-1", 5))
    other = UserFactory(company=AddressFactory(company=CompanyFactory(group=shop.group)).company)
    fill(shop, ("SCR-100", 120), ("MNL-1", 1), user=other)
    order_place(viewer=viewer(shop, other), request=TRANSFER)
    counter = OrderCounter.objects.get().last

    with pytest.raises(BusinessRuleError) as refused:
        order_place(viewer=viewer(shop), request=TRANSFER, key="retry-1")

    assert refused.value.code == "insufficient_stock"
    assert refused.value.errors == [
        {
            "sku": "MNL-1",
            "code": "insufficient_stock",
            "message": "Only 4 of MNL-1 in stock: 5 requested.",
        }
    ]
    assert Order.objects.count() == 1
    assert OrderLine.objects.count() == 2
    assert OrderCounter.objects.get().last == counter
    assert not PlacementKey.objects.filter(key="retry-1").exists()
    for sku, stock in (("SCR-100", 380), ("MNL-1", 4)):
        shop.products[sku].refresh_from_db()
        assert shop.products[sku].stock == stock
    assert {
        line.product.sku: line.quantity for line in CartLine.objects.filter(cart__buyer=shop.buyer)
    } == {"SCR-100": 120, "MNL-1": 5}


@pytest.mark.parametrize(
    ("request_", "code"),
    [
        (CheckoutRequest(payment_method="CARD"), "payment_method_not_eligible"),
        (CheckoutRequest(payment_method="PO"), "po_number_required"),
        (
            CheckoutRequest(payment_method="TRANSFER", shipping_method="DRONE"),
            "shipping_method_not_eligible",
        ),
        (CheckoutRequest(payment_method="TRANSFER", shipping_address="NOPE"), "unknown_address"),
    ],
)
def test_checkout_choices_are_checked(shop, request_, code):
    fill(shop, ("SCR-100", 120))
    with pytest.raises(BusinessRuleError) as refused:
        order_place(viewer=viewer(shop), request=request_)
    assert refused.value.code == code
    assert not Order.objects.exists()


def test_an_empty_cart_cannot_be_ordered(shop):
    with pytest.raises(BusinessRuleError) as refused:
        order_place(viewer=viewer(shop), request=TRANSFER)
    assert refused.value.code == "cart_empty"


def test_a_new_address_sets_the_tax_jurisdiction(shop):
    from tests.factories import TaxRateFactory

    TaxRateFactory(country="BE", tax_class="standard", rate=Decimal("21.00"))
    fill(shop, ("SCR-100", 120))
    antwerp = Destination(line1="Meir 1", city="Antwerpen", postal_code="2000", country="BE")
    order = order_place(
        viewer=viewer(shop),
        request=CheckoutRequest(shipping_address=antwerp, payment_method="TRANSFER"),
    ).order
    assert order.shipping_address["country"] == "BE"
    assert [t.rate for t in order.tax_lines.all()] == [Decimal("21.0000")]


def test_numbers_continue_after_orders_loaded_from_a_bundle(shop):
    year = store_today(get_store()).year
    OrderFactory(number=f"CMD-{year}-000412", company=shop.company)
    fill(shop, ("SCR-100", 120))
    assert order_place(viewer=viewer(shop), request=TRANSFER).order.number == f"CMD-{year}-000413"


def test_a_backorder_takes_what_is_in_stock_and_its_cancellation_gives_back_only_that(shop):
    drill, screws = shop.products["DRL-1"], shop.products["SCR-100"]
    drill.stock = 3
    drill.save(update_fields=["stock"])
    fill(shop, ("DRL-1", 5), ("SCR-100", 10))
    order = order_place(viewer=viewer(shop), request=TRANSFER).order

    drill.refresh_from_db()
    assert drill.stock == 0
    assert dict(order.lines.values_list("sku", "stock_taken")) == {"DRL-1": 3, "SCR-100": 10}

    order_set_status(order=order, status=OrderStatus.CANCELLED)

    drill.refresh_from_db()
    screws.refresh_from_db()
    assert (drill.stock, screws.stock) == (3, 500)
