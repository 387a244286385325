"""Product families in a bundle (docs/bundle.md, "Families"): each family's axes and its
variants by SKU, checked as the back office checks them (catalog/families.py): values among
the family's axes, one product per cell, a product in one family at most; its translations
as the back office checks them (bundle/translation_bundle.py)."""

from django.utils import translation

from comptoir.bundle import translation_bundle
from comptoir.bundle.sync import upsert
from comptoir.catalog.families import axis_values, cell_value
from comptoir.catalog.models import Category, FamilyVariant, Product, ProductFamily
from comptoir.catalog.selectors import sku_key, with_skus
from comptoir.core.content_languages import cleaned_translations

SECTION = "families"


def check_families(errors, index, known) -> None:
    items = index.sections.get(SECTION, [])
    codes, families_of_sku = {}, {}
    listed = {item.code.upper() for item in items if item is not None}
    # A product already in a family that this bundle does not list stays in it.
    elsewhere = {
        sku_key(sku): code
        for sku, code in FamilyVariant.objects.values_list("product__sku", "family__code")
        if code.upper() not in listed
    }
    # Codes ignore case (the table's unique constraint is on UPPER(code)), as SKUs do.
    stored, kept = {}, {}
    for code, translations in ProductFamily.objects.values_list("code", "translations"):
        stored[code.upper()], kept[code.upper()] = code, translations
    base = translation_bundle.base_language(index)
    for position, family in enumerate(items):
        if family is None:
            continue
        path = f"{SECTION}[{position}]"
        if family.code.upper() in codes:
            errors.add(
                f"{path}.code", f"duplicate {family.code!r} (also {codes[family.code.upper()]})"
            )
        codes.setdefault(family.code.upper(), f"{SECTION}[{position}]")
        existing = stored.get(family.code.upper(), family.code)
        if existing != family.code:
            errors.add(
                f"{path}.code",
                f"{family.code!r} differs only in case from the existing family {existing!r}",
            )
        if family.category is not None and family.category not in known.categories:
            errors.add(f"{path}.category", f"unknown category {family.category!r}")
        translation_bundle.check(errors, path, family.translations, ProductFamily, base)
        _check_labels(errors, path, family, kept.get(family.code.upper()), base)
        axes = [axis.values for axis in family.axes]
        for number, axis in enumerate(family.axes):
            if len(axis_values("\n".join(axis.values))) != len(axis.values):
                errors.add(f"{path}.axes[{number}].values", "a value is listed twice")
        cells = {}
        for number, variant in enumerate(family.variants):
            where = f"{path}.variants[{number}]"
            key = sku_key(variant.sku)
            if not known.has_sku(index, variant.sku) and key not in known.db_sku_by_key:
                errors.add(f"{where}.sku", f"unknown SKU {variant.sku!r}")
            if key in families_of_sku:
                errors.add(f"{where}.sku", f"{variant.sku} is also in {families_of_sku[key]}")
            elif key in elsewhere:
                errors.add(
                    f"{where}.sku", f"{variant.sku} is already in the family {elsewhere[key]}"
                )
            families_of_sku.setdefault(key, where)
            if len(variant.values) != len(axes):
                errors.add(
                    f"{where}.values",
                    f"give {len(axes)} value(s), one per axis, not {len(variant.values)}",
                )
                continue
            cell = []
            for axis_number, (values, given) in enumerate(zip(axes, variant.values, strict=True)):
                found = cell_value(values, given)
                if found is None:
                    errors.add(
                        f"{where}.values[{axis_number}]",
                        f"{given!r} is not one of {', '.join(values)}",
                    )
                cell.append((found or given).casefold())
            cell = tuple(cell)
            if cell in cells:
                errors.add(f"{where}.values", f"the cell is already filled by {cells[cell]}")
            cells.setdefault(cell, variant.sku)


def _check_labels(errors, path: str, family, kept: dict | None, base: str) -> None:
    """The translated axis values name the axes' values one for one, as the back office
    checks them (`ProductFamily.translation_problems`): those the bundle gives, as lists, or,
    when it gives no translations, those the family keeps."""
    given = family.translations is not None
    for language, fields in (family.translations or {}).items():
        for field in ("row_values", "column_values"):
            if isinstance(fields, dict) and isinstance(fields.get(field), str):
                errors.add(
                    f"{path}.translations.{language}.{field}",
                    "a list of values, one for each of the axis's, in order",
                )
    raw = translation_bundle.as_text(family.translations) if given else kept
    translations, problems = cleaned_translations(raw, ProductFamily.TRANSLATED, base_language=base)
    if problems:
        return  # told by translation_bundle.check
    axes = {
        "row_values": "\n".join(family.axes[0].values),
        "column_values": "\n".join(family.axes[1].values) if len(family.axes) > 1 else "",
    }
    with translation.override("en"):
        for language, field, problem in ProductFamily.translation_problems(translations, axes):
            where = f"{path}.translations.{language}.{field}"
            if given:
                errors.add(where, str(problem))
            else:
                errors.add(
                    where, f"{problem} (the stored translation, kept as the bundle gives none)"
                )


def write_families(items: list, base: str) -> int:
    """The listed families as the bundle says, each with exactly the variants it lists; their
    translations, unless a family leaves them out (`base`: the store's language)."""
    if not items:
        return 0
    categories = dict(
        Category.objects.filter(code__in={i.category for i in items if i.category}).values_list(
            "code", "pk"
        )
    )
    ids = upsert(
        ProductFamily,
        ("code",),
        {
            (family.code,): {
                "name": family.name,
                "description": family.description,
                "category_id": categories.get(family.category),
                "row_axis": family.axes[0].name,
                "row_values": "\n".join(family.axes[0].values),
                "column_axis": family.axes[1].name if len(family.axes) > 1 else "",
                "column_values": "\n".join(family.axes[1].values) if len(family.axes) > 1 else "",
                **translation_bundle.values(family.translations, ProductFamily, base),
            }
            for family in items
        },
    )
    products = {
        sku_key(sku): pk
        for sku, pk in with_skus(
            Product.objects.all(), [v.sku for family in items for v in family.variants]
        ).values_list("sku", "pk")
    }
    wanted = []
    for family in items:
        axes = [axis.values for axis in family.axes]
        for variant in family.variants:
            values = [cell_value(a, v) for a, v in zip(axes, variant.values, strict=True)]
            wanted.append(
                FamilyVariant(
                    family_id=ids[(family.code,)],
                    product_id=products[sku_key(variant.sku)],
                    row_value=values[0],
                    column_value=values[1] if len(values) > 1 else "",
                )
            )
    current = FamilyVariant.objects.filter(family_id__in=ids.values())
    as_rows = {(v.family_id, v.product_id, v.row_value, v.column_value) for v in current}
    if as_rows != {(v.family_id, v.product_id, v.row_value, v.column_value) for v in wanted}:
        current.delete()
        FamilyVariant.objects.filter(product_id__in=[v.product_id for v in wanted]).delete()
        FamilyVariant.objects.bulk_create(wanted)
    return len(items)


def dump_families():
    families = ProductFamily.objects.select_related("category").prefetch_related(
        "variants__product"
    )
    for family in families.order_by("code"):
        axes = [{"name": family.row_axis, "values": family.rows}]
        if family.column_axis:
            axes.append({"name": family.column_axis, "values": family.columns})
        rows = {value: index for index, value in enumerate(family.rows)}
        columns = {value: index for index, value in enumerate(family.columns)}
        variants = sorted(
            family.variants.all(),
            key=lambda v: (rows.get(v.row_value, 99), columns.get(v.column_value, 99)),
        )
        yield {
            "code": family.code,
            "name": family.name,
            "description": family.description,
            "category": family.category.code if family.category else None,
            "axes": axes,
            "variants": [
                {
                    "sku": variant.product.sku,
                    "values": [variant.row_value]
                    + ([variant.column_value] if family.column_axis else []),
                }
                for variant in variants
            ],
            "translations": translation_bundle.dumped(family.translations),
        }
