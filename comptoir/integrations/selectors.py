"""What an integration reads (issue 19): the merchant's data across companies, page by page in
the order it changed, inactive products included. One query a page (two for orders)."""

from django.db.models import F, Q, QuerySet

from comptoir.catalog.models import Product
from comptoir.customers.models import Company
from comptoir.integrations.cursor import Position
from comptoir.integrations.models import Tombstone
from comptoir.ordering.models import Order
from comptoir.payments.models import Invoice
from comptoir.pricing.models import PriceEntry, PriceList


def changed_since(
    queryset: QuerySet, position: Position | None, limit: int, *, field: str = "updated_at"
) -> tuple[list, bool]:
    """Up to `limit` rows after `position` in (`field`, id) order, and whether more follow."""
    if position is not None:
        queryset = queryset.filter(
            Q(**{f"{field}__gt": position.at}) | Q(**{field: position.at, "id__gt": position.id})
        )
    rows = list(queryset.order_by(field, "id")[: limit + 1])
    return rows[:limit], len(rows) > limit


def products() -> QuerySet[Product]:
    return Product.objects.annotate(category_code=F("category__code"))


def price_lists() -> QuerySet[PriceList]:
    return PriceList.objects.annotate(parent_code=F("parent__code"))


def price_entries(price_list: PriceList | None = None) -> QuerySet[PriceEntry]:
    entries = PriceEntry.objects.annotate(list_code=F("price_list__code"), sku=F("product__sku"))
    return entries if price_list is None else entries.filter(price_list=price_list)


def companies() -> QuerySet[Company]:
    return Company.objects.annotate(group_code=F("group__code"))


def orders() -> QuerySet[Order]:
    return Order.objects.select_related("company", "location").prefetch_related(
        "lines", "tax_lines"
    )


def invoices() -> QuerySet[Invoice]:
    return Invoice.objects.annotate(order_number=F("order__number"))


def tombstones() -> QuerySet[Tombstone]:
    return Tombstone.objects.all()


def price_list_by_code(code: str) -> PriceList | None:
    return PriceList.objects.filter(code__iexact=code).first()


def company_by_code(code: str) -> Company | None:
    return Company.objects.filter(code__iexact=code).first()
