"""Reads of the catalog as a buyer sees it: visibility and order rules (DESIGN.md)."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from comptoir.catalog.models import Category, Product, Visibility
from comptoir.customers.models import Company, CustomerGroup


def visible_products(*, group: CustomerGroup, company: Company | None) -> QuerySet[Product]:
    """Active products this buyer may see; anything else answers 404 like an unknown SKU."""
    through_groups = Product.visible_groups.through.objects.filter(
        product_id=OuterRef("pk"), customergroup_id=group.pk
    )
    allowed = Q(visibility=Visibility.ALL) | Q(Exists(through_groups), visibility=Visibility.GROUPS)
    if company is not None:
        through_companies = Product.visible_companies.through.objects.filter(
            product_id=OuterRef("pk"), company_id=company.pk
        )
        allowed |= Q(Exists(through_companies), visibility=Visibility.COMPANIES)
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
