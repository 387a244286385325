"""Loads what the pricing engine needs for a buyer and a set of products, in a fixed number
of queries whatever the number of products, price lists or groups in the store."""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q

from comptoir.catalog.models import Category, Packaging, Product
from comptoir.core.models import Store
from comptoir.core.selectors import store_today
from comptoir.core.trees import ancestry
from comptoir.core.versioned_cache import cached
from comptoir.customers.models import Company
from comptoir.pricing.engine import (
    Level,
    PackagingData,
    PriceListData,
    PricingContext,
    ProductData,
    PromotionData,
)
from comptoir.pricing.models import (
    PackagingPrice,
    PriceEntry,
    PriceList,
    Promotion,
    VolumeDiscountTier,
)


def pricing_context(
    *,
    store: Store,
    company: Company | None,
    product_ids: Iterable[int],
    today: datetime.date | None = None,
    with_discounts: bool = True,
    packaging_ids: Iterable[int] = (),
) -> PricingContext:
    """The context of a buyer (a guest prices as the store's default group).

    List prices need neither promotions nor volume tiers: `with_discounts=False` spares
    those queries for catalogue pages. `packaging_ids` are the packagings lines are bought
    in: their lists' own prices are loaded (one query, none without packagings).
    """
    today = today or store_today(store)
    group_id = company.group_id if company else store.default_group_id
    lists = candidate_lists(store, company, group_id)
    tiers = _tiers(lists.keys(), product_ids)
    packaging_ids = list(packaging_ids)
    packaging_tiers = _packaging_tiers(lists.keys(), packaging_ids) if packaging_ids else {}
    data = {
        list_id: PriceListData(
            code=row["code"],
            currency=row["currency"],
            priority=row["priority"],
            parent=lists[row["parent_id"]]["code"] if row["parent_id"] else None,
            adjustment_percent=row["adjustment_percent"],
            valid_from=row["valid_from"],
            valid_until=row["valid_until"],
            tiers=tiers.get(list_id, {}),
            packaging_tiers=packaging_tiers.get(list_id, {}),
        )
        for list_id, row in lists.items()
    }
    levels = tuple(
        Level(name, tuple(data[list_id] for list_id, row in lists.items() if row[flag]))
        for name, flag in (("company", "is_company"), ("group", "is_group"), ("base", "is_base"))
    )
    return PricingContext(
        currency=store.currency,
        today=today,
        levels=levels,
        all_lists={price_list.code: price_list for price_list in data.values()},
        promotions=cached(("promotions", group_id, today), lambda: _promotions(group_id, today))
        if with_discounts
        else (),
        volume_tiers=cached(("volume_tiers", group_id), lambda: _volume_tiers(group_id))
        if with_discounts
        else (),
    )


_LIST_FIELDS = (
    "id",
    "code",
    "currency",
    "priority",
    "parent_id",
    "adjustment_percent",
    "valid_from",
    "valid_until",
)


def candidate_lists(store, company, group_id) -> dict[int, dict]:
    """The buyer's candidate lists and their ancestors, by id: this process's copy while no
    price list, assignment or store setting has changed (core/versioned_cache.py). Read only."""
    company_id = company.pk if company else None

    def build():
        lists = _candidate_lists(store, company, group_id)
        _add_ancestors(lists)
        return lists

    return cached(("candidate_lists", store.base_price_list_id, company_id, group_id), build)


def _candidate_lists(store, company, group_id) -> dict[int, dict]:
    """The company's, the group's and the base list, each flagged with its level, in one query."""
    through_companies = PriceList.companies.through.objects.filter(pricelist_id=OuterRef("pk"))
    through_groups = PriceList.customer_groups.through.objects.filter(pricelist_id=OuterRef("pk"))
    company_id = company.pk if company else None
    # One id set, the union of three indexed lookups: PostgreSQL plans it as a few index
    # probes, where an OR of the three conditions scans every price list of the store.
    # The flags are then computed for the few rows found, so the cost stays flat however
    # many lists and groups the store has. (No ORDER BY inside: SQLite refuses it there.)
    candidate_ids = (
        PriceList.companies.through.objects.filter(company_id=company_id)
        .order_by()
        .values("pricelist_id")
        .union(
            PriceList.customer_groups.through.objects.filter(customergroup_id=group_id)
            .order_by()
            .values("pricelist_id"),
            PriceList.objects.filter(pk=store.base_price_list_id).order_by().values("pk"),
            all=True,
        )
    )
    queryset = PriceList.objects.filter(pk__in=candidate_ids).annotate(
        is_company=Exists(through_companies.filter(company_id=company_id)),
        is_group=Exists(through_groups.filter(customergroup_id=group_id)),
        is_base=Q(pk=store.base_price_list_id),
    )
    return {
        row["id"]: row
        for row in queryset.values(*_LIST_FIELDS, "is_company", "is_group", "is_base")
    }


def _add_ancestors(lists: dict[int, dict]) -> None:
    """Parents of derived lists, one query per generation (lists derive one or two deep)."""
    missing = {row["parent_id"] for row in lists.values()} - set(lists) - {None}
    while missing:
        for row in PriceList.objects.filter(pk__in=missing).values(*_LIST_FIELDS):
            lists[row["id"]] = {**row, "is_company": False, "is_group": False, "is_base": False}
        missing = {row["parent_id"] for row in lists.values()} - set(lists) - {None}


def _tiers(list_ids, product_ids) -> dict[int, dict[int, tuple]]:
    tiers: dict[int, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    entries = (
        PriceEntry.objects.filter(
            price_list_id__in=list(list_ids), product_id__in=list(product_ids)
        )
        .order_by("min_qty")
        .values_list("price_list_id", "product_id", "min_qty", "price")
    )
    for list_id, product_id, min_qty, price in entries:
        tiers[list_id][product_id].append((min_qty, price))
    return {
        list_id: {product_id: tuple(rows) for product_id, rows in products.items()}
        for list_id, products in tiers.items()
    }


def _packaging_tiers(list_ids, packaging_ids) -> dict[int, dict[tuple[int, str], tuple]]:
    """The lists' own packaging prices, by list id then (product id, packaging unit)."""
    tiers: dict[int, dict[tuple[int, str], list]] = defaultdict(lambda: defaultdict(list))
    entries = (
        PackagingPrice.objects.filter(
            price_list_id__in=list(list_ids), packaging_id__in=packaging_ids
        )
        .order_by("min_qty")
        .values_list(
            "price_list_id", "packaging__product_id", "packaging__unit", "min_qty", "price"
        )
    )
    for list_id, product_id, unit, min_qty, price in entries:
        tiers[list_id][(product_id, unit)].append((min_qty, price))
    return {
        list_id: {key: tuple(rows) for key, rows in keyed.items()}
        for list_id, keyed in tiers.items()
    }


def _volume_tiers(group_id) -> tuple[tuple[int, Decimal], ...]:
    return tuple(
        VolumeDiscountTier.objects.filter(customer_group_id=group_id).values_list(
            "min_total_qty", "percent"
        )
    )


def _promotions(group_id, today) -> tuple[PromotionData, ...]:
    queryset = (
        Promotion.objects.filter(customer_groups=group_id)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=today))
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .prefetch_related("products", "categories")
    )
    return tuple(
        PromotionData(
            code=promotion.code,
            percent=promotion.percent,
            product_ids=frozenset(product.pk for product in promotion.products.all()),
            category_codes=frozenset(category.code for category in promotion.categories.all()),
            valid_from=promotion.valid_from,
            valid_until=promotion.valid_until,
        )
        for promotion in queryset
    )


def category_ancestors() -> dict[int, tuple[str, ...]]:
    """Each category's code followed by its ancestors' codes, from one query of the tree
    (cached per process and version, core/versioned_cache.py). Read only."""
    return cached("category_ancestors", _category_ancestors)


def _category_ancestors() -> dict[int, tuple[str, ...]]:
    rows = {
        pk: (code, parent)
        for pk, code, parent in Category.objects.values_list("pk", "code", "parent_id")
    }
    parents = {pk: parent for pk, (_code, parent) in rows.items()}
    return {pk: tuple(rows[node][0] for node in ancestry(pk, parents)) for pk in rows}


def product_data(
    products: Iterable[Product], ancestors: dict[int, tuple[str, ...]]
) -> list[ProductData]:
    return [
        ProductData(product.pk, product.sku, ancestors.get(product.category_id, ()))
        for product in products
    ]


def packaging_data(packaging: Packaging) -> PackagingData:
    """What the pricing engine needs of a packaging."""
    return PackagingData(packaging.unit, packaging.factor, packaging.percent_off)
