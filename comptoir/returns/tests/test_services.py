"""Returns: the window, the quantities, the transitions, restocking and the credit note."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail

from comptoir.accounts.access import viewer_for
from comptoir.core.errors import BusinessRuleError
from comptoir.core.selectors import get_store, store_today
from comptoir.ordering.models import Order
from comptoir.returns import states
from comptoir.returns.services import (
    ReturnAsk,
    return_accept,
    return_cancel,
    return_credit,
    return_receive,
    return_refuse,
    return_request,
)
from tests.factories import CompanyFactory, StaffUserFactory, UserFactory

pytestmark = pytest.mark.django_db


def lines_of(order):
    return {line.sku: line.pk for line in order.lines.all()}


def ask(shop, order, quantities, reason="damaged", user=None):
    ids = lines_of(order)
    return return_request(
        viewer=viewer_for(get_store(), user or shop.buyer),
        order_number=order.number,
        ask=ReturnAsk(quantities={ids[sku]: q for sku, q in quantities.items()}, reason=reason),
    )


def test_a_return_through_to_its_credit_note(shop, delivered, django_capture_on_commit_callbacks):
    clerk = StaffUserFactory()
    shop.products["SCR-100"].refresh_from_db()
    stock = shop.products["SCR-100"].stock
    request = ask(shop, delivered, {"SCR-100": 40, "MNL-1": 1})
    assert request.number == f"RMA-{store_today(get_store()).year}-000001"
    assert request.state == states.REQUESTED

    with django_capture_on_commit_callbacks(execute=True):
        return_accept(request=request, user=clerk, message="Send them back to Lyon.")
        return_receive(request=request, user=clerk, restock=True)
        return_credit(request=request, user=clerk)

    request.refresh_from_db()
    assert request.state == states.CREDITED
    assert request.restocked is True
    shop.products["SCR-100"].refresh_from_db()
    assert shop.products["SCR-100"].stock == stock + 40
    note = request.credit_note
    assert (note.total, note.kind, note.reason) == (
        Decimal("180.66"),
        "lines",
        f"Return {request.number}",
    )
    assert [e.to_state for e in request.events.all()] == [
        "requested",
        "accepted",
        "received",
        "credited",
    ]
    assert [m.subject for m in mail.outbox] == [
        f"Return {request.number}: Accepted",
        f"Return {request.number}: Received",
        f"Return {request.number}: Credited",
    ]
    assert "Send them back to Lyon." in mail.outbox[0].body
    assert note.number in mail.outbox[2].body


def test_a_buyer_reading_french_gets_french_mail(
    shop, delivered, django_capture_on_commit_callbacks
):
    shop.buyer.language = "fr"
    shop.buyer.save()
    request = ask(shop, delivered, {"SCR-100": 1})
    with django_capture_on_commit_callbacks(execute=True):
        return_refuse(request=request, user=StaffUserFactory(), message="Hors délai.")
    assert mail.outbox[0].subject == f"Retour {request.number}{chr(0xA0)}: Refusé"


def test_restocking_a_line_bought_in_a_packaging_gives_back_its_base_units(shop, delivered):
    # The 3 MNL-1 as if bought in cases of 12: the stock counts binders.
    delivered.lines.filter(sku="MNL-1").update(unit="case", base_quantity=36, base_unit="")
    binders = shop.products["MNL-1"]
    binders.refresh_from_db()
    stock, updated = binders.stock, binders.updated_at
    request = ask(shop, delivered, {"MNL-1": 2})
    return_accept(request=request, user=None)
    return_receive(request=request, user=None, restock=True)
    binders.refresh_from_db()
    assert binders.stock == stock + 24
    assert binders.updated_at > updated


def test_not_restocked_leaves_the_stock(shop, delivered):
    shop.products["SCR-100"].refresh_from_db()
    stock = shop.products["SCR-100"].stock
    request = ask(shop, delivered, {"SCR-100": 10})
    return_accept(request=request, user=None)
    return_receive(request=request, user=None, restock=False)
    shop.products["SCR-100"].refresh_from_db()
    assert shop.products["SCR-100"].stock == stock


@pytest.mark.parametrize(
    ("moves", "target", "code"),
    [
        ([], "receive", "return_transition_refused"),
        ([], "credit", "return_transition_refused"),
        (["refuse"], "accept", "return_final"),
        (["accept"], "accept", "return_transition_refused"),
        (["accept", "receive"], "refuse", "return_transition_refused"),
        (["cancel"], "accept", "return_final"),
    ],
)
def test_illegal_transitions_are_refused(shop, delivered, moves, target, code):
    request = ask(shop, delivered, {"SCR-100": 2})
    viewer = viewer_for(get_store(), shop.buyer)
    calls = {
        "accept": lambda: return_accept(request=request, user=None),
        "refuse": lambda: return_refuse(request=request, user=None, message="No"),
        "receive": lambda: return_receive(request=request, user=None, restock=False),
        "credit": lambda: return_credit(request=request, user=None),
        "cancel": lambda: return_cancel(viewer=viewer, request=request),
    }
    for move in moves:
        calls[move]()
    state = request.state
    with pytest.raises(BusinessRuleError) as refused:
        calls[target]()
    assert refused.value.code == code
    request.refresh_from_db()
    assert request.state == state
    assert request.credit_note is None


def test_quantities_beyond_what_was_delivered_are_refused(shop, delivered):
    ask(shop, delivered, {"SCR-100": 100})
    with pytest.raises(BusinessRuleError) as refused:
        ask(shop, delivered, {"SCR-100": 21})
    assert refused.value.code == "return_quantity_above_delivered"
    assert refused.value.message == "21 × SCR-100 is more than the 20 that may still be returned."
    assert ask(shop, delivered, {"SCR-100": 20}).lines.get().quantity == 20


def test_a_refused_return_gives_its_units_back(shop, delivered):
    first = ask(shop, delivered, {"MNL-1": 3})
    return_refuse(request=first, user=None, message="Opened")
    assert ask(shop, delivered, {"MNL-1": 3}).state == states.REQUESTED


def test_the_return_window(shop, delivered):
    store = get_store()
    today = store_today(store)
    Order.objects.filter(pk=delivered.pk).update(delivered_on=today - datetime.timedelta(days=31))
    with pytest.raises(BusinessRuleError) as refused:
        ask(shop, delivered, {"SCR-100": 1})
    assert refused.value.code == "return_window_over"
    Order.objects.filter(pk=delivered.pk).update(delivered_on=today - datetime.timedelta(days=30))
    assert ask(shop, delivered, {"SCR-100": 1}).state == states.REQUESTED
    store.return_window_days = 0
    store.save()
    with pytest.raises(BusinessRuleError) as refused:
        ask(shop, delivered, {"SCR-100": 1})
    assert refused.value.code == "returns_closed"


@pytest.mark.parametrize(
    ("quantities", "reason", "code"),
    [
        ({}, "damaged", "return_no_lines"),
        ({"SCR-100": 0}, "damaged", "return_quantity_not_positive"),
        ({"SCR-100": 1}, "bored", "return_reason_unknown"),
    ],
)
def test_bad_requests_write_nothing(shop, delivered, quantities, reason, code):
    with pytest.raises(BusinessRuleError) as refused:
        ask(shop, delivered, quantities, reason=reason)
    assert refused.value.code == code
    assert not delivered.returns.exists()


def test_an_order_not_delivered_or_of_another_company(shop):
    from .conftest import place

    order = place(shop, ("SCR-100", 120), payment="INVOICE30")
    with pytest.raises(BusinessRuleError) as refused:
        ask(shop, order, {"SCR-100": 1})
    assert refused.value.code == "order_not_delivered"
    stranger = UserFactory(company=CompanyFactory(group=shop.group))
    with pytest.raises(BusinessRuleError) as refused:
        ask(shop, order, {"SCR-100": 1}, user=stranger)
    assert refused.value.code == "not_found"
