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


def test_the_sweep_sends_confirmations_whose_task_was_lost(shop, settings):
    """A queue down at commit time (or a worker killed then) loses the task, never the e-mail."""
    import datetime

    from django.utils import timezone

    from comptoir.ordering.tasks import sweep_unsent_confirmations

    item = [(shop.products["SCR-100"], 10, Decimal("3.90"))]
    now = timezone.now()
    lost = create_order(
        company=shop.company,
        buyer=shop.buyer,
        items=item,
        placed_at=now - datetime.timedelta(minutes=30),
    )
    just_placed = create_order(company=shop.company, buyer=shop.buyer, items=item, placed_at=now)
    old = create_order(
        company=shop.company,
        buyer=shop.buyer,
        items=item,
        placed_at=now - datetime.timedelta(days=30),
    )

    assert sweep_unsent_confirmations.call() == {"enqueued": 1}

    assert [m.subject for m in mail.outbox] == [f"Order {lost.number} received"]
    for order, sent in ((lost, True), (just_placed, False), (old, False)):
        order.refresh_from_db()
        assert (order.confirmation_sent_at is not None) is sent
    assert sweep_unsent_confirmations.call() == {"enqueued": 0}
    assert len(mail.outbox) == 1


def test_orders_loaded_from_a_bundle_count_as_confirmed(db, tmp_path):
    from django.core.management import call_command

    from comptoir.ordering.models import Order

    call_command("load_store", "demo/store.json", verbosity=0)
    assert not Order.objects.filter(confirmation_sent_at=None).exists()
