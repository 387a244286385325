"""Background tasks of the ordering area (Django tasks API)."""

import datetime
import logging

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from comptoir.core.daily_tasks import run_every
from comptoir.ordering import notifications
from comptoir.ordering.models import Order

logger = logging.getLogger(__name__)


@task()
def send_order_confirmation(order_id: int) -> bool:
    """E-mail the buyer its order once, however many times the task is delivered.

    The order row is locked while the e-mail leaves and marked sent in the same transaction:
    a second delivery waits, then finds it sent; a failed send leaves it unsent for a retry.
    """
    with transaction.atomic():
        order = Order.objects.select_for_update().filter(pk=order_id).first()
        if order is None or order.confirmation_sent_at is not None:
            return False
        notifications.order_placed(order.pk)
        order.confirmation_sent_at = timezone.now()
        order.save(update_fields=["confirmation_sent_at"])
    return True


SWEEP_EVERY = datetime.timedelta(minutes=10)
# Older than this, an order without its confirmation lost its task (queue down, a worker
# killed between the commit and the enqueue); younger, its task may still be on its way.
SWEEP_GRACE = datetime.timedelta(minutes=5)
# Orders further back were not placed here recently (bundles, imports): never e-mail them.
SWEEP_WINDOW = datetime.timedelta(days=2)
SWEEP_BATCH = 500


def unsent_confirmations(now: datetime.datetime) -> list[int]:
    return list(
        Order.objects.filter(
            confirmation_sent_at=None,
            buyer__isnull=False,
            placed_at__lt=now - SWEEP_GRACE,
            placed_at__gte=now - SWEEP_WINDOW,
        )
        .order_by("placed_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )


def _sweep() -> dict:
    pending = unsent_confirmations(timezone.now())
    for order_id in pending:
        send_order_confirmation.enqueue(order_id)
    if pending:
        logger.warning("Re-enqueued %d order confirmations that never left", len(pending))
    return {"enqueued": len(pending)}


@task()
def sweep_unsent_confirmations() -> dict:
    """Every 10 minutes: confirmations whose task was lost are enqueued again; sending
    twice is impossible (send_order_confirmation sends once per order)."""
    return run_every(sweep_unsent_confirmations, SWEEP_EVERY, _sweep)
