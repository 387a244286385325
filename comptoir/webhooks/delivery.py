"""Sending one delivery: claim it, POST it signed, record how it went.

A delivery is claimed in a short transaction (its attempt counted, its next attempt pushed
`rules.LEASE` ahead) and sent outside any transaction, so no row stays locked while a
receiver takes its time. A worker killed after the claim leaves it due again once the
lease has passed, and the sweep sends it again: delivery is at least once, and receivers
deduplicate by the event id (the `webhook-id` header).
"""

import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from comptoir.webhooks import rules
from comptoir.webhooks.models import Delivery, DeliveryStatus
from comptoir.webhooks.signing import signed_headers

logger = logging.getLogger(__name__)

BODY_KEPT = 500
USER_AGENT = "Comptoir-Webhooks/1"


@dataclass(frozen=True)
class Claim:
    delivery_id: int
    endpoint_id: int
    url: str
    secret: str
    msg_id: str
    body: str


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    body: str = ""
    error: str = ""


def envelope(event) -> dict:
    """The JSON body of an event: the same bytes for every attempt."""
    return {
        "id": event.public_id,
        "type": event.type,
        "timestamp": event.created_at.isoformat(),
        "resource": {
            "type": event.resource_type,
            "id": event.resource_key,
            "sequence": event.sequence,
        },
        "data": event.payload,
    }


def claim(delivery_id: int) -> Claim | None:
    """Takes the delivery for one attempt if it is waiting, due, its endpoint active and no
    earlier event of its resource is still owed to that endpoint; None otherwise."""
    now = timezone.now()
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(of=("self",))
            .select_related("endpoint", "event")
            .filter(pk=delivery_id, status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
            .first()
        )
        if delivery is None or not delivery.endpoint.active:
            return None
        if delivery.pk not in rules.sendable(_owed_before(delivery, now)):
            return None
        delivery.attempts += 1
        delivery.started_at = delivery.started_at or now
        delivery.last_attempt_at = now
        delivery.next_attempt_at = now + rules.LEASE
        delivery.save(
            update_fields=["attempts", "started_at", "last_attempt_at", "next_attempt_at"]
        )
    event = delivery.event
    return Claim(
        delivery_id=delivery.pk,
        endpoint_id=delivery.endpoint_id,
        url=delivery.endpoint.url,
        secret=delivery.endpoint.secret,
        msg_id=event.public_id,
        body=json.dumps(envelope(event), separators=(",", ":"), ensure_ascii=False),
    )


def _owed_before(delivery: Delivery, now) -> list[rules.Queued]:
    """The deliveries of the same endpoint and resource not delivered yet, up to this one."""
    event = delivery.event
    rows = Delivery.objects.filter(
        endpoint_id=delivery.endpoint_id,
        event__resource_type=event.resource_type,
        event__resource_key=event.resource_key,
        event__sequence__lte=event.sequence,
        status__in=(DeliveryStatus.PENDING, DeliveryStatus.FAILED),
    ).values_list("pk", "event__sequence", "status", "next_attempt_at")
    return [
        rules.Queued(
            id=pk,
            endpoint_id=delivery.endpoint_id,
            resource=(event.resource_type, event.resource_key),
            sequence=sequence,
            due=pk == delivery.pk
            or (status == DeliveryStatus.PENDING and next_at is not None and next_at <= now),
        )
        for pk, sequence, status, next_at in rows
    ]


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer like any other that is not 2xx: never followed, so a
    receiver cannot send the signed body on to another host."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def send(claim: Claim) -> Outcome:
    """POSTs the body with its signature headers; never raises."""
    headers = signed_headers(
        secret=claim.secret, msg_id=claim.msg_id, body=claim.body, at=timezone.now()
    )
    request = urllib.request.Request(
        claim.url,
        data=claim.body.encode(),
        method="POST",
        headers=headers | {"Content-Type": "application/json", "User-Agent": USER_AGENT},
    )
    try:
        with _opener.open(request, timeout=settings.WEBHOOK_TIMEOUT) as response:
            return Outcome(response.status, _first_bytes(response))
    except urllib.error.HTTPError as answer:
        return Outcome(answer.code, _first_bytes(answer))
    except (OSError, ValueError) as problem:
        # URLError, refused or reset connections and timeouts are OSErrors.
        return Outcome(None, error=str(getattr(problem, "reason", problem))[:300])


def _first_bytes(response) -> str:
    try:
        return response.read(BODY_KEPT).decode("utf-8", "replace")[:BODY_KEPT]
    except OSError:
        return ""
