"""Writing events into the outbox, in the transaction of the change they describe.

The event and its deliveries (one per active endpoint that wants its type) are rows of the
same transaction as the order, invoice or company they are about: committed together, or
rolled back together. Nothing is sent from here: once the transaction commits, each
delivery is enqueued; if that enqueue is lost (queue down, process killed), the sweep
(tasks.sweep_deliveries) finds the delivery due and sends it anyway.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from comptoir.webhooks import rules
from comptoir.webhooks.models import Delivery, Endpoint, Event
from comptoir.webhooks.signing import new_event_id

# Keys per statement: far below every database's limit on parameters.
BATCH_SIZE = 500


@dataclass(frozen=True)
class NewEvent:
    type: str
    resource_type: str
    resource_key: str
    payload: dict


class OutsideTransaction(RuntimeError):
    """An event recorded outside a transaction could be kept while its change is lost."""


def record_events(events: list[NewEvent], *, endpoint: Endpoint | None = None) -> list[Event]:
    """Writes the events, each numbered after the earlier ones of its resource, and their
    deliveries; `endpoint`: to that endpoint only, whatever it subscribed to (the test
    event). Must run inside the caller's transaction (raises OutsideTransaction)."""
    if not events:
        return []
    if not transaction.get_connection().in_atomic_block:
        raise OutsideTransaction("record webhook events inside the change's transaction")
    now = timezone.now()
    sequences = _last_sequences(events)
    rows = []
    for new in events:
        key = (new.resource_type, new.resource_key)
        sequences[key] = sequences.get(key, 0) + 1
        rows.append(
            Event(
                public_id=new_event_id(now),
                type=new.type,
                resource_type=new.resource_type,
                resource_key=new.resource_key,
                sequence=sequences[key],
                payload=new.payload,
                created_at=now,
            )
        )
    created = Event.objects.bulk_create(rows)
    endpoints = [endpoint] if endpoint else list(Endpoint.objects.filter(active=True))
    deliveries = Delivery.objects.bulk_create(
        Delivery(endpoint=target, event=event, next_attempt_at=now)
        for event in created
        for target in endpoints
        if endpoint or rules.wants(target.event_types, event.type)
    )
    if deliveries:
        ids = [delivery.pk for delivery in deliveries]
        transaction.on_commit(lambda: enqueue(ids), robust=True)
    return created


def record_event(type: str, *, resource_type: str, resource_key: str, payload: dict) -> Event:
    return record_events([NewEvent(type, resource_type, resource_key, payload)])[0]


def _last_sequences(events: list[NewEvent]) -> dict[tuple[str, str], int]:
    """The highest sequence so far of each resource, one query per resource type. The
    resource's row is locked by the change, so no other transaction numbers it meanwhile
    (and the unique constraint refuses a duplicate if one ever did)."""
    keys_by_type: dict[str, set[str]] = {}
    for new in events:
        keys_by_type.setdefault(new.resource_type, set()).add(new.resource_key)
    last: dict[tuple[str, str], int] = {}
    for resource_type, keys in keys_by_type.items():
        ordered = sorted(keys)
        for start in range(0, len(ordered), BATCH_SIZE):
            rows = (
                Event.objects.filter(
                    resource_type=resource_type,
                    resource_key__in=ordered[start : start + BATCH_SIZE],
                )
                .values("resource_key")
                .annotate(last=Max("sequence"))
                .values_list("resource_key", "last")
            )
            last.update({(resource_type, key): value for key, value in rows})
    return last


def enqueue(delivery_ids: list[int], *, at: datetime.datetime | None = None) -> None:
    """Hands the deliveries to the task queue, `at` a time if the backend can wait (else
    the sweep picks them up when due). Losing this is harmless: the sweep finds them."""
    from comptoir.webhooks.tasks import deliver  # the tasks module imports this one

    if at is not None:
        if not deliver.get_backend().supports_defer:
            return
        for pk in delivery_ids:
            deliver.using(run_after=at).enqueue(pk)
        return
    for pk in delivery_ids:
        deliver.enqueue(pk)
