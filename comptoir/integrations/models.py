from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

SCOPE_LABELS = {
    "read": _("Read the catalogue, price lists, companies, orders and invoices"),
    "write_stock": _("Write stock levels"),
    "write_prices": _("Write price list entries"),
    "write_credit": _("Write companies' credit limits"),
}


class ApiKey(models.Model):
    """A key an integration (an ERP) calls the API with, under /api/v1/erp/ only.

    Not a buyer: it reads the merchant's data across companies, within its scopes. The plain
    key is shown once when created; only its SHA-256 digest is kept (it holds 256 random bits,
    so a fast hash is enough), with its first characters to recognise it in the back office.
    """

    name = models.CharField(_("name"), max_length=100, help_text=_("E.g. the ERP it is for."))
    scopes = models.JSONField(_("scopes"), default=list)
    digest = models.CharField(_("digest"), max_length=64, unique=True, editable=False)
    hint = models.CharField(_("key starts with"), max_length=16, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("integration API key")
        verbose_name_plural = _("integration API keys")
        ordering = ["name", "-created_at"]

    def __str__(self):
        return f"{self.name} ({self.hint}…)"


class Tombstone(models.Model):
    """A product, price list or company deleted: the sync shows it once in `/erp/deletions`.

    Products and price lists are usually deactivated or emptied instead, which the sync shows
    on the row itself (`active: false`, the list's `updated_at`); a hard delete leaves this.
    """

    kind = models.CharField(_("kind"), max_length=20)
    key = models.CharField(_("code or SKU"), max_length=64)
    deleted_at = models.DateTimeField(_("deleted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("deletion")
        verbose_name_plural = _("deletions")
        indexes = [models.Index(fields=["deleted_at", "id"], name="tombstone_deleted_idx")]

    def __str__(self):
        return f"{self.kind} {self.key}"
