"""Two buyers of one location placing at once against a budget with room for one order
(issue 16): exactly one order is placed; the other is refused (`budget_exceeded`) or sent for
approval, as the budget says. Placement locks the company row before it adds up what the
budget has spent, so the second placement counts the first.

The threads race as in test_placement_concurrency.py (its fixture gives SQLite a file; on
PostgreSQL the row locks decide).
"""

from collections import Counter
from decimal import Decimal

import pytest

from comptoir.accounts.access import viewer_for
from comptoir.accounts.models import User
from comptoir.accounts.permissions import APPROVER
from comptoir.approvals.models import ApprovalRequest, Budget
from comptoir.catalog.models import TaxClass
from comptoir.core.errors import BusinessRuleError
from comptoir.core.selectors import get_store
from comptoir.customers.models import Location
from comptoir.ordering.models import Order
from comptoir.ordering.placement import CheckoutRequest, Placement, order_place
from comptoir.ordering.services import cart_set_line
from tests.factories import (
    AddressFactory,
    CompanyFactory,
    CustomerGroupFactory,
    PaymentMethodFactory,
    PriceEntryFactory,
    ProductFactory,
    ShippingMethodFactory,
    TaxRateFactory,
    UserFactory,
)
from tests.test_placement_concurrency import _threads_share_a_file, in_threads

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

__all__ = ["_threads_share_a_file"]  # the module fixture that gives SQLite threads a file

CHECKOUT = CheckoutRequest(shipping_method="STD", payment_method="TRANSFER", location="LYON")


@pytest.fixture
def site(store):
    """ACME's Lyon site and its two buyers, each with a cart of 400.00 + 15.00 shipping + 20 %
    tax = 498.00 (a pump each); an approver. Stock is plenty: only the budget can stop an
    order."""
    TaxRateFactory(country="FR", tax_class=TaxClass.STANDARD, rate=Decimal("20.00"))
    ShippingMethodFactory(code="STD", name="Standard", price=Decimal("15.00"), free_above=None)
    PaymentMethodFactory(code="TRANSFER", name="Bank transfer")
    for sku in ("PUMP-0", "PUMP-1"):
        product = ProductFactory(sku=sku, tax_class=TaxClass.STANDARD, stock=100)
        PriceEntryFactory(
            price_list=store.base_price_list, product=product, price=Decimal("400.00")
        )
    company = CompanyFactory(code="ACME", group=CustomerGroupFactory(code="PRO"))
    lyon = Location.objects.create(company=company, code="LYON", name="Lyon")
    AddressFactory(company=company, location=lyon, code="LYON-1", country="FR")
    buyers = [UserFactory(company=company, email=f"buyer{n}@acme.example") for n in range(2)]
    UserFactory(company=company, email="approver@acme.example", role=APPROVER)
    # Each buyer orders a product of their own: no product row lock orders them.
    for n, user in enumerate(buyers):
        cart_set_line(viewer=viewer_for(store, user), sku=f"PUMP-{n}", quantity=1)
    return company, lyon, buyers


def placer(user_id: int):
    user = User.objects.select_related("company__group").get(pk=user_id)
    viewer = viewer_for(get_store(), user)
    return lambda: order_place(viewer=viewer, request=CHECKOUT)


@pytest.mark.parametrize("over_budget", ["refuse", "approval"])
def test_two_buyers_of_one_location_and_a_budget_with_room_for_one(site, over_budget):
    company, lyon, buyers = site
    Budget.objects.create(
        company=company, location=lyon, amount=Decimal("600.00"), over_budget=over_budget
    )

    outcomes = in_threads(2, lambda index: placer(buyers[index].pk))

    placements = [o for o in outcomes if isinstance(o, Placement)]
    errors = [o for o in outcomes if not isinstance(o, Placement)]
    assert all(isinstance(error, BusinessRuleError) for error in errors), errors
    orders = Order.objects.all()
    assert [order.total for order in orders] == [Decimal("498.00")]
    if over_budget == "refuse":
        assert Counter(error.code for error in errors) == {"budget_exceeded": 1}
        assert len(placements) == 1
        assert not ApprovalRequest.objects.exists()
    else:
        assert not errors
        assert sorted(p.approval is not None for p in placements) == [False, True]
        waiting = ApprovalRequest.objects.get()
        assert waiting.budget_exceeded and waiting.total == Decimal("498.00")
        assert waiting.requester_id != orders[0].buyer_id
