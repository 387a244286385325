"""The order confirmation leaves once, however many times its task is delivered."""

from decimal import Decimal

from django.core import mail

from comptoir.ordering.tasks import send_order_confirmation
from tests.factories import create_order


def test_a_confirmation_is_sent_once(shop):
    order = create_order(
        company=shop.company,
        buyer=shop.buyer,
        items=[(shop.products["SCR-100"], 10, Decimal("3.90"))],
    )
    assert send_order_confirmation.call(order.pk) is True
    assert send_order_confirmation.call(order.pk) is False
    (message,) = mail.outbox
    assert order.number in message.subject
    order.refresh_from_db()
    assert order.confirmation_sent_at is not None


def test_placing_an_order_enqueues_its_confirmation(api, shop, django_capture_on_commit_callbacks):
    api.put("/api/v1/cart/lines/SCR-100", {"qty": 120}, content_type="application/json")
    with django_capture_on_commit_callbacks(execute=True):
        number = api.post(
            "/api/v1/checkout", {"payment_method": "TRANSFER"}, content_type="application/json"
        ).json()["number"]
    assert [m.subject for m in mail.outbox] == [f"Order {number} received"]
