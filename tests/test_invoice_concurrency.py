"""Invoice numbers under concurrent placements: unique and without gaps (issue 7).

The threads, their connections, the barrier and the SQLite file copy are those of
tests/test_placement_concurrency.py (its fixtures are imported here). The store invoices on
placement, so each order's invoice is numbered inside the placement's transaction, from the
counter row that stays locked until that transaction ends; the placements that fail
(stock) roll back before any number is taken.
"""

from collections import Counter
from decimal import Decimal

import pytest

from comptoir.accounts.access import viewer_for
from comptoir.core.errors import BusinessRuleError
from comptoir.core.selectors import store_today
from comptoir.ordering.models import Order
from comptoir.ordering.placement import Placement
from comptoir.ordering.services import cart_set_line
from comptoir.payments.models import Invoice, InvoiceCounter
from tests.test_placement_concurrency import (  # noqa: F401 (fixtures)
    _threads_share_a_file,
    buyers,
    in_threads,
    placer,
    shop,
)

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


def test_twenty_racing_placements_get_consecutive_invoice_numbers(shop, store):  # noqa: F811
    users = buyers(20)
    for user in users:
        cart_set_line(viewer=viewer_for(store, user), sku=shop.sku, quantity=1)

    outcomes = in_threads(20, lambda index: placer(users[index].pk))

    placed = [outcome for outcome in outcomes if isinstance(outcome, Placement)]
    refused = [outcome for outcome in outcomes if not isinstance(outcome, Placement)]
    assert all(isinstance(error, BusinessRuleError) for error in refused), refused
    assert Counter(error.code for error in refused) == {"insufficient_stock": 10}
    year = store_today(store).year
    numbers = sorted(Invoice.objects.values_list("number", flat=True))
    assert numbers == [f"FAC-{year}-{n:06d}" for n in range(1, 11)]
    assert InvoiceCounter.objects.get(year=year).last == 10
    # One invoice per order, of that order's company and total.
    invoices = Invoice.objects.select_related("order")
    assert {invoice.order.number for invoice in invoices} == {
        placement.order.number for placement in placed
    }
    assert all(
        (invoice.company_id, invoice.total) == (invoice.order.company_id, invoice.order.total)
        for invoice in invoices
    )
    assert set(Order.objects.values_list("total", flat=True)) == {Decimal("258.00")}
