from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from comptoir.accounts.models import language_choices
from comptoir.core.fields import CodeField


def validate_link(value: str) -> None:
    """A page of the store ("/offers/") or an https address; never javascript: or data:."""
    if not (value.startswith("/") and not value.startswith("//")) and not value.startswith(
        "https://"
    ):
        raise ValidationError(_("Give a path of the store (/offers/) or an https:// address."))


class BannerKind(models.TextChoices):
    BANNER = "banner", _("Home-page banner")
    NOTICE = "notice", _("Notice (a short line above the page)")


class Banner(models.Model):
    """Content for some customer groups (or everyone) within dates: offers, news, closures."""

    code = CodeField(_("code"), unique=True)
    kind = models.CharField(
        _("kind"), max_length=10, choices=BannerKind.choices, default=BannerKind.BANNER
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    link_url = models.CharField(
        _("link"),
        max_length=300,
        blank=True,
        validators=[validate_link],
        help_text=_(
            "A page of the store (/offers/, /c/gloves/) or an https:// address; empty: no link."
        ),
    )
    customer_groups = models.ManyToManyField(
        "customers.CustomerGroup",
        verbose_name=_("customer groups"),
        related_name="banners",
        blank=True,
        help_text=_("Empty: everyone, visitors included."),
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        blank=True,
        choices=language_choices,
        help_text=_("Shown only to readers of this language (en, fr); empty: every language."),
    )
    valid_from = models.DateField(_("shown from"), null=True, blank=True)
    valid_until = models.DateField(_("shown until"), null=True, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("banner or notice")
        verbose_name_plural = _("banners and notices")
        ordering = ["position", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_from=None)
                | models.Q(valid_until=None)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="banner_valid_window",
                violation_error_message=_("The end of validity cannot be before its start."),
            ),
        ]

    def __str__(self):
        return self.title
