from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Invitation(models.Model):
    """A colleague asked to join a company; the user exists only once they accept.

    `nonce` is part of the signed link: resending draws a new one, so only the latest link
    works, and accepting or cancelling ends it.
    """

    company = models.ForeignKey(
        "customers.Company",
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=64)
    all_locations = models.BooleanField(_("all locations"), default=True)
    locations = models.ManyToManyField(
        "customers.Location", verbose_name=_("locations"), blank=True, related_name="+"
    )
    language = models.CharField(_("language"), max_length=10, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    nonce = models.CharField(max_length=32)
    sent_at = models.DateTimeField(_("sent"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-sent_at"]
        indexes = [models.Index(fields=["company", "email"], name="invitation_company_email_idx")]

    def __str__(self):
        return self.email

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.cancelled_at is None


class TeamAction(models.TextChoices):
    INVITED = "invited", _("invited")
    INVITATION_RESENT = "invitation_resent", _("invitation sent again")
    INVITATION_CANCELLED = "invitation_cancelled", _("invitation cancelled")
    JOINED = "joined", _("joined")
    ROLE_CHANGED = "role_changed", _("role changed")
    LOCATIONS_CHANGED = "locations_changed", _("locations changed")
    DEACTIVATED = "deactivated", _("deactivated")
    REACTIVATED = "reactivated", _("reactivated")


class TeamEvent(models.Model):
    """One change to a company's team: who did what to whom, when; shown to its administrators."""

    company = models.ForeignKey(
        "customers.Company",
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="team_events",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("for them, by (staff)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The merchant's staff user who did it in the company user's name."),
    )
    action = models.CharField(_("action"), max_length=24, choices=TeamAction.choices)
    subject = models.EmailField(_("user"))
    before = models.CharField(_("before"), max_length=500, blank=True)
    after = models.CharField(_("after"), max_length=500, blank=True)
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("team change")
        verbose_name_plural = _("team changes")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["company", "-at"], name="team_event_company_at_idx")]

    def __str__(self):
        return f"{self.subject}: {self.get_action_display()}"
