"""Product search by SKU and name, the same for the storefront, the API and quick order."""

from django.db.models import Q, QuerySet
from django.utils.translation import get_language

from comptoir.catalog.models import Product
from comptoir.core.content_languages import language_of
from comptoir.core.translatable import base_language

MAX_TERMS = 8


def search_condition(text: str) -> Q:
    """Every word typed must be in the SKU or the name ("vis inox 40" finds "Vis inox 4x40"),
    the name as the store writes it or as the reader's language translates it (issue 20)."""
    language = language_of(get_language())
    translated = language and language != base_language()
    condition = Q()
    for word in text.split()[:MAX_TERMS]:
        matches = Q(sku__icontains=word) | Q(name__icontains=word)
        if translated:
            matches |= Q(**{f"translations__{language}__name__icontains": word})
        condition &= matches
    return condition


def search_products(queryset: QuerySet[Product], text: str) -> QuerySet[Product]:
    return queryset.filter(search_condition(text))
