"""Background tasks of the ordering area (Django tasks API)."""

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from comptoir.ordering import notifications
from comptoir.ordering.models import Order


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
