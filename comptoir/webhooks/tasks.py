"""Background tasks of webhooks (Django tasks API): one task per delivery attempt, and a sweep
every minute that sends whatever is due and was not (or no longer is) in the queue: an
enqueue lost after the commit, a worker killed mid-send, a retry whose time has come."""

import datetime
import logging

from django.utils import timezone
from django_tasks import task

from comptoir.core.daily_tasks import run_every
from comptoir.webhooks import delivery, selectors, services

logger = logging.getLogger(__name__)

SWEEP_EVERY = datetime.timedelta(minutes=1)
# A delivery due for less than this is still on its way through the queue (enqueued on
# commit, or a retry deferred to its time): the sweep leaves it to that task, so that a busy
# queue is not filled with copies.
SWEEP_GRACE = datetime.timedelta(minutes=1)


@task()
def deliver(delivery_id: int) -> bool:
    """One attempt, if the delivery is due and first of its resource; True when delivered.
    Running it twice for one attempt sends once: the second finds it claimed."""
    claim = delivery.claim(delivery_id)
    if claim is None:
        return False
    outcome = delivery.send(claim)
    return services.delivery_record(claim, outcome).delivered_at is not None


def sweep() -> dict:
    """Enqueues every delivery due for a minute or more (first of its resource, endpoint
    active)."""
    due = selectors.due_deliveries(timezone.now() - SWEEP_GRACE)
    for pk in due:
        deliver.enqueue(pk)
    if due:
        logger.info("Webhook sweep enqueued %d due deliveries", len(due))
    return {"enqueued": len(due)}


@task()
def sweep_deliveries() -> dict:
    """Every minute: the due deliveries are enqueued (again); a delivery is claimed by one
    attempt at a time, so a duplicate in the queue sends nothing twice."""
    return run_every(sweep_deliveries, SWEEP_EVERY, sweep)
