"""Sales representatives (issue 18): the companies each one looks after, and the audit trail
of every time a member of staff acted as a buyer."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

REPRESENTATIVES_GROUP = "Sales representatives"
"""The auth group that makes a staff user a representative (created by migration 0002)."""


class Assignment(models.Model):
    """A company looked after by a representative; a company may have several."""

    representative = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("representative"),
        on_delete=models.CASCADE,
        related_name="sales_assignments",
        limit_choices_to={"is_staff": True},
    )
    company = models.ForeignKey(
        "customers.Company",
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="sales_assignments",
    )
    assigned_at = models.DateTimeField(_("assigned"), auto_now_add=True)

    class Meta:
        verbose_name = _("company assignment")
        verbose_name_plural = _("company assignments")
        ordering = ["representative", "company"]
        constraints = [
            models.UniqueConstraint(
                fields=["representative", "company"], name="sales_assignment_unique"
            )
        ]
        permissions = [
            ("act_as_buyer", _("Can act as a buyer of a company")),
            ("enter_orders", _("Can enter orders for a company")),
        ]

    def __str__(self):
        return f"{self.representative} → {self.company}"


class ActingAction(models.TextChoices):
    STARTED = "started", _("started acting")
    STOPPED = "stopped", _("stopped acting")


class ActingEvent(models.Model):
    """One start or end of a staff user acting as a buyer; never changed afterwards."""

    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff user"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("buyer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    company = models.ForeignKey(
        "customers.Company",
        verbose_name=_("company"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=10, choices=ActingAction.choices)
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("acting event")
        verbose_name_plural = _("acting events (audit trail)")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.staff} {self.get_action_display()} {self.buyer}"
