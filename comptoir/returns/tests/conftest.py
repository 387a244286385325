"""ACME's shop with invoice terms (comptoir/payments/tests/conftest.py) and a delivered,
invoiced order of 120 × SCR-100 at 3.50 and 3 × MNL-1 at 12.00 (559.98)."""

import pytest

from comptoir.ordering.models import OrderStatus
from comptoir.ordering.order_status import order_set_status
from comptoir.payments.tests.conftest import place, shop  # noqa: F401 (fixture and helper)


@pytest.fixture
def delivered(shop):  # noqa: F811
    order = place(shop, ("SCR-100", 120), ("MNL-1", 3), payment="INVOICE30")
    order_set_status(order=order, status=OrderStatus.DELIVERED)
    order.refresh_from_db()
    return order
