"""Reads of the catalog as a buyer sees it: visibility and order rules (DESIGN.md)."""

import json
from collections.abc import Iterable
from functools import reduce
from operator import or_

from django.conf import settings
from django.db import connection
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Upper

from comptoir.catalog.availability import Availability, availability
from comptoir.catalog.models import (
    Category,
    Product,
    ProductAttributeValue,
    ProductDocument,
    ProductImage,
    Visibility,
)
from comptoir.core.compiled_sql import prepared_cursor
from comptoir.core.content_languages import content_languages
from comptoir.core.models import CacheVersion
from comptoir.core.translatable import base_language
from comptoir.core.trees import descendants
from comptoir.core.versioned_cache import cached
from comptoir.customers.models import Company, CustomerGroup


def visible_products(*, group: CustomerGroup, company: Company | None) -> QuerySet[Product]:
    """Active products this buyer may see; anything else answers 404 like an unknown SKU."""
    queryset = Product.objects.filter(
        reduce(or_, _visibility_parts(group, company)), _restrictions(group)
    )
    return queryset.select_related("category")


def product_stock(ids: list[int]) -> dict[int, Availability]:
    """What buyers are told of these products' stock, read live (one query): stock is never
    copied, orders change it without a cache bump."""
    if not ids:
        return {}
    # A plain statement: the ORM's compilation cost as much as the query (bench/README.md).
    table = connection.ops.quote_name(Product._meta.db_table)
    among, values = _among_ids(ids)
    with prepared_cursor(connection) as cursor:
        cursor.execute(f"SELECT id, stock, backorder FROM {table} WHERE id {among}", values)
        rows = cursor.fetchall()
    return {pk: availability(stock, bool(backorder)) for pk, stock, backorder in rows}


def version_and_stock(ids: list[int], found: dict[int, Availability]) -> int:
    """The cache version (core/versioned_cache.py) and, into `found`, these products' stock,
    in one statement: a request whose first statement would read the version alone reads
    the stock of the page it will show with it (catalog/stock_prefetch.py). One snapshot:
    the stock is as live as `product_stock` reads it."""
    products = connection.ops.quote_name(Product._meta.db_table)
    versions = connection.ops.quote_name(CacheVersion._meta.db_table)
    among, values = _among_ids(ids)
    with prepared_cursor(connection) as cursor:
        cursor.execute(
            f"SELECT v.version, p.id, p.stock, p.backorder FROM {versions} v "
            f"LEFT JOIN {products} p ON p.id {among} WHERE v.id = 1",
            values,
        )
        rows = cursor.fetchall()
    for _version, pk, stock, backorder in rows:
        if pk is not None:
            found[pk] = availability(stock, bool(backorder))
    return rows[0][0] if rows else 0


def _among_ids(ids: list[int]) -> tuple[str, list]:
    """`id {among}` for these ids with its parameters: one array on PostgreSQL, so that the
    statement's text (prepared once, core/compiled_sql.prepared_cursor) is the same for any
    number of ids."""
    if connection.vendor == "postgresql":
        return "= ANY(%s::bigint[])", [_id_array(ids)]
    return f"IN ({', '.join(['%s'] * len(ids))})", list(ids)


def _id_array(ids) -> str:
    """Ids as PostgreSQL's array text (`{1,2,3}`), cast by the statement: psycopg adapts a
    Python list item by item in Python, four times slower than this join for a page of 50."""
    return "{" + ",".join(str(int(pk)) for pk in ids) + "}"


def stock_column(ids_mark) -> RawSQL:
    """These products' stock as one text column (`id:stock:backorder,...`) that another
    statement can carry: the API token's reads the stock of the page the call will answer
    (catalog/stock_prefetch.py). `ids_mark` stands for `stock_column_ids(ids)`."""
    table = connection.ops.quote_name(Product._meta.db_table)
    if connection.vendor == "postgresql":
        return RawSQL(
            "SELECT string_agg(p.id || ':' || p.stock || ':' || p.backorder::int, ',') "
            f"FROM {table} p WHERE p.id = ANY(%s::bigint[])",
            (ids_mark,),
        )
    return RawSQL(
        "SELECT group_concat(p.id || ':' || p.stock || ':' || p.backorder, ',') "
        f"FROM {table} p WHERE p.id IN (SELECT value FROM json_each(%s))",
        (ids_mark,),
    )


def stock_column_ids(ids: list[int]):
    """The parameter `stock_column` reads the ids from: array text, or JSON text on SQLite."""
    return _id_array(ids) if connection.vendor == "postgresql" else json.dumps(list(ids))


def stock_from_column(text: str | None) -> dict[int, Availability]:
    """What `stock_column` read, as `product_stock` gives it."""
    found = {}
    for part in text.split(",") if text else ():
        pk, stock, backorder = part.split(":")
        found[int(pk)] = availability(int(stock), backorder == "1")
    return found


def sku_key(sku: str) -> str:
    """What an SKU is compared by: its letters without regard to case (API.md §2.1), as
    buyers type them and as the unique index on UPPER(sku) sees them. SKUs are ASCII (a
    code), so only ASCII letters change; any other text matches none."""
    return sku.upper() if sku.isascii() else sku


def with_skus(queryset: QuerySet[Product], skus: Iterable[str]) -> QuerySet[Product]:
    """The products of `queryset` with these SKUs, whatever their case: one indexed
    `UPPER(sku) IN (...)`, for quick order, CSV import, the API and the product page alike."""
    return queryset.alias(sku_key=Upper("sku")).filter(sku_key__in={sku_key(s) for s in skus})


def _visibility_parts(group: CustomerGroup, company: Company | None) -> list[Q]:
    """The disjoint ways a buyer sees a product: visible to all, to its group, to its company.

    Indexed id subqueries rather than EXISTS: PostgreSQL can then walk the SKU index for a
    page instead of scanning the catalogue.
    """
    group_products = Product.visible_groups.through.objects.filter(customergroup_id=group.pk)
    parts = [
        Q(visibility=Visibility.ALL),
        Q(visibility=Visibility.GROUPS, pk__in=group_products.values("product_id")),
    ]
    if company is not None:
        company_products = Product.visible_companies.through.objects.filter(company_id=company.pk)
        parts.append(
            Q(visibility=Visibility.COMPANIES, pk__in=company_products.values("product_id"))
        )
    return parts


def _restrictions(group: CustomerGroup) -> Q:
    """Active products, in the group's categories when its catalogue is limited."""
    restrictions = Q(active=True)
    if group.limit_catalog:
        restrictions &= Q(category_id__in=_catalog_category_ids(group))
    return restrictions


def _catalog_category_ids(group: CustomerGroup) -> list[int]:
    return list(
        cached(
            ("catalog_categories", group.pk),
            lambda: _with_descendants(list(group.catalog_categories.values_list("pk", flat=True))),
        )
    )


def _children() -> dict[int | None, list[int]]:
    children: dict[int | None, list[int]] = {}
    for pk, parent in Category.objects.values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    return children


def _with_descendants(found: list[int]) -> list[int]:
    if not found:
        return found
    return descendants(found, cached("category_children", _children))


def images_json(product) -> list[dict]:
    """The product's pictures as the API's product detail shows them (docs/api.md): their
    URLs are absolute, on SITE_URL, for clients that are not browsers on the store's host."""
    site = settings.SITE_URL.rstrip("/")
    return [
        {
            "url": site + image.large.url,
            "alt": image.translated("alt"),
            "width": image.large_width,
            "height": image.large_height,
            "thumbnail_url": site + image.thumbnail.url,
            "thumbnail_width": image.thumbnail_width,
            "thumbnail_height": image.thumbnail_height,
        }
        for image in ProductImage.objects.filter(product_id=product.pk)
    ]


def with_card_image(products: QuerySet[Product]) -> QuerySet[Product]:
    """The products with their first picture's thumbnail (`card_image`, its name in the
    storage, None without one; `card_image_width`, `_height`, `_alt`), read by the same
    query as the products: a listing's page takes no query more for its pictures."""
    first = ProductImage.objects.filter(product_id=OuterRef("pk")).order_by("position", "id")
    return products.annotate(
        card_image=Subquery(first.values("thumbnail")[:1]),
        card_image_width=Subquery(first.values("thumbnail_width")[:1]),
        card_image_height=Subquery(first.values("thumbnail_height")[:1]),
        card_image_alt=Subquery(first.values("alt")[:1]),
        card_image_translations=Subquery(first.values("translations")[:1]),
    )


def documents_json(product) -> list[dict]:
    """The product's documents as the API's product detail shows them (docs/api.md)."""
    site = settings.SITE_URL.rstrip("/")
    return [
        {"url": site + doc.file.url, "title": doc.title, "kind": doc.kind, "size": doc.size}
        for doc in ProductDocument.objects.filter(product_id=product.pk)
    ]


def attribute_values(product) -> list[ProductAttributeValue]:
    """The product's attribute values with their definitions, in the definitions' order."""
    return list(
        ProductAttributeValue.objects.filter(product_id=product.pk)
        .select_related("definition")
        .order_by("definition__position", "definition__label")
    )


def attributes_json(product) -> list[dict]:
    """The product's attributes as the API's product detail shows them (docs/api.md)."""
    return [
        {
            "code": found.definition.code,
            "label": found.definition.translated("label"),
            "type": found.definition.type,
            "value": found.shown_value(),
            "unit": found.definition.translated("unit"),
        }
        for found in attribute_values(product)
    ]


def product_translations(product) -> dict[str, dict[str, str]]:
    """The product's name and description in every language it is written in, as the API's
    product detail carries them (docs/api.md): the store's language from the base columns,
    the others as translated (a field without a translation is absent)."""
    found = {base_language(): {"name": product.name, "description": product.description}}
    for language in content_languages():
        if language in product.translations and language not in found:
            found[language] = dict(product.translations[language])
    return found
