"""Product search by SKU and name, the same for the storefront, the API and quick order."""

from django.db.models import Q, QuerySet

from comptoir.catalog.models import Product

MAX_TERMS = 8


def search_products(queryset: QuerySet[Product], text: str) -> QuerySet[Product]:
    """Products whose SKU or name holds every word typed ("vis inox 40" finds "Vis inox 4x40")."""
    for word in text.split()[:MAX_TERMS]:
        queryset = queryset.filter(Q(sku__icontains=word) | Q(name__icontains=word))
    return queryset
