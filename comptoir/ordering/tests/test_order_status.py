"""Order status: the allowed transitions only, and a cancellation restores stock exactly once."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from comptoir.catalog.models import Product
from comptoir.core.errors import BusinessRuleError
from comptoir.ordering.models import Order, OrderStatus
from comptoir.ordering.order_status import (
    Refusal,
    StatusChange,
    allowed_statuses,
    order_set_status,
    orders_set_status,
)
from tests.factories import CompanyFactory, ProductFactory, create_order

PLACED, CONFIRMED, SHIPPED, DELIVERED, CANCELLED = (
    OrderStatus.PLACED,
    OrderStatus.CONFIRMED,
    OrderStatus.SHIPPED,
    OrderStatus.DELIVERED,
    OrderStatus.CANCELLED,
)
ALLOWED = {
    (PLACED, CONFIRMED),
    (PLACED, SHIPPED),
    (PLACED, DELIVERED),
    (PLACED, CANCELLED),
    (CONFIRMED, SHIPPED),
    (CONFIRMED, DELIVERED),
    (CONFIRMED, CANCELLED),
    (SHIPPED, DELIVERED),
    (SHIPPED, CANCELLED),
}
REFUSAL_CODES = {
    **{(status, status): "order_status_unchanged" for status in OrderStatus.values},
    **{
        (final, target): "order_status_final"
        for final in (DELIVERED, CANCELLED)
        for target in OrderStatus.values
        if final != target
    },
    (CONFIRMED, PLACED): "order_status_backwards",
    (SHIPPED, PLACED): "order_status_backwards",
    (SHIPPED, CONFIRMED): "order_status_backwards",
}
PAIRS = [(current, target) for current in OrderStatus.values for target in OrderStatus.values]


def test_every_pair_of_statuses_is_either_allowed_or_refused_for_a_reason():
    assert set(PAIRS) == ALLOWED | set(REFUSAL_CODES)
    assert not ALLOWED & set(REFUSAL_CODES)


def _order(product, quantity=24, **kwargs):
    return create_order(
        company=CompanyFactory(), items=[(product, quantity, Decimal("9.50"))], **kwargs
    )


@pytest.mark.parametrize(("current", "target"), PAIRS, ids=lambda status: status)
def test_transition(store, current, target):
    product = ProductFactory(stock=100)
    order = _order(product, status=current, number="CMD-2026-000001")

    change = orders_set_status(orders=Order.objects.filter(pk=order.pk), status=target)

    order.refresh_from_db()
    product.refresh_from_db()
    if (current, target) in ALLOWED:
        assert change == StatusChange(1, [])
        assert order.status == target
        assert product.stock == (124 if target == CANCELLED else 100)
    else:
        assert change.changed == 0
        assert [(r.number, r.code) for r in change.refused] == [
            ("CMD-2026-000001", REFUSAL_CODES[(current, target)])
        ]
        assert "CMD-2026-000001" in change.refused[0].message
        assert order.status == current
        assert product.stock == 100


@pytest.mark.parametrize(("current", "target"), PAIRS, ids=lambda status: status)
def test_one_order_is_refused_with_a_business_rule_error(store, current, target):
    order = _order(ProductFactory(stock=10), status=current)
    if (current, target) in ALLOWED:
        assert order_set_status(order=order, status=target).status == target
        order.refresh_from_db()
        assert order.status == target
    else:
        with pytest.raises(BusinessRuleError) as refused:
            order_set_status(order=order, status=target)
        assert refused.value.code == REFUSAL_CODES[(current, target)]
        order.refresh_from_db()
        assert order.status == current


def test_the_messages_say_why(store):
    product = ProductFactory(stock=10)
    for number, status in (
        ("CMD-2026-000001", SHIPPED),
        ("CMD-2026-000002", DELIVERED),
        ("CMD-2026-000003", CONFIRMED),
    ):
        _order(product, number=number, status=status)

    change = orders_set_status(orders=Order.objects.all(), status=CONFIRMED)

    assert change == StatusChange(
        0,
        [
            Refusal(
                "CMD-2026-000001",
                "order_status_backwards",
                "Order CMD-2026-000001 is “Shipped”: it cannot go back to “Confirmed”.",
            ),
            Refusal(
                "CMD-2026-000002",
                "order_status_final",
                "Order CMD-2026-000002 is “Delivered”: its status can no longer change.",
            ),
            Refusal(
                "CMD-2026-000003",
                "order_status_unchanged",
                "Order CMD-2026-000003 is already “Confirmed”.",
            ),
        ],
    )


def test_an_unknown_status_is_refused_before_anything_changes(store):
    order = _order(ProductFactory(stock=10))
    for status in ("lost", "", "Cancelled"):
        with pytest.raises(BusinessRuleError) as refused:
            orders_set_status(orders=Order.objects.all(), status=status)
        assert refused.value.code == "unknown_order_status"
        with pytest.raises(BusinessRuleError) as refused:
            order_set_status(order=order, status=status)
        assert refused.value.code == "unknown_order_status"
    order.refresh_from_db()
    assert order.status == PLACED


def test_allowed_statuses_follow_the_workflow():
    assert allowed_statuses(PLACED) == [CONFIRMED, SHIPPED, DELIVERED, CANCELLED]
    assert allowed_statuses(CONFIRMED) == [SHIPPED, DELIVERED, CANCELLED]
    assert allowed_statuses(SHIPPED) == [DELIVERED, CANCELLED]
    assert allowed_statuses(DELIVERED) == []
    assert allowed_statuses(CANCELLED) == []


def test_a_mixed_selection_changes_the_allowed_orders_and_names_the_others(store):
    product = ProductFactory(stock=0)
    placed = _order(product, 1, number="CMD-2026-000010")
    confirmed = _order(product, 2, number="CMD-2026-000011", status=CONFIRMED)
    delivered = _order(product, 4, number="CMD-2026-000012", status=DELIVERED)
    cancelled = _order(product, 8, number="CMD-2026-000013", status=CANCELLED)

    change = orders_set_status(orders=Order.objects.all(), status=CANCELLED)

    assert change.changed == 2
    assert [(r.number, r.code) for r in change.refused] == [
        ("CMD-2026-000012", "order_status_final"),
        ("CMD-2026-000013", "order_status_unchanged"),
    ]
    statuses = dict(Order.objects.values_list("pk", "status"))
    assert statuses == {
        placed.pk: CANCELLED,
        confirmed.pk: CANCELLED,
        delivered.pk: DELIVERED,
        cancelled.pk: CANCELLED,
    }
    product.refresh_from_db()
    assert product.stock == 1 + 2  # only the two orders that were cancelled now


# Stock


def test_cancelling_restores_every_line_whose_product_still_exists(store):
    screws = ProductFactory(sku="SCR-100", stock=500)
    gloves = ProductFactory(sku="GLV-12", stock=0)
    gone = ProductFactory(sku="OLD-1", stock=7)
    untouched = ProductFactory(sku="DRL-1", stock=3)
    first = create_order(
        company=CompanyFactory(),
        items=[
            (screws, 24, Decimal("4.20")),
            (gloves, 12, Decimal("3.3333")),
            (gone, 5, Decimal("1.00")),
        ],
    )
    second = create_order(
        company=CompanyFactory(),
        items=[(screws, 100, Decimal("3.50")), (screws, 6, Decimal("3.90"))],
        status=SHIPPED,
    )
    other = create_order(company=CompanyFactory(), items=[(untouched, 2, Decimal("89.90"))])
    gone.delete()
    assert first.lines.filter(product=None).count() == 1

    change = orders_set_status(
        orders=Order.objects.filter(pk__in=[first.pk, second.pk]), status=CANCELLED
    )

    assert change == StatusChange(2, [])
    stock = dict(Product.objects.values_list("sku", "stock"))
    assert stock == {"SCR-100": 500 + 24 + 100 + 6, "GLV-12": 12, "DRL-1": 3}
    other.refresh_from_db()
    assert other.status == PLACED


def test_moving_on_without_cancelling_leaves_stock_alone(store):
    product = ProductFactory(stock=40)
    order = _order(product, 24)
    for status in (CONFIRMED, SHIPPED, DELIVERED):
        assert orders_set_status(orders=Order.objects.all(), status=status).changed == 1
    product.refresh_from_db()
    assert product.stock == 40
    order.refresh_from_db()
    assert order.status == DELIVERED


def test_cancelling_twice_restores_stock_once(store):
    product = ProductFactory(stock=10)
    orders = [_order(product, 3), _order(product, 4, status=SHIPPED)]
    selection = Order.objects.filter(pk__in=[order.pk for order in orders])

    assert orders_set_status(orders=selection, status=CANCELLED).changed == 2
    again = orders_set_status(orders=selection, status=CANCELLED)

    assert again.changed == 0
    assert {refusal.code for refusal in again.refused} == {"order_status_unchanged"}
    product.refresh_from_db()
    assert product.stock == 10 + 3 + 4
    with pytest.raises(BusinessRuleError) as refused:
        order_set_status(order=orders[0], status=CANCELLED)
    assert refused.value.code == "order_status_unchanged"
    product.refresh_from_db()
    assert product.stock == 17


@pytest.mark.django_db(transaction=True)
def test_two_cancellations_at_the_same_time_restore_stock_once():
    """Two connections cancel the same orders at once: the row locks make one of them wait,
    and then it finds the orders cancelled."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no row locks: its IMMEDIATE transactions run one at a time")
    from tests.factories import StoreFactory

    StoreFactory()
    product = ProductFactory(stock=10)
    other = ProductFactory(stock=0)
    ids = [
        create_order(
            company=CompanyFactory(),
            items=[(product, 5, Decimal("2.00")), (other, n, Decimal("1.00"))],
        ).pk
        for n in (1, 2, 3)
    ]
    start = threading.Barrier(2)
    results, errors = [], []

    def cancel():
        try:
            start.wait()
            results.append(
                orders_set_status(orders=Order.objects.filter(pk__in=ids), status=CANCELLED)
            )
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=cancel) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert sorted(result.changed for result in results) == [0, 3]
    assert sorted(len(result.refused) for result in results) == [0, 3]
    product.refresh_from_db()
    other.refresh_from_db()
    assert (product.stock, other.stock) == (10 + 15, 6)


@pytest.mark.parametrize("target", [CONFIRMED, CANCELLED])
def test_queries_do_not_grow_with_the_number_of_orders(
    store, django_assert_max_num_queries, target
):
    products = ProductFactory.create_batch(3, stock=5)

    def make(count):
        return [
            create_order(
                company=CompanyFactory(), items=[(p, 2, Decimal("1.50")) for p in products]
            ).pk
            for _ in range(count)
        ]

    # lock and read the orders, sum their lines, lock the products, update them, the orders;
    # and the savepoint of the test's transaction; then the webhook events (webhooks/events.py):
    # the orders as the API shows them (orders, lines, tax lines), their resources' last
    # sequence, the events, the endpoints
    ids = make(1)
    with django_assert_max_num_queries(13):
        one = orders_set_status(orders=Order.objects.filter(pk__in=ids), status=target)
    ids = make(50)
    with django_assert_max_num_queries(13):
        fifty = orders_set_status(orders=Order.objects.filter(pk__in=ids), status=target)
    assert (one.changed, fifty.changed) == (1, 50)
    expected = 5 + 2 * 51 if target == CANCELLED else 5
    assert set(Product.objects.values_list("stock", flat=True)) == {expected}
