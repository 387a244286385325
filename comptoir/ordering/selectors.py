"""Reads of the ordering area: a buyer's order rules and its company's orders."""

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from comptoir.accounts.access import Viewer
from comptoir.accounts.permissions import SEE_COMPANY_ORDERS
from comptoir.catalog.models import Product
from comptoir.core.errors import BusinessRuleError
from comptoir.customers.models import CustomerGroup
from comptoir.ordering.models import CartLine, GroupOrderRule, Order
from comptoir.ordering.rules import overridden_rules
from comptoir.pricing.engine import QuantityRules


def order_rules(*, group: CustomerGroup, products: list[Product]) -> dict[int, QuantityRules]:
    """Each product's quantity rules with the group's overrides applied (one query)."""
    overrides = {
        rule.product_id: rule
        for rule in GroupOrderRule.objects.filter(
            customer_group=group, product__in=[product.pk for product in products]
        )
    }
    rules = {}
    for product in products:
        own = QuantityRules(
            min_qty=product.min_qty, max_qty=product.max_qty, qty_step=product.qty_step
        )
        override = overrides.get(product.pk)
        rules[product.pk] = (
            overridden_rules(
                own,
                min_qty=override.min_qty,
                max_qty=override.max_qty,
                qty_step=override.qty_step,
            )
            if override
            else own
        )
    return rules


def company_orders(viewer: Viewer) -> QuerySet[Order]:
    """The orders of the viewer's company that their role lets them see, newest first, with
    their lines and tax lines (3 queries a page): others' orders need `see_company_orders`,
    and a user limited to locations sees only theirs."""
    access = viewer.access
    orders = Order.objects.filter(company=viewer.company)
    if not access.allows(SEE_COMPANY_ORDERS):
        orders = orders.filter(buyer=viewer.user)
    if not access.all_locations:
        orders = orders.filter(location__in=access.location_ids)
    return (
        orders.select_related("location", "buyer", "placed_by", "company")
        .prefetch_related("lines", "tax_lines")
        .order_by("-placed_at", "-id")
    )


def company_order(viewer: Viewer, number: str) -> Order | None:
    """One order the viewer may see; None for another company's number or an unknown one.

    An order of the viewer's own company that their role or locations do not cover is refused
    (`permission_denied`, API.md §2.1): the company's own orders are no secret to its users.
    """
    order = company_orders(viewer).filter(number=number).first()
    if order is None and Order.objects.filter(company=viewer.company, number=number).exists():
        raise BusinessRuleError(
            "permission_denied", _("Your role or your locations do not cover this order.")
        )
    return order


def cart_line_count():
    """The number of lines in a user's cart, as an expression to annotate users with: the
    page header shows it with no query of its own."""
    lines = (
        CartLine.objects.filter(cart__buyer=OuterRef("pk"))
        .order_by()
        .values("cart__buyer")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(lines, output_field=IntegerField()), Value(0))
