"""Reads of product families as a buyer sees them: only the variants the buyer may see, so
a family shows exactly the cells its products would show one by one (DESIGN.md, visibility)."""

from dataclasses import dataclass

from django.db.models import QuerySet

from comptoir.catalog.families import Grid, grid
from comptoir.catalog.models import FamilyVariant, Product, ProductFamily
from comptoir.catalog.packagings import with_enabled_packagings
from comptoir.catalog.selectors import visible_products
from comptoir.customers.models import Company, CustomerGroup


@dataclass(frozen=True)
class FamilyLink:
    """What a listing says of a product that is a variant: its family and its cell."""

    code: str
    name: str
    values: str


def visible_family(
    *, group: CustomerGroup, company: Company | None, code: str, packagings: bool = False
) -> tuple[ProductFamily, list[tuple[FamilyVariant, Product]]] | None:
    """The family and its variants this buyer may see, in grid order, their products with
    their enabled packagings if asked (`loaded_packagings`; two queries in all); None for an
    unknown code or a family with no variant visible, exactly alike."""
    family = ProductFamily.objects.filter(code__iexact=code).select_related("category").first()
    if family is None:
        return None
    rows = FamilyVariant.objects.filter(
        family=family, product__in=visible_products(group=group, company=company).values("pk")
    ).select_related("product", "product__category")
    if packagings:
        rows = with_enabled_packagings(rows, product="product_id")
    variants = list(rows)
    if not variants:
        return None
    for variant in variants if packagings else ():
        variant.product.enabled_packagings = variant.enabled_packagings
    return family, in_grid_order(family, [(variant, variant.product) for variant in variants])


def family_grid(family: ProductFamily, items: dict[tuple[str, str], object]) -> Grid:
    """The family's grid of `items` keyed by their (row value, column value), its values
    labelled in the reader's language."""
    return grid(family.rows, family.columns, items, (family.row_labels(), family.column_labels()))


WITH_FAMILY = "family_variant__family"
"""`select_related` of products whose `loaded_family_links` are read."""


def loaded_family_links(products: list[Product]) -> dict[int, FamilyLink]:
    """`family_links` of products read with `select_related(WITH_FAMILY)`: no query."""
    found = {}
    for product in products:
        variant = getattr(product, "family_variant", None)
        if variant is not None:
            found[product.pk] = _link(variant)
    return found


LINKED = ("code", "name", "translations", "row_values", "column_axis", "column_values")
"""The fields of a family that a link to it reads."""


def family_links(product_ids: list[int]) -> dict[int, FamilyLink]:
    """The family of each of these products that is a variant, by product id (one query)."""
    if not product_ids:
        return {}
    variants = (
        FamilyVariant.objects.filter(product_id__in=product_ids)
        .select_related("family")
        .only("product_id", "row_value", "column_value", *(f"family__{f}" for f in LINKED))
    )
    return {variant.product_id: _link(variant) for variant in variants}


def _link(variant: FamilyVariant) -> FamilyLink:
    family = variant.family
    labels = cell_labels(family, variant)
    return FamilyLink(family.code, family.translated("name"), " × ".join(v for v in labels if v))


def cell_labels(family: ProductFamily, variant: FamilyVariant) -> list[str]:
    """The variant's value on each axis of its family as the reader reads it."""
    rows = dict(zip(family.rows, family.row_labels(), strict=True))
    labels = [rows.get(variant.row_value, variant.row_value)]
    if family.column_axis:
        columns = dict(zip(family.columns, family.column_labels(), strict=True))
        labels.append(columns.get(variant.column_value, variant.column_value))
    return labels


def family_link_of(product: Product) -> FamilyLink | None:
    """The product's place in its family, if it has one (one query)."""
    return family_links([product.pk]).get(product.pk)


def family_place_json(product: Product) -> dict | None:
    """The product's family and cell as the API shows them, in the caller's language, or None
    (one query): on each axis its `value` as written (the variants' key) and its `label`."""
    variant = FamilyVariant.objects.filter(product=product).select_related("family").first()
    if variant is None:
        return None
    family = variant.family
    names = [family.translated("row_axis"), family.translated("column_axis")]
    values = [variant.row_value, variant.column_value]
    axes = [
        {"name": name, "value": value, "label": label}
        for name, value, label in zip(names, values, cell_labels(family, variant), strict=False)
    ]
    return {"code": family.code, "name": family.translated("name"), "axes": axes}


def family_axes_json(family: ProductFamily) -> list[dict]:
    """The family's axes as the API shows them, their names and the `labels` of their values
    in the caller's language (`values` as written: the variants' keys)."""
    axes = [
        {
            "name": family.translated("row_axis"),
            "values": family.rows,
            "labels": family.row_labels(),
        }
    ]
    if family.column_axis:
        axes.append(
            {
                "name": family.translated("column_axis"),
                "values": family.columns,
                "labels": family.column_labels(),
            }
        )
    return axes


def in_grid_order(family: ProductFamily, variants: list) -> list:
    """(variant, product) pairs by row, then column, as the family orders its values."""
    rows = {value: index for index, value in enumerate(family.rows)}
    columns = {value: index for index, value in enumerate(family.columns)}
    return sorted(
        variants,
        key=lambda pair: (
            rows.get(pair[0].row_value, len(rows)),
            columns.get(pair[0].column_value, len(columns)),
            pair[1].sku,
        ),
    )


def families_with_variants() -> QuerySet[ProductFamily]:
    """Every family with its variants' products, for the API and the bundle's dump."""
    return ProductFamily.objects.prefetch_related("variants__product")
