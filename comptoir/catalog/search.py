"""Product search by SKU and name, the same for the storefront, the API and quick order."""

from django.db.models import Q, QuerySet

from comptoir.catalog.models import Product

MAX_TERMS = 8


def search_condition(text: str) -> Q:
    """Every word typed must be in the SKU or the name ("vis inox 40" finds "Vis inox 4x40")."""
    condition = Q()
    for word in text.split()[:MAX_TERMS]:
        condition &= Q(sku__icontains=word) | Q(name__icontains=word)
    return condition


def search_products(queryset: QuerySet[Product], text: str) -> QuerySet[Product]:
    return queryset.filter(search_condition(text))
