"""Reads of the webhooks area."""

import datetime

from comptoir.webhooks import rules
from comptoir.webhooks.models import Delivery, DeliveryStatus

# Deliveries looked at per sweep: the oldest owed ones, so every resource's earlier events
# are among them (an event's id grows with its resource's sequence).
SWEEP_BATCH = 2000


def due_deliveries(now: datetime.datetime) -> list[int]:
    """The deliveries to send now: due, to an active endpoint, and first of their resource
    among what that endpoint is owed."""
    rows = (
        Delivery.objects.filter(
            status__in=(DeliveryStatus.PENDING, DeliveryStatus.FAILED), endpoint__active=True
        )
        .order_by("event_id", "pk")
        .values_list(
            "pk",
            "endpoint_id",
            "event__resource_type",
            "event__resource_key",
            "event__sequence",
            "status",
            "next_attempt_at",
        )[:SWEEP_BATCH]
    )
    return rules.sendable(
        rules.Queued(
            id=pk,
            endpoint_id=endpoint_id,
            resource=(resource_type, resource_key),
            sequence=sequence,
            due=status == DeliveryStatus.PENDING and next_at is not None and next_at <= now,
        )
        for pk, endpoint_id, resource_type, resource_key, sequence, status, next_at in rows
    )
