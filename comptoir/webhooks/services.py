"""Writes of the webhooks area: endpoints set up by the merchant, the outcome of each
attempt, giving up after 3 days, replays and test events."""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from comptoir.core.errors import BusinessRuleError
from comptoir.webhooks import rules
from comptoir.webhooks.delivery import Claim, Outcome
from comptoir.webhooks.models import SUBSCRIBABLE, Delivery, DeliveryStatus, Endpoint, EventType
from comptoir.webhooks.outbox import NewEvent, enqueue, record_events
from comptoir.webhooks.signing import new_secret

logger = logging.getLogger(__name__)

SUBSCRIBABLE_TYPES = frozenset(value for value, _label in SUBSCRIBABLE)


def url_refusal(url: str) -> BusinessRuleError | None:
    """Why the URL cannot be an endpoint's, for the form and every other writer."""
    code = rules.url_problem(url, allow_http=settings.WEBHOOK_ALLOW_HTTP)
    messages = {
        "url_invalid": _("Give an http or https address with a host name."),
        "url_credentials": _("Leave the user name and password out of the address."),
        "url_not_https": _("Webhooks are sent over https only: give an https address."),
    }
    return BusinessRuleError(code, messages[code]) if code else None


def endpoint_save(*, endpoint: Endpoint) -> Endpoint:
    """Saves a new or changed endpoint; a new one gets its signing secret (shown to the
    merchant in the back office, never logged). Refused (BusinessRuleError) for a URL that
    cannot receive webhooks or an unknown event type."""
    refusal = url_refusal(endpoint.url)
    if refusal is not None:
        raise refusal
    unknown = sorted(set(endpoint.event_types) - set(SUBSCRIBABLE_TYPES))
    if unknown:
        raise BusinessRuleError(
            "unknown_event_type",
            _("Unknown event types: %(types)s.") % {"types": ", ".join(unknown)},
        )
    endpoint.event_types = sorted(set(endpoint.event_types))
    if not endpoint.secret:
        endpoint.secret = new_secret()
    endpoint.save()
    return endpoint


def endpoint_roll_secret(*, endpoint: Endpoint) -> Endpoint:
    """A new secret: what the receiver holds no longer verifies the next deliveries."""
    endpoint.secret = new_secret()
    endpoint.save(update_fields=["secret"])
    return endpoint


def delivery_record(claim: Claim, outcome: Outcome) -> Delivery:
    """Records an attempt's outcome: delivered, due again later, or given up after 3 days
    (then the endpoint is disabled and the merchant told)."""
    now = timezone.now()
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(of=("self",))
            .select_related("event")
            .get(pk=claim.delivery_id)
        )
        delivery.response_code = outcome.status_code
        delivery.response_body = outcome.body
        delivery.error = outcome.error
        if rules.delivered(outcome.status_code):
            delivery.status = DeliveryStatus.DELIVERED
            delivery.delivered_at = now
            delivery.next_attempt_at = None
            _send_next_of_resource(delivery)
        else:
            delivery.next_attempt_at = rules.next_attempt_at(
                attempts=delivery.attempts, started_at=delivery.started_at, now=now
            )
            if delivery.next_attempt_at is None:
                delivery.status = DeliveryStatus.FAILED
                _disable(delivery.endpoint_id, now)
            else:
                retry = (delivery.pk, delivery.next_attempt_at)
                transaction.on_commit(lambda: enqueue([retry[0]], at=retry[1]), robust=True)
        delivery.save()
    return delivery


def _send_next_of_resource(delivery: Delivery) -> None:
    """The endpoint's next event of the same resource waited for this one: send it now."""
    event = delivery.event
    following = (
        Delivery.objects.filter(
            endpoint_id=delivery.endpoint_id,
            status=DeliveryStatus.PENDING,
            event__resource_type=event.resource_type,
            event__resource_key=event.resource_key,
            event__sequence__gt=event.sequence,
        )
        .order_by("event__sequence")
        .values_list("pk", flat=True)
        .first()
    )
    if following is not None:
        transaction.on_commit(lambda: enqueue([following]), robust=True)


def _disable(endpoint_id: int, now: datetime.datetime) -> None:
    from comptoir.webhooks import notifications  # templates and mail: only when needed

    changed = Endpoint.objects.filter(pk=endpoint_id, active=True).update(
        active=False,
        disabled_at=now,
        disabled_reason=_("No delivery succeeded for 3 days."),
    )
    if changed:
        logger.warning("Webhook endpoint %s disabled after 3 days of failures", endpoint_id)
        transaction.on_commit(lambda: notifications.endpoint_disabled(endpoint_id), robust=True)


def endpoints_reactivate(*, endpoints: QuerySet[Endpoint]) -> int:
    """Active again; what was given up while it was down is sent again, oldest first, with
    3 new days of retries, so its receiver still gets every event in order."""
    now = timezone.now()
    with transaction.atomic():
        ids = list(endpoints.filter(active=False).values_list("pk", flat=True))
        Endpoint.objects.filter(pk__in=ids).update(
            active=True, disabled_at=None, disabled_reason=""
        )
        _requeue(Delivery.objects.filter(endpoint_id__in=ids, status=DeliveryStatus.FAILED), now)
    return len(ids)


def deliveries_replay(*, deliveries: QuerySet[Delivery]) -> int:
    """Sends the deliveries again, delivered or not, with the same event id (a receiver that
    already has it may ignore it) and 3 new days of retries. Returns how many."""
    with transaction.atomic():
        return _requeue(deliveries, timezone.now())


def _requeue(deliveries: QuerySet[Delivery], now: datetime.datetime) -> int:
    ids = list(deliveries.order_by("event_id").values_list("pk", flat=True))
    Delivery.objects.filter(pk__in=ids).update(
        status=DeliveryStatus.PENDING,
        attempts=0,
        started_at=None,
        next_attempt_at=now,
        delivered_at=None,
    )
    if ids:
        transaction.on_commit(lambda: enqueue(ids), robust=True)
    return len(ids)


def endpoint_send_test(*, endpoint: Endpoint) -> None:
    """A `webhook.test` event to this endpoint only, to check the URL and the secret."""
    with transaction.atomic():
        record_events(
            [
                NewEvent(
                    EventType.TEST,
                    "endpoint",
                    str(endpoint.pk),
                    {"message": "Comptoir test event", "endpoint": endpoint.url},
                )
            ],
            endpoint=endpoint,
        )
