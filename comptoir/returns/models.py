import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from comptoir.core.models import YearCounter
from comptoir.returns import states


class ReturnState(models.TextChoices):
    REQUESTED = states.REQUESTED, pgettext_lazy("return state", "Requested")
    ACCEPTED = states.ACCEPTED, pgettext_lazy("return state", "Accepted")
    REFUSED = states.REFUSED, pgettext_lazy("return state", "Refused")
    RECEIVED = states.RECEIVED, pgettext_lazy("return state", "Received")
    CREDITED = states.CREDITED, pgettext_lazy("return state", "Credited")
    CANCELLED = states.CANCELLED, pgettext_lazy("return state", "Cancelled")


class ReturnReason(models.TextChoices):
    DAMAGED = "damaged", _("Damaged")
    WRONG_ITEM = "wrong_item", _("Wrong item")
    NOT_AS_DESCRIBED = "not_as_described", _("Not as described")
    SURPLUS = "surplus", _("Ordered too many")
    OTHER = "other", _("Other")


def return_photo_path(instance, filename):
    """A generated name in the company's folder; only the extension (set from the file's
    first bytes) is kept from the upload."""
    suffix = PurePosixPath(filename).suffix.lower()
    if not (suffix[1:].isalnum() and len(suffix) <= 6):
        suffix = ""
    return f"returns/{instance.company_id}/{uuid.uuid4().hex}{suffix}"


class ReturnRequest(models.Model):
    """A buyer's request to return lines of a delivered order (RMA-2026-000001), the
    merchant's decision, the goods received, and the credit note that follows."""

    number = models.CharField(_("number"), max_length=32, unique=True)
    order = models.ForeignKey(
        "ordering.Order", verbose_name=_("order"), on_delete=models.PROTECT, related_name="returns"
    )
    company = models.ForeignKey(
        "customers.Company",
        verbose_name=_("company"),
        on_delete=models.PROTECT,
        related_name="returns",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    state = models.CharField(
        _("state"), max_length=12, choices=ReturnState.choices, default=ReturnState.REQUESTED
    )
    reason = models.CharField(_("reason"), max_length=20, choices=ReturnReason.choices)
    comment = models.TextField(_("comment"), blank=True)
    photo = models.FileField(_("photo"), upload_to=return_photo_path, blank=True, max_length=255)
    photo_type = models.CharField(_("photo type"), max_length=40, blank=True)
    decision = models.TextField(_("merchant's message"), blank=True)
    restocked = models.BooleanField(_("restocked"), null=True, blank=True)
    credit_note = models.OneToOneField(
        "credits.CreditNote",
        verbose_name=_("credit note"),
        on_delete=models.PROTECT,
        related_name="return_request",
        null=True,
        blank=True,
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)

    class Meta:
        verbose_name = _("return")
        verbose_name_plural = _("returns")
        ordering = ["-requested_at", "-number"]
        indexes = [models.Index(fields=["company", "state"], name="return_company_state_idx")]

    def __str__(self):
        return self.number


class ReturnLine(models.Model):
    """A line of the order and how many of its units come back."""

    request = models.ForeignKey(
        ReturnRequest, verbose_name=_("return"), on_delete=models.CASCADE, related_name="lines"
    )
    order_line = models.ForeignKey(
        "ordering.OrderLine",
        verbose_name=_("order line"),
        on_delete=models.PROTECT,
        related_name="return_lines",
    )
    sku = models.CharField(_("SKU"), max_length=64)
    name = models.CharField(_("name"), max_length=255)
    quantity = models.PositiveIntegerField(_("quantity"))

    class Meta:
        verbose_name = _("return line")
        verbose_name_plural = _("return lines")
        ordering = ["request", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="return_line_quantity_gt_0"
            ),
        ]

    def __str__(self):
        return f"{self.quantity} × {self.sku}"


class ReturnEvent(models.Model):
    """Each move of a return: who, when, from which state to which, and what they said."""

    request = models.ForeignKey(
        ReturnRequest, verbose_name=_("return"), on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    from_state = models.CharField(_("from"), max_length=12, blank=True)
    to_state = models.CharField(_("to"), max_length=12, choices=ReturnState.choices)
    message = models.TextField(_("message"), blank=True)

    class Meta:
        verbose_name = _("return event")
        verbose_name_plural = _("return events")
        ordering = ["request", "at", "id"]

    def __str__(self):
        return f"{self.request.number}: {self.from_state or '—'} → {self.to_state}"


class ReturnCounter(YearCounter):
    """The last return number of a year, locked until the return commits."""

    class Meta:
        verbose_name = _("return counter")
        verbose_name_plural = _("return counters")
