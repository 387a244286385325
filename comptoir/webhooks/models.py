"""The webhook outbox: events written in the transaction of the change they describe, the
merchant's endpoints, and one delivery per (endpoint, event) that the task queue works off."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EventType(models.TextChoices):
    ORDER_PLACED = "order.placed", _("Order placed")
    ORDER_STATUS_CHANGED = "order.status_changed", _("Order status changed")
    ORDER_CANCELLED = "order.cancelled", _("Order cancelled")
    INVOICE_ISSUED = "invoice.issued", _("Invoice issued")
    PAYMENT_RECORDED = "payment.recorded", _("Payment recorded")
    CREDIT_NOTE_ISSUED = "credit_note.issued", _("Credit note issued")
    REFUND_RECORDED = "refund.recorded", _("Refund recorded")
    COMPANY_REQUESTED = "company.requested", _("Company requested an account")
    COMPANY_APPROVED = "company.approved", _("Company approved")
    COMPANY_SUSPENDED = "company.suspended", _("Company suspended")
    CERTIFICATE_APPROVED = "certificate.approved", _("Tax certificate approved")
    CERTIFICATE_EXPIRED = "certificate.expired", _("Tax certificate expired")
    QUOTE_SENT = "quote.sent", _("Quote sent")
    QUOTE_ACCEPTED = "quote.accepted", _("Quote accepted")
    APPROVAL_REQUESTED = "approval.requested", _("Approval requested")
    APPROVAL_DECIDED = "approval.decided", _("Approval decided")
    STOCK_LOW = "stock.low", _("Stock low")
    RETURN_REQUESTED = "return.requested", _("Return requested")
    RETURN_ACCEPTED = "return.accepted", _("Return accepted")
    RETURN_REFUSED = "return.refused", _("Return refused")
    RETURN_RECEIVED = "return.received", _("Return received")
    # Sent only by the back office's "send a test event", to one endpoint.
    TEST = "webhook.test", _("Test event")


SUBSCRIBABLE = [choice for choice in EventType.choices if choice[0] != EventType.TEST]


class Event(models.Model):
    """Something that happened, once, with the resource as the API showed it then.

    `sequence` numbers the events of one resource (1, 2, ...): deliveries of a resource leave
    in that order, and a receiver may check it.
    """

    public_id = models.CharField(_("id"), max_length=40, unique=True)
    type = models.CharField(_("type"), max_length=40, choices=EventType.choices)
    resource_type = models.CharField(_("resource type"), max_length=20)
    resource_key = models.CharField(_("resource"), max_length=64)
    sequence = models.PositiveIntegerField(_("sequence"))
    payload = models.JSONField(_("payload"))
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("webhook event")
        verbose_name_plural = _("webhook events")
        constraints = [
            models.UniqueConstraint(
                fields=["resource_type", "resource_key", "sequence"],
                name="webhooks_event_resource_sequence",
            )
        ]

    def __str__(self):
        return self.public_id


class Endpoint(models.Model):
    """A URL of the merchant's ERP (or any receiver) and the event types it is sent."""

    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    event_types = models.JSONField(_("event types"), default=list)
    secret = models.CharField(_("signing secret"), max_length=64, editable=False)
    active = models.BooleanField(_("active"), default=True)
    disabled_at = models.DateTimeField(_("disabled at"), null=True, blank=True, editable=False)
    disabled_reason = models.CharField(
        _("disabled because"), max_length=300, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        permissions = [("view_endpoint_secret", _("Can see webhook signing secrets"))]

    def __str__(self):
        return self.url


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("webhook delivery", "waiting")
    DELIVERED = "delivered", pgettext_lazy("webhook delivery", "delivered")
    FAILED = "failed", pgettext_lazy("webhook delivery", "given up")


class Delivery(models.Model):
    """One event for one endpoint: its attempts so far and how the last one went.

    `started_at` is the first attempt of the current run (3 days of retries count from it;
    a replay starts a new run); `next_attempt_at` is when it is due, pushed forward while a
    worker holds it (rules.LEASE) so that a worker killed mid-send leaves it due again.
    """

    endpoint = models.ForeignKey(
        Endpoint, verbose_name=_("endpoint"), on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="deliveries"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    started_at = models.DateTimeField(_("first attempt at"), null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    response_code = models.PositiveSmallIntegerField(_("response code"), null=True, blank=True)
    response_body = models.CharField(_("response (first bytes)"), max_length=500, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "event"], name="webhooks_delivery_once")
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="webhooks_delivery_due"),
        ]

    def __str__(self):
        return f"{self.event_id} → {self.endpoint_id}"
