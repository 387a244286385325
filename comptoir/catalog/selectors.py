"""Reads of the catalog as a buyer sees it: visibility and order rules (DESIGN.md)."""

from django.db.models import Q, QuerySet

from comptoir.catalog.models import Category, Product, Visibility
from comptoir.customers.models import Company, CustomerGroup


def visible_products(*, group: CustomerGroup, company: Company | None) -> QuerySet[Product]:
    """Active products this buyer may see; anything else answers 404 like an unknown SKU."""
    # Indexed id subqueries rather than EXISTS inside an OR: PostgreSQL can then walk the
    # SKU index for a page instead of scanning the catalogue.
    group_products = Product.visible_groups.through.objects.filter(customergroup_id=group.pk)
    allowed = Q(visibility=Visibility.ALL) | Q(
        visibility=Visibility.GROUPS, pk__in=group_products.values("product_id")
    )
    if company is not None:
        company_products = Product.visible_companies.through.objects.filter(company_id=company.pk)
        allowed |= Q(visibility=Visibility.COMPANIES, pk__in=company_products.values("product_id"))
    queryset = Product.objects.filter(allowed, active=True)
    if group.limit_catalog:
        queryset = queryset.filter(category_id__in=_catalog_category_ids(group))
    return queryset.select_related("category")


def _catalog_category_ids(group: CustomerGroup) -> list[int]:
    return _with_descendants(list(group.catalog_categories.values_list("pk", flat=True)))


def category_with_descendants(code: str) -> list[int]:
    """A category (by code) and every category below it; empty for an unknown code."""
    return _with_descendants(list(Category.objects.filter(code=code).values_list("pk", flat=True)))


def _with_descendants(found: list[int]) -> list[int]:
    if not found:
        return found
    children: dict[int | None, list[int]] = {}
    for pk, parent in Category.objects.values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    index = 0
    while index < len(found):
        found.extend(children.get(found[index], ()))
        index += 1
    return found
