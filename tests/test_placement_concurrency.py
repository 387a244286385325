"""Placements racing each other (DESIGN.md "Orders"): no overselling, one order per key.

Every call runs in a thread of its own, so with a database connection of its own, and all
threads start placing at the same moment (a `threading.Barrier`). The transactions really
overlap: on PostgreSQL they queue on the row locks, on SQLite on the write lock that
`BEGIN IMMEDIATE` takes (settings.py), within the 20 s busy timeout.

SQLite: pytest-django's test database is in memory, shared between connections through
SQLite's shared cache (`file:memorydb_default?mode=memory&cache=shared`). The shared cache
locks tables instead of the database and answers a second writer "database table is
locked" at once, without waiting for the busy timeout, and it has no WAL. So the threads
of this module use a copy of the test database in a file, which `_threads_share_a_file`
makes (`sqlite3` backup API, no migrations to run again) and puts in place of the
in-memory database for this module only; the rest of the suite keeps the fast in-memory
database. On PostgreSQL the fixture does nothing.
"""

import sqlite3
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.db import DEFAULT_DB_ALIAS, connections

from comptoir.accounts.access import viewer_for
from comptoir.accounts.models import User
from comptoir.catalog.models import Product, TaxClass
from comptoir.core.errors import BusinessRuleError
from comptoir.core.selectors import get_store
from comptoir.ordering.models import CartLine, Order, OrderLine, PlacementKey
from comptoir.ordering.placement import CheckoutRequest, Placement, order_place
from comptoir.ordering.services import cart_add_lines, cart_set_line
from tests.factories import (
    AddressFactory,
    CategoryFactory,
    CompanyFactory,
    CustomerGroupFactory,
    PaymentMethodFactory,
    PriceEntryFactory,
    ProductFactory,
    ShippingMethodFactory,
    TaxRateFactory,
    UserFactory,
)

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

CHECKOUT = CheckoutRequest(shipping_method="STD", payment_method="TRANSFER")
BARRIER_TIMEOUT = 60  # seconds: a thread that never arrives breaks the barrier, not the run


@pytest.fixture(scope="module", autouse=True)
def _threads_share_a_file(django_db_setup, django_db_blocker, tmp_path_factory):
    """On SQLite, this module's test database is a file copy of the in-memory one."""
    memory = connections[DEFAULT_DB_ALIAS]
    if memory.vendor != "sqlite" or not memory.is_in_memory_db():
        yield
        return
    path = tmp_path_factory.mktemp("placement-concurrency") / "test.sqlite3"
    with django_db_blocker.unblock():
        memory.ensure_connection()
        with sqlite3.connect(path) as copy:
            memory.connection.backup(copy)
        copy.close()
    memory_settings = connections.settings[DEFAULT_DB_ALIAS]
    # New connections (every thread's) read these settings; this thread gets one now. The
    # in-memory connection stays open aside: closing it would drop the suite's database.
    connections.settings[DEFAULT_DB_ALIAS] = {**memory_settings, "NAME": str(path)}
    connections[DEFAULT_DB_ALIAS] = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        yield
    finally:
        connections[DEFAULT_DB_ALIAS].close()
        connections.settings[DEFAULT_DB_ALIAS] = memory_settings
        connections[DEFAULT_DB_ALIAS] = memory


@pytest.fixture
def shop(store):
    """A store in France (minimum order 150.00) selling one product at 200.00, stock 10."""
    TaxRateFactory(country="FR", tax_class=TaxClass.STANDARD, rate=Decimal("20.00"))
    ShippingMethodFactory(code="STD", name="Standard", price=Decimal("15.00"), free_above=None)
    PaymentMethodFactory(code="TRANSFER", name="Bank transfer")
    product = ProductFactory(
        sku="CBL-25",
        name="Copper cable 2.5 mm², 100 m reel",
        category=CategoryFactory(code="ELECTRICAL", name="Electrical supplies"),
        tax_class=TaxClass.STANDARD,
        stock=10,
        backorder=False,
    )
    PriceEntryFactory(price_list=store.base_price_list, product=product, price=Decimal("200.00"))
    return product


def buyers(count: int) -> list[User]:
    """`count` buyers, each of an approved company of its own, in one group, with an address."""
    group = CustomerGroupFactory(code="INSTALLERS", name="Installers")
    users = []
    for n in range(count):
        company = CompanyFactory(code=f"C{n:03d}", name=f"Installer {n}", group=group)
        AddressFactory(company=company, code="HQ", position=0, country="FR")
        users.append(UserFactory(company=company, email=f"buyer{n}@installer{n}.example"))
    return users


def in_threads(count: int, call):
    """`count` threads, each with a connection of its own, racing from the same moment.

    In each thread `call(index)` makes its reads and returns the racer; once every thread
    is ready, the racers run at once. Returns each racer's result or the exception it
    raised, in index order.
    """
    barrier = threading.Barrier(count)

    def run(index):
        try:
            try:
                racer = call(index)  # the reads before the race (viewer...); returns the racer
            except BaseException:
                barrier.abort()  # the others stop waiting; the test fails with this error
                raise
            barrier.wait(BARRIER_TIMEOUT)
            try:
                return racer()
            except Exception as error:  # every outcome is looked at, errors included
                return error
        finally:
            connections.close_all()  # this thread's connection

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def placer(user_id: int, key: str | None = None):
    """A thread's own viewer, then the placement to race with."""
    store = get_store()
    user = User.objects.select_related("company__group").get(pk=user_id)
    viewer = viewer_for(store, user)
    return lambda: order_place(viewer=viewer, request=CHECKOUT, key=key)


def test_twenty_buyers_racing_for_ten_units_get_ten_orders(shop, store):
    users = buyers(20)
    for user in users:
        cart_set_line(viewer=viewer_for(store, user), sku=shop.sku, quantity=1)

    outcomes = in_threads(20, lambda index: placer(users[index].pk))

    placed = [outcome for outcome in outcomes if isinstance(outcome, Placement)]
    refused = [outcome for outcome in outcomes if not isinstance(outcome, Placement)]
    assert all(isinstance(error, BusinessRuleError) for error in refused), refused
    assert Counter(error.code for error in refused) == {"insufficient_stock": 10}
    assert len(placed) == 10
    assert all(placement.created for placement in placed)
    shop.refresh_from_db()
    assert shop.stock == 0
    assert Order.objects.count() == 10
    assert OrderLine.objects.filter(product=shop, quantity=1).count() == 10
    numbers = sorted(placement.order.number for placement in placed)
    assert numbers == sorted(Order.objects.values_list("number", flat=True))
    assert [int(number[-6:]) for number in numbers] == list(range(1, 11))
    # The winners' carts were emptied; the others keep their line to fix it.
    winners = {placement.order.buyer_id for placement in placed}
    assert set(CartLine.objects.values_list("cart__buyer_id", flat=True)) == (
        {user.pk for user in users} - winners
    )


def test_one_key_sent_ten_times_at_once_places_one_order(shop, store):
    (user,) = buyers(1)
    cart_set_line(viewer=viewer_for(store, user), sku=shop.sku, quantity=2)

    outcomes = in_threads(10, lambda _index: placer(user.pk, key="retry-7f3a"))

    assert all(isinstance(outcome, Placement) for outcome in outcomes), outcomes
    order = Order.objects.get()
    assert {outcome.order.number for outcome in outcomes} == {order.number}
    assert sum(outcome.created for outcome in outcomes) == 1
    assert Product.objects.get(pk=shop.pk).stock == 8
    assert PlacementKey.objects.get().order == order
    assert not CartLine.objects.exists()


def test_editing_the_cart_while_it_is_placed_never_deadlocks(shop, store):
    """Edits and placement both lock the cart row first; either may win, neither fails."""
    (user,) = buyers(1)
    products = [ProductFactory(sku=f"EDIT-{n:02d}", stock=100_000) for n in range(30)]
    for product in products:
        PriceEntryFactory(price_list=store.base_price_list, product=product, price=Decimal("10"))

    def racer(index):
        viewer = viewer_for(store, User.objects.select_related("company__group").get(pk=user.pk))
        if index == 0:
            return lambda: order_place(viewer=viewer, request=CHECKOUT)
        return lambda: [
            cart_set_line(viewer=viewer, sku=products[-1].sku, quantity=quantity)
            for quantity in range(2, 8)
        ]

    for _round in range(5):
        cart_add_lines(
            viewer=viewer_for(store, user),
            rows=[(n, product.sku, 1) for n, product in enumerate(products)],
            mode="replace",
        )
        placement, edits = in_threads(2, racer)
        assert isinstance(placement, Placement), placement
        assert not isinstance(edits, Exception), edits


def test_colleagues_ordering_at_once_never_exceed_the_companys_credit(shop, store):
    """Two buyers of one company, credit for one order only: one placed, one refused."""
    PaymentMethodFactory(code="NET30", name="Invoice, 30 days", invoice=True)
    (first,) = buyers(1)
    company = first.company
    company.credit_limit = Decimal("300.00")  # one order of 200.00 + 15.00 + 20 % = 258.00
    company.save()
    second = UserFactory(company=company, email="second@installer0.example")
    # Different products, so that no product lock orders the two placements.
    other = ProductFactory(sku="CBL-15", category=shop.category, tax_class=TaxClass.STANDARD)
    PriceEntryFactory(price_list=store.base_price_list, product=other, price=Decimal("200.00"))
    cart_set_line(viewer=viewer_for(store, first), sku=shop.sku, quantity=1)
    cart_set_line(viewer=viewer_for(store, second), sku=other.sku, quantity=1)
    on_terms = CheckoutRequest(shipping_method="STD", payment_method="NET30")

    def racer(index):
        user = User.objects.select_related("company__group").get(pk=(first, second)[index].pk)
        viewer = viewer_for(store, user)
        return lambda: order_place(viewer=viewer, request=on_terms)

    outcomes = in_threads(2, racer)

    placed = [o for o in outcomes if isinstance(o, Placement)]
    refused = [o for o in outcomes if not isinstance(o, Placement)]
    assert len(placed) == 1, outcomes
    assert [error.code for error in refused] == ["credit_limit_exceeded"], refused
