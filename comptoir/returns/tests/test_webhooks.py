"""Each step of a return the merchant's ERP acts on is a webhook event recorded with the
change (return.requested, .accepted, .refused, .received), keyed by the return's number; a
refused request records none."""

import pytest

from comptoir.accounts.access import viewer_for
from comptoir.core.errors import BusinessRuleError
from comptoir.core.selectors import get_store
from comptoir.returns.services import (
    ReturnAsk,
    return_accept,
    return_credit,
    return_receive,
    return_refuse,
    return_request,
)
from comptoir.webhooks import services as webhook_services
from comptoir.webhooks.models import SUBSCRIBABLE, Delivery, Endpoint, Event
from tests.factories import StaffUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def endpoint(db):
    return webhook_services.endpoint_save(
        endpoint=Endpoint(
            url="https://erp.example.com/comptoir",
            event_types=[value for value, _label in SUBSCRIBABLE],
        )
    )


def ask(shop, order, quantity):
    line = order.lines.get(sku="SCR-100")
    return return_request(
        viewer=viewer_for(get_store(), shop.buyer),
        order_number=order.number,
        ask=ReturnAsk(quantities={line.pk: quantity}, reason="damaged", comment="Bent heads."),
    )


def return_events():
    return list(
        Event.objects.filter(resource_type="return")
        .order_by("pk")
        .values_list("type", "resource_key", "sequence", "payload__state")
    )


def test_each_step_is_an_event_of_the_return(shop, delivered, endpoint):
    clerk = StaffUserFactory()
    request = ask(shop, delivered, 40)
    return_accept(request=request, user=clerk, message="Send them back to Lyon.")
    return_receive(request=request, user=clerk, restock=True)
    return_credit(request=request, user=clerk)

    number = request.number
    assert return_events() == [
        ("return.requested", number, 1, "requested"),
        ("return.accepted", number, 2, "accepted"),
        ("return.received", number, 3, "received"),
    ]
    requested = Event.objects.get(type="return.requested").payload
    assert (requested["order"], requested["company"], requested["reason"]) == (
        delivered.number,
        delivered.company.code,
        "damaged",
    )
    assert requested["lines"] == [{"sku": "SCR-100", "name": "Wood screws 4x40", "quantity": 40}]
    received = Event.objects.get(type="return.received").payload
    assert received["restocked"] is True
    # The credit note is told by credit_note.issued, keyed by the invoice.
    assert Event.objects.filter(type="credit_note.issued").count() == 1
    assert Delivery.objects.filter(event__resource_type="return").count() == 3


def test_a_refusal_is_an_event_and_a_refused_request_records_none(shop, delivered, endpoint):
    with pytest.raises(BusinessRuleError):
        ask(shop, delivered, 999)
    assert return_events() == []

    request = ask(shop, delivered, 1)
    return_refuse(request=request, user=StaffUserFactory(), message="Out of the window.")

    assert [event[0] for event in return_events()] == ["return.requested", "return.refused"]
    assert Event.objects.get(type="return.refused").payload["decision"] == "Out of the window."
