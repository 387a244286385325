"""Requisition lists (issue 18): named lists of SKUs and quantities a buyer orders again and
again, kept private or shared with the company or one of its locations."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from comptoir.core.units import quantity_label
from comptoir.lists import rules


class Sharing(models.TextChoices):
    PRIVATE = rules.PRIVATE, _("private")
    COMPANY = rules.COMPANY, _("shared with the company")
    LOCATION = rules.LOCATION, _("shared with a location")


class RequisitionList(models.Model):
    company = models.ForeignKey(
        "customers.Company",
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="requisition_lists",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="requisition_lists",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by (staff)"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("The merchant's staff user who wrote it for the buyer; empty: the buyer."),
    )
    name = models.CharField(_("name"), max_length=120)
    sharing = models.CharField(
        _("sharing"), max_length=10, choices=Sharing.choices, default=Sharing.PRIVATE
    )
    location = models.ForeignKey(
        "customers.Location",
        verbose_name=_("location"),
        on_delete=models.CASCADE,
        related_name="requisition_lists",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("requisition list")
        verbose_name_plural = _("requisition lists")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                "owner", Lower("name"), name="requisition_list_owner_name_unique"
            ),
            models.CheckConstraint(
                condition=Q(sharing=rules.LOCATION, location__isnull=False)
                | (~Q(sharing=rules.LOCATION) & Q(location__isnull=True)),
                name="requisition_list_location_iff_shared_with_it",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def facts(self) -> rules.ListFacts:
        return rules.ListFacts(
            self.owner_id, self.sharing, self.location_id, owner_active=self.owner.is_active
        )


class ListLine(models.Model):
    """A product and a quantity; the product may since have become invisible to the reader,
    and is then shown as unavailable, never described."""

    requisition_list = models.ForeignKey(
        RequisitionList,
        verbose_name=_("requisition list"),
        on_delete=models.CASCADE,
        related_name="lines",
    )
    product = models.ForeignKey(
        "catalog.Product", verbose_name=_("product"), on_delete=models.CASCADE, related_name="+"
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    packaging = models.ForeignKey(
        "catalog.Packaging",
        verbose_name=_("packaging"),
        # A packaging a list still counts in is switched off, not deleted (deleting the
        # product takes the lines with it).
        on_delete=models.RESTRICT,
        related_name="list_lines",
        null=True,
        blank=True,
        help_text=_("What the quantity counts; empty: the product's unit."),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("list line")
        verbose_name_plural = _("list lines")
        ordering = ["requisition_list", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["requisition_list", "product"], name="list_line_unique_product"
            ),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="list_line_qty_gte_1"),
        ]

    def __str__(self):
        return f"{self.product_id} × {self.quantity}"

    @property
    def base_quantity(self) -> int:
        """The quantity in the product's unit: what the line stands for in stock."""
        return self.quantity * self.packaging.factor if self.packaging else self.quantity

    @property
    def unit(self) -> str:
        return self.packaging.unit if self.packaging else self.product.unit

    @property
    def quantity_label(self) -> str:
        """ "3 cases (432 pieces)" in a packaging, "12 pieces" in the product's unit."""
        if self.packaging is None:
            return quantity_label(self.quantity, self.product.unit)
        return quantity_label(self.quantity, self.unit, self.base_quantity, self.product.unit)
