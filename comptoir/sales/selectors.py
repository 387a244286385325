"""Reads of the sales area: what a staff user may see and act on (issue 18)."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from comptoir.accounts.models import User
from comptoir.catalog.models import Packaging, Product
from comptoir.catalog.packagings import max_quantity, packagings_of, resolve_unit
from comptoir.catalog.selectors import sku_key, visible_products, with_skus
from comptoir.core.errors import BusinessRuleError
from comptoir.sales import rules
from comptoir.sales.models import REPRESENTATIVES_GROUP, Assignment


def actor_facts(user: User) -> rules.Actor:
    """The rules' view of a staff user, read once per request (cached on the user object)."""
    cached = getattr(user, "_sales_actor", None)
    if cached is not None:
        return cached
    representative = (
        user.is_staff
        and not user.is_superuser
        and user.groups.filter(name=REPRESENTATIVES_GROUP).exists()
    )
    assigned = (
        frozenset(
            Assignment.objects.filter(representative=user).values_list("company_id", flat=True)
        )
        if representative
        else frozenset()
    )
    facts = rules.Actor(
        id=user.pk,
        is_active=user.is_active,
        is_staff=user.is_staff,
        may_act=user.has_perm("sales.act_as_buyer"),
        representative=representative,
        assigned=assigned,
    )
    user._sales_actor = facts
    return facts


def target_facts(user: User) -> rules.Target:
    return rules.Target(
        id=user.pk,
        is_active=user.is_active,
        is_staff=user.is_staff,
        is_superuser=user.is_superuser,
        company_id=user.company_id,
    )


def is_representative(user: User) -> bool:
    return user.is_authenticated and actor_facts(user).representative


def scoped(queryset: QuerySet, user: User, company_path: str = "company") -> QuerySet:
    """`queryset` limited to the companies a representative looks after; whole for the
    merchant's other staff."""
    if not is_representative(user):
        return queryset
    return queryset.filter(**{f"{company_path}__in": actor_facts(user).assigned})


def company_buyers(company_id: int) -> QuerySet[User]:
    """The users a staff member may act as or enter an order for, in one query."""
    return User.objects.filter(company_id=company_id, is_staff=False, is_superuser=False).order_by(
        "last_name", "first_name", "email"
    )


def entry_items(viewer, lines) -> tuple[list[tuple[Product, int, Packaging | None]], list[str]]:
    """The products of typed "SKU quantity [unit]" lines the buyer may see, each in the
    packaging its unit names (`catalog.packagings.resolve_unit`, as the quick order), with a
    message for each line that names no such product or unit; quantities of one SKU in one
    unit add up, and one SKU typed in two units is refused, as in the quick order."""
    products = list(
        with_skus(
            visible_products(group=viewer.group, company=viewer.company),
            [line.sku for line in lines],
        )
    )
    found = {sku_key(product.sku): product for product in products}
    packagings = packagings_of(product.pk for product in products)
    wanted: dict[Product, int] = {}
    units: dict[Product, Packaging | None] = {}
    problems = []
    for line in lines:
        product = found.get(sku_key(line.sku))
        if line.error:
            problems.append(
                _("line %(line)s: %(sku)s — %(message)s")
                % {"line": line.line, "sku": line.sku, "message": line.error}
            )
            continue
        if product is None:
            problems.append(
                _("line %(line)s: unknown SKU %(sku)s") % {"line": line.line, "sku": line.sku}
            )
            continue
        try:
            packaging = resolve_unit(product, line.unit, packagings.get(product.pk, []))
        except BusinessRuleError as refused:
            problems.append(
                _("line %(line)s: %(sku)s — %(message)s")
                % {"line": line.line, "sku": line.sku, "message": refused.message}
            )
            continue
        if product in units and units[product] != packaging:
            problems.append(
                _("line %(line)s: %(sku)s is already entered in another unit")
                % {"line": line.line, "sku": line.sku}
            )
            continue
        units[product] = packaging
        wanted[product] = min(wanted.get(product, 0) + line.quantity, max_quantity(packaging))
    return [(product, quantity, units[product]) for product, quantity in wanted.items()], problems
